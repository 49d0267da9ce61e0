"""Cache generations and the visitors' page cache: the one implementation, which cms uses
for its pages and forum for the question page.

A generation is a number kept in the cache under a name. Keys built with it are never read
again once it moves on (`bump`), and their entries expire, so one write makes many entries
stale at once without finding them.

Visitors (not signed in) get whole pages from the cache, stored under the generations the
page depends on, their host and full address, and, for a page that belongs to one object,
that object's version. `VisitorPageCacheMiddleware` serves pages stored without a version
(under every generation) before URL routing, so they cost no query; a view serves its
versioned pages itself after reading the version. Who stores a page decides that a visitor
may see it; whatever could make it unreadable must move a generation or the version on."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse

# The page tree: navigation, library lists, the pages' own text. cms moves it on when a page
# is published, unpublished, moved, deleted or restricted.
PAGES = "pages"
# Threads shown on pages other than their own (lists of questions, Q&A excerpts). The forum
# moves it on when who may read a thread changes, cms when a thread a page quotes changes;
# pages that list the latest threads are kept a minute at most instead of following every
# other change.
CONTENT = "content"
EVERYTHING = (PAGES, CONTENT)


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> int:
    return cache.get_or_set(_generation_key(name), 1, None)


def _generations(names: tuple[str, ...]) -> list[int]:
    """Several generations with one cache read (two for one not set yet)."""
    found = cache.get_many([_generation_key(name) for name in names])
    return [found.get(_generation_key(name)) or generation(name) for name in names]


def bump(name: str) -> None:
    """Every key built with generation ``name`` so far is stale."""
    try:
        cache.incr(_generation_key(name))
    except ValueError:  # not set yet, or evicted: any new number will do
        cache.set(_generation_key(name), generation(name) + 1, None)


def for_visitor(request) -> bool:
    """A visitor's GET with no messages waiting to be shown (a stored page would not show
    them). Whoever stores a page also limits its query string to parameters it knows, so
    made-up parameters cannot fill the cache with copies of a page."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def page_key(request, depends_on: tuple[str, ...] = EVERYTHING, version: int | None = None) -> str:
    """Where a visitor's copy of this address is stored: under the generations it
    ``depends_on`` (a page stored without a version depends on every one, as the middleware
    cannot tell pages apart) and the object's version. Take it before building the page: a
    change while the page is built then leaves the copy under a key already stale."""
    address = hashlib.sha256((request.get_host() + request.get_full_path()).encode()).hexdigest()
    generations = "+".join(depends_on) + ":" + ".".join(map(str, _generations(depends_on)))
    return f"visitor-page:{generations}:{'' if version is None else version}:{address}"


def cached_page(key: str) -> HttpResponse | None:
    content = cache.get(key)
    return None if content is None else HttpResponse(content)


def store_page(key: str, response, seconds: int) -> None:
    """Keep a visitor's page (HTML only) for ``seconds``. The caller has decided that every
    visitor may see it."""
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        cache.set(key, response.content, seconds)


class VisitorPageCacheMiddleware:
    """Serves a visitor a page stored without a version before URL routing, so it costs no
    queries (`cms.caching.VisitorCacheMixin` stores them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if for_visitor(request) and (page := cached_page(page_key(request))) is not None:
            return page
        return self.get_response(request)
