from haystack import indexes

from forum.rendering import plain_text
from search.indexes import NATIONWIDE, PageIndex

from .models import EventPage, GuidePage, ToolkitPage, TopicPage


class LibraryItemIndex(PageIndex):
    prefetch = ("topics", "applies_to")

    def prepare_states(self, obj) -> list[str]:
        return obj.state_codes or [NATIONWIDE]


class GuidePageIndex(LibraryItemIndex, indexes.Indexable):
    KIND = GuidePage.LIBRARY_KIND

    def get_model(self):
        return GuidePage

    def text_parts(self, obj: GuidePage) -> list[str]:
        body = obj.body.stream_block.get_searchable_content(obj.body)
        return [obj.title, obj.summary, *map(plain_text, body), obj.authors, obj.publisher]


class ToolkitPageIndex(LibraryItemIndex, indexes.Indexable):
    KIND = ToolkitPage.LIBRARY_KIND
    prefetch = (*LibraryItemIndex.prefetch, "templates__document")

    def get_model(self):
        return ToolkitPage

    def text_parts(self, obj: ToolkitPage) -> list[str]:
        templates = [f"{row.document.title}\n{row.note}" for row in obj.templates.all()]
        return [obj.title, obj.summary, plain_text(obj.intro), *templates]


class EventPageIndex(PageIndex, indexes.Indexable):
    KIND = "event"

    def get_model(self):
        return EventPage

    def text_parts(self, obj: EventPage) -> list[str]:
        return [obj.title, obj.summary, plain_text(obj.description), obj.place]

    def prepare_date(self, obj: EventPage):
        return obj.start


class TopicPageIndex(PageIndex, indexes.Indexable):
    KIND = "topic"
    prefetch = ("topic",)

    def get_model(self):
        return TopicPage

    def text_parts(self, obj: TopicPage) -> list[str]:
        return [obj.title, obj.topic.name, obj.topic.description, plain_text(obj.intro)]

    def prepare_topics(self, obj: TopicPage) -> list[str]:
        return [obj.topic.slug]

    def prepare_spelling(self, obj: TopicPage) -> str:
        return f"{obj.title}\n{obj.topic.description}"
