"""State changes of the editorial layer that reach beyond one page: the topic pages that
follow the taxonomy, and promoting a forum thread into a draft guide."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.permissions import is_editor
from forum.models import Question, Topic
from forum.rendering import plain_text
from forum.services import ForumError

from .editorial import can_promote
from .models import (
    GuidePage,
    HomePage,
    PageState,
    ResourceIndexPage,
    TopicIndexPage,
    TopicPage,
)

SUMMARY_LENGTH = 400


@transaction.atomic
def sync_topic_pages() -> int:
    """Make sure /topics/ exists with one published page per taxonomy topic (slug = the
    topic's slug); returns how many topic pages were created. Editors' intros are kept."""
    home = HomePage.objects.first()
    if home is None:
        return 0
    index = TopicIndexPage.objects.child_of(home).first()
    if index is None:
        index = TopicIndexPage(
            title=_("Topics"),
            slug="topics",
            intro=_("Every topic Canvass covers, with its guides, toolkits, events and questions."),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    have = set(TopicPage.objects.values_list("topic_id", flat=True))
    created = 0
    for topic in Topic.objects.exclude(pk__in=have).order_by("position", "name"):
        page = TopicPage(title=topic.name, slug=topic.slug, topic=topic)
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created


@transaction.atomic
def promote_to_guide(*, question: Question, editor) -> GuidePage:
    """Create a draft guide in the resource library from a thread with an accepted
    answer: its title, a summary from the question, its topics and states, and a Q&A
    excerpt block pointing at the thread. Editors only; the draft then goes through the
    editorial workflow. A members-only thread's excerpt stays hidden from the public until
    the thread is made public (the view warns the editor)."""
    if not is_editor(editor):
        raise PermissionDenied(_("Only editors promote threads to guides."))
    if not can_promote(editor, question):
        raise ForumError(_("Only a visible thread with an accepted answer can become a guide."))
    library = ResourceIndexPage.objects.first()
    if library is None:
        raise ForumError(_("There is no resource library to put the guide in."))
    guide = GuidePage(
        title=question.title,
        summary=Truncator(plain_text(question.body_html)).chars(SUMMARY_LENGTH),
        body=[("qa_excerpt", {"question": question.pk, "note": ""})],
        source_question=question,
        authors=_("Canvass members, from the forum thread “%(title)s”") % {"title": question.title},
        owner=editor,
        live=False,
    )
    guide.topics.set(list(question.topics.all()))
    guide.applies_to = [PageState(state=row.state) for row in question.states.all()]
    library.add_child(instance=guide)
    guide.save_revision(user=editor, log_action=True)
    log(instance=guide, action="canvass.guide.promote", user=editor, data={"question": question.pk})
    return guide
