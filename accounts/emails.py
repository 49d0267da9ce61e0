"""Email to members, through `core.email`: written with the change that causes it, sent
once that commits, and tried again when sending fails. The decision is recorded whether or
not the mail goes out, and links point at the site's base URL (`core.sites`)."""

from django.conf import settings
from django.template.loader import render_to_string

from core.email import queue_email
from core.sites import base_url


def send_after_commit(*, user, template: str, context: dict) -> None:
    """Email ``user`` the message ``accounts/email/<template>.txt`` once the change commits."""
    context = {**context, "user": user, "site_url": base_url()}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    queue_email(
        to=[user.email],
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        text=render_to_string(f"accounts/email/{template}.txt", context),
    )
