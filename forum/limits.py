"""How often people may post questions, answers and comments: the one rule, which
`services.ask_question`, `post_answer` and `add_comment` apply, with its numbers in
`settings.CANVASS_POSTING_LIMITS` (config/settings/base.py says what each means).

The limits are counted from the person's posts in the database (`created_at`), not from a
cache, so they hold across processes and restarts. A check costs at most four queries,
however many posts the person has: the lock on their row, when they were first verified,
their latest post within the interval, and their questions or answers of the past 24 hours.
Moderators are exempt."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.permissions import is_moderator, is_verified_official
from accounts.verification import verified_since

from .models import Answer, Comment, Question

QUESTION, ANSWER, COMMENT = "question", "answer", "comment"
DAY = datetime.timedelta(days=1)
_DAILY_CAPS = {
    QUESTION: (Question, "new_official_questions_per_day"),
    ANSWER: (Answer, "new_official_answers_per_day"),
}

_lifted = ContextVar("posting_limits_lifted", default=False)


@contextmanager
def lifted():
    """No limits within this block. For loaders that write a whole history at once (the
    demo), never around a person's request."""
    token = _lifted.set(True)
    try:
        yield
    finally:
        _lifted.reset(token)


@dataclass(frozen=True)
class Refusal:
    until: datetime.datetime
    message: str


def refusal(user: User, kind: str) -> Refusal | None:
    """Why ``user`` may not post a ``kind`` (QUESTION, ANSWER or COMMENT) now, and when they
    may, or None when they may. Call it inside the transaction that writes the post: it locks
    the person's row, so two posts sent at once are counted one after the other."""
    limits = settings.CANVASS_POSTING_LIMITS
    if limits is None or _lifted.get() or is_moderator(user):
        return None
    # Without the lock two requests could both count the same earlier posts (PostgreSQL;
    # SQLite lets one writer in at a time anyway).
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    now = timezone.now()
    new = _is_new_official(user, now, limits)
    seconds = limits["new_official_seconds_between_posts" if new else "seconds_between_posts"]
    waits = []
    latest = _latest_post(user, since=now - datetime.timedelta(seconds=seconds))
    if latest is not None:
        waits.append(
            (latest + datetime.timedelta(seconds=seconds), _interval_reason(new, seconds, limits))
        )
    if new and kind in _DAILY_CAPS:
        model, setting = _DAILY_CAPS[kind]
        cap = limits[setting]
        recent = list(
            model.objects.filter(author=user, created_at__gt=now - DAY)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:cap]
        )
        if len(recent) >= cap:
            # The oldest of the last `cap` leaves the 24 hours first.
            waits.append((recent[-1] + DAY, _daily_reason(kind, cap, limits)))
    if not waits:
        return None
    until, reason = max(waits, key=lambda wait: wait[0])
    again = _("You can post again %(when)s.") % {"when": _when(until, now)}
    return Refusal(until=until, message=f"{reason} {again}")


def _is_new_official(user: User, now: datetime.datetime, limits: dict) -> bool:
    if not is_verified_official(user):
        return False
    since = verified_since(user)
    return since is not None and now < since + datetime.timedelta(days=limits["new_official_days"])


def _latest_post(user: User, *, since: datetime.datetime) -> datetime.datetime | None:
    """The time of ``user``'s latest question, answer or comment after ``since`` (one query)."""
    times = [
        model.objects.filter(author=user, created_at__gt=since)
        .order_by()
        .values_list("created_at", flat=True)
        for model in (Question, Answer, Comment)
    ]
    latest = times[0].union(*times[1:], all=True).order_by("-created_at")[:1]
    return next(iter(latest), None)


def _interval_reason(new: bool, seconds: int, limits: dict) -> str:
    if new:
        return ngettext(
            "In your first %(days)d days as a verified official, you can post once every "
            "%(seconds)d second.",
            "In your first %(days)d days as a verified official, you can post once every "
            "%(seconds)d seconds.",
            seconds,
        ) % {"days": limits["new_official_days"], "seconds": seconds}
    return ngettext(
        "You can post once every %(seconds)d second.",
        "You can post once every %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def _daily_reason(kind: str, cap: int, limits: dict) -> str:
    values = {"days": limits["new_official_days"], "count": cap}
    if kind == QUESTION:
        return (
            ngettext(
                "In your first %(days)d days as a verified official, you can ask %(count)d "
                "question a day.",
                "In your first %(days)d days as a verified official, you can ask %(count)d "
                "questions a day.",
                cap,
            )
            % values
        )
    return (
        ngettext(
            "In your first %(days)d days as a verified official, you can post %(count)d "
            "answer a day.",
            "In your first %(days)d days as a verified official, you can post %(count)d "
            "answers a day.",
            cap,
        )
        % values
    )


def _when(until: datetime.datetime, now: datetime.datetime) -> str:
    """``until`` in the site's time zone: the time to the second today, else the day and the
    minute (rounded up, so it is never too early)."""
    local = timezone.localtime(until)
    if local.date() == timezone.localtime(now).date():
        return _("at %(time)s") % {"time": dateformat.format(local, "g:i:s A")}
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return _("on %(date)s at %(time)s") % {
        "date": dateformat.format(local, "l, F j"),
        "time": dateformat.format(local, "g:i A"),
    }
