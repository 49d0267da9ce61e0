"""Email to members. Sent after the database change commits, and a failure to send is
logged, never raised: the decision is recorded whether or not the mail goes out."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _send(*, user, template: str, context: dict) -> None:
    context = {**context, "user": user, "site_url": settings.WAGTAILADMIN_BASE_URL}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])
    except Exception:
        logger.exception("Could not send the %s email to user %s", template, user.pk)


def send_after_commit(*, user, template: str, context: dict) -> None:
    """Email ``user`` the message ``accounts/email/<template>.txt`` once the change commits."""
    transaction.on_commit(lambda: _send(user=user, template=template, context=context))
