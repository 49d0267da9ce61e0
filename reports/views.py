"""The public pages of reports (issue 17): /pulse/ and robots.txt. Feeds are in
`feeds.py`, the sitemap in `sitemaps.py`."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from core import caching
from core.sites import base_url

from . import pulse as figures

# The forms and moderators' pages under a thread's address (`forum/urls.py`), kept off as
# `/questions/*/<verb>/` (the major crawlers read `*`); the thread itself and its revision
# history stay open.
THREAD_VERBS = (
    "answer", "edit", "comment", "vote", "accept", "moderate", "close", "reopen", "lock",
    "hide", "unhide", "audience", "merge",
)  # fmt: skip
# What crawlers are kept off: search results (endless, and each reader's own), accounts,
# sign-in and member pages, the admin, the inbox and its links, cohorts' spaces, the
# editors' pages, and every form.
DISALLOWED = (
    "/search/",
    "/accounts/",
    "/people/",
    "/offices/",
    "/admin/",
    "/_util/",
    "/notifications/",
    "/cohorts/",
    "/editorial/",
    "/questions/ask/",
    "/questions/preview/",
    "/questions/flag/",
    "/questions/redact/",
    "/questions/answers/",
    *(f"/questions/*/{verb}/" for verb in THREAD_VERBS),
)


@require_safe
@cache_control(max_age=60 * 60)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in DISALLOWED),
        "",
        f"Sitemap: {base_url()}{reverse('reports:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def pulse(request):
    """The public "what officials are asking" page: the same aggregate figures for everyone
    (`reports.pulse`). A visitor's copy is kept for the rest of the hour its figures belong
    to, under the generations every stored page depends on (a thread hidden moves the
    content one on), and served by `core.caching.VisitorPageCacheMiddleware` with no query."""
    now = timezone.now()
    key = caching.page_key(request) if caching.for_visitor(request) and not request.GET else None
    context = {
        "figures": figures.current(now),
        "min_count": figures.MIN_COUNT,
        "growth_days": figures.GROWTH_DAYS,
    }
    response = render(request, "reports/pulse.html", context)
    if key is not None:
        caching.store_page(key, response, figures.seconds_left_in_hour(now))
    return response
