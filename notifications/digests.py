"""Digests of new questions in followed topics and cohorts, sent by `manage.py send_digests`
from cron. A question of a followed cohort is listed under the cohort's name, others under
their first followed topic; a muted topic or cohort leaves its questions out; only what the
reader may read now is listed (`forum.audience`, their roles and cohorts loaded in bulk).

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
from cohorts.membership import load_cohorts
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
    follows_something = Follow.objects.filter(
        user_id=OuterRef("user_id"), question__isnull=True
    ).exclude(level=Level.MUTED)
    due = EmailSettings.objects.filter(_due(ends), Exists(follows_something))
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
    load_cohorts([found.user for found in chosen])
    # ("topic" or "cohort", pk) followed and muted, by person.
    followed: dict[int, set[tuple[str, int]]] = {found.user_id: set() for found in chosen}
    muted: dict[int, set[tuple[str, int]]] = {found.user_id: set() for found in chosen}
    for user_id, topic_id, cohort_id, level in Follow.objects.filter(
        user_id__in=followed, question__isnull=True
    ).values_list("user_id", "topic_id", "cohort_id", "level"):
        thing = ("topic", topic_id) if topic_id else ("cohort", cohort_id)
        (muted if level == Level.MUTED else followed)[user_id].add(thing)
    wanted = set().union(*followed.values())
    questions = list(
        Question.objects.filter(
            Q(topics__in={pk for kind, pk in wanted if kind == "topic"})
            | Q(cohort__in={pk for kind, pk in wanted if kind == "cohort"}),
            audience.PUBLISHED,
            created_at__gt=min(found.digest_through for found in chosen),
            created_at__lte=max(ends.values()),
        )
        .distinct()
        .select_related("cohort")
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

    def under(self, followed: set, muted: set) -> tuple[str, int, str] | None:
        """The heading (kind, pk, name) the question is listed under for someone following
        and muting these ("topic" or "cohort", pk): its cohort if followed, else its first
        followed topic; None when neither, or when it is in something muted."""
        cohort = self.question.cohort
        headings = [("cohort", cohort.pk, cohort.name)] if cohort else []
        headings += [("topic", topic.pk, topic.name) for topic in self.topics]
        if any(heading[:2] in muted for heading in headings):
            return None
        return next((heading for heading in headings if heading[:2] in followed), None)


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
    entries: list[_Entry], followed: set, muted: set
) -> tuple[list[tuple[tuple, _Entry]], int]:
    """The newest MAX_QUESTIONS questions in a followed topic or cohort and in nothing
    muted, each with its heading (`_Entry.under`), and how many more there were."""
    chosen = []
    for entry in entries:
        heading = entry.under(followed, muted)
        if heading is not None:
            chosen.append((heading, entry))
    return chosen[:MAX_QUESTIONS], max(0, len(chosen) - MAX_QUESTIONS)


def _sections(chosen: list[tuple[tuple, _Entry]]) -> list[dict]:
    """The chosen questions under their headings, by name, newest first in each."""
    sections: dict[tuple, list[_Entry]] = {}
    for heading, entry in chosen:
        sections.setdefault(heading, []).append(entry)
    return [
        {"topic": heading[2], "entries": found}
        for heading, found in sorted(sections.items(), key=lambda pair: pair[0][2])
    ]
