"""Who may read a thread: the one rule, which every door calls.

A thread has one audience (`Question.visibility`). A person belongs to some audiences
(`audiences_of`); they may read a thread when they belong to its audience and the thread
is not hidden (hidden threads only for moderators). A thread merged into another
(`Question.merged_into`) is read by no one as a thread of its own: its answers, comments
and votes are the other thread's now, and its address redirects there (`forum.views`).
Everything else derives from these few functions, so nothing else in the code names an
audience:

- permissions (`forum.permissions.can_read_question`) and QuerySets
  (`Question.objects.visible_to`) use `may_read` and `readable`;
- the search index stores `of_thread(question)` on each thread's document and narrows a
  search to `audiences_of(user)`;
- caches shared between readers are keyed on `cache_key(user)`, and a whole page is
  stored for visitors only when `is_public(question)`;
- the export, the Q&A excerpt in guides and (later) feeds and email ask `may_read`.

A fixed audience is one entry in `_MEMBERS` (and a choice on the field). Cohorts (issue
16) are the audiences without an entry: a thread whose visibility is `Visibility.COHORT`
belongs to the audience named `cohort_audience(question.cohort_id)`, and a person belongs
to the audiences of the cohorts `cohorts.membership.cohort_ids` gives them (moderators:
every cohort). The access matrix test walks every audience in `AUDIENCES`.
"""

from collections.abc import Callable

from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from accounts.permissions import is_moderator, is_verified_member
from cohorts.membership import cohort_ids

from .models import Visibility


def _everyone(user) -> bool:
    return True


# Each audience, and whether a person belongs to it.
_MEMBERS: dict[str, Callable] = {
    Visibility.PUBLIC: _everyone,
    Visibility.MEMBERS: is_verified_member,
}
FIXED: tuple[str, ...] = tuple(_MEMBERS)  # the audiences that are not one cohort's
AUDIENCES: tuple[str, ...] = (*FIXED, Visibility.COHORT)
PUBLIC = Visibility.PUBLIC
_COHORT_PREFIX = "cohort:"


def cohort_audience(cohort_id: int) -> str:
    """The name of one cohort's audience, as index documents and cache keys carry it."""
    return f"{_COHORT_PREFIX}{cohort_id}"


def audiences_of(user) -> frozenset[str]:
    """The audiences whose threads this person may read (hidden ones aside)."""
    fixed = (audience for audience, belongs in _MEMBERS.items() if belongs(user))
    return frozenset((*fixed, *map(cohort_audience, sorted(cohort_ids(user)))))


def _of_audiences(audiences) -> Q:
    """The threads of these audiences, as a filter on `Question`."""
    cohorts = [
        int(name.removeprefix(_COHORT_PREFIX))
        for name in audiences
        if name.startswith(_COHORT_PREFIX)
    ]
    condition = Q(visibility__in=[name for name in audiences if name in _MEMBERS])
    if cohorts:
        condition |= Q(visibility=Visibility.COHORT, cohort_id__in=cohorts)
    return condition


def sees_hidden(user) -> bool:
    """Hidden threads, answers and comments stay readable by moderators alone (and posts
    held for review by moderators and their authors: `shows`)."""
    return is_moderator(user)


def of_thread(question) -> str:
    """The audience a thread's derived copies carry: index documents, cache entries, email."""
    if question.visibility == Visibility.COHORT:
        return cohort_audience(question.cohort_id)
    return question.visibility


def is_public(question) -> bool:
    """Anyone may read it, visitors included: it may be cached for and sent to anyone."""
    return of_thread(question) == PUBLIC and not question.is_hidden and not question.held_for_review


# Shown to everyone who may read the thread: neither hidden nor held for review. Copies made
# for many readers at once (the search index) hold only these.
PUBLISHED = Q(is_hidden=False, held_for_review=False)


def shows(user, post) -> bool:
    """Whether a question, answer or comment is shown to this person, its thread's audience
    aside: a hidden one to moderators alone; one held for review (flagged, issue 15) to
    moderators and its author. (Asks for the person's roles only about such posts.)"""
    if not post.is_hidden and not post.held_for_review:
        return True
    if sees_hidden(user):
        return True
    return not post.is_hidden and user.is_authenticated and post.author_id == user.pk


def shown(user) -> Q:
    """`shows` as a filter on `Question`, `Answer` or `Comment`."""
    if sees_hidden(user):
        return Q()
    condition = PUBLISHED
    if user.is_authenticated:
        condition |= Q(is_hidden=False, held_for_review=True, author_id=user.pk)
    return condition


def may_read(user, question) -> bool:
    return (
        question.merged_into_id is None
        and shows(user, question)
        and of_thread(question) in audiences_of(user)
    )


# "Not merged", spelled so that no database answers it through the index on `merged_into`:
# SQLite without statistics would read every unmerged thread (nearly all) through it and
# sort them, instead of paging a list along its order's index (`forum.listing`).
NOT_MERGED = Q(Exact(Coalesce("merged_into", Value(0)), Value(0)))


def readable(user) -> Q:
    """The threads this person may read, as a filter on `Question`."""
    return _of_audiences(audiences_of(user)) & NOT_MERGED & shown(user)


def may_merge_into(question, into) -> bool:
    """Whether merging ``question`` into ``into`` shows what was written in it to no one who
    could not read it before: a thread hidden or held for review is not merged at all, and
    one that is not public only into a thread of its own audience."""
    if question.is_hidden or question.held_for_review:
        return False
    return is_public(question) or of_thread(question) == of_thread(into)


def cache_key(user) -> str:
    """A stable name for what this person may read, for caches shared by readers alike.
    Posts held for review that the person wrote are not in it: shared caches must read
    their threads back through `readable` (as search and similar questions do)."""
    return "+".join(sorted(audiences_of(user))) + (":hidden" if sees_hidden(user) else "")


# How much of a thread an email may carry (`email_detail`): nothing but a link for a thread
# reported as holding a security-sensitive detail (`Question.security_flagged`); everything
# for a thread anyone
# may read; for any other, its title and a link, never the body or an excerpt, because mail
# is forwarded, kept and disclosed beyond the audience it was sent to.
FULL, TITLE, LINK = "full", "title", "link"


def email_detail(question) -> str:
    if question.security_flagged:
        return LINK
    return FULL if is_public(question) else TITLE
