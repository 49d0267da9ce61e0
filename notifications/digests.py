"""Digests of new questions in followed topics, sent by `manage.py send_digests` from cron.

A daily digest covers whole days and a weekly one whole weeks (from Monday), in the site's
time zone, ending at the start of the current one, so it does not matter at what hour the
command runs. Each person's `EmailSettings.digest_through` is the end of what their last
digest covered: a digest covers everything after it, so a day the command did not run is
caught up in the next digest, and a person is due again only once a new period has ended.

Idempotent: a batch first claims its people (`digest_claim`) with one UPDATE, the first
statement of its transaction, then writes their digests to the outbox and moves
`digest_through` on in the same transaction. A second run meanwhile waits on those rows and
then finds them no longer due; a batch that fails rolls back and its people stay due. The
queries per batch are a fixed number, whatever its size."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.permissions import load_roles
from core.email import queue_emails
from core.sites import base_url
from forum import audience
from forum.models import Question, Topic

from . import emails
from .models import DIGEST, Digest, EmailSettings, Follow, Level

BATCH = 500
# A digest lists the newest questions, up to this many, and counts the rest: a longer list
# is not read, and costs the outbox (and the mail server) for nothing.
MAX_QUESTIONS = 30


def period_ends(now: datetime.datetime) -> dict[str, datetime.datetime]:
    """Where the latest whole period of each frequency ended: today's and this week's start."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return {Digest.DAILY: today, Digest.WEEKLY: today - datetime.timedelta(days=today.weekday())}


def _due(ends: dict) -> Q:
    return Q(digest=Digest.DAILY, digest_through__lt=ends[Digest.DAILY]) | Q(
        digest=Digest.WEEKLY, digest_through__lt=ends[Digest.WEEKLY]
    )


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Send every digest that is due; returns how many were written to the outbox."""
    ends = period_ends(now or timezone.now())
    follows_a_topic = Follow.objects.filter(
        user_id=OuterRef("user_id"), topic__isnull=False
    ).exclude(level=Level.MUTED)
    due = EmailSettings.objects.filter(_due(ends), Exists(follows_a_topic))
    sent, after = 0, 0
    while pks := list(
        due.filter(user_id__gt=after).order_by("user_id").values_list("user_id", flat=True)[:BATCH]
    ):
        sent += _send_batch(pks, ends)
        after = pks[-1]
    return sent


@transaction.atomic
def _send_batch(pks: list[int], ends: dict) -> int:
    claim = uuid.uuid4()
    EmailSettings.objects.filter(_due(ends), user_id__in=pks).update(digest_claim=claim)
    chosen = list(EmailSettings.objects.filter(digest_claim=claim).select_related("user"))
    if not chosen:
        return 0
    load_roles([found.user for found in chosen])
    followed: dict[int, set[int]] = {found.user_id: set() for found in chosen}
    muted: dict[int, set[int]] = {found.user_id: set() for found in chosen}
    for user_id, topic_id, level in Follow.objects.filter(
        user_id__in=followed, topic__isnull=False
    ).values_list("user_id", "topic_id", "level"):
        (muted if level == Level.MUTED else followed)[user_id].add(topic_id)
    questions = list(
        Question.objects.filter(
            audience.PUBLISHED,
            created_at__gt=min(found.digest_through for found in chosen),
            created_at__lte=max(ends.values()),
            topics__in=set().union(*followed.values()),
        )
        .distinct()
        .defer("body", "body_html")
        .prefetch_related("topics")
        .order_by("-created_at", "-pk")
    )
    entries = _entries(questions)
    # Who may read a question depends only on the reader's audiences: found once per batch.
    readable: dict[str, list[_Entry]] = {}
    messages = []
    for found in chosen:
        key = audience.cache_key(found.user)
        if key not in readable:
            readable[key] = [e for e in entries if audience.may_read(found.user, e.question)]
        through = ends[found.digest]
        shown, more = _chosen_for(
            [e for e in readable[key] if found.digest_through < e.question.created_at <= through],
            followed[found.user_id],
            muted[found.user_id],
        )
        if shown:
            messages.append(
                emails.digest(
                    user=found.user,
                    sections=_sections(shown),
                    more=more,
                    since=found.digest_through,
                    through=through,
                    kind=DIGEST,
                )
            )
    for frequency, through in ends.items():
        EmailSettings.objects.filter(digest_claim=claim, digest=frequency).update(
            digest_through=through
        )
    queue_emails(messages)
    return len(messages)


@dataclass(frozen=True)
class _Entry:
    """A question as digests list it, its lines rendered once per batch, not per reader."""

    question: Question
    topics: tuple[Topic, ...]  # by name
    text: str
    html: str


def _entries(questions: list[Question]) -> list[_Entry]:
    entries = []
    for question in questions:
        context = {
            "question": question,
            "url": base_url() + question.get_absolute_url(),
            "withheld": audience.email_detail(question) == audience.LINK,
        }
        entries.append(
            _Entry(
                question,
                tuple(sorted(question.topics.all(), key=lambda topic: topic.name)),
                render_to_string("notifications/email/digest_item.txt", context),
                render_to_string("notifications/email/digest_item.html", context),
            )
        )
    return entries


def _chosen_for(
    entries: list[_Entry], followed: set[int], muted: set[int]
) -> tuple[list[tuple[Topic, _Entry]], int]:
    """The newest MAX_QUESTIONS questions in a followed topic and in none muted, each with
    the first such topic (by name), and how many more there were."""
    chosen = []
    for entry in entries:
        if any(topic.pk in muted for topic in entry.topics):
            continue
        topic = next((topic for topic in entry.topics if topic.pk in followed), None)
        if topic is not None:
            chosen.append((topic, entry))
    return chosen[:MAX_QUESTIONS], max(0, len(chosen) - MAX_QUESTIONS)


def _sections(chosen: list[tuple[Topic, _Entry]]) -> list[dict]:
    """The chosen questions under their topics, the topics by name, newest first in each."""
    sections: dict[Topic, list[_Entry]] = {}
    for topic, entry in chosen:
        sections.setdefault(topic, []).append(entry)
    return [
        {"topic": topic.name, "entries": found}
        for topic, found in sorted(sections.items(), key=lambda pair: pair[0].name)
    ]
