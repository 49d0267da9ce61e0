"""Digests (`manage.py send_digests`): what a digest holds, for whom, and that no run sends
one twice, however often or however late it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import services as forum_services
from forum.models import Question, Visibility
from notifications import digests, services
from notifications.models import Digest, EmailSettings, Level
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def asked(author, topic, *, days_ago: float, **fields) -> Question:
    question = factories.ask(author, topics=[topic], **fields)
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - DAY * days_ago)
    question.refresh_from_db()
    return question


def subscribe(user, topic, *, level=Level.NORMAL, digest=Digest.DAILY, since_days: float = 3):
    services.follow_topic(user=user, topic=topic, level=level)
    services.update_email_settings(
        user=user, own_posts=True, mentions=True, watched=False, digest=digest
    )
    EmailSettings.objects.filter(user=user).update(digest_through=timezone.now() - DAY * since_days)


def digests_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def topic():
    return factories.topics(1)[0]


def test_a_digest_lists_new_questions_in_followed_topics_once(
    asker, official, topic, django_capture_on_commit_callbacks
):
    subscribe(official, topic)
    recent = asked(asker, topic, days_ago=1.5, visibility=Visibility.PUBLIC)
    members_only = asked(asker, topic, days_ago=1.2)
    old = asked(asker, topic, days_ago=10, visibility=Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=(output := io.StringIO()))
    assert output.getvalue() == "Queued 1 digest(s).\n"
    [message] = digests_to(official)
    assert message.subject == "[Canvass] 2 new questions in the topics and cohorts you follow"
    assert recent.title in message.body
    assert members_only.title in message.body  # a title and a link, which she may read
    assert members_only.body not in message.body
    assert old.title not in message.body
    html = message.alternatives[0][0]
    assert recent.get_absolute_url() in html
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests() == 0  # a repeated run sends nothing twice
    assert len(digests_to(official)) == 1


def test_a_run_that_overlaps_another_sends_nothing_its_claim_did_not_win(asker, official, topic):
    subscribe(official, topic)
    asked(asker, topic, days_ago=1.5, visibility=Visibility.PUBLIC)
    ends = digests.period_ends(timezone.now())
    # A second run read who was due before the first committed: its batch claims no one.
    stale_batch = [official.pk]
    assert digests.send_digests() == 1
    assert digests._send_batch(stale_batch, ends) == 0


def test_a_missed_day_is_caught_up_in_the_next_digest(asker, official, topic, committed):
    subscribe(official, topic, since_days=4)
    two_days_ago = asked(asker, topic, days_ago=2.5, visibility=Visibility.PUBLIC)
    yesterday = asked(asker, topic, days_ago=1.5, visibility=Visibility.PUBLIC)
    with committed():
        assert digests.send_digests() == 1
    [message] = digests_to(official)
    assert two_days_ago.title in message.body
    assert yesterday.title in message.body


def test_a_digest_leaves_out_what_the_reader_may_not_read_and_muted_topics(
    asker, member, official, moderator, committed
):
    followed, muted = factories.topics(2)
    subscribe(member, followed)
    subscribe(official, followed)
    services.follow_topic(user=official, topic=muted, level=Level.MUTED)
    public = asked(asker, followed, days_ago=1.5, visibility=Visibility.PUBLIC)
    members_only = asked(asker, followed, days_ago=1.5)
    in_muted = factories.ask(
        asker,
        topics=[followed, muted],
        visibility=Visibility.PUBLIC,
        title="A question about a muted topic as well",
    )
    Question.objects.filter(pk=in_muted.pk).update(created_at=timezone.now() - DAY * 1.5)
    hidden = asked(asker, followed, days_ago=1.5, visibility=Visibility.PUBLIC)
    forum_services.hide_post(post=hidden, by=moderator)
    with committed():
        digests.send_digests()
    [to_member] = digests_to(member)
    assert public.title in to_member.body
    assert members_only.title not in to_member.body
    assert hidden.title not in to_member.body
    [to_official] = digests_to(official)
    assert in_muted.title not in to_official.body
    assert members_only.title in to_official.body


def test_nothing_new_sends_nothing_but_moves_on(official, topic):
    subscribe(official, topic)
    assert digests.send_digests() == 0
    assert mail.outbox == []
    assert (
        EmailSettings.objects.get(user=official).digest_through
        == (digests.period_ends(timezone.now())[Digest.DAILY])
    )


def test_weekly_digests_wait_for_the_week_to_end(asker, official, topic):
    monday = digests.period_ends(timezone.now())[Digest.WEEKLY]
    subscribe(official, topic, digest=Digest.WEEKLY)
    EmailSettings.objects.filter(user=official).update(digest_through=monday)
    asked(asker, topic, days_ago=0, visibility=Visibility.PUBLIC)
    assert digests.send_digests() == 0  # this week is not over
    assert digests.send_digests(now=monday + datetime.timedelta(days=7, hours=6)) == 1


def test_no_digest_for_those_who_chose_none(asker, official, topic):
    subscribe(official, topic, digest=Digest.NEVER)
    asked(asker, topic, days_ago=1.5, visibility=Visibility.PUBLIC)
    assert digests.send_digests() == 0


def test_queries_per_batch_do_not_grow_with_the_batch(asker, topic, monkeypatch):
    asked(asker, topic, days_ago=1.5, visibility=Visibility.PUBLIC)

    def run(people: int) -> int:
        for number in range(people):
            subscribe(factories.make_official(display_name=f"Reader {people}-{number}"), topic)
        monkeypatch.setattr(digests, "BATCH", people)
        with CaptureQueriesContext(connection) as queries:
            assert digests.send_digests() == people
        return len(queries.captured_queries)

    assert run(3) == run(12)


def test_a_long_digest_lists_the_newest_and_counts_the_rest(
    asker, official, topic, committed, monkeypatch
):
    monkeypatch.setattr(digests, "MAX_QUESTIONS", 2)
    subscribe(official, topic)
    oldest, middle, newest = (
        asked(asker, topic, days_ago=days, visibility=Visibility.PUBLIC) for days in (1.9, 1.6, 1.3)
    )
    with committed():
        digests.send_digests()
    [message] = digests_to(official)
    assert message.subject == "[Canvass] 3 new questions in the topics and cohorts you follow"
    assert newest.title in message.body
    assert middle.title in message.body
    assert oldest.title not in message.body
    assert "And 1 more new question: http" in message.body
