"""Flags (issue 15): who may report what, the immediate hold, the three-flag hold, the edit
that returns a post to the queue, a moderator's decisions, and who is told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import reminders, services
from forum.models import Flag, FlagReason, FlagStatus, Question, Visibility
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(asker, expert):
    question = factories.ask(asker, visibility=Visibility.PUBLIC)
    return question, factories.answer(question, expert)


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def test_a_personal_information_flag_from_an_official_hides_the_post_at_once(
    client, thread, official, expert, moderator, committed
):
    question, answer = thread
    with committed():
        services.flag_post(post=answer, by=official, reason=FlagReason.PERSONAL)
    answer.refresh_from_db()
    assert answer.held_for_review
    question.refresh_from_db()
    assert question.answer_count == 0
    assert f"answer-{answer.pk}" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(expert)  # its author still reads it, marked
    html = client.get(question.get_absolute_url()).content.decode()
    assert f"answer-{answer.pk}" in html
    assert "Hidden while a moderator reviews a report" in html
    client.force_login(moderator)
    assert f"answer-{answer.pk}" in client.get(question.get_absolute_url()).content.decode()
    assert told(expert) == [Kind.HELD]


def test_an_expert_or_a_lesser_reason_does_not_hold_a_post_until_three_report_it(
    thread, asker, committed
):
    question, _answer = thread
    reporters = [factories.make_expert(), factories.make_official(), factories.make_official()]
    services.flag_post(post=question, by=reporters[0], reason=FlagReason.PERSONAL)
    services.flag_post(post=question, by=reporters[1], reason=FlagReason.SPAM)
    question.refresh_from_db()
    assert not question.held_for_review
    with committed():
        services.flag_post(post=question, by=reporters[2], reason=FlagReason.INACCURATE)
    question.refresh_from_db()
    assert question.held_for_review
    assert not Question.objects.public().filter(pk=question.pk).exists()
    assert Question.objects.visible_to(asker).filter(pk=question.pk).exists()
    assert told(asker) == [Kind.HELD]


def test_who_may_flag_what(thread, member, expert, official):
    _question, answer = thread
    with pytest.raises(PermissionDenied):
        services.flag_post(post=answer, by=member, reason=FlagReason.SPAM)  # not verified
    with pytest.raises(PermissionDenied):
        services.flag_post(post=answer, by=expert, reason=FlagReason.SPAM)  # their own
    hidden = factories.ask(factories.make_official(), visibility=Visibility.MEMBERS)
    with pytest.raises(Http404):
        services.flag_post(post=hidden, by=member, reason=FlagReason.SPAM)
    with pytest.raises(services.ForumError, match="Say what is wrong"):
        services.flag_post(post=answer, by=official, reason=FlagReason.OTHER, note="  ")
    services.flag_post(post=answer, by=official, reason=FlagReason.SPAM)
    with pytest.raises(services.ForumError, match="reported this already"):
        services.flag_post(post=answer, by=official, reason=FlagReason.HARASSMENT)


def test_an_edit_by_the_author_leaves_the_post_held(thread, official, expert):
    _question, answer = thread
    services.flag_post(post=answer, by=official, reason=FlagReason.SECURITY)
    answer.refresh_from_db()
    services.edit_answer(
        answer=answer, editor=expert, body="We keep the details offline now; ask me.", reason="x"
    )
    answer.refresh_from_db()
    assert answer.held_for_review
    assert Flag.objects.get().status == FlagStatus.OPEN


def test_upholding_hides_the_post_and_tells_the_author_and_the_reporters(
    thread, official, expert, moderator, committed
):
    question, answer = thread
    services.flag_post(post=answer, by=official, reason=FlagReason.PERSONAL)
    answer.refresh_from_db()
    with committed():
        services.uphold_flags(post=answer, by=moderator, note="It gave a home address.")
    answer.refresh_from_db()
    assert (answer.is_hidden, answer.held_for_review) == (True, False)
    question.refresh_from_db()
    assert question.answer_count == 0  # not counted twice
    assert Flag.objects.get().status == FlagStatus.UPHELD
    assert told(expert)[-1] == Kind.POST_DECIDED
    assert told(official) == [Kind.FLAG_DECIDED]
    entry = ModelLogEntry.objects.get(action="canvass.forum.flag_uphold")
    assert entry.data["note"] == "It gave a home address."


def test_dismissing_shows_the_post_again(client, thread, official, expert, moderator, committed):
    question, answer = thread
    services.flag_post(post=answer, by=official, reason=FlagReason.PERSONAL)
    answer.refresh_from_db()
    with committed():
        services.dismiss_flags(post=answer, by=moderator)
    answer.refresh_from_db()
    assert not answer.held_for_review and not answer.is_hidden
    question.refresh_from_db()
    assert question.answer_count == 1
    assert f"answer-{answer.pk}" in client.get(question.get_absolute_url()).content.decode()
    assert ModelLogEntry.objects.filter(action="canvass.forum.flag_dismiss").count() == 1
    with pytest.raises(services.ForumError):
        services.dismiss_flags(post=answer, by=moderator)  # nothing left open
    with pytest.raises(PermissionDenied):
        services.uphold_flags(post=answer, by=official, note="x")


def test_the_inbox_tells_the_author_and_the_reporter_without_naming_anyone(
    client, thread, official, expert, moderator, committed
):
    question, answer = thread
    with committed():
        services.flag_post(post=answer, by=official, reason=FlagReason.PERSONAL)
    answer.refresh_from_db()
    with committed():
        services.uphold_flags(post=answer, by=moderator, note="A home address.")
    client.force_login(expert)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert f"A moderator hid your answer in “{question.title}”: A home address." in html
    assert official.display_name not in html
    client.force_login(official)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "A moderator acted on your report" in html


def test_the_flag_page_walks_visitor_member_official(client, thread, member, official):
    _question, answer = thread
    url = reverse("forum:flag", args=["answer", answer.pk])
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(official)
    page = client.get(url)
    assert page.status_code == 200
    refused = client.post(url, {"reason": FlagReason.OTHER, "note": ""})
    assert refused.status_code == 400
    assert "Say what is wrong" in refused.content.decode()
    done = client.post(
        url, {"reason": FlagReason.SPAM, "note": "Selling voting machines."}, follow=True
    )
    assert "your report is received" in done.content.decode()
    assert Flag.objects.get().note == "Selling voting machines."
    missing = client.get(reverse("forum:flag", args=["answer", answer.pk + 999]))
    assert missing.status_code == 404
    assert client.get(reverse("forum:flag", args=["vote", answer.pk])).status_code == 404


def test_the_queue_lists_posts_oldest_first_and_records_a_decision(
    client, thread, official, other_official, moderator
):
    question, answer = thread
    services.flag_post(post=question, by=official, reason=FlagReason.INACCURATE)
    services.flag_post(post=answer, by=official, reason=FlagReason.SPAM)
    services.flag_post(post=answer, by=other_official, reason=FlagReason.HARASSMENT)
    client.force_login(official)
    assert client.get(reverse("forum_flag_queue")).status_code in (302, 403)
    client.force_login(moderator)
    html = client.get(reverse("forum_flag_queue")).content.decode()
    assert html.index(f"flags/question/{question.pk}/") < html.index(f"flags/answer/{answer.pk}/")
    assert "Flags (2)" in client.get(reverse("wagtailadmin_home")).content.decode()
    review = reverse("forum_flag_review", args=["answer", answer.pk])
    page = client.get(review).content.decode()
    assert "Harassment or a threat" in page and official.display_name in page
    refused = client.post(review, {"decision": "hide", "note": ""})
    assert refused.status_code == 400
    assert client.post(review, {"decision": "dismiss", "note": ""}).status_code == 302
    assert Flag.objects.filter(answer=answer, status=FlagStatus.DISMISSED).count() == 2


def test_the_queue_costs_the_same_queries_however_long(
    client, moderator, asker, django_assert_num_queries
):
    client.force_login(moderator)
    client.get(reverse("forum_flag_queue"))  # the session saved, the admin's own reads cached

    def flagged(count: int) -> int:
        for _ in range(count):
            question = factories.ask(asker, visibility=Visibility.PUBLIC)
            services.flag_post(post=question, by=factories.make_official(), reason=FlagReason.SPAM)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("forum_flag_queue")).status_code == 200
        return len(queries)

    assert flagged(2) == flagged(25)


def test_moderators_are_reminded_of_flags_waiting_over_a_day(
    thread, official, moderator, committed
):
    question, _answer = thread
    factories.make_moderator(two_factor=False)  # cannot act: not emailed
    services.flag_post(post=question, by=official, reason=FlagReason.SPAM)
    assert reminders.send_flag_reminders() == 0  # not a day yet
    later = timezone.now() + datetime.timedelta(hours=25)
    with committed():
        assert reminders.send_flag_reminders(now=later) == 1
    [message] = mail.outbox
    assert message.to == [moderator.email]
    assert message.subject == "[Canvass] 1 flagged post has waited more than a day"
    assert reverse("forum_flag_queue") in message.body
    assert question.title not in message.body


def test_a_moderator_suspends_a_flagged_posts_author_who_is_told_in_the_inbox(
    client, thread, official, expert, moderator, committed
):
    _question, answer = thread
    services.flag_post(post=answer, by=official, reason=FlagReason.HARASSMENT)
    client.force_login(moderator)
    url = reverse("forum_flag_member_action", args=["answer", answer.pk])
    refused = client.post(url, {"action": "suspend", "reason": "Threats in three posts."})
    assert refused.status_code == 400
    assert "Say for how many days." in refused.content.decode()
    with committed():
        done = client.post(url, {"action": "suspend", "days": "7", "reason": "Threats."})
    assert done.status_code == 302
    expert.refresh_from_db()
    assert expert.posting_suspended_until > timezone.now() + datetime.timedelta(days=6)
    client.force_login(expert)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "A moderator suspended your posting until" in html
    assert "Threats." in html


def test_a_thread_reported_as_security_sensitive_is_emailed_as_a_link_alone(
    asker, expert, official, other_official, moderator, committed
):
    from notifications.models import Level
    from notifications.services import follow_question

    question = factories.ask(asker, visibility=Visibility.PUBLIC)
    follow_question(user=asker, question=question, level=Level.WATCHING)
    services.flag_post(post=question, by=factories.make_expert(), reason=FlagReason.SECURITY)
    with committed():
        answer = factories.answer(
            question, expert, body="Our firewall rules are listed in the county runbook."
        )
    [message] = [m for m in mail.outbox if m.to == [asker.email]]
    assert message.subject == "[Canvass] There is something new for you on Canvass"
    assert question.title not in message.body + message.alternatives[0][0]
    assert "firewall" not in message.body + message.alternatives[0][0]
    assert f"#answer-{answer.pk}" in message.body
    question.refresh_from_db()
    assert question.security_flagged
    services.dismiss_flags(post=question, by=moderator, note="Nothing sensitive.")
    question.refresh_from_db()
    assert not question.security_flagged
