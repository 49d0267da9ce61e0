"""Visitors get CMS pages whole from the cache, as they get question pages (forum.views),
before URL routing (`VisitorPageCacheMiddleware`).

A page is stored under a site-wide generation number, its host and its full path (filters
and page numbers included). The generation moves on whenever anything a page might show changes:
a page is published, unpublished, moved or deleted (`cms.signals`), or a thread changes
(`forum.signals.threads_changed`; the home and topic pages list questions). Old entries
are never read again and expire. Only unrestricted pages are stored, and making a page
private moves the generation on, so a cached page is never handed to someone the page
would refuse."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "cms:generation"
PAGE_SECONDS = 60 * 60
# Only addresses whose query string uses these (the library's filters and page numbers)
# are stored, so made-up parameters cannot fill the cache with copies of a page.
CACHEABLE_PARAMETERS = frozenset({"topic", "kind", "state", "page"})


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def content_changed(**kwargs) -> None:
    """Every visitor's page cached so far is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted: any new number will do
        cache.set(GENERATION_KEY, generation() + 1, None)


def _key(request) -> str:
    path = hashlib.sha256((request.get_host() + request.get_full_path()).encode()).hexdigest()
    return f"cms:page:{generation()}:{path}"


def _for_visitor(request) -> bool:
    """A visitor's plain GET with no messages waiting to be shown."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


class VisitorPageCacheMiddleware:
    """Serves a visitor the stored page before URL routing, so a cached page costs no
    queries. Only pages stored by `VisitorCacheMixin` are found: unrestricted pages of the
    current generation, which moves on when a page is unpublished, moved, deleted or
    restricted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _for_visitor(request) and (content := cache.get(_key(request))) is not None:
            return HttpResponse(content)
        return self.get_response(request)


class VisitorCacheMixin:
    """For Wagtail page classes whose output depends only on the page tree, the forum's
    public threads and the query string, never on who asks: a visitor's page is stored
    (HTML only) for `VisitorPageCacheMiddleware` to serve."""

    def serve(self, request, *args, **kwargs):
        if not _for_visitor(request):
            return super().serve(request, *args, **kwargs)
        key = _key(request)
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if (
            response.status_code == 200
            and CACHEABLE_PARAMETERS.issuperset(request.GET)
            and response["Content-Type"].startswith("text/html")
            and not self.get_view_restrictions().exists()
        ):
            cache.set(key, response.content, PAGE_SECONDS)
        return response
