"""The open web's plain documents (issue 17): robots.txt. Feeds are in `feeds.py`, the
sitemap in `sitemaps.py`."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.sites import base_url

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
