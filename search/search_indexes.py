"""The kinds of document search finds, one search index each (haystack finds them here).
A new kind is a new index class: the type filter, its facet, the labels and the reading
back of hits all come from these (``search.indexes.kinds``)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from haystack import indexes

from cms.models import EventPage, GuidePage, ToolkitPage, TopicPage
from forum import audience
from forum.models import Answer, Question, QuestionState, TaggedQuestion
from forum.rendering import plain_text

from .indexes import NATIONWIDE, CanvassIndex, PageIndex


class QuestionIndex(CanvassIndex, indexes.Indexable):
    """A thread: its question and the text of its visible answers. Hidden threads, and
    threads merged into another, are not indexed; members-only ones are, marked with their
    audience so that only those who may read them find them."""

    KIND = "question"
    KIND_LABEL = _("Question")
    POSITION = 1
    # What a thread's document is made of (the audience rule reads the visibility and the
    # cohort).
    FIELDS = (
        "title",
        "body",
        "visibility",
        "cohort_id",
        "is_hidden",
        "is_anonymous",
        "author_size_band",
        "accepted_answer_id",
        "created_at",
    )

    def get_model(self):
        return Question

    def index_queryset(self, using=None):
        answers = Answer.objects.filter(audience.PUBLISHED).only("question_id", "body")
        # The topics through their rows: taggit's manager builds a queryset per thread when
        # prefetched, which cost more than the rest of a rebuild.
        # Related rows into lists (``to_attr``), and only the columns the document holds:
        # a manager per thread, or every column, cost more than the rest of a rebuild.
        topics = TaggedQuestion.objects.select_related("tag").only("content_object_id", "tag__slug")
        states = QuestionState.objects.only("question_id", "state")
        return (
            Question.objects.filter(audience.PUBLISHED, audience.NOT_MERGED)
            .only(*self.FIELDS)
            .prefetch_related(
                Prefetch("states", queryset=states, to_attr="state_rows"),
                Prefetch("tagged_topics", queryset=topics, to_attr="topic_rows"),
                Prefetch("answers", queryset=answers, to_attr="visible_answers"),
            )
        )

    def prepare_topics(self, obj: Question) -> list[str]:
        return [row.tag.slug for row in obj.topic_rows]

    def text_parts(self, obj: Question) -> list[str]:
        return [obj.title, obj.body, *(answer.body for answer in obj.visible_answers)]

    def prepare_spelling(self, obj: Question) -> str:
        return f"{obj.title}\n{obj.body}"

    def prepare_states(self, obj: Question) -> list[str]:
        return [row.state for row in obj.state_rows]

    def prepare_audience(self, obj: Question) -> list[str]:
        return [audience.of_thread(obj)]

    def prepare_band(self, obj: Question) -> list[str]:
        """None for a question asked without a name: its asker's office size would narrow
        down who asked (as the question list's size filter, `asked_from_offices_of_size`)."""
        return [obj.author_size_band] if obj.author_size_band and not obj.is_anonymous else []

    def prepare_date(self, obj: Question):
        return obj.created_at

    def readable(self, user, pks):
        answers = Answer.objects.filter(audience.PUBLISHED).only("question_id", "body_html")
        return (
            Question.objects.visible_to(user)
            .filter(audience.PUBLISHED, pk__in=pks)
            .prefetch_related(Prefetch("answers", queryset=answers, to_attr="visible_answers"))
        )

    def snippet_text(self, obj: Question) -> str:
        answers = (plain_text(answer.body_html) for answer in obj.visible_answers)
        return " ".join([plain_text(obj.body_html), *answers])

    def is_solved(self, obj: Question) -> bool:
        return obj.accepted_answer_id is not None


class LibraryItemIndex(PageIndex):
    prefetch = ("topics", "applies_to")

    def prepare_states(self, obj) -> list[str]:
        return obj.state_codes or [NATIONWIDE]


class GuidePageIndex(LibraryItemIndex, indexes.Indexable):
    KIND = GuidePage.LIBRARY_KIND
    KIND_LABEL = _("Guide")
    POSITION = 2

    def get_model(self):
        return GuidePage

    def text_parts(self, obj: GuidePage) -> list[str]:
        body = obj.body.stream_block.get_searchable_content(obj.body)
        return [obj.title, obj.summary, *map(plain_text, body), obj.authors, obj.publisher]


class ToolkitPageIndex(LibraryItemIndex, indexes.Indexable):
    KIND = ToolkitPage.LIBRARY_KIND
    KIND_LABEL = _("Toolkit")
    POSITION = 3
    prefetch = (*LibraryItemIndex.prefetch, "templates__document")

    def get_model(self):
        return ToolkitPage

    def text_parts(self, obj: ToolkitPage) -> list[str]:
        templates = [f"{row.document.title}\n{row.note}" for row in obj.templates.all()]
        return [obj.title, obj.summary, plain_text(obj.intro), *templates]


class EventPageIndex(PageIndex, indexes.Indexable):
    KIND = "event"
    KIND_LABEL = _("Event")
    POSITION = 4

    def get_model(self):
        return EventPage

    def text_parts(self, obj: EventPage) -> list[str]:
        # What kind of event it is ("Webinar") is a word people search for.
        kind = obj.get_kind_display()
        return [obj.title, kind, obj.summary, plain_text(obj.description), obj.place]

    def prepare_date(self, obj: EventPage):
        return obj.start


class TopicPageIndex(PageIndex, indexes.Indexable):
    KIND = "topic"
    KIND_LABEL = _("Topic")
    POSITION = 5
    prefetch = ("topic",)

    def get_model(self):
        return TopicPage

    def text_parts(self, obj: TopicPage) -> list[str]:
        return [obj.title, obj.topic.name, obj.topic.description, plain_text(obj.intro)]

    def prepare_topics(self, obj: TopicPage) -> list[str]:
        return [obj.topic.slug]

    def prepare_spelling(self, obj: TopicPage) -> str:
        return f"{obj.title}\n{obj.topic.description}"

    def readable(self, user, pks):
        return super().readable(user, pks).select_related("topic")

    def snippet_text(self, obj: TopicPage) -> str:
        return obj.topic.description
