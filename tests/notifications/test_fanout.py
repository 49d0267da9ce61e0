"""Who is told of what happens in a thread (`notifications.fanout`): the rules per event,
levels, mentions, privacy, and the cost that does not grow with followers."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import OutgoingEmail
from forum import services as forum_services
from forum.models import Answer, Visibility
from notifications import fanout, services
from notifications.fanout import deliver
from notifications.models import Follow, Kind, Level, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


@pytest.fixture
def thread(asker, committed):
    with committed():
        return factories.ask(asker, visibility=Visibility.PUBLIC)


def test_an_answer_reaches_the_asker_by_inbox_and_email(asker, expert, thread, committed):
    with committed():
        answer = factories.answer(thread, expert)
    assert told(asker) == [Kind.ANSWER]
    assert told(expert) == []  # nobody is told of what they did
    assert Follow.objects.get(user=asker, question=thread).level == Level.WATCHING
    assert Follow.objects.get(user=expert, question=thread).level == Level.NORMAL
    [message] = mail.outbox
    assert message.to == [asker.email]
    assert message.subject == f"[Canvass] Priya Expert answered your question “{thread.title}”"
    assert answer.body[:30] in message.body


def test_watchers_hear_of_answers_and_comments_normal_followers_only_of_their_own(
    asker, expert, official, other_official, thread, committed
):
    services.follow_question(user=official, question=thread, level=Level.WATCHING)
    with committed():
        answer = factories.answer(thread, expert)  # expert now follows as normal
    with committed():
        factories.comment(other_official, question=thread)
    assert told(official) == [Kind.ANSWER, Kind.COMMENT]
    assert told(expert) == []  # a comment on the question does not concern the answerer
    with committed():
        factories.comment(other_official, answer=answer)
    assert told(expert) == [Kind.COMMENT]
    # Watched threads are not emailed unless the person asked for it: only the asker's own.
    assert {m.to[0] for m in mail.outbox} == {asker.email, expert.email}


def test_an_accepted_answer_tells_its_author(asker, expert, thread, committed):
    with committed():
        answer = factories.answer(thread, expert)
    with committed():
        forum_services.accept_answer(question=thread, answer=answer, by=asker)
    assert told(expert) == [Kind.ACCEPTED]
    assert "was accepted" in mail.outbox[-1].subject


def test_a_muted_thread_tells_nothing_even_to_its_asker(asker, expert, thread, committed):
    services.follow_question(user=asker, question=thread, level=Level.MUTED)
    with committed():
        factories.answer(thread, expert)
    assert told(asker) == []
    assert mail.outbox == []


def test_a_chosen_level_survives_answering(asker, expert, thread, committed):
    services.follow_question(user=expert, question=thread, level=Level.MUTED)
    with committed():
        factories.answer(thread, expert)
    assert Follow.objects.get(user=expert, question=thread).level == Level.MUTED


def test_a_new_question_reaches_those_watching_its_topics_unless_they_muted_one(
    asker, official, other_official, expert, committed
):
    first, second = factories.topics(2)
    services.follow_topic(user=official, topic=first, level=Level.WATCHING)
    services.follow_topic(user=other_official, topic=first, level=Level.WATCHING)
    services.follow_topic(user=other_official, topic=second, level=Level.MUTED)
    services.follow_topic(user=expert, topic=second, level=Level.NORMAL)  # digest only
    with committed():
        question = factories.ask(asker, topics=[first, second], visibility=Visibility.PUBLIC)
    notification = Notification.objects.get(recipient=official)
    assert (notification.kind, notification.topic, notification.question) == (
        Kind.NEW_QUESTION,
        first,
        question,
    )
    assert told(other_official) == []
    assert told(expert) == []


def test_nobody_hears_of_a_thread_they_may_not_read(asker, member, official, committed):
    topic = factories.topics(1)[0]
    services.follow_topic(user=member, topic=topic, level=Level.WATCHING)
    services.follow_topic(user=official, topic=topic, level=Level.WATCHING)
    with committed():
        factories.ask(asker, topics=[topic], visibility=Visibility.MEMBERS)
    assert told(member) == []
    assert told(official) == [Kind.NEW_QUESTION]


def test_a_watcher_who_lost_access_hears_nothing(asker, expert, committed):
    watcher = factories.make_official(display_name="Lapsing Official")
    with committed():
        question = factories.ask(asker, visibility=Visibility.MEMBERS)
    services.follow_question(user=watcher, question=question, level=Level.WATCHING)
    watcher.verified_until = factories.verified_until_yesterday()
    watcher.save(update_fields=["verified_until"])
    with committed():
        factories.answer(question, expert)
    assert told(watcher) == []


def test_mentions_reach_verified_members_who_may_read_the_thread(
    asker, expert, official, member, committed
):
    dana = factories.make_official(state="OH", display_name="Dana Whitfield")
    factories.make_official(display_name="Dana")  # a shorter name the mention does not mean
    with committed():
        question = factories.ask(asker, visibility=Visibility.MEMBERS)
    with committed():
        factories.answer(
            question,
            expert,
            body=f"@Dana Whitfield, you did this last year. @{member.display_name} and "
            f"@{official.display_name}: see the county's checklist.",
        )
    assert told(dana) == [Kind.MENTION]
    assert told(official) == [Kind.MENTION]
    assert told(member) == []  # not verified, and may not read a members-only thread
    assert Notification.objects.filter(kind=Kind.MENTION).count() == 2
    assert {m.to[0] for m in mail.outbox} >= {dana.email, official.email}


def test_an_email_address_is_not_a_mention(asker, expert, thread, committed):
    factories.make_official(display_name="county.gov")
    with committed():
        factories.answer(thread, expert, body="Write to clerk@county.gov for the forms, please.")
    assert Notification.objects.filter(kind=Kind.MENTION).count() == 0


def test_something_deleted_before_the_task_runs_tells_no_one(asker, expert, thread):
    answer = factories.answer(thread, expert)
    answer_pk = answer.pk
    answer.delete()
    assert (
        deliver(activity="answered", question_id=thread.pk, actor_id=expert.pk, post_id=answer_pk)
        == 0
    )


def test_the_fan_out_costs_the_same_queries_for_ten_or_fifty_followers(asker, expert, thread):
    def followers(count: int):
        people = [factories.make_official(display_name=f"Follower {i}") for i in range(count)]
        Follow.objects.bulk_create(
            Follow(user=person, question=thread, level=Level.WATCHING) for person in people
        )

    def fan_out(told: int) -> int:
        answer = factories.answer(thread, expert)
        with CaptureQueriesContext(connection) as queries:
            assert (
                deliver(
                    activity="answered",
                    question_id=thread.pk,
                    actor_id=expert.pk,
                    post_id=answer.pk,
                )
                == told
            )
        return len(queries.captured_queries)

    followers(10)
    ten = fan_out(11)  # ten watchers and the asker
    followers(40)
    fifty = fan_out(51)
    assert fifty == ten


def test_history_goes_to_the_inbox_dated_when_it_happened_without_email(asker, expert, thread):
    answer = factories.answer(thread, expert)
    long_ago = timezone.now() - fanout.EMAIL_WITHIN - datetime.timedelta(hours=1)
    Answer.objects.filter(pk=answer.pk).update(created_at=long_ago)
    fanout.deliver(
        activity="answered", question_id=thread.pk, actor_id=expert.pk, post_id=answer.pk
    )
    assert Notification.objects.get(recipient=asker).created_at == long_ago
    assert not OutgoingEmail.objects.exists()
