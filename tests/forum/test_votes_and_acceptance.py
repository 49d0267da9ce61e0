"""forum.services, judging answers: cast_vote and accept_answer, every rule read back from
the database afterwards."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum import services
from forum.models import Answer, Question, Vote
from forum.services import ForumError
from tests.factories import answer, ask, make_expert, make_member, make_official
from tests.forum.stored import reload

pytestmark = pytest.mark.django_db


# cast_vote -------------------------------------------------------------------------------


def votes_on(post):
    field = "question" if isinstance(post, Question) else "answer"
    return list(Vote.objects.filter(**{field: post}).values_list("user_id", "value"))


class TestCastVote:
    def test_up_vote(self, other_official, question):
        before = reload(question)
        assert services.cast_vote(user=other_official, post=question, value=1) == 1
        assert votes_on(question) == [(other_official.pk, 1)]
        stored = reload(question)
        assert stored.score == 1
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_change_to_down_vote_keeps_one_row(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=1)
        assert services.cast_vote(user=other_official, post=question, value=-1) == -1
        assert votes_on(question) == [(other_official.pk, -1)]
        assert reload(question).score == -1

    def test_same_vote_twice_is_a_no_op(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=1)
        before = reload(question)
        assert services.cast_vote(user=other_official, post=before, value=1) == 1
        assert votes_on(question) == [(other_official.pk, 1)]
        assert reload(question).score == 1
        assert reload(question).version == before.version

    def test_zero_retracts_the_vote(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=-1)
        assert services.cast_vote(user=other_official, post=question, value=0) == 0
        assert votes_on(question) == []
        assert reload(question).score == 0

    def test_zero_without_a_vote_is_a_no_op(self, other_official, question):
        before = reload(question)
        assert services.cast_vote(user=other_official, post=question, value=0) == 0
        assert votes_on(question) == []
        assert reload(question).version == before.version

    @pytest.mark.parametrize("value", [2, -2, 10])
    def test_invalid_value_is_refused(self, other_official, question, value):
        with pytest.raises(ForumError):
            services.cast_vote(user=other_official, post=question, value=value)
        assert votes_on(question) == []
        assert reload(question).score == 0

    def test_own_question_is_refused(self, official, question):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=official, post=question, value=1)
        assert votes_on(question) == []

    def test_own_answer_is_refused(self, other_official, reply):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=other_official, post=reply, value=1)
        assert votes_on(reply) == []

    def test_member_is_refused(self, member, question):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=member, post=question, value=1)
        assert votes_on(question) == []

    def test_score_is_recomputed_from_all_votes(self, official, question, reply):
        voters = [make_official(), make_official(), make_expert()]
        for voter, value in zip(voters, [1, 1, -1], strict=True):
            services.cast_vote(user=voter, post=reply, value=value)
        assert reload(reply).score == 1
        # A stale in-memory score is not trusted: the total is summed from the votes.
        Answer.objects.filter(pk=reply.pk).update(score=42)
        services.cast_vote(user=voters[2], post=reply, value=1)
        assert reload(reply).score == 3
        assert reload(question).score == 0

    def test_vote_on_an_answer_bumps_answer_and_thread(self, official, question, reply):
        before = reload(question)
        assert services.cast_vote(user=official, post=reply, value=1) == 1
        stored = reload(reply)
        assert stored.score == 1
        assert stored.version == 2
        thread = reload(question)
        assert thread.version == before.version + 1
        assert thread.last_activity_at == before.last_activity_at

    def test_one_vote_row_per_user_per_post(self, official, expert, question, reply):
        for value in (1, -1, 1, 1, -1):
            services.cast_vote(user=expert, post=question, value=value)
        services.cast_vote(user=expert, post=reply, value=1)
        services.cast_vote(user=official, post=reply, value=1)
        assert votes_on(question) == [(expert.pk, -1)]
        assert sorted(votes_on(reply)) == sorted([(expert.pk, 1), (official.pk, 1)])
        assert Vote.objects.filter(user=expert).count() == 2

    def test_hidden_answer_is_refused(self, official, moderator, reply):
        services.hide_post(post=reply, by=moderator)
        with pytest.raises(Http404):
            services.cast_vote(user=official, post=reload(reply), value=1)
        assert votes_on(reply) == []


# accept_answer ---------------------------------------------------------------------------


class TestAcceptAnswer:
    def test_asker_accepts(self, official, question, reply):
        before = reload(question)
        services.accept_answer(question=question, answer=reply, by=official)
        stored = reload(question)
        assert stored.accepted_answer_id == reply.pk
        assert stored.is_solved
        assert stored.version == before.version + 1
        assert reload(reply).version == 2

    def test_asker_changes_to_another_answer(self, official, question, reply, second_reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.accept_answer(question=reload(question), answer=second_reply, by=official)
        assert reload(question).accepted_answer_id == second_reply.pk
        assert reload(reply).version == 3  # accepted, then un-accepted
        assert reload(second_reply).version == 2

    def test_asker_withdraws_with_none(self, official, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.accept_answer(question=reload(question), answer=None, by=official)
        stored = reload(question)
        assert stored.accepted_answer_id is None
        assert not stored.is_solved
        assert reload(reply).version == 3

    def test_same_answer_again_is_a_no_op(self, official, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        before = reload(question)
        services.accept_answer(question=before, answer=reply, by=official)
        assert reload(question).version == before.version
        assert reload(reply).version == 2

    def test_none_when_nothing_is_accepted_is_a_no_op(self, official, question, reply):
        before = reload(question)
        services.accept_answer(question=before, answer=None, by=official)
        assert reload(question).version == before.version
        assert reload(question).accepted_answer_id is None

    @pytest.mark.parametrize(
        "make_actor",
        [make_official, make_expert, make_member],
        ids=["other official", "expert", "member"],
    )
    def test_only_the_asker_accepts(self, question, reply, make_actor):
        with pytest.raises(PermissionDenied):
            services.accept_answer(question=question, answer=reply, by=make_actor())
        assert reload(question).accepted_answer_id is None

    def test_moderator_may_accept(self, moderator, question, reply):
        services.accept_answer(question=question, answer=reply, by=moderator)
        assert reload(question).accepted_answer_id == reply.pk

    def test_answer_from_another_question_is_refused(self, official, other_official, question):
        elsewhere = answer(ask(official), other_official)
        with pytest.raises(ForumError):
            services.accept_answer(question=question, answer=elsewhere, by=official)
        assert reload(question).accepted_answer_id is None

    def test_hidden_answer_is_refused(self, official, moderator, question, reply):
        services.hide_post(post=reply, by=moderator)
        with pytest.raises(ForumError):
            services.accept_answer(question=reload(question), answer=reload(reply), by=official)
        assert reload(question).accepted_answer_id is None

    def test_locked_thread_refuses_the_asker_but_not_a_moderator(
        self, official, moderator, question, reply
    ):
        services.lock_question(question=question, by=moderator)
        with pytest.raises(PermissionDenied):
            services.accept_answer(question=reload(question), answer=reply, by=official)
        assert reload(question).accepted_answer_id is None
        services.accept_answer(question=reload(question), answer=reply, by=moderator)
        assert reload(question).accepted_answer_id == reply.pk


def test_accepting_again_from_a_stale_object_changes_nothing():
    asker = make_official()
    question = ask(asker)
    reply = answer(question, make_official(state="OH"))
    stale = Question.objects.get(pk=question.pk)
    services.accept_answer(question=question, answer=reply, by=asker)
    version = reload(question).version
    services.accept_answer(question=stale, answer=reply, by=asker)
    assert reload(question).accepted_answer_id == reply.pk
    assert reload(question).version == version


# When a thread was first answered and accepted (the staff's reports, issue 17) -----------


def test_the_first_answer_by_someone_else_is_when_the_thread_was_first_answered():
    asker = make_official()
    question = ask(asker)
    answer(question, asker)  # the asker's own answer is not a peer's help
    assert reload(question).first_answered_at is None
    first = answer(question, make_official())
    answer(question, make_expert())
    assert reload(question).first_answered_at == first.created_at


def test_accepted_at_follows_the_acceptance_and_its_withdrawal():
    asker = make_official()
    question = ask(asker)
    reply = answer(question, make_official())
    services.accept_answer(question=question, answer=reply, by=asker)
    accepted_at = reload(question).accepted_at
    assert accepted_at is not None and accepted_at >= reply.created_at
    services.accept_answer(question=reload(question), answer=None, by=asker)
    assert reload(question).accepted_at is None


def test_hiding_the_accepted_answer_clears_when_it_was_accepted():
    from tests.factories import make_moderator

    asker = make_official()
    question = ask(asker)
    reply = answer(question, make_official())
    services.accept_answer(question=question, answer=reply, by=asker)
    services.hide_post(post=reply, by=make_moderator())
    stored = reload(question)
    assert stored.accepted_answer_id is None and stored.accepted_at is None


def test_the_migration_backfills_both_times_from_existing_threads():
    """The backfill of forum 0007, run again on threads whose times were cleared."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("forum.migrations.0007_answer_and_acceptance_times").backfill
    asker = make_official()
    question = ask(asker)
    answer(question, asker)
    first = answer(question, make_official())
    services.accept_answer(question=question, answer=first, by=asker)
    unanswered = ask(asker)
    Question.objects.update(first_answered_at=None, accepted_at=None)
    backfill(apps, None)
    stored = reload(question)
    assert stored.first_answered_at == first.created_at
    assert stored.accepted_at == first.created_at  # the earliest it can have been accepted
    assert reload(unanswered).first_answered_at is None
    assert reload(unanswered).accepted_at is None
