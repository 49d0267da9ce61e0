"""Email, sent by a background task (django-tasks) and retried when sending fails.

`queue_email` writes the message (`OutgoingEmail`) in the caller's transaction and, once
that commits, enqueues `send_email`, which sends it through Django's EMAIL_BACKEND. A
failure (an SMTP error, a refused connection) is recorded on the message and tried again
1, 2, 4 … minutes later, up to MAX_ATTEMPTS attempts; then the message is given up. Both
show in `outbox_health` (the /health/ view) and in the log. Nothing here raises into the
write that sent the message.

Who tries again: with a backend that runs tasks later (the database backend and
`manage.py db_worker`, production), the task enqueues itself for the next try. The
immediate backend (development, tests) cannot wait, so there a failed message waits for
`manage.py send_queued_email`, which enqueues every message that is due, including any
whose task was lost (a process that stopped between its commit and the enqueue, or while
sending).
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # waits of 1, 2, 4 … 64 minutes: given up after about four hours
FIRST_RETRY = timedelta(minutes=1)
# While a task sends a message no other task takes it; one that takes longer has died.
SENDING_LEASE = timedelta(minutes=10)
# A message waiting longer than this is not being sent at all (is `db_worker` running?).
STALE_AFTER = timedelta(minutes=15)


def queue_email(
    *, to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> OutgoingEmail:
    """Send a message once the current transaction commits (at once outside one); a
    transaction rolled back sends nothing. ``text`` is the plain-text body, ``html`` an
    optional HTML alternative."""
    return queue_emails(
        [{"to": to, "subject": subject, "text": text, "html": html, "headers": headers}]
    )[0]


def queue_emails(messages: list[dict]) -> list[OutgoingEmail]:
    """`queue_email` for many messages (each a dict of its arguments): one statement and
    one task whatever their number, for fan-out and digests."""
    emails = OutgoingEmail.objects.bulk_create(_outgoing(**message) for message in messages)
    if emails:
        # Robust: should enqueueing fail, the committed write stands and the messages wait
        # for `send_queued_email`.
        pks = [email.pk for email in emails]
        transaction.on_commit(partial(send_emails.enqueue, pks), robust=True)
    return emails


def _outgoing(
    *, to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> OutgoingEmail:
    return OutgoingEmail(to=list(to), subject=subject, text=text, html=html, headers=headers or {})


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure."""
    return FIRST_RETRY * 2 ** (attempts - 1)


@task()
def send_email(email_id: int) -> str:
    """Send one queued message (a retry, `send_queued_email`); see `_send`."""
    return _send(email_id)


@task()
def send_emails(email_ids: list[int]) -> dict:
    """Send newly queued messages in turn; counts what happened to them."""
    outcomes: dict[str, int] = {}
    for email_id in email_ids:
        outcome = _send(email_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _send(email_id: int) -> str:
    """Send one queued message if it is due and no other task is sending it; says what
    happened, which the task's result keeps."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, next_try__lte=now).update(
        next_try=now + SENDING_LEASE
    )
    if not claimed:  # sent already, given up, not due yet, or another task has it
        return "not due"
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=email.to, headers=email.headers
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:  # whatever stopped it, the message waits for another try
        return _failed(email, error)
    email.delete()
    return "sent"


def _failed(email: OutgoingEmail, error: Exception) -> str:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"
    if email.attempts >= MAX_ATTEMPTS:
        email.next_try = None
        email.save(update_fields=["attempts", "last_error", "next_try"])
        logger.error("Gave up email %s after %d attempts: %s", email.pk, email.attempts, error)
        return "given up"
    email.next_try = timezone.now() + retry_delay(email.attempts)
    email.save(update_fields=["attempts", "last_error", "next_try"])
    logger.warning(
        "Could not send email %s (attempt %d of %d), trying again at %s: %s",
        email.pk,
        email.attempts,
        MAX_ATTEMPTS,
        email.next_try.isoformat(timespec="seconds"),
        error,
    )
    if send_email.get_backend().supports_defer:
        send_email.using(run_after=email.next_try).enqueue(email.pk)
    return "retrying"


def queue_due_email(*, given_up: bool = False) -> int:
    """Enqueue `send_email` for every message that is due; with ``given_up``, first make
    the messages given up due again, with their attempts counted afresh. Returns how many."""
    if given_up:
        OutgoingEmail.objects.filter(next_try__isnull=True).update(
            next_try=timezone.now(), attempts=0
        )
    due = list(
        OutgoingEmail.objects.filter(next_try__lte=timezone.now()).values_list("pk", flat=True)
    )
    for pk in due:
        send_email.enqueue(pk)
    return len(due)


def outbox_health() -> dict:
    """What waits to be sent, for the health check: ``ok`` is false while a message's last
    attempt failed, one was given up, or one has waited longer than STALE_AFTER. Counts
    only: the messages' addresses and errors stay in the database and the log."""
    now = timezone.now()
    found = OutgoingEmail.objects.aggregate(
        waiting=Count("pk"),
        retrying=Count("pk", filter=Q(attempts__gt=0, next_try__isnull=False)),
        given_up=Count("pk", filter=Q(next_try__isnull=True)),
        oldest=Min("created_at"),
    )
    oldest = found.pop("oldest")
    waited = 0 if oldest is None else int((now - oldest).total_seconds())
    return {
        **found,
        "oldest_seconds": waited,
        "ok": not found["retrying"]
        and not found["given_up"]
        and waited < STALE_AFTER.total_seconds(),
    }
