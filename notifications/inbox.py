"""What an inbox item (and the email about it) says, decided when it is shown.

An item names what it is about and copies none of it, so it is described from the thread as
the recipient may read it now (`forum.audience`): an item about a thread they may no longer
read is not shown at all; one about an answer or comment hidden since is reduced to "new
activity" in the thread. Names are signed as the thread signs them for this reader
(`forum_tags.signed_name`), so an asker who asked without their name is never named."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import VerificationStatus
from forum import audience, permissions
from forum.models import FlagStatus
from forum.templatetags.forum_tags import signed_name

from .models import Kind, Notification

PER_PAGE = 25


@dataclass(frozen=True)
class Item:
    notification: Notification
    summary: str  # one sentence, plain text (templates escape it)
    url: str  # a path on this site
    post: object | None  # the answer, comment or question it is about, readable now

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def for_inbox(queryset):
    """What describing an item reads, joined into one query."""
    return queryset.select_related(
        "question",
        "question__cohort",
        "answer",
        "comment",
        "comment__answer",
        "topic",
        "verification",
        "flag",
    )


def _writer(notification: Notification):
    """The post whose writer the item names, if any."""
    return notification.comment or notification.answer or notification.question


def describe(notification: Notification, user) -> Item | None:
    """The item as ``user`` may see it now, or None when they may not see it at all."""
    if notification.kind == Kind.VERIFICATION:
        return _verification(notification)
    if notification.kind == Kind.RECORDS_EXPORTED:
        return _records_exported(notification)
    if notification.kind in _TO_THE_MEMBER:
        return _to_the_member(notification)
    if notification.kind in (Kind.HELD, Kind.POST_DECIDED, Kind.FLAG_DECIDED):
        return _moderation(notification, user)
    question = notification.question
    if question is None or not audience.may_read(user, question):
        return None
    title = question.title
    post = _writer(notification)
    comment = notification.comment
    answer = notification.answer or (comment.answer if comment else None)
    if not all(audience.shows(user, shown) for shown in (answer, comment) if shown is not None):
        return Item(
            notification,
            _("There was new activity in “%(title)s”.") % {"title": title},
            question.get_absolute_url(),
            None,
        )
    name = signed_name(
        question, post.author_id, post.author_name, permissions.byline_controls(user, question)
    )
    values = {"name": name, "title": title}
    url = question.get_absolute_url()
    if comment is not None:
        url += f"#comment-{comment.pk}"
    elif notification.answer is not None:
        url += f"#answer-{notification.answer_id}"
    match notification.kind:
        case Kind.ANSWER if question.author_id == user.pk:
            summary = _("%(name)s answered your question “%(title)s”.")
        case Kind.ANSWER:
            summary = _("%(name)s answered “%(title)s”.")
        case Kind.COMMENT if answer is not None and answer.author_id == user.pk:
            summary = _("%(name)s commented on your answer to “%(title)s”.")
        case Kind.COMMENT if answer is None and question.author_id == user.pk:
            summary = _("%(name)s commented on your question “%(title)s”.")
        case Kind.COMMENT:
            summary = _("%(name)s commented in “%(title)s”.")
        case Kind.ACCEPTED:
            summary = _("Your answer to “%(title)s” was accepted.")
        case Kind.MENTION:
            summary = _("%(name)s mentioned you in “%(title)s”.")
        case _:  # Kind.NEW_QUESTION: in a followed topic, or else in a followed cohort
            values["topic"] = str(notification.topic or question.cohort or _("a topic"))
            summary = _("New question in %(topic)s: “%(title)s”.")
    return Item(notification, summary % values, url, post)


# What moderation items say, by kind and outcome, and by the kind of post.
_MODERATION = {
    (Kind.HELD, None): {
        "question": _lazy(
            "Your question “%(title)s” is hidden while a moderator reviews a report about it. "
            "You can still read and edit it."
        ),
        "answer": _lazy(
            "Your answer in “%(title)s” is hidden while a moderator reviews a report about it. "
            "You can still read and edit it."
        ),
        "comment": _lazy(
            "Your comment in “%(title)s” is hidden while a moderator reviews a report about it."
        ),
    },
    (Kind.POST_DECIDED, "hidden"): {
        "question": _lazy("A moderator hid your question “%(title)s”: %(note)s"),
        "answer": _lazy("A moderator hid your answer in “%(title)s”: %(note)s"),
        "comment": _lazy("A moderator hid your comment in “%(title)s”: %(note)s"),
    },
    (Kind.POST_DECIDED, FlagStatus.UPHELD): {
        "question": _lazy("A moderator changed your question “%(title)s” after a report: %(note)s"),
        "answer": _lazy("A moderator changed your answer in “%(title)s” after a report: %(note)s"),
        "comment": _lazy(
            "A moderator changed your comment in “%(title)s” after a report: %(note)s"
        ),
    },
    (Kind.POST_DECIDED, FlagStatus.DISMISSED): {
        "question": _lazy(
            "A moderator reviewed a report about your question “%(title)s”: it is shown again."
        ),
        "answer": _lazy(
            "A moderator reviewed a report about your answer in “%(title)s”: it is shown again."
        ),
        "comment": _lazy(
            "A moderator reviewed a report about your comment in “%(title)s”: it is shown again."
        ),
    },
    (Kind.FLAG_DECIDED, FlagStatus.UPHELD): _lazy(
        "A moderator acted on your report about a post in “%(title)s”. Thank you."
    ),
    (Kind.FLAG_DECIDED, FlagStatus.DISMISSED): _lazy(
        "A moderator reviewed your report about a post in “%(title)s” and left the post as it was."
    ),
}


def _moderation(notification: Notification, user) -> Item | None:
    """A report's course, told to the post's author (who may no longer read the thread, and
    still learns what became of what they wrote) and to those who reported it (while they
    may read it). Neither learns who else reported it."""
    question = notification.question
    post = _writer(notification)
    flag = notification.flag
    if post is None or flag is None:
        return None
    wrote_it = post.author_id == user.pk
    if not wrote_it and not audience.may_read(user, question):
        return None
    outcome = None
    if notification.kind == Kind.POST_DECIDED:
        upheld_and_hidden = flag.status == FlagStatus.UPHELD and post.is_hidden
        outcome = "hidden" if upheld_and_hidden else flag.status
    elif notification.kind == Kind.FLAG_DECIDED:
        outcome = flag.status
    wording = _MODERATION[(notification.kind, outcome)]
    if isinstance(wording, dict):
        wording = wording[post.kind]
    summary = str(wording) % {"title": question.title, "note": flag.decision_note}
    url = post.get_absolute_url() if audience.shows(user, post) else question.get_absolute_url()
    return Item(notification, summary, url, None)


_TO_THE_MEMBER = {
    Kind.WARNED: _lazy("A moderator warned you: %(note)s"),
    Kind.SUSPENDED: _lazy("A moderator suspended your posting until %(until)s: %(note)s"),
    Kind.VERIFICATION_REVOKED: _lazy("A moderator withdrew your verification: %(note)s"),
}


def _to_the_member(notification: Notification) -> Item:
    until = notification.until and date_format(
        timezone.localtime(notification.until), "DATETIME_FORMAT"
    )
    summary = str(_TO_THE_MEMBER[notification.kind]) % {"note": notification.note, "until": until}
    return Item(notification, summary, reverse("accounts:profile"), None)


def _verification(notification: Notification) -> Item:
    request = notification.verification
    if request.status == VerificationStatus.APPROVED:
        summary = _("Your verification was approved: you can now ask, answer and comment.")
    else:
        summary = _("Your verification request was declined. See why, and what to do next.")
    return Item(notification, summary, reverse("accounts:verification"), None)


def _records_exported(notification: Notification) -> Item:
    """An administrator's public-records export of the person's posts (`reports.records`):
    the note holds its range as an ISO interval, "2024-01-01/2024-03-31". No name: the
    site's administrators made it."""
    start, end = (
        date_format(datetime.date.fromisoformat(day), "DATE_FORMAT")
        for day in notification.note.split("/")
    )
    summary = _(
        "The site's administrators exported your posts from %(start)s to %(end)s to answer "
        "a public-records request."
    ) % {"start": start, "end": end}
    return Item(notification, summary, reverse("accounts:profile"), None)


def _place_of(notification: Notification) -> str:
    """Where an item stands in the inbox: its time (microseconds since 1970) and its key."""
    return f"{int(notification.created_at.timestamp() * 1_000_000)}.{notification.pk}"


def _before(place: str | None) -> Q:
    """The items older than ``place``; every item for a place that is not one."""
    try:
        micros, pk = (int(part) for part in (place or "").split("."))
        moment = datetime.datetime.fromtimestamp(micros / 1_000_000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return Q()
    return Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk)


def page(user, *, before: str | None = None) -> tuple[list[Item], str | None]:
    """The items older than the place ``before`` (newest first: when what they tell of
    happened), as ``user`` may see them now, and the place the next page starts from (None
    on the last). One query per page, through the index on (recipient, time); items the
    reader may no longer see are left out, so a page may show fewer than PER_PAGE."""
    rows = Notification.objects.filter(_before(before), recipient=user)
    rows = list(for_inbox(rows.order_by("-created_at", "-pk"))[: PER_PAGE + 1])
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    items = [item for row in rows if (item := describe(row, user)) is not None]
    return items, (_place_of(rows[-1]) if more else None)
