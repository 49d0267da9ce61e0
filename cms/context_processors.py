from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .models import ResourceIndexPage, StandardPage


def _main_navigation(request) -> list[dict]:
    items = [{"label": _("Questions"), "url": reverse("forum:questions")}]
    library = ResourceIndexPage.objects.live().public().first()
    if library is not None:
        items.append({"label": _("Guides & toolkits"), "url": library.url})
    items.append({"label": _("Search"), "url": reverse("search:search")})
    for item in items:
        item["current"] = request.path.startswith(item["url"])
    return items


def navigation(request) -> dict:
    """The site's navigation, evaluated only when a template shows it (never for the
    Wagtail admin or JSON responses)."""
    return {
        "main_navigation": SimpleLazyObject(lambda: _main_navigation(request)),
        "footer_pages": StandardPage.objects.live().public().in_menu().order_by("path"),
    }
