"""forum.permissions, as a policy table: who may do what on a public and on a members-only
thread, then on closed, locked and hidden ones.

In short: verified officials ask, answer, comment, vote and accept answers to their own
questions; experts answer, comment and vote but neither ask nor accept; members and
visitors read public threads and do nothing else; an official whose verification lapsed is
a member again; moderators (and administrators) may do everything; hidden posts are for
moderators only. Nobody votes on their own post.

A member or a lapsed official can only own a post written while they were verified (or
while the thread was open); `Thread` writes such posts that way."""

import contextlib
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.services import set_verified_until
from forum import permissions, services
from forum.models import AuthorRole, CloseReason, Question, Status, Visibility
from forum.permissions import (
    can_accept,
    can_answer,
    can_ask,
    can_comment,
    can_edit,
    can_moderate,
    can_read_question,
    can_vote,
)
from tests.factories import (
    answer,
    ask,
    make_admin,
    make_editor,
    make_expert,
    make_expired_official,
    make_member,
    make_moderator,
    make_official,
)

pytestmark = pytest.mark.django_db

ROLES = {
    "visitor": AnonymousUser,
    "member": make_member,
    "expired official": make_expired_official,
    "official": make_official,
    "expert": make_expert,
    "moderator": make_moderator,
    "editor": make_editor,  # a CMS role: no forum rights beyond a member's
    "admin": make_admin,  # a superuser: a moderator's rights
}

# (on a public thread, on a members-only thread); None: the role cannot have such a post.
BOTH, PUBLIC_ONLY, NEITHER, NA = (True, True), (True, False), (False, False), None

MEMBER_RIGHTS = {
    "read": PUBLIC_ONLY,
    "ask": NEITHER,
    "answer": NEITHER,
    "comment": NEITHER,
    "vote_other": NEITHER,  # on a question someone else asked
    "vote_own": NEITHER,  # on their own answer
    "accept_own": NEITHER,  # an answer to a question they asked
    "accept_other": NEITHER,  # an answer to someone else's question
    "edit_own": NEITHER,  # their own answer
    "edit_other": NEITHER,  # someone else's question
    "moderate": NEITHER,
}
MODERATOR_RIGHTS = {
    "read": BOTH,
    "ask": BOTH,
    "answer": BOTH,
    "comment": BOTH,
    "vote_other": BOTH,
    "vote_own": NEITHER,
    "accept_own": BOTH,
    "accept_other": BOTH,
    "edit_own": BOTH,
    "edit_other": BOTH,
    "moderate": BOTH,
}
EXPECTED = {
    "visitor": MEMBER_RIGHTS | {"vote_own": NA, "accept_own": NA, "edit_own": NA},
    "member": MEMBER_RIGHTS,
    "expired official": MEMBER_RIGHTS,
    "official": {
        "read": BOTH,
        "ask": BOTH,
        "answer": BOTH,
        "comment": BOTH,
        "vote_other": BOTH,
        "vote_own": NEITHER,
        "accept_own": BOTH,
        "accept_other": NEITHER,
        "edit_own": BOTH,
        "edit_other": NEITHER,
        "moderate": NEITHER,
    },
    "expert": {
        "read": BOTH,
        "ask": NEITHER,
        "answer": BOTH,
        "comment": BOTH,
        "vote_other": BOTH,
        "vote_own": NEITHER,
        "accept_own": NEITHER,  # asked while also verified; an expert alone may not accept
        "accept_other": NEITHER,
        "edit_own": BOTH,
        "edit_other": NEITHER,
        "moderate": NEITHER,
    },
    "moderator": MODERATOR_RIGHTS,
    "editor": MEMBER_RIGHTS,
    "admin": MODERATOR_RIGHTS,
}

# Who may still act once a public thread is closed or locked. Members, visitors and lapsed
# officials may do nothing on an open thread already.
Y, N = True, False
STATUS_COLUMNS = ("answer", "comment", "vote_other", "accept_own", "accept_other", "edit_own")
STATUS_EXPECTED = {
    Status.CLOSED: {
        "official": (N, Y, Y, Y, N, Y),
        "expert": (N, Y, Y, N, N, Y),
        "moderator": (Y, Y, Y, Y, Y, Y),
    },
    Status.LOCKED: {
        "official": (N, N, N, N, N, N),
        "expert": (N, N, N, N, N, N),
        "moderator": (Y, Y, Y, Y, Y, Y),
    },
}


class Thread:
    """A thread asked by a verified official, and the actor's own posts (made on demand)."""

    def __init__(self, visibility: str):
        self.visibility = visibility
        self.asker = make_official()
        self.question = ask(self.asker, visibility=visibility)
        self.own_answers: dict[int, object] = {}
        self.own_questions: dict[int, Question] = {}

    def own_answer(self, actor):
        if actor.pk not in self.own_answers:
            with _verified_if_needed(actor, needed=not can_answer(actor, self.question)):
                self.own_answers[actor.pk] = answer(self.question, actor)
        return self.own_answers[actor.pk]

    def own_question(self, actor):
        if actor.pk not in self.own_questions:
            with _verified_if_needed(actor, needed=not can_ask(actor)):
                self.own_questions[actor.pk] = ask(actor, visibility=self.visibility)
        return self.own_questions[actor.pk]

    def set_status(self, status: str) -> None:
        """Close or lock every question made so far, then reload all posts."""
        moderator = make_moderator()
        for question in [self.question, *self.own_questions.values()]:
            if status == Status.CLOSED:
                services.close_question(
                    question=question, by=moderator, reason=CloseReason.OUTDATED
                )
            else:
                services.lock_question(question=question, by=moderator)
        self.question = Question.objects.get(pk=self.question.pk)
        for own_question in self.own_questions.values():
            own_question.refresh_from_db()
        for own_answer in self.own_answers.values():
            own_answer.refresh_from_db()
            own_answer.question = self.question


@contextlib.contextmanager
def _verified_if_needed(actor, *, needed: bool):
    """Verify `actor` while the block runs, as for a post written before the verification
    lapsed (or, for an expert, while also verified)."""
    if not needed:
        yield
        return
    until = actor.verified_until
    set_verified_until(user=actor, until=timezone.localdate() + datetime.timedelta(days=1))
    try:
        yield
    finally:
        set_verified_until(user=actor, until=until)


PREDICATES = {
    "read": lambda actor, thread: can_read_question(actor, thread.question),
    "ask": lambda actor, thread: can_ask(actor),
    "answer": lambda actor, thread: can_answer(actor, thread.question),
    "comment": lambda actor, thread: can_comment(actor, thread.question),
    "vote_other": lambda actor, thread: can_vote(actor, thread.question),
    "vote_own": lambda actor, thread: can_vote(actor, thread.own_answer(actor)),
    "accept_own": lambda actor, thread: can_accept(actor, thread.own_question(actor)),
    "accept_other": lambda actor, thread: can_accept(actor, thread.question),
    "edit_own": lambda actor, thread: can_edit(actor, thread.own_answer(actor)),
    "edit_other": lambda actor, thread: can_edit(actor, thread.question),
    "moderate": lambda actor, thread: can_moderate(actor),
}
VISIBILITIES = (Visibility.PUBLIC, Visibility.MEMBERS)


def _table_cases():
    for role, rights in EXPECTED.items():
        for predicate, expected in rights.items():
            if expected is NA:
                continue
            for visibility, allowed in zip(VISIBILITIES, expected, strict=True):
                yield pytest.param(
                    role, predicate, visibility, allowed, id=f"{role}-{predicate}-{visibility}"
                )


def test_the_table_covers_every_role_and_predicate():
    assert set(EXPECTED) == set(ROLES)
    for rights in EXPECTED.values():
        assert set(rights) == set(PREDICATES)


@pytest.mark.parametrize(("role", "predicate", "visibility", "allowed"), list(_table_cases()))
def test_policy_table(role, predicate, visibility, allowed):
    actor = ROLES[role]()
    thread = Thread(visibility)
    assert PREDICATES[predicate](actor, thread) is allowed


def _status_cases():
    for status, rows in STATUS_EXPECTED.items():
        for role, rights in rows.items():
            for predicate, allowed in zip(STATUS_COLUMNS, rights, strict=True):
                yield pytest.param(
                    status, role, predicate, allowed, id=f"{status}-{role}-{predicate}"
                )


@pytest.mark.parametrize(("status", "role", "predicate", "allowed"), list(_status_cases()))
def test_closed_and_locked_threads(status, role, predicate, allowed):
    actor = ROLES[role]()
    thread = Thread(Visibility.PUBLIC)
    if predicate.endswith("_own"):  # written while the thread was open
        PREDICATES[predicate](actor, thread)
    thread.set_status(status)
    assert thread.question.status == status
    assert PREDICATES[predicate](actor, thread) is allowed


# check_*: 404 for what one may not read, 403 for what one may read but not do -----------

CHECKS = {
    "answer": lambda actor, thread: permissions.check_answer(actor, thread.question),
    "comment": lambda actor, thread: permissions.check_comment(actor, thread.question),
    "vote_other": lambda actor, thread: permissions.check_vote(actor, thread.question),
    "accept_other": lambda actor, thread: permissions.check_accept(actor, thread.question),
    "edit_other": lambda actor, thread: permissions.check_edit(actor, thread.question),
}


def _read_cases():
    for role, rights in EXPECTED.items():
        for visibility, readable in zip(VISIBILITIES, rights["read"], strict=True):
            yield pytest.param(role, visibility, readable, id=f"{role}-{visibility}")


@pytest.mark.parametrize(("role", "visibility", "readable"), list(_read_cases()))
def test_check_read_question(role, visibility, readable):
    actor = ROLES[role]()
    thread = Thread(visibility)
    if readable:
        assert permissions.check_read_question(actor, thread.question) is None
    else:
        with pytest.raises(Http404):
            permissions.check_read_question(actor, thread.question)


def _check_cases():
    for role, rights in EXPECTED.items():
        for action in CHECKS:
            for i, visibility in enumerate(VISIBILITIES):
                if not rights["read"][i]:
                    outcome = Http404
                elif not rights[action][i]:
                    outcome = PermissionDenied
                else:
                    outcome = None
                yield pytest.param(
                    role, action, visibility, outcome, id=f"{role}-{action}-{visibility}"
                )


@pytest.mark.parametrize(("role", "action", "visibility", "outcome"), list(_check_cases()))
def test_checks_agree_with_the_table(role, action, visibility, outcome):
    actor = ROLES[role]()
    thread = Thread(visibility)
    if outcome is None:
        assert CHECKS[action](actor, thread) is None
    else:
        with pytest.raises(outcome):
            CHECKS[action](actor, thread)


@pytest.mark.parametrize(
    ("role", "may_ask", "may_moderate"),
    [
        ("visitor", N, N),
        ("member", N, N),
        ("expired official", N, N),
        ("official", Y, N),
        ("expert", N, N),
        ("moderator", Y, Y),
        ("admin", Y, Y),
    ],
)
def test_check_ask_and_check_moderate(role, may_ask, may_moderate):
    actor = ROLES[role]()
    for check, allowed in [
        (permissions.check_ask, may_ask),
        (permissions.check_moderate, may_moderate),
    ]:
        if allowed:
            assert check(actor) is None
        else:
            with pytest.raises(PermissionDenied):
                check(actor)


# Hidden posts: only moderators read them; nobody votes on them -------------------------

HIDDEN_EXPECTED = {
    # role: (read the hidden question, edit own hidden answer, vote on a hidden answer)
    "visitor": (N, NA, N),
    "member": (N, N, N),
    "expired official": (N, N, N),
    "official": (N, N, N),
    "expert": (N, N, N),
    "moderator": (Y, Y, N),
    "admin": (Y, Y, N),
}


@pytest.mark.parametrize(("role", "expected"), HIDDEN_EXPECTED.items(), ids=list(HIDDEN_EXPECTED))
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_hidden_posts(role, expected, visibility):
    read_hidden, edit_own_hidden, vote_hidden = expected
    actor = ROLES[role]()
    hider = make_moderator()

    hidden_thread = Thread(visibility)
    services.hide_post(post=hidden_thread.question, by=hider)
    hidden_thread.question.refresh_from_db()
    assert can_read_question(actor, hidden_thread.question) is read_hidden
    if read_hidden:
        assert permissions.check_read_question(actor, hidden_thread.question) is None
    else:
        with pytest.raises(Http404):
            permissions.check_read_question(actor, hidden_thread.question)

    thread = Thread(visibility)
    others_answer = answer(thread.question, make_expert())
    services.hide_post(post=others_answer, by=hider)
    others_answer.refresh_from_db()
    assert can_vote(actor, others_answer) is vote_hidden
    if edit_own_hidden is not NA:
        own = thread.own_answer(actor)
        services.hide_post(post=own, by=hider)
        own.refresh_from_db()
        assert can_edit(actor, own) is edit_own_hidden


# Bylines and anonymity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "byline"),
    [
        ("member", AuthorRole.MEMBER),
        ("expired official", AuthorRole.MEMBER),
        ("editor", AuthorRole.MEMBER),
        ("official", AuthorRole.OFFICIAL),
        ("expert", AuthorRole.EXPERT),
        ("moderator", AuthorRole.MODERATOR),
        ("admin", AuthorRole.MODERATOR),
    ],
)
def test_author_role(role, byline):
    assert permissions.author_role(ROLES[role]()) == byline


def test_an_expert_who_is_also_verified_signs_as_expert():
    assert permissions.author_role(make_expert(official=True)) == AuthorRole.EXPERT


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("visitor", N), ("member", N), ("official", N), ("expert", N), ("moderator", Y), ("admin", Y)],
)
def test_only_moderators_and_the_asker_see_who_asked_anonymously(role, allowed):
    asker = make_official()
    question = ask(asker, is_anonymous=True)
    assert permissions.can_see_anonymous_author(ROLES[role](), question) is allowed
    assert permissions.can_see_anonymous_author(asker, question)


def test_verification_counts_through_its_last_day():
    official = make_official(verified_until=timezone.localdate())
    assert permissions.is_verified_official(official)
    assert can_ask(official)
