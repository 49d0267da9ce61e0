"""Every kind of notification email, sent for real: the forum's services, the fan-out task,
the outbox task and Django's SMTP backend deliver it to an SMTP server on 127.0.0.1
(aiosmtpd, `tests/notifications/smtp.py`), and the tests read what arrived as a mail client
would: its parts, its threading headers, its one-click unsubscribe (RFC 8058), what it shows
of members-only threads and of an asker who asked without their name, and that a mail
server that is down delays the message without losing it."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from core.models import OutgoingEmail
from core.sites import base_url
from forum import services as forum_services
from forum.models import Question, Visibility
from notifications import services
from notifications.digests import send_digests
from notifications.models import (
    DIGEST,
    EMAIL_KINDS,
    MENTIONS,
    OWN_POSTS,
    WATCHED,
    Digest,
    Level,
)
from tests import factories
from tests.core.test_email import minutes_pass
from tests.notifications.smtp import MailServer, Received, forged

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass
class Cast:
    """The people of a test, the mail server, and the way to make a change whose
    after-commit work (fan-out, outbox) runs."""

    asker: User
    expert: User
    official: User
    other_official: User
    server: MailServer
    capture: Callable

    def committed(self):
        return self.capture(execute=True)

    def ask(self, author=None, **fields) -> Question:
        fields.setdefault("visibility", Visibility.PUBLIC)
        with self.committed():
            return factories.ask(author or self.asker, **fields)

    def only_email_to(self, user) -> Received:
        [found] = self.server.to(user.email)
        return found


@pytest.fixture
def cast(asker, expert, official, other_official, mail_server, django_capture_on_commit_callbacks):
    return Cast(
        asker, expert, official, other_official, mail_server, django_capture_on_commit_callbacks
    )


def change_email_settings(user, **changes) -> None:
    """Through the service the settings page uses, leaving the other choices as they are."""
    found = services.email_settings(user)
    choices = {kind: getattr(found, kind) for kind in EMAIL_KINDS}
    services.update_email_settings(user=user, **(choices | changes))


def thread_id(question: Question) -> str:
    """The Message-ID every email about ``question`` replies to."""
    return f"<question.{question.pk}@{urlsplit(base_url()).hostname}>"


def unsubscribe_path(received: Received) -> str:
    url = re.fullmatch(r"<(https?://[^<>\s]+)>", received.header("List-Unsubscribe")).group(1)
    return urlsplit(url).path


def shown(received: Received) -> str:
    """Everything a reader sees: the subject and both parts, decoded."""
    return "\n".join([received.header("Subject"), received.text, received.html])


# --- One scenario per kind of email: each makes it happen and returns what arrived ---------


@dataclass(frozen=True)
class Sent:
    to: User
    email_kind: str  # the `EmailSettings` field its unsubscribe link turns off
    question: Question | None  # the thread it is about; None for a digest
    received: Received


def answer_on_your_question(c: Cast) -> Sent:
    question = c.ask()
    with c.committed():
        factories.answer(question, c.expert)
    return Sent(c.asker, OWN_POSTS, question, c.only_email_to(c.asker))


def comment_on_your_answer(c: Cast) -> Sent:
    question = c.ask()
    with c.committed():
        reply = factories.answer(question, c.expert)
    with c.committed():
        factories.comment(c.official, answer=reply, body="Did you test this with poll workers?")
    return Sent(c.expert, OWN_POSTS, question, c.only_email_to(c.expert))


def your_answer_accepted(c: Cast) -> Sent:
    with c.committed():
        question, _ = factories.solved_thread(c.asker, c.expert)
    return Sent(c.expert, OWN_POSTS, question, c.only_email_to(c.expert))


def a_mention(c: Cast) -> Sent:
    question = c.ask()
    with c.committed():
        factories.answer(
            question, c.official, body=f"@{c.expert.display_name}, is this still the rule?"
        )
    return Sent(c.expert, MENTIONS, question, c.only_email_to(c.expert))


def watched_thread_activity(c: Cast) -> Sent:
    question = c.ask()
    services.follow_question(user=c.other_official, question=question, level=Level.WATCHING)
    change_email_settings(c.other_official, watched=True)
    with c.committed():
        factories.answer(question, c.expert)
    return Sent(c.other_official, WATCHED, question, c.only_email_to(c.other_official))


def new_question_in_a_watched_topic(c: Cast) -> Sent:
    topic = factories.topics(1)[0]
    services.follow_topic(user=c.other_official, topic=topic, level=Level.WATCHING)
    change_email_settings(c.other_official, watched=True)
    question = c.ask(topics=[topic])
    return Sent(c.other_official, WATCHED, question, c.only_email_to(c.other_official))


def the_digest(c: Cast) -> Sent:
    topic = factories.topics(1)[0]
    services.follow_topic(user=c.other_official, topic=topic, level=Level.NORMAL)
    change_email_settings(c.other_official, digest=Digest.DAILY)
    c.ask(topics=[topic])
    c.ask(topics=[topic])
    assert c.server.to(c.other_official.email) == []  # nothing until the digest
    send_digests_a_day_later(c)
    return Sent(c.other_official, DIGEST, None, c.only_email_to(c.other_official))


def send_digests_a_day_later(c: Cast) -> None:
    with c.committed():
        send_digests(now=timezone.now() + datetime.timedelta(days=1))


# Each kind of email, and what its subject says.
SCENARIOS = {
    "answer on your question": (answer_on_your_question, "answered your question"),
    "comment on your answer": (comment_on_your_answer, "commented on your answer"),
    "your answer accepted": (your_answer_accepted, "was accepted"),
    "mention": (a_mention, "mentioned you"),
    "watched thread": (watched_thread_activity, "answered"),
    "new question in a watched topic": (new_question_in_a_watched_topic, "New question in"),
    "digest": (the_digest, "2 new questions in the topics and cohorts you follow"),
}


@pytest.fixture(params=SCENARIOS, ids=str)
def sent(request, cast) -> Sent:
    make, subject = SCENARIOS[request.param]
    found = make(cast)
    assert subject in found.received.header("Subject")
    return found


# --- Every kind ----------------------------------------------------------------------------


def test_every_email_has_both_parts_threading_and_one_click_unsubscribe(sent):
    received = sent.received
    assert received.recipients == (sent.to.email,)
    assert received.header("To") == sent.to.email
    assert received.text.strip() and "<p>" not in received.text
    assert received.html.lstrip().startswith("<!DOCTYPE html>")
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", received.header("Message-ID"))
    if sent.question is not None:
        assert received.header("In-Reply-To") == thread_id(sent.question)
        assert received.header("References") == thread_id(sent.question)
    else:  # a digest belongs to no thread
        assert received.header("In-Reply-To") is None
    assert re.fullmatch(r"<https?://[^<>\s]+>", received.header("List-Unsubscribe"))
    assert received.header("List-Unsubscribe-Post") == ONE_CLICK
    # The same link, for people, in both parts.
    link = received.header("List-Unsubscribe")[1:-1]
    assert link in received.text
    assert escape(link) in received.html


def test_one_click_unsubscribe_turns_off_that_kind_without_signing_in(sent):
    """RFC 8058: the mail client POSTs the body below to the List-Unsubscribe address, with
    no cookies and no CSRF token."""
    path = unsubscribe_path(sent.received)
    before = services.email_settings(sent.to)
    assert before.wants(sent.email_kind)
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(path).status_code == 200  # a link checker changes nothing
    assert services.email_settings(sent.to).wants(sent.email_kind)

    response = mail_client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    after = services.email_settings(sent.to)
    assert not after.wants(sent.email_kind)
    others = [kind for kind in EMAIL_KINDS if kind != sent.email_kind]
    assert [after.wants(kind) for kind in others] == [before.wants(kind) for kind in others]


def test_a_forged_unsubscribe_link_is_not_found(cast):
    sent = answer_on_your_question(cast)
    path = unsubscribe_path(sent.received)
    forged_path = path.replace(path.split("/")[-2], forged(path.split("/")[-2]))
    assert forged_path != path
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(forged_path).status_code == 404
    response = mail_client.post(
        forged_path, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 404
    assert services.email_settings(cast.asker).own_posts


# --- Threading -----------------------------------------------------------------------------


def test_a_threads_emails_reply_to_the_same_id_and_each_has_its_own(cast):
    sent = watched_thread_activity(cast)  # the watcher is told of an answer...
    reply = sent.question.answers.get()
    with cast.committed():  # ...and of a comment on it
        factories.comment(cast.official, answer=reply, body="We do the same in Maricopa.")
    first, second = cast.server.to(cast.other_official.email)
    assert "commented in" in second.header("Subject")
    [to_the_asker] = cast.server.to(cast.asker.email)  # the answer, to its asker
    same_thread = [first, second, to_the_asker]
    assert {found.header("In-Reply-To") for found in same_thread} == {thread_id(sent.question)}
    assert {found.header("References") for found in same_thread} == {thread_id(sent.question)}
    assert len({found.header("Message-ID") for found in same_thread}) == 3

    another = cast.ask(cast.official)
    with cast.committed():
        factories.answer(another, cast.expert)
    [elsewhere] = cast.server.to(cast.official.email)
    assert elsewhere.header("In-Reply-To") == thread_id(another) != thread_id(sent.question)


# --- What an email shows -------------------------------------------------------------------


def test_a_public_threads_email_carries_an_excerpt(cast):
    question = cast.ask()
    with cast.committed():
        reply = factories.answer(question, cast.expert, body="We seal the boxes with two tags.")
    received = cast.only_email_to(cast.asker)
    assert reply.body in received.text
    assert escape(reply.body) in received.html
    assert question.title in received.text


def test_a_members_only_threads_email_has_the_title_and_link_but_no_body(cast):
    question = cast.ask(
        visibility=Visibility.MEMBERS,
        body="Our badge readers and camera positions are listed in this post.",
    )
    with cast.committed():
        reply = factories.answer(
            question, cast.expert, body="We moved the cameras behind the tabulators last spring."
        )
    received = cast.only_email_to(cast.asker)
    link = f"{base_url()}{question.get_absolute_url()}#answer-{reply.pk}"
    assert question.title in received.text
    assert escape(question.title) in received.html
    assert link in received.text
    assert escape(link) in received.html
    text = shown(received)
    for secret in (reply.body, question.body, "cameras", "badge readers"):
        assert secret not in text
    assert "<blockquote" not in received.html  # where an excerpt would go


def test_a_digest_lists_members_only_questions_by_title_to_their_readers_alone(cast, member):
    topic = factories.topics(1)[0]
    for person in (cast.other_official, member):
        services.follow_topic(user=person, topic=topic, level=Level.NORMAL)
        change_email_settings(person, digest=Digest.DAILY)
    public = cast.ask(topics=[topic], body="We count the provisional envelopes twice.")
    members_only = cast.ask(
        topics=[topic],
        visibility=Visibility.MEMBERS,
        body="Our vault combination changes after every canvass.",
    )
    send_digests_a_day_later(cast)

    official_digest = cast.only_email_to(cast.other_official)
    for question in (public, members_only):
        assert question.title in official_digest.text
        assert f"{base_url()}{question.get_absolute_url()}" in official_digest.text
        assert escape(question.title) in official_digest.html
        assert question.body not in shown(official_digest)
    members_digest = cast.only_email_to(member)
    assert public.title in members_digest.text
    assert members_only.title not in shown(members_digest)


def test_an_anonymous_asker_is_never_named_to_others(cast):
    topic = factories.topics(1)[0]
    services.follow_topic(user=cast.other_official, topic=topic, level=Level.WATCHING)
    change_email_settings(cast.other_official, watched=True)
    question = cast.ask(
        topics=[topic],
        is_anonymous=True,
        body=f"@{cast.expert.display_name}, how did your state handle seal logs last year?",
    )
    with cast.committed():
        reply = factories.answer(question, cast.expert)
    with cast.committed():
        factories.comment(cast.asker, answer=reply, body="Thank you, that settles it for us.")
    with cast.committed():
        forum_services.accept_answer(question=question, answer=reply, by=cast.asker)

    to_others = [
        found for found in cast.server.received if cast.asker.email not in found.recipients
    ]
    subjects = sorted(found.header("Subject") for found in to_others)
    assert len(to_others) == 4, subjects  # new question, mention, comment, accepted
    for found in to_others:
        text = shown(found) + found.raw.decode("utf-8", "replace")
        assert cast.asker.display_name not in text, found.header("Subject")
        assert cast.asker.email not in text, found.header("Subject")
    [comment_email] = [f for f in to_others if "commented on your answer" in f.header("Subject")]
    assert "A verified official in Arizona commented" in comment_email.text
    [mention] = [f for f in to_others if "mentioned you" in f.header("Subject")]
    assert "A verified official in Arizona mentioned you" in mention.text


# --- The mail server down ------------------------------------------------------------------


def test_a_mail_server_that_is_down_delays_the_email_and_loses_none(cast):
    question = cast.ask()
    cast.server.stop()
    with cast.committed():
        factories.answer(question, cast.expert)
    waiting = OutgoingEmail.objects.get()
    assert waiting.to == [cast.asker.email]
    assert waiting.attempts == 1
    assert waiting.last_error.startswith("ConnectionRefusedError")
    assert cast.server.received == []

    cast.server.start()
    call_command("send_queued_email", verbosity=0)  # not due yet: the retry waits a minute
    assert cast.server.received == []
    minutes_pass(1)
    call_command("send_queued_email", verbosity=0)
    received = cast.only_email_to(cast.asker)
    assert "answered your question" in received.header("Subject")
    assert not OutgoingEmail.objects.exists()
    minutes_pass(60)
    call_command("send_queued_email", verbosity=0)
    assert len(cast.server.received) == 1  # delivered exactly once
