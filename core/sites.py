"""The site's one public address, `WAGTAILADMIN_BASE_URL` (from CANVASS_BASE_URL), which
every link in every email is built on: our emails', Wagtail's admin links, and Wagtail's
page URLs, which come from its default Site's hostname and port (`follow_base_url` keeps
them in step). allauth builds its links from the request, whose host is the one the person
used, checked against ALLOWED_HOSTS."""

from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from wagtail.models import Site


def base_url() -> str:
    """The site's address without a trailing slash: ``base_url() + "/questions/"``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def site_address() -> dict:
    """The Wagtail Site's hostname and port for the base URL. Wagtail writes port 443 as
    https and any other as http."""
    parts = urlsplit(base_url())
    return {
        "hostname": parts.hostname,
        "port": parts.port or (443 if parts.scheme == "https" else 80),
    }


def follow_base_url(sender=None, apps=global_apps, using="default", **kwargs) -> None:
    """Point the default Wagtail site at the base URL (a `post_migrate` receiver; Wagtail's
    migrations create it as localhost:80)."""
    try:
        historical_site = apps.get_model("wagtailcore", "Site")
    except LookupError:  # migrated only part of the way
        return
    default_site = historical_site.objects.using(using).filter(is_default_site=True)
    if default_site.update(**site_address()):
        Site.clear_site_root_paths_cache()
