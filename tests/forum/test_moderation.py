"""forum.services, moderation: close_question, reopen_question, lock_question and
hide_post, every rule read back from the database afterwards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from forum import services
from forum.models import Answer, CloseReason, Comment, Question, Status, Vote
from forum.services import ForumError
from tests.factories import answer, ask, comment, make_expert, make_official
from tests.forum.stored import pks, reload

pytestmark = pytest.mark.django_db


# close_question, reopen_question, lock_question ------------------------------------------


class TestCloseQuestion:
    @pytest.mark.parametrize(
        "reason",
        [CloseReason.OFF_TOPIC, CloseReason.OUTDATED, CloseReason.RESOLVED_ELSEWHERE],
    )
    def test_closes_for_each_reason(self, official, moderator, question, reason):
        before = reload(question)
        services.close_question(
            question=question, by=moderator, reason=reason, duplicate_of=ask(official)
        )
        stored = reload(question)
        assert stored.status == Status.CLOSED
        assert stored.close_reason == reason
        assert stored.duplicate_of is None  # only a duplicate points elsewhere
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_duplicate_points_to_the_other_question(self, official, moderator, question):
        original = ask(official)
        services.close_question(
            question=question, by=moderator, reason=CloseReason.DUPLICATE, duplicate_of=original
        )
        stored = reload(question)
        assert (stored.status, stored.close_reason) == (Status.CLOSED, CloseReason.DUPLICATE)
        assert stored.duplicate_of == original
        assert list(original.duplicates.all()) == [stored]

    def test_duplicate_requires_another_question(self, moderator, question):
        with pytest.raises(ForumError):
            services.close_question(question=question, by=moderator, reason=CloseReason.DUPLICATE)
        assert reload(question).status == Status.OPEN

    def test_duplicate_of_itself_is_refused(self, moderator, question):
        with pytest.raises(ForumError):
            services.close_question(
                question=question,
                by=moderator,
                reason=CloseReason.DUPLICATE,
                duplicate_of=reload(question),
            )
        assert reload(question).status == Status.OPEN

    @pytest.mark.parametrize("reason", ["", "spam", None])
    def test_unknown_reason_is_refused(self, moderator, question, reason):
        with pytest.raises(ForumError):
            services.close_question(question=question, by=moderator, reason=reason)
        assert reload(question).status == Status.OPEN

    @pytest.mark.parametrize("make_actor", [make_official, make_expert], ids=["official", "expert"])
    def test_non_moderator_is_refused(self, question, make_actor):
        with pytest.raises(PermissionDenied):
            services.close_question(
                question=question, by=make_actor(), reason=CloseReason.OFF_TOPIC
            )
        assert reload(question).status == Status.OPEN

    def test_the_asker_may_not_close_their_own_question(self, official, question):
        with pytest.raises(PermissionDenied):
            services.close_question(
                question=question, by=official, reason=CloseReason.RESOLVED_ELSEWHERE
            )
        assert reload(question).status == Status.OPEN


class TestReopenQuestion:
    def test_reopens_a_closed_duplicate(self, official, moderator, question):
        services.close_question(
            question=question,
            by=moderator,
            reason=CloseReason.DUPLICATE,
            duplicate_of=ask(official),
        )
        before = reload(question)
        services.reopen_question(question=before, by=moderator)
        stored = reload(question)
        assert stored.status == Status.OPEN
        assert stored.close_reason == ""
        assert stored.duplicate_of is None
        assert stored.version == before.version + 1

    def test_reopens_a_locked_thread(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        services.reopen_question(question=reload(question), by=moderator)
        assert reload(question).status == Status.OPEN

    def test_open_question_is_a_no_op(self, moderator, question):
        before = reload(question)
        services.reopen_question(question=before, by=moderator)
        assert reload(question).status == Status.OPEN
        assert reload(question).version == before.version

    def test_non_moderator_is_refused(self, official, moderator, question):
        services.close_question(question=question, by=moderator, reason=CloseReason.OUTDATED)
        with pytest.raises(PermissionDenied):
            services.reopen_question(question=reload(question), by=official)
        assert reload(question).status == Status.CLOSED


class TestLockQuestion:
    def test_locks(self, moderator, question):
        before = reload(question)
        services.lock_question(question=before, by=moderator)
        stored = reload(question)
        assert stored.status == Status.LOCKED
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_locked_question_is_a_no_op(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        before = reload(question)
        services.lock_question(question=before, by=moderator)
        assert reload(question).status == Status.LOCKED
        assert reload(question).version == before.version

    def test_non_moderator_is_refused(self, official, question):
        with pytest.raises(PermissionDenied):
            services.lock_question(question=question, by=official)
        assert reload(question).status == Status.OPEN

    def test_then_answers_comments_and_votes_are_refused(
        self, official, other_official, moderator, question, reply
    ):
        services.lock_question(question=question, by=moderator)
        question, reply = reload(question), reload(reply)
        with pytest.raises(PermissionDenied):
            answer(question, other_official)
        with pytest.raises(PermissionDenied):
            comment(other_official, question=question)
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=other_official, post=question, value=1)
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=official, post=reply, value=1)
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.score == 0
        assert reload(reply).score == 0
        assert not Comment.objects.filter(question=question).exists()
        assert not Vote.objects.filter(question=question).exists()
        assert not Vote.objects.filter(answer=reply).exists()


# hide_post -------------------------------------------------------------------------------


class TestHidePost:
    def test_hidden_question_is_gone_for_officials_but_not_for_moderators(
        self, other_official, moderator, question
    ):
        before = reload(question)
        services.hide_post(post=question, by=moderator)

        stored = reload(question)  # still in the database, for the record
        assert stored.is_hidden is True
        assert stored.version == before.version + 1
        assert pks(Question.objects.visible_to(other_official)) == set()
        assert pks(Question.objects.visible_to(AnonymousUser())) == set()
        assert pks(Question.objects.visible_to(moderator)) == {question.pk}
        assert pks(Question.objects.public()) == set()

    def test_unhiding_a_question_shows_it_again(self, other_official, moderator, question):
        services.hide_post(post=question, by=moderator)
        services.hide_post(post=reload(question), by=moderator, hidden=False)
        assert reload(question).is_hidden is False
        assert pks(Question.objects.visible_to(other_official)) == {question.pk}

    def test_hidden_answer_leaves_the_count_and_the_thread_listing(
        self, official, moderator, question, reply, second_reply
    ):
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator)

        assert reload(reply).is_hidden is True
        assert reload(reply).version == 2
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.version == before.version + 1
        assert pks(Answer.objects.visible_to(official)) == {second_reply.pk}
        assert pks(Answer.objects.visible_to(moderator)) == {reply.pk, second_reply.pk}

    def test_hidden_accepted_answer_is_unaccepted(self, official, moderator, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(reply), by=moderator)
        stored = reload(question)
        assert stored.accepted_answer_id is None
        assert stored.answer_count == 0

    def test_hidden_accepted_answer_is_unaccepted_even_from_an_older_object(
        self, official, moderator, question, reply
    ):
        loaded_before_acceptance = Answer.objects.select_related("question").get(pk=reply.pk)
        services.accept_answer(question=reload(question), answer=reply, by=official)
        services.hide_post(post=loaded_before_acceptance, by=moderator)
        assert reload(question).accepted_answer_id is None

    def test_hiding_another_answer_keeps_the_accepted_one(
        self, official, moderator, question, reply, second_reply
    ):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(second_reply), by=moderator)
        stored = reload(question)
        assert stored.accepted_answer_id == reply.pk
        assert stored.answer_count == 1

    def test_unhide_restores_the_count_but_not_the_acceptance(
        self, official, moderator, question, reply
    ):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(reply), by=moderator)
        services.hide_post(post=reload(reply), by=moderator, hidden=False)
        stored = reload(question)
        assert reload(reply).is_hidden is False
        assert stored.answer_count == 1
        assert stored.accepted_answer_id is None

    def test_hiding_twice_is_a_no_op(self, moderator, question, reply):
        services.hide_post(post=reload(reply), by=moderator)
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator)
        stored = reload(question)
        assert stored.answer_count == 0  # not decremented twice
        assert stored.version == before.version
        assert reload(reply).version == 2

    def test_showing_a_visible_post_is_a_no_op(self, moderator, question, reply):
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator, hidden=False)
        services.hide_post(post=before, by=moderator, hidden=False)
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.version == before.version
        assert reload(reply).version == 1

    def test_non_moderator_is_refused(self, official, question, reply):
        with pytest.raises(PermissionDenied):
            services.hide_post(post=question, by=official)
        with pytest.raises(PermissionDenied):
            services.hide_post(post=reply, by=official)
        assert reload(question).is_hidden is False
        assert reload(reply).is_hidden is False
        assert reload(question).answer_count == 1
