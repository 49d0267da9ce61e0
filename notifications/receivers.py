"""How notifications answer the forum's and accounts' signals (connected in
`apps.NotificationsConfig`)."""

from . import tasks, unread
from .models import EmailSettings, Follow, Kind, Level, Notification


def thread_activity(sender, *, activity, question_id, actor_id, post_id, **kwargs) -> None:
    """Sent after commit: hand the fan-out to the background task."""
    tasks.deliver.enqueue(activity, question_id, actor_id, post_id)


def moderation(sender, *, event, flag_ids, question_id, post, **kwargs) -> None:
    """Sent after commit: the author and the flaggers are told, in the background."""
    tasks.tell_moderation.enqueue(event, flag_ids, question_id, list(post))


# A moderator's action on a member (`accounts.services.MODERATION_ACTIONS`), as an inbox item.
MEMBER_ACTIONS = {
    "warn": Kind.WARNED,
    "suspend": Kind.SUSPENDED,
    "revoke_verification": Kind.VERIFICATION_REVOKED,
}


def member_moderated(sender, *, user_id, action, reason, until=None, **kwargs) -> None:
    """Sent after commit: the member's inbox keeps what the moderator told them (accounts
    emails it)."""
    Notification.objects.create(
        recipient_id=user_id, kind=MEMBER_ACTIONS[action], note=reason, until=until
    )
    unread.forget([user_id])


def verification_decided(sender, *, request_id, **kwargs) -> None:
    """Sent after commit: the decision goes into the member's inbox (accounts emails it)."""
    notification = Notification.objects.create(
        recipient_id=sender.objects.values_list("user_id", flat=True).get(pk=request_id),
        kind=Kind.VERIFICATION,
        verification_id=request_id,
    )
    unread.forget([notification.recipient_id])


def forget_person(sender, *, user, **kwargs) -> None:
    """A deleted account keeps nothing here: no follows, no inbox, no email choices."""
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    EmailSettings.objects.filter(user=user).delete()


def threads_merged(sender, *, question_id, into_id, **kwargs) -> None:
    """Inside the merge's transaction: who followed the merged thread follows the one it was
    merged into, and its inbox items point there. A person following both keeps the higher
    level (following at "normal" is what answering or commenting does on its own, so a
    "watching" chosen on either is kept), except that a person who muted the canonical
    thread keeps it muted: a mute is a choice about that very thread, which a merge should
    not undo. A few statements, whatever the number of followers."""
    moved = Follow.objects.filter(question_id=question_id)
    Follow.objects.filter(
        question_id=into_id,
        level=Level.NORMAL,
        user__in=moved.filter(level=Level.WATCHING).values("user"),
    ).update(level=Level.WATCHING)
    moved.filter(user__in=Follow.objects.filter(question_id=into_id).values("user")).delete()
    moved.update(question_id=into_id)
    Notification.objects.filter(question_id=question_id).update(question_id=into_id)
