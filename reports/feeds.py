"""RSS 2.0 and Atom feeds of the public half of Canvass (issue 17), through Django's
syndication framework: the newest public questions (all, per topic, per state), guides and
toolkits, events.

Only what a visitor may read is ever in a feed: threads through
`Question.objects.public()` (neither members-only nor cohort-only, hidden, held for review
nor merged), pages that are live and under no view restriction (`live().public()`). A
question's author is signed as a visitor sees it (`forum_tags.signed_name`: an anonymous
asker is "A verified official in <state>"), and its description is a plain-text excerpt of
its body. Every link is on the site's one public address (`core.sites.base_url`).
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.states import STATE_NAMES
from cms.models import EventIndexPage, EventPage, GuidePage, ResourceIndexPage, ToolkitPage
from core.sites import base_url
from forum import permissions
from forum.models import Question, Topic
from forum.rendering import plain_text
from forum.templatetags.forum_tags import signed_name

ITEMS = 30
EXCERPT_CHARACTERS = 300


def _excerpt(html: str) -> str:
    return Truncator(plain_text(html)).chars(EXCERPT_CHARACTERS)


class QuestionFeed(Feed):
    """The newest public questions, newest first. Subclasses narrow them to a topic or a
    state (`get_object`)."""

    description = _("The newest public questions election officials asked on Canvass.")

    def title(self, obj=None) -> str:
        return _("Questions on Canvass")

    def link(self, obj=None) -> str:
        return base_url() + reverse("forum:questions")

    def narrow(self, questions, obj):
        return questions

    def items(self, obj=None):
        questions = Question.objects.public().prefetch_related("topics")
        return self.narrow(questions, obj).order_by("-created_at", "-pk")[:ITEMS]

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return _excerpt(item.body_html)

    def item_link(self, item: Question) -> str:
        return base_url() + item.get_absolute_url()

    def item_author_name(self, item: Question) -> str:
        controls = permissions.byline_controls(AnonymousUser(), item)
        return signed_name(item, item.author_id, item.author_name, controls)

    def item_pubdate(self, item: Question):
        return item.created_at

    def item_updateddate(self, item: Question):
        return item.last_activity_at

    def item_categories(self, item: Question) -> list[str]:
        return [topic.name for topic in item.topics.all()]


class TopicQuestionFeed(QuestionFeed):
    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj=None) -> str:
        return _("Questions about %(topic)s on Canvass") % {"topic": obj.name}

    def link(self, obj=None) -> str:
        return base_url() + reverse("forum:topic", args=[obj.slug])

    def narrow(self, questions, obj):
        return questions.about_topic(obj)


class StateQuestionFeed(QuestionFeed):
    def get_object(self, request, state: str) -> str:
        code = state.upper()
        if code not in STATE_NAMES:
            raise Http404
        return code

    def title(self, obj=None) -> str:
        return _("Questions about %(state)s on Canvass") % {"state": STATE_NAMES[obj]}

    def link(self, obj=None) -> str:
        return base_url() + reverse("forum:questions") + f"?state={obj}"

    def narrow(self, questions, obj):
        return questions.in_state(obj)


class _PageFeed(Feed):
    """Live pages under no view restriction, newest first."""

    page_types: tuple = ()
    index_type: type[Page]

    def link(self) -> str:
        """The index page the feed mirrors (the library, the events)."""
        index = self.index_type.objects.live().public().first()
        return index.get_full_url() if index is not None else base_url() + "/"

    def items(self):
        pages = Page.objects.live().public().type(*self.page_types).specific()
        return pages.order_by("-first_published_at", "-pk")[:ITEMS]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.get_full_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class LibraryFeed(_PageFeed):
    title = _("Guides and toolkits on Canvass")
    description = _("New guides and toolkits for election offices.")
    page_types = (GuidePage, ToolkitPage)
    index_type = ResourceIndexPage


class EventFeed(_PageFeed):
    title = _("Events on Canvass")
    description = _("Webinars and convenings for election officials.")
    page_types = (EventPage,)
    index_type = EventIndexPage


def atom(feed: type[Feed]) -> type[Feed]:
    """The same feed as Atom 1.0 (where RSS has a description, Atom has a subtitle)."""
    return type(
        f"Atom{feed.__name__}",
        (feed,),
        {"feed_type": Atom1Feed, "subtitle": feed.description, "__doc__": feed.__doc__},
    )
