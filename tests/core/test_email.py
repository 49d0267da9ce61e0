"""Email goes out through a background task after the change commits, is tried again with
growing waits while the mail server fails, shows on /health/ while it fails, and never
fails the change that sent it."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max

from accounts import verification
from accounts.models import OfficialRole
from core import email
from core.email import queue_email
from core.models import OutgoingEmail
from tests.core.failing_email import FailsTwiceBackend
from tests.factories import find_jurisdiction, make_member, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_fails_twice(settings):
    settings.EMAIL_BACKEND = "tests.core.failing_email.FailsTwiceBackend"
    FailsTwiceBackend.failures_left = 2


@pytest.fixture
def run_worker(settings, monkeypatch):
    """Production's task backend, whose tasks are rows that `db_worker` runs when they are
    due; calling this is one pass of its worker (`db_worker --batch`) over them. Without
    the worker's connection housekeeping, which would end the test's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = db_worker.Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    return worker.run


def minutes_pass(minutes: float) -> None:
    """As if ``minutes`` went by: whatever waits for a time waits that much less."""
    earlier = datetime.timedelta(minutes=minutes)
    OutgoingEmail.objects.filter(next_try__isnull=False).update(next_try=F("next_try") - earlier)
    DBTaskResult.objects.exclude(run_after=get_date_max()).update(
        run_after=F("run_after") - earlier
    )


def health(client) -> tuple[int, dict]:
    response = client.get("/health/")
    return response.status_code, response.json()


def approve_a_verification(capture):
    """A real change that emails: a moderator approves a member's verification."""
    member = make_member()
    request = verification.request_verification(
        user=member,
        jurisdiction=find_jurisdiction("az-maricopa-county"),
        role=OfficialRole.DEPUTY,
        how_to_confirm="Call the main office line listed on the county site.",
    )
    with capture(execute=True):
        verification.approve_verification(request_id=request.pk, by=make_moderator())
    member.refresh_from_db()
    return member


def test_a_failing_mail_server_is_retried_with_backoff_until_the_message_goes_out(
    client, mail_server_fails_twice, run_worker, django_capture_on_commit_callbacks, caplog
):
    assert health(client)[0] == 200
    member = approve_a_verification(django_capture_on_commit_callbacks)
    assert member.is_verified_official  # the change committed, whatever the mail does
    assert mail.outbox == []  # queued, not sent in the request

    with caplog.at_level(logging.WARNING, "core.email"):
        run_worker()  # first attempt: refused
    waiting = OutgoingEmail.objects.get()
    assert (waiting.attempts, mail.outbox) == (1, [])
    assert waiting.last_error.startswith("ConnectionRefusedError")
    assert "trying again" in caplog.text
    status, report = health(client)
    assert status == 503
    assert report["email"] | {"oldest_seconds": 0} == {
        "waiting": 1,
        "retrying": 1,
        "given_up": 0,
        "oldest_seconds": 0,
        "ok": False,
    }

    run_worker()  # not due yet: the next try waits a minute
    assert OutgoingEmail.objects.get().attempts == 1
    minutes_pass(1)
    run_worker()  # second attempt: refused; the next waits two minutes
    waiting = OutgoingEmail.objects.get()
    assert waiting.attempts == 2
    assert waiting.next_try - timezone.now() > datetime.timedelta(minutes=1, seconds=50)
    assert health(client)[0] == 503
    minutes_pass(1)
    run_worker()
    assert mail.outbox == []
    minutes_pass(1)
    run_worker()  # third attempt: delivered

    assert [message.to for message in mail.outbox] == [[member.email]]  # once
    assert "verified you as an election official" in mail.outbox[0].body
    assert not OutgoingEmail.objects.exists()
    status, report = health(client)
    assert status == 200 and report["email"]["waiting"] == 0
    minutes_pass(60)
    run_worker()
    assert len(mail.outbox) == 1


def test_with_the_immediate_backend_a_failed_message_waits_for_the_command(
    client, mail_server_fails_twice, django_capture_on_commit_callbacks
):
    member = approve_a_verification(django_capture_on_commit_callbacks)  # first attempt
    assert member.is_verified_official
    assert (OutgoingEmail.objects.get().attempts, mail.outbox) == (1, [])
    call_command("send_queued_email", verbosity=0)  # not due for a minute
    assert OutgoingEmail.objects.get().attempts == 1
    minutes_pass(1)
    call_command("send_queued_email", verbosity=0)
    assert health(client)[0] == 503
    minutes_pass(2)
    call_command("send_queued_email", verbosity=0)
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert health(client)[0] == 200


def test_a_message_failing_too_often_is_given_up_visibly_and_can_be_tried_again(
    client, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.core.failing_email.FailsTwiceBackend"
    FailsTwiceBackend.failures_left = email.MAX_ATTEMPTS
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["clerk@county.example"], subject="Hello", text="Body")
    with caplog.at_level(logging.ERROR, "core.email"):
        for attempts in range(1, email.MAX_ATTEMPTS):
            minutes_pass(email.retry_delay(attempts).total_seconds() / 60)
            call_command("send_queued_email", verbosity=0)
    given_up = OutgoingEmail.objects.get()
    assert (given_up.attempts, given_up.next_try) == (email.MAX_ATTEMPTS, None)
    assert "Gave up email" in caplog.text
    status, report = health(client)
    assert status == 503 and report["email"]["given_up"] == 1
    minutes_pass(60 * 24)
    call_command("send_queued_email", verbosity=0)
    assert OutgoingEmail.objects.get().next_try is None  # stays given up

    call_command("send_queued_email", "--given-up", verbosity=0)  # the server is fixed
    assert [message.subject for message in mail.outbox] == ["Hello"]
    assert health(client)[0] == 200


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(to=["clerk@county.example"], subject="Never", text="Never sent.")
        raise RuntimeError("the change fails")
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_message_is_sent_once_with_its_html_and_headers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to=["clerk@county.example"],
            subject="Your question has an answer",
            text="Plain words.",
            html="<p>Plain words.</p>",
            headers={"Auto-Submitted": "auto-generated"},
        )
    [message] = mail.outbox
    assert message.body == "Plain words."
    assert message.alternatives[0].content == "<p>Plain words.</p>"
    assert message.extra_headers == {"Auto-Submitted": "auto-generated"}
    assert not OutgoingEmail.objects.exists()


def test_a_message_waiting_too_long_fails_the_health_check(client):
    queue_email(to=["clerk@county.example"], subject="Stuck", text="No worker is running.")
    OutgoingEmail.objects.update(created_at=timezone.now() - email.STALE_AFTER)
    status, report = health(client)
    assert status == 503 and report["email"]["retrying"] == 0


def test_renewal_reminders_go_through_the_queue(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.core.failing_email.FailsTwiceBackend"
    FailsTwiceBackend.failures_left = 1  # the first reminder fails once
    member = make_member(verified_until=timezone.localdate() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_verification_reminders", verbosity=0)
    assert OutgoingEmail.objects.get().attempts == 1
    sent_at_once = len(mail.outbox)
    minutes_pass(1)
    call_command("send_queued_email", verbosity=0)
    assert len(mail.outbox) == sent_at_once + 1
    assert [member.email] in [message.to for message in mail.outbox]
    assert not OutgoingEmail.objects.exists()
