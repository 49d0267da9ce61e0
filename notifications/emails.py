"""The email Canvass sends about what people follow, built here and sent through
`core.email` (written in the caller's transaction, sent by the background task).

Every message has a plain-text and an HTML part; a `Message-ID`, and for a thread's
messages `In-Reply-To`/`References` naming the thread, so a mail client groups them; and
one-click unsubscribe (RFC 8058): `List-Unsubscribe` with a link carrying a signed token for
this person and this kind of email, which works without signing in, and
`List-Unsubscribe-Post`. What a message shows of a thread is `forum.audience.email_detail`:
a members-only thread's title and a link, never its body or an excerpt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.sites import base_url
from forum import audience

from .inbox import Item

_SALT = "canvass.notifications.unsubscribe"
EXCERPT_WORDS = 80


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and kind of email a token unsubscribes, or None for a forged one."""
    try:
        user_id, kind = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return user_id, kind


def _absolute(path: str) -> str:
    return base_url() + path


def _message_id(name: str) -> str:
    return f"<{name}@{urlsplit(base_url()).hostname or 'canvass'}>"


def _message(*, user, kind: str, template: str, context: dict, subject: str, headers: dict) -> dict:
    """One message for ``user``, rendered from ``notifications/email/<template>.txt|html``."""
    unsubscribe = _absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, kind)])
    )
    context = {
        **context,
        "user": user,
        "site_url": base_url(),
        "unsubscribe_url": unsubscribe,
        "settings_url": _absolute(reverse("notifications:settings")),
    }
    return {
        "to": [user.email],
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "text": render_to_string(f"notifications/email/{template}.txt", context),
        "html": render_to_string(f"notifications/email/{template}.html", context),
        "headers": {
            **headers,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def about_item(item: Item, *, user, kind: str) -> dict:
    """The email telling ``user`` of an inbox item, as `core.email.queue_emails` takes it."""
    question = item.notification.question
    detail = audience.email_detail(question)
    summary = item.summary
    if detail == audience.LINK:  # not even the title: what happened, behind sign-in
        summary = _("There is something new for you on Canvass.")
    excerpt = ""
    if detail == audience.FULL and item.post is not None:
        excerpt = Truncator(item.post.body).words(EXCERPT_WORDS)
    thread_id = _message_id(f"question.{question.pk}")
    return _message(
        user=user,
        kind=kind,
        template="notification",
        subject=summary.rstrip("."),
        context={"summary": summary, "url": _absolute(item.url), "excerpt": excerpt},
        headers={
            "Message-ID": _message_id(f"notification.{item.notification.pk}"),
            "In-Reply-To": thread_id,
            "References": thread_id,
        },
    )


def digest(*, user, sections: list[dict], more: int, since, through, kind: str) -> dict:
    """A digest: ``sections`` are {"topic", "entries"}, the questions ``user`` may read now
    asked between ``since`` and ``through``, rendered once for the batch (`digests`), and
    ``more`` is how many others there were. Titles and links alone, which every thread's
    `email_detail` allows."""
    count = sum(len(section["entries"]) for section in sections) + more
    return _message(
        user=user,
        kind=kind,
        template="digest",
        subject=render_to_string(
            "notifications/email/digest_subject.txt", {"count": count}
        ).strip(),
        context={
            "sections": sections,
            "more": more,
            "since": since,
            "through": through,
            "questions_url": _absolute(reverse("forum:questions")),
        },
        headers={"Message-ID": _message_id(f"digest.{user.pk}.{through:%Y%m%d%H%M}")},
    )
