"""The state changes of following, reading and email choices: views, tasks, commands and
tests call these, never a raw save."""

from django.db import transaction
from django.utils import timezone

from cohorts.membership import belongs
from cohorts.models import Cohort
from forum import permissions as forum_permissions
from forum.models import Question, Topic

from . import unread
from .models import DIGEST, EMAIL_KINDS, Digest, EmailSettings, Follow, Level, Notification


class NotificationError(ValueError):
    """A request these services refuse (an unknown level or kind of email)."""


def _check_level(level: str) -> None:
    if level not in Level.values:
        raise NotificationError("Choose watching, normal or muted.")


@transaction.atomic
def follow_question(*, user, question: Question, level: str) -> Follow:
    """Follow a thread one may read at ``level`` (muted: hear of nothing in it)."""
    forum_permissions.check_read_question(user, question)
    _check_level(level)
    follow, _ = Follow.objects.update_or_create(
        user=user, question=question, defaults={"level": level}
    )
    return follow


def _set_follow(*, user, level: str | None, **followed) -> Follow | None:
    """Follow one topic or cohort (``followed``) at ``level``, or stop following it with
    None."""
    if level is None:
        Follow.objects.filter(user=user, **followed).delete()
        return None
    _check_level(level)
    follow, _ = Follow.objects.update_or_create(user=user, **followed, defaults={"level": level})
    # Digests are sent to those with settings saved: the defaults, from now on.
    EmailSettings.objects.get_or_create(user=user)
    return follow


@transaction.atomic
def follow_topic(*, user, topic: Topic, level: str | None) -> Follow | None:
    """Follow a topic at ``level``, or stop following it with None."""
    return _set_follow(user=user, level=level, topic=topic)


@transaction.atomic
def follow_cohort(*, user, cohort: Cohort, level: str | None) -> Follow | None:
    """Follow a cohort one belongs to at ``level`` (its new cohort-only questions), or stop
    following it with None, which a former member may do too."""
    if level is not None and not belongs(user, cohort):
        raise NotificationError("Only the cohort's members can follow it.")
    return _set_follow(user=user, level=level, cohort=cohort)


def start_following(*, user_ids: list[int], question_id: int, level: str) -> None:
    """Follow a thread on someone's behalf (they asked, answered or commented in it),
    leaving alone whoever chose a level for it already."""
    Follow.objects.bulk_create(
        [Follow(user_id=pk, question_id=question_id, level=level) for pk in user_ids],
        ignore_conflicts=True,
    )


def email_settings(user) -> EmailSettings:
    """The person's email choices: their row, or the defaults (unsaved)."""
    return EmailSettings.objects.filter(user=user).first() or EmailSettings(user=user)


@transaction.atomic
def update_email_settings(
    *, user, own_posts: bool, mentions: bool, watched: bool, digest: str
) -> EmailSettings:
    if digest not in Digest.values:
        raise NotificationError("Choose daily, weekly or no digest.")
    found = email_settings(user)
    if found._state.adding or found.digest == Digest.NEVER:
        # A digest starts from now, not from when the account was made.
        found.digest_through = timezone.now()
    found.own_posts, found.mentions, found.watched, found.digest = (
        own_posts,
        mentions,
        watched,
        digest,
    )
    found.save()
    return found


@transaction.atomic
def unsubscribe(*, user, kind: str) -> EmailSettings:
    """Turn off one kind of email (`models.EMAIL_KINDS`), as an unsubscribe link does."""
    if kind not in EMAIL_KINDS:
        raise NotificationError("There is no such kind of email.")
    found = email_settings(user)
    if kind == DIGEST:
        found.digest = Digest.NEVER
    else:
        setattr(found, kind, False)
    found.save()
    return found


def mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise NotificationError("That is not your notification.")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        unread.forget([user.pk])


def mark_all_read(*, user) -> int:
    marked = Notification.objects.unread().filter(recipient=user).update(read_at=timezone.now())
    unread.forget([user.pk])
    return marked
