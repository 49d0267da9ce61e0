"""The forum's reads: QuestionQuerySet (who sees what, the filters) and AnswerQuerySet
(the thread's order), on a database that holds only what each test made."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forum import services
from forum.models import Answer, Question, Visibility
from tests.factories import (
    answer,
    ask,
    make_expert,
    make_expired_official,
    make_member,
    make_moderator,
    make_official,
    topics,
)
from tests.forum.stored import pks

pytestmark = pytest.mark.django_db


# Reads: QuestionQuerySet and AnswerQuerySet ----------------------------------------------


class TestQuestionVisibleTo:
    @pytest.fixture
    def threads(self, official, moderator):
        public = ask(official, visibility=Visibility.PUBLIC)
        members = ask(official, visibility=Visibility.MEMBERS)
        hidden = ask(official, visibility=Visibility.PUBLIC)
        services.hide_post(post=hidden, by=moderator)
        return {"public": public, "members": members, "hidden": hidden}

    @pytest.mark.parametrize(
        ("make_reader", "readable"),
        [
            (AnonymousUser, {"public"}),
            (make_member, {"public"}),
            (make_expired_official, {"public"}),
            (make_official, {"public", "members"}),
            (make_expert, {"public", "members"}),
            (make_moderator, {"public", "members", "hidden"}),
        ],
        ids=["visitor", "member", "expired official", "official", "expert", "moderator"],
    )
    def test_visible_to(self, threads, make_reader, readable):
        visible = pks(Question.objects.visible_to(make_reader()))
        assert visible == {threads[name].pk for name in readable}

    def test_public_is_what_a_visitor_sees(self, threads):
        assert pks(Question.objects.public()) == {threads["public"].pk}


class TestQuestionFilters:
    def test_unanswered_unsolved_solved(self, official, other_official):
        unanswered = ask(official)
        answered = ask(official)
        answer(answered, other_official)
        solved = ask(official)
        services.accept_answer(question=solved, answer=answer(solved, other_official), by=official)

        assert pks(Question.objects.unanswered()) == {unanswered.pk}
        assert pks(Question.objects.unsolved()) == {unanswered.pk, answered.pk}
        assert pks(Question.objects.solved()) == {solved.pk}

    def test_in_state(self, official):
        arizona_and_ohio = ask(official, states=["AZ", "OH"])
        wisconsin = ask(official, states=["WI"])

        assert pks(Question.objects.in_state("OH")) == {arizona_and_ohio.pk}
        assert pks(Question.objects.in_state("AZ")) == {arizona_and_ohio.pk}
        assert pks(Question.objects.in_state("WI")) == {wisconsin.pk}
        assert pks(Question.objects.in_state("NV")) == set()

    def test_about_topic(self, official):
        first, second, third = topics(3)
        about_first = ask(official, topics=[first])
        about_both = ask(official, topics=[first, second])

        assert pks(Question.objects.about_topic(first)) == {about_first.pk, about_both.pk}
        assert pks(Question.objects.about_topic(second)) == {about_both.pk}
        assert pks(Question.objects.about_topic(third)) == set()


class TestAnswerThreadOrder:
    def test_accepted_first_then_score_then_oldest(self, official, question):
        authors = [make_official() for _ in range(4)]
        oldest, high, high_later, accepted = (answer(question, a) for a in authors)
        voters = [make_official(), make_official()]
        for voter in voters:
            services.cast_vote(user=voter, post=high, value=1)
            services.cast_vote(user=voter, post=high_later, value=1)
        services.cast_vote(user=voters[0], post=accepted, value=-1)
        services.accept_answer(question=question, answer=accepted, by=official)

        in_order = Answer.objects.filter(question=question).in_thread_order(accepted.pk)
        assert list(in_order) == [accepted, high, high_later, oldest]

        without_accepted = Answer.objects.filter(question=question).in_thread_order(None)
        assert list(without_accepted) == [high, high_later, oldest, accepted]
