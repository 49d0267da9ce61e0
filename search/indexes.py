"""What every searchable document holds, whichever model it comes from.

Each search index (``forum/search_indexes.py``, ``cms/search_indexes.py``) subclasses
``CanvassIndex`` and fills the same fields, so questions, guides, toolkits, events and topic
pages rank in one list and filter by the same facets. Nothing the index holds is shown as
is: results are read back from the database, so the index never decides what a reader sees.
Its ``index_queryset`` is the rule for what may be found at all: no hidden thread, and no
draft, unpublished or private page, ever reaches the index.
"""

from haystack import indexes

# Pages that apply in every state carry this instead of a state.
NATIONWIDE = "US"


class CanvassIndex(indexes.SearchIndex):
    KIND = ""  # question, guide, toolkit, event or topic

    text = indexes.CharField(document=True)
    title = indexes.CharField()
    # The words a "did you mean" may suggest: titles and summaries, unstemmed.
    spelling = indexes.CharField()
    kind = indexes.MultiValueField(faceted=True)
    topics = indexes.MultiValueField(faceted=True)
    states = indexes.MultiValueField(faceted=True)
    solved = indexes.MultiValueField(faceted=True)
    audience = indexes.MultiValueField(faceted=True)
    date = indexes.DateTimeField()

    def prepare_kind(self, obj) -> list[str]:
        return [self.KIND]

    def prepare_title(self, obj) -> str:
        return obj.title

    def prepare_topics(self, obj) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    def prepare_solved(self, obj) -> list[str]:
        return []

    def prepare_audience(self, obj) -> list[str]:
        return ["public"]

    def prepare_spelling(self, obj) -> str:
        return f"{obj.title}\n{getattr(obj, 'summary', '')}"

    def prepare_text(self, obj) -> str:
        return "\n".join(part for part in self.text_parts(obj) if part)

    def text_parts(self, obj) -> list[str]:
        raise NotImplementedError


class PageIndex(CanvassIndex):
    """Live pages no view restriction hides: a draft, an unpublished page or a private
    one is never found."""

    def index_queryset(self, using=None):
        return self.get_model().objects.live().public().prefetch_related(*self.prefetch)

    prefetch = ("topics",)

    def prepare_states(self, obj) -> list[str]:
        return [NATIONWIDE]

    def prepare_date(self, obj):
        return obj.last_published_at or obj.first_published_at
