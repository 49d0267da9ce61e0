"""What every searchable document holds, whichever model it comes from, and how a hit is
read back: the kinds of document search finds are the search indexes registered in
``search/search_indexes.py``, so a new kind is one index class there.

Each index subclasses ``CanvassIndex`` and fills the same fields, so questions, guides,
toolkits, events and topic pages rank in one list and filter by the same facets. Nothing
the index holds is shown as is: each hit is read back from the database with the reader's
permissions (``readable``), so the index never decides what a reader sees. ``index_queryset``
is the rule for what may be found at all: no hidden thread, and no draft, unpublished or
private page, ever reaches the index.
"""

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from haystack import connections, indexes
from wagtail.models import PageViewRestriction

from forum import audience

# Pages that apply in every state carry this instead of a state.
NATIONWIDE = "US"


class CanvassIndex(indexes.SearchIndex):
    KIND = ""  # the kind facet's value and the type filter's choice: "question", "guide" …
    KIND_LABEL = ""  # what the search page calls a document of this kind
    POSITION = 0  # where the kind is listed among the others

    text = indexes.CharField(document=True)
    title = indexes.CharField()
    # The words a "did you mean" may suggest: titles and summaries, unstemmed.
    spelling = indexes.CharField()
    kind = indexes.MultiValueField(faceted=True)
    topics = indexes.MultiValueField(faceted=True)
    states = indexes.MultiValueField(faceted=True)
    solved = indexes.MultiValueField(faceted=True)
    audience = indexes.MultiValueField(faceted=True)
    # The size band of the asker's office, for threads whose asker showed it and did not
    # ask without their name; searched and counted only for signed-in readers.
    band = indexes.MultiValueField(faceted=True)
    date = indexes.DateTimeField()

    # Indexing ---------------------------------------------------------------------------

    def prepare_kind(self, obj) -> list[str]:
        return [self.KIND]

    def prepare_title(self, obj) -> str:
        return obj.title

    def prepare_topics(self, obj) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    def prepare_solved(self, obj) -> list[str]:
        solved = self.is_solved(obj)
        return [] if solved is None else ["solved" if solved else "unsolved"]

    def prepare_audience(self, obj) -> list[str]:
        return [audience.PUBLIC]

    def prepare_band(self, obj) -> list[str]:
        return []

    def prepare_spelling(self, obj) -> str:
        return f"{obj.title}\n{getattr(obj, 'summary', '')}"

    def prepare_text(self, obj) -> str:
        return "\n".join(part for part in self.text_parts(obj) if part)

    def text_parts(self, obj) -> list[str]:
        raise NotImplementedError

    # Reading back -----------------------------------------------------------------------

    def readable(self, user, pks):
        """The objects among ``pks`` that ``user`` may read now, whatever the index says,
        with what ``snippet_text`` and ``prepare_spelling`` need loaded: one query or two
        for a page of hits."""
        raise NotImplementedError

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def snippet_text(self, obj) -> str:
        """The text a hit's snippet is drawn from: only what its reader may read."""
        return obj.summary

    def is_solved(self, obj) -> bool | None:
        """None for a kind of document that is never solved."""
        return None


def kinds() -> dict[str, CanvassIndex]:
    """Every kind of document search finds, in the order they are listed: the search
    indexes haystack has registered."""
    registered = connections["default"].get_unified_index().get_indexes().values()
    return {index.KIND: index for index in sorted(registered, key=lambda index: index.POSITION)}


class PageIndex(CanvassIndex):
    """Live pages no view restriction hides: a draft, an unpublished page or a private
    one is never found, nor shown."""

    prefetch = ("topics",)

    def published(self):
        """Live pages under no view restriction (on the page or any page above it)."""
        restriction = PageViewRestriction.objects.filter(
            StartsWith(OuterRef("path"), F("page__path"))
        )
        return self.get_model().objects.live().exclude(Exists(restriction))

    def index_queryset(self, using=None):
        return self.published().prefetch_related(*self.prefetch)

    def readable(self, user, pks):
        return self.published().filter(pk__in=pks)

    def url(self, obj) -> str:
        return obj.url

    def prepare_states(self, obj) -> list[str]:
        return [NATIONWIDE]

    def prepare_date(self, obj):
        return obj.last_published_at or obj.first_published_at
