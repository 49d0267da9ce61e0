"""The moderators' daily reminder of flags waiting more than a day (`manage.py
send_flag_reminders`, daily from cron): one email to each moderator who can act (two-factor
set up), with how many posts wait and a link to the queue; nothing when none waits that long.
It names no post, no reporter and no author: the queue, behind sign-in, does."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from accounts.permissions import is_moderator, load_roles
from core.email import queue_emails
from core.sites import base_url

from .models import Flag, FlagStatus

WAITING_TOO_LONG = datetime.timedelta(hours=24)


def send_flag_reminders(*, now: datetime.datetime | None = None) -> int:
    """Email the moderators if flags have waited too long; returns how many were emailed."""
    since = (now or timezone.now()) - WAITING_TOO_LONG
    waiting = (
        Flag.objects.filter(status=FlagStatus.OPEN, created_at__lte=since)
        .values("question_id", "answer_id", "comment_id")
        .distinct()
        .count()
    )
    if not waiting:
        return 0
    candidates = list(
        User.objects.filter(
            Q(groups__name=roles.MODERATORS) | Q(is_superuser=True), is_active=True
        ).distinct()
    )
    load_roles(candidates)
    context = {"waiting": waiting, "queue_url": base_url() + reverse("forum_flag_queue")}
    subject = render_to_string("forum/email/flag_reminder_subject.txt", context).strip()
    text = render_to_string("forum/email/flag_reminder.txt", context)
    moderators = [person for person in candidates if is_moderator(person)]
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
    queue_emails(
        [{"to": [person.email], "subject": subject, "text": text} for person in moderators]
    )
    return len(moderators)
