"""Visitors get CMS pages whole from the cache (`core.caching`), before URL routing.

A page is stored under the page-tree and content generations, its host and its full address
(filters and page numbers included). The page-tree generation moves on whenever a page is
published, unpublished, moved, deleted or restricted (`cms.signals`); the content generation
when who may read a thread changes (`forum.signals`) or a thread a page quotes in a Q&A
excerpt changes (`cms.promotion.threads_changed`). Pages that list the latest threads (home,
topic pages) are kept a minute instead of following every thread's answers and votes. Only
unrestricted pages are stored, and making a page private moves the generation on, so a
cached page is never handed to someone the page would refuse."""

from core import caching

PAGE_SECONDS = 60 * 60
# Pages listing the latest threads: a new question, answer or vote shows within a minute.
LISTING_SECONDS = 60
# Only addresses whose query string uses these (the library's filters and page numbers)
# are stored, so made-up parameters cannot fill the cache with copies of a page.
CACHEABLE_PARAMETERS = frozenset({"topic", "kind", "state", "page"})


class VisitorCacheMixin:
    """For Wagtail page classes whose output depends only on the page tree, the forum's
    public threads and the query string, never on who asks: a visitor's page is stored
    (HTML only) for `core.caching.VisitorPageCacheMiddleware` to serve, for
    ``visitor_cache_seconds``."""

    visitor_cache_seconds = PAGE_SECONDS

    def serve(self, request, *args, **kwargs):
        if not (caching.for_visitor(request) and CACHEABLE_PARAMETERS.issuperset(request.GET)):
            return super().serve(request, *args, **kwargs)
        key = caching.page_key(request)
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            caching.store_page(key, response, self.visitor_cache_seconds)
        return response
