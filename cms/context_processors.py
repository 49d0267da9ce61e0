"""The site's navigation. The links come from the page tree, so they are cached and the
cache is emptied whenever a page is published, unpublished, moved or deleted
(`cms.signals`): a page view costs no queries for them."""

from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .models import EventIndexPage, ResourceIndexPage, StandardPage, TopicIndexPage

CACHE_KEY = "cms:navigation"


def _links() -> dict:
    main = [{"label": _("Questions"), "url": reverse("forum:questions")}]
    for label, model in (
        (_("Guides & toolkits"), ResourceIndexPage),
        (_("Events"), EventIndexPage),
        (_("Topics"), TopicIndexPage),
    ):
        if (index := model.objects.live().public().first()) is not None:
            main.append({"label": label, "url": index.url})
    main.append({"label": _("Search"), "url": reverse("search:search")})
    footer = [
        {"title": page.title, "url": page.url}
        for page in StandardPage.objects.live().public().in_menu().order_by("path")
    ]
    return {"main": main, "footer": footer}


def links() -> dict:
    return cache.get_or_set(CACHE_KEY, _links)


def forget_links() -> None:
    cache.delete(CACHE_KEY)


def _main_navigation(request) -> list[dict]:
    return [{**item, "current": request.path.startswith(item["url"])} for item in links()["main"]]


def navigation(request) -> dict:
    """The site's navigation, evaluated only when a template shows it (never for the
    Wagtail admin or JSON responses)."""
    return {
        "main_navigation": SimpleLazyObject(lambda: _main_navigation(request)),
        "footer_pages": SimpleLazyObject(lambda: links()["footer"]),
    }
