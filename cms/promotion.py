"""Promoting a forum thread into a guide, the thread's "Featured in <guide>", and which
pages quote which threads: the one home of the links between threads and pages.

The forum knows nothing of guides. Its question page asks its hooks (`forum.hooks`), which
`cms.wagtail_hooks` fills from here, and this module tells the forum that a thread's
"Featured in" links changed through the forum's public service
`forum.services.touch_threads`; it never writes a forum column.

Copying text moves its audience: a published guide is public, and a promoted guide starts
with the thread's title and a summary of its question. So a thread that is not public is
promoted only when a moderator confirms, on record, that its text may be public
(`promote_to_guide(..., confirm_public=True)`, logged with the promotion).
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published

from accounts.permissions import is_editor, is_moderator
from core.caching import CONTENT, bump
from forum import audience
from forum.models import Question
from forum.rendering import plain_text
from forum.services import touch_threads

from .blocks import qa_question_ids
from .models import GuidePage, PageState, QuotedThread, ResourceIndexPage

SUMMARY_LENGTH = 400
PROMOTE_PAGE_SIZE = 25  # threads per page of the admin's "Promote threads"


class PromotionError(BadRequest):
    """A thread that cannot become a guide; the message is shown to the editor."""


# ---- Who may promote what ------------------------------------------------------------


def can_promote(user, question: Question) -> bool:
    """Offer "Promote to guide": an editor, on a visible thread with an accepted answer.
    No query for a non-editor whose groups are known, nor for a thread without an
    accepted answer."""
    return (
        question.accepted_answer_id is not None
        and not question.is_hidden
        and not question.held_for_review
        and is_editor(user)
    )


def needs_public_confirmation(question: Question) -> bool:
    """The thread's text is not public: promoting it would publish it."""
    return not audience.is_public(question)


def can_confirm_public(user) -> bool:
    """Moderators decide that the text of a thread that is not public (members-only or
    cohort-only) may be public."""
    return is_moderator(user)


def promotable_questions(user):
    """Threads this editor may read that could become guides: an accepted answer, not
    hidden. Members-only ones only for editors who may read them (the admin list shows
    their titles)."""
    return Question.objects.visible_to(user).filter(
        audience.PUBLISHED, accepted_answer__isnull=False
    )


@transaction.atomic
def promote_to_guide(*, question: Question, editor, confirm_public: bool = False) -> GuidePage:
    """Create a draft guide in the resource library from a thread with an accepted
    answer: its title, a summary from the question, its topics and states, and a Q&A
    excerpt block pointing at the thread. Editors only; the draft then goes through the
    editorial workflow. A thread that is not public needs ``confirm_public`` from an
    editor who is also a moderator, and the confirmation is logged."""
    if not is_editor(editor):
        raise PermissionDenied(_("Only editors promote threads to guides."))
    if not can_promote(editor, question):
        raise PromotionError(_("Only a visible thread with an accepted answer can become a guide."))
    confirmed = needs_public_confirmation(question)
    if confirmed and not (confirm_public and can_confirm_public(editor)):
        raise PromotionError(
            _(
                "This thread is not public, and a guide is: its title and question "
                "would be published. A moderator must confirm that its text may be public."
            )
        )
    library = ResourceIndexPage.objects.first()
    if library is None:
        raise PromotionError(_("There is no resource library to put the guide in."))
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
    log(
        instance=guide,
        action="canvass.guide.promote",
        user=editor,
        data={"question": question.pk, "members_only_text_confirmed_public": confirmed},
    )
    return guide


# ---- On the question page ------------------------------------------------------------


def featured_in(question: Question) -> list[dict]:
    """The live, public guides promoted from this thread, by title, as titles and
    addresses (`forum.hooks.FEATURED_IN`). One query: a guide is public when no view
    restriction sits on it or on a page above it (a restricted page's path is a prefix of
    the guide's)."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    guides = (
        GuidePage.objects.filter(source_question=question)
        .live()
        .exclude(Exists(restricted))
        .only("title", "url_path", "path", "depth")
        .order_by("title")
    )
    return [{"title": guide.title, "url": guide.get_url()} for guide in guides]


def editors_panel(request, question: Question) -> list[str]:
    """The "For editors" box beside a thread (`forum.hooks.THREAD_PANELS`): the guides
    promoted from it, drafts too, and the promote form; nothing for anyone else."""
    if not can_promote(request.user, question):
        return []
    return [
        render_to_string(
            "cms/includes/editors_panel.html",
            {
                "question": question,
                "promoted": question.guides.order_by("title").only(
                    "title", "live", "has_unpublished_changes"
                ),
                "needs_confirmation": needs_public_confirmation(question),
                "can_confirm": can_confirm_public(request.user),
            },
            request=request,
        )
    ]


# ---- Keeping "Featured in" current (receivers connected by `cms.signals`) -------------


def _promoted_from(page: Page) -> list[int]:
    """The threads of the guides at or under ``page``."""
    guides = GuidePage.objects.descendant_of(page, inclusive=True)
    return list(
        guides.filter(source_question__isnull=False).values_list("source_question", flat=True)
    )


def guide_changed(sender, instance=None, **kwargs) -> None:
    """A page was published, unpublished, moved or deleted: when it is a guide promoted
    from a thread, or holds such guides (whose addresses follow its slug and place), the
    threads' "Featured in" links may change."""
    if not isinstance(instance, Page):
        return
    if isinstance(instance, GuidePage):  # deleting a guide lands here too
        touch_threads(
            question_ids=[instance.source_question_id] if instance.source_question_id else []
        )
    elif kwargs.get("signal") is post_delete:
        return  # a deleted page's guides are deleted too, each telling
    elif not instance.is_leaf() or instance.specific_class is GuidePage:  # a move
        touch_threads(question_ids=_promoted_from(instance))


def restriction_changed(sender, instance=None, **kwargs) -> None:
    """A page became private, or public again: the threads whose guides are at or under
    it gain or lose their "Featured in" link."""
    page = Page.objects.filter(pk=instance.page_id).only("path", "depth").first()
    if page is not None:  # else the page is being deleted, and its guides' deletion tells
        touch_threads(question_ids=_promoted_from(page))


# ---- Pages that quote a thread (receivers connected by `cms.signals`) -----------------


def quotes_changed(sender, instance=None, signal=None, **kwargs) -> None:
    """A page was published or unpublished (deleting a live page unpublishes it first):
    record the threads its Q&A excerpts quote as published, none once unpublished."""
    QuotedThread.objects.filter(page=instance).delete()
    body = getattr(instance, "body", None)  # guides' and plain pages' `BodyBlock`
    if signal is page_published and body is not None:
        quoted = Question.objects.filter(pk__in=qa_question_ids(body)).values_list("pk", flat=True)
        QuotedThread.objects.bulk_create(
            QuotedThread(question_id=pk, page=instance) for pk in quoted
        )


def threads_changed(sender, *, question_ids, **kwargs) -> None:
    """Threads changed (`forum.signals.threads_changed`, after commit): when a live page
    quotes one of them, visitors' cached pages that may show it are stale. One query."""
    if QuotedThread.objects.filter(question__in=question_ids).exists():
        bump(CONTENT)
