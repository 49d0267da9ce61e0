"""Issue 5: the home page and the resource library for visitors, from the cache (the
product as it runs: whole pages cached per site generation, `cms.caching`) and uncached
(every cache emptied before each request, so the page, its fragments and the navigation
are all built), against the bare view. The demo content has the 14 guides, the toolkits,
events and topic pages; the library is also measured filtered by topic."""

from django.conf import settings


def _expect_at_least(body: str, marker: str, count: int) -> str | None:
    found = body.count(marker)
    return None if found >= count else f"expected at least {count} x {marker!r}, found {found}"


def targets(site):
    from bench.harness import Target
    from bench.urls import BARE_PATH, COLD_PREFIX
    from cms.models import GuidePage, ResourceIndexPage

    library = ResourceIndexPage.objects.live().get().url
    guides = GuidePage.objects.live().public().count()
    topic = GuidePage.objects.live().public().first().topics.first().slug
    items = 'canvass-library-item"'

    def home(body):
        return _expect_at_least(body, "featured-guides", 2)

    def full_library(body):
        return _expect_at_least(body, items, min(guides, 20))

    def filtered(body):
        return _expect_at_least(body, items, 1)

    cold = COLD_PREFIX.rstrip("/")
    return [
        Target("bare Django view (baseline)", BARE_PATH, check=lambda b: None if b == "ok" else b),
        Target("home, visitor, cached", "/", check=home),
        Target("home, visitor, uncached", cold + "/", check=home),
        Target("library, visitor, cached", library, check=full_library),
        Target("library, visitor, uncached", cold + library, check=full_library),
        Target("library by topic, cached", f"{library}?topic={topic}", check=filtered),
        Target("library by topic, uncached", f"{cold}{library}?topic={topic}", check=filtered),
    ]


def notes() -> dict[str, str]:
    return {
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }
