"""Who may read and do what in the forum. Every door (views, templates through the
`forum_tags` library, services, search, feeds) asks these predicates; `can_*` return a
bool, `check_*` raise. Something a person may not read answers 404, like something that
does not exist; something they may read but not do answers 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_expert, is_moderator, is_verified_member, is_verified_official

from . import audience
from .models import Answer, AuthorRole, Comment, Question, Status


def author_role(user) -> str:
    """The role a new post's byline carries."""
    if is_moderator(user):
        return AuthorRole.MODERATOR
    if is_expert(user):
        return AuthorRole.EXPERT
    if is_verified_official(user):
        return AuthorRole.OFFICIAL
    return AuthorRole.MEMBER


def can_participate(user) -> bool:
    """Answer, comment and vote: verified officials, experts and moderators."""
    return is_verified_member(user)


def is_posting_suspended(user) -> bool:
    """A moderator suspended the person's posting (`accounts.services.suspend_posting`): they
    may read, but not ask, answer, comment or vote. It lifts by itself when the time passes."""
    until = getattr(user, "posting_suspended_until", None)  # visitors have none
    return until is not None and until > timezone.now()


def can_read_question(user, question: Question) -> bool:
    return audience.may_read(user, question)


def can_read_post(user, post) -> bool:
    """A question, answer or comment is readable when its thread is and it is shown to this
    person (a hidden one only to moderators, a held one to moderators and its author); a
    comment on an answer, when that answer is too."""
    on_answer = post.answer if isinstance(post, Comment) and post.answer_id else None
    return (
        can_read_question(user, post.thread)
        and audience.shows(user, post)
        and (on_answer is None or audience.shows(user, on_answer))
    )


def can_ask(user) -> bool:
    return (is_verified_official(user) or is_moderator(user)) and not is_posting_suspended(user)


def _thread_is_writable(user, question: Question) -> bool:
    if is_moderator(user):
        return True
    return question.status == Status.OPEN


def can_answer(user, question: Question) -> bool:
    return (
        can_read_question(user, question)
        and can_participate(user)
        and not is_posting_suspended(user)
        and _thread_is_writable(user, question)
    )


def can_comment(user, question: Question) -> bool:
    return (
        can_read_question(user, question)
        and can_participate(user)
        and not is_posting_suspended(user)
        and (question.status != Status.LOCKED or is_moderator(user))
    )


def can_vote(user, post: Question | Answer) -> bool:
    question = post.thread
    return (
        can_read_question(user, question)
        and can_participate(user)
        and not is_posting_suspended(user)
        and post.author_id != user.pk
        and (question.status != Status.LOCKED or is_moderator(user))
        and not post.is_hidden
        and not post.held_for_review
    )


def can_accept(user, question: Question) -> bool:
    if question.status == Status.LOCKED and not is_moderator(user):
        return False
    if is_moderator(user):
        return can_read_question(user, question)
    return (
        user.is_authenticated
        and question.author_id == user.pk
        and is_verified_official(user)
        and can_read_question(user, question)
    )


def can_edit(user, post: Question | Answer) -> bool:
    question = post.thread
    if is_moderator(user):
        return True
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and can_participate(user)
        and can_read_question(user, question)
        and question.status != Status.LOCKED
        and not post.is_hidden
    )


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_flag(user, post) -> bool:
    """Verified officials, experts and moderators report what they may read, not their own
    posts (a comment's author is checked by the service: comments share cached controls)."""
    return can_participate(user) and can_read_post(user, post) and post.author_id != user.pk


def check_flag(user, post) -> None:
    check_read_post(user, post)
    _check(can_flag(user, post), "You cannot report this post.")


# Bylines ------------------------------------------------------------------------------------
# "Ask without my name" hides the asker at every door but the moderators' and the asker's
# own: the question, and whatever the asker writes in its thread (answers, comments, edits
# in the revision history), is signed "A verified official in <state>". The byline tag
# (`forum_tags.byline`, `signed_name`), the revision history, lists and the person page all
# decide by these functions, and so do notifications (`notifications.inbox.describe`, for the
# inbox and email). A door still to come (a public-records export of someone else's posts)
# must ask them too.


def can_see_anonymous_questions_of(user, asker_id: int | None) -> bool:
    """Who asked without their name: moderators see it, and so does the asker."""
    return is_moderator(user) or (user.is_authenticated and asker_id == user.pk)


def can_see_anonymous_author(user, question: Question) -> bool:
    return can_see_anonymous_questions_of(user, question.author_id)


def is_signed_anonymously(question: Question, writer_id: int | None) -> bool:
    """Whether what ``writer_id`` wrote in ``question``'s thread is signed without their
    name: they asked it without their name. (A deleted account's posts are "A former member"
    and detached, so they are signed so, anonymous or not.)"""
    return question.is_anonymous and writer_id is not None and writer_id == question.author_id


def byline_controls(user, question: Question) -> dict:
    """What this reader may see of the bylines in ``question``'s thread, as the byline tags
    take it. The cached parts of the question page carry the same keys in `controls`."""
    return {
        "signed_in": user.is_authenticated,
        "see_asker": can_see_anonymous_author(user, question),
    }


def can_see_office(signed_in: bool) -> bool:
    """A byline shows the author's office (copied into a post only when they chose to show
    it) to signed-in readers: visitors see a name and a role, never where someone works."""
    return signed_in


def can_see_profile(signed_in: bool, author_id: int | None) -> bool:
    """A byline's name links to the author's page for signed-in readers (there is no
    public profile), unless the account is deleted."""
    return signed_in and author_id is not None


def check_read_question(user, question: Question) -> None:
    if not can_read_question(user, question):
        raise Http404


def check_read_post(user, post: Question | Answer) -> None:
    if not can_read_post(user, post):
        raise Http404


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_not_suspended(user) -> None:
    if is_posting_suspended(user):
        until = formats.date_format(
            timezone.localtime(user.posting_suspended_until), "DATETIME_FORMAT"
        )
        raise PermissionDenied(
            _(
                "A moderator suspended your posting until %(until)s. Until then you can read, "
                "but not ask, answer, comment or vote."
            )
            % {"until": until}
        )


def check_ask(user) -> None:
    _check_not_suspended(user)
    _check(can_ask(user), "Only verified election officials can ask questions.")


def check_answer(user, question: Question) -> None:
    check_read_question(user, question)
    _check_not_suspended(user)
    _check(can_answer(user, question), "You cannot answer this question.")


def check_comment(user, question: Question) -> None:
    check_read_question(user, question)
    _check_not_suspended(user)
    _check(can_comment(user, question), "You cannot comment on this thread.")


def check_vote(user, post: Question | Answer) -> None:
    check_read_post(user, post)
    _check_not_suspended(user)
    _check(can_vote(user, post), "You cannot vote on this post.")


def check_accept(user, question: Question) -> None:
    check_read_question(user, question)
    _check(can_accept(user, question), "Only the asker or a moderator can accept an answer.")


def check_edit(user, post: Question | Answer) -> None:
    check_read_post(user, post)
    _check(can_edit(user, post), "You cannot edit this post.")


def check_moderate(user) -> None:
    _check(can_moderate(user), "Only moderators can do that.")
