"""Visitors get CMS pages whole from the cache (`core.caching`), before URL routing.

A page is stored under the content generation, its host and its full address (filters and
page numbers included). The generation moves on whenever anything a page might show
changes: a page is published, unpublished, moved, deleted or restricted (`cms.signals`), or
a thread changes (`forum.signals`; the home and topic pages list questions). Only
unrestricted pages are stored, and making a page private moves the generation on, so a
cached page is never handed to someone the page would refuse."""

from core import caching

PAGE_SECONDS = 60 * 60
# Only addresses whose query string uses these (the library's filters and page numbers)
# are stored, so made-up parameters cannot fill the cache with copies of a page.
CACHEABLE_PARAMETERS = frozenset({"topic", "kind", "state", "page"})


class VisitorCacheMixin:
    """For Wagtail page classes whose output depends only on the page tree, the forum's
    public threads and the query string, never on who asks: a visitor's page is stored
    (HTML only) for `core.caching.VisitorPageCacheMiddleware` to serve."""

    def serve(self, request, *args, **kwargs):
        if not (caching.for_visitor(request) and CACHEABLE_PARAMETERS.issuperset(request.GET)):
            return super().serve(request, *args, **kwargs)
        key = caching.page_key(request)
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            caching.store_page(key, response, PAGE_SECONDS)
        return response
