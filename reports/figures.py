"""The staff's figures (issue 17): each a function of a `Scope` (the report's filters) that
returns plain rows, for the admin's report pages (`reports.admin_views`), their charts and
their CSV and spreadsheet export.

Question figures count the threads `QuestionQuerySet.counted` names, whoever may read them:
hidden, held and merged threads are left out; members-only and cohort threads are counted,
as numbers only. No figure here carries a thread's title: the one list of threads,
`waiting_threads`, holds only the threads its reader may read now (`forum.audience`).

Times are in hours. A median and a 90th percentile are interpolated linearly between the
two nearest durations (`percentile`), computed in Python over durations read in one query,
so SQLite and PostgreSQL agree. Months and days are the site's time zone's."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Min, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import VerificationRequest, VerificationStatus
from cms.editorial import topics_needing_a_guide
from forum.models import Flag, FlagReason, FlagStatus, Question, TaggedQuestion, Visibility
from search.models import FruitlessSearch

# How long a thread (or a verification request) has waited: the upper bound in days of
# each bucket, and its label; the last has none.
AGE_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (7, _("Under 7 days")),
    (30, _("7 to 30 days")),
    (90, _("30 to 90 days")),
    (None, _("90 days or more")),
)


@dataclass(frozen=True)
class Scope:
    """What a report covers: asked (or searched, flagged) from ``start`` to ``end``
    inclusive; threads about ``state`` (`Question.states`), asked from an office of size
    ``band`` (the asker's band at the time, `Post.author_size_band`; never an anonymous
    asker's), of ``audience`` (a `Visibility`); ages are measured at ``now``. Empty values
    do not narrow."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    state: str = ""
    band: str = ""
    audience: str = ""
    now: datetime.datetime = field(default_factory=timezone.now)

    def since(self) -> datetime.datetime | None:
        return _midnight(self.start) if self.start else None

    def before(self) -> datetime.datetime | None:
        return _midnight(self.end + datetime.timedelta(days=1)) if self.end else None


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_range(name: str, scope: Scope) -> Q:
    condition = Q()
    if scope.since():
        condition &= Q(**{f"{name}__gte": scope.since()})
    if scope.before():
        condition &= Q(**{f"{name}__lt": scope.before()})
    return condition


def questions(scope: Scope):
    """The threads the question figures count in this scope."""
    found = Question.objects.counted().filter(_in_range("created_at", scope))
    if scope.state:
        found = found.in_state(scope.state)
    if scope.band:
        found = found.asked_from_offices_of_size(scope.band)
    if scope.audience:
        found = found.filter(visibility=scope.audience)
    return found


def _tagged(scope: Scope):
    """One row per (thread, topic) of the scope's threads."""
    return TaggedQuestion.objects.filter(content_object__in=questions(scope).values("pk"))


def _age_bucket(name: str, now: datetime.datetime) -> Case:
    """The index in `AGE_BUCKETS` of the age of the time in ``name`` at ``now``."""
    return Case(
        *(
            When(**{f"{name}__gt": now - datetime.timedelta(days=days)}, then=Value(index))
            for index, (days, _label) in enumerate(AGE_BUCKETS)
            if days is not None
        ),
        default=Value(len(AGE_BUCKETS) - 1),
        output_field=IntegerField(),
    )


def percentile(ordered: list[float], share: float) -> float | None:
    """The value below which ``share`` of ``ordered`` (sorted) lies, interpolated linearly
    between the nearest two (the median is ``share=0.5``); None for no values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(durations: list[datetime.timedelta], share: float) -> float | None:
    value = percentile(sorted(d.total_seconds() / 3600 for d in durations), share)
    return None if value is None else round(value, 1)


# ---- Questions per topic per month ---------------------------------------------------


@dataclass(frozen=True)
class TopicMonth:
    topic: str
    month: datetime.date
    questions: int


def questions_per_topic_month(scope: Scope) -> list[TopicMonth]:
    """How many threads were asked in each topic each month (a thread counts in each of
    its topics). One query."""
    rows = (
        _tagged(scope)
        .annotate(month=TruncMonth("content_object__created_at"))
        .values("tag__name", "month")
        .annotate(questions=Count("content_object", distinct=True))
        .order_by("month", "tag__name")
    )
    return [
        TopicMonth(row["tag__name"], timezone.localtime(row["month"]).date(), row["questions"])
        for row in rows
    ]


# ---- Unanswered and unsolved threads by topic and age ---------------------------------


@dataclass(frozen=True)
class Waiting:
    topic: str
    age: str
    unanswered: int
    unsolved: int  # no accepted answer: the unanswered ones too


def waiting_by_topic_and_age(scope: Scope) -> list[Waiting]:
    """Threads without an answer, and without an accepted answer, by topic and by how long
    ago they were asked (`AGE_BUCKETS`); only topics and ages with an unsolved thread. One
    query."""
    rows = (
        _tagged(scope)
        .filter(content_object__accepted_answer__isnull=True)
        .annotate(age=_age_bucket("content_object__created_at", scope.now))
        .values("tag__name", "age")
        .annotate(
            unanswered=Count("pk", filter=Q(content_object__answer_count=0)),
            unsolved=Count("pk"),
        )
        .order_by("tag__name", "age")
    )
    return [
        Waiting(
            row["tag__name"],
            str(AGE_BUCKETS[row["age"]][1]),
            row["unanswered"],
            row["unsolved"],
        )
        for row in rows
    ]


UNANSWERED, UNSOLVED = "unanswered", "unsolved"


def waiting_threads(scope: Scope, reader, *, which: str = UNSOLVED):
    """The unanswered (or unsolved) threads of the scope that ``reader`` may read now, the
    longest waiting first: the only figure with titles, so none its reader may not read."""
    found = questions(scope).visible_to(reader).unsolved()
    if which == UNANSWERED:
        found = found.unanswered()
    return (
        found.only("title", "visibility", "created_at", "answer_count", "accepted_answer_id")
        .prefetch_related("topics")
        .order_by("created_at", "pk")
    )


# ---- Time to a first answer and to acceptance ------------------------------------------


@dataclass(frozen=True)
class Times:
    group: str  # a topic's name, or a month ("2026-03")
    asked: int
    answered: int
    first_answer_median: float | None
    first_answer_p90: float | None
    accepted: int
    acceptance_median: float | None
    acceptance_p90: float | None


def _times(groups: dict[str, list[tuple]]) -> list[Times]:
    rows = []
    for group, threads in groups.items():
        answered = [first - asked for asked, first, _accepted in threads if first]
        accepted = [done - asked for asked, _first, done in threads if done]
        rows.append(
            Times(
                group,
                len(threads),
                len(answered),
                _hours(answered, 0.5),
                _hours(answered, 0.9),
                len(accepted),
                _hours(accepted, 0.5),
                _hours(accepted, 0.9),
            )
        )
    return rows


TIMES_FIELDS = ("created_at", "first_answered_at", "accepted_at")


def response_times_by_month(scope: Scope) -> list[Times]:
    """For the threads asked each month: how many, how many were answered by someone other
    than the asker and accepted, and the median and 90th percentile of the hours until
    then (`Question.first_answered_at`, `accepted_at`). One query."""
    groups: dict[str, list[tuple]] = defaultdict(list)
    for times in questions(scope).order_by("created_at").values_list(*TIMES_FIELDS):
        groups[timezone.localtime(times[0]).strftime("%Y-%m")].append(times)
    return _times(groups)


def response_times_by_topic(scope: Scope) -> list[Times]:
    """As `response_times_by_month`, by topic (a thread counts in each of its topics)."""
    groups: dict[str, list[tuple]] = defaultdict(list)
    rows = (
        _tagged(scope)
        .order_by("tag__name")
        .values_list("tag__name", *(f"content_object__{name}" for name in TIMES_FIELDS))
    )
    for topic, *times in rows:
        groups[topic].append(tuple(times))
    return _times(groups)


# ---- Topics with many questions and no guide ------------------------------------------


@dataclass(frozen=True)
class TopicWithoutGuide:
    topic: str
    slug: str
    questions: int


def topics_without_a_guide(scope: Scope) -> list[TopicWithoutGuide]:
    """The editors' report's list (`cms.editorial.topics_needing_a_guide`, the one rule),
    counting the scope's threads. One query."""
    return [
        TopicWithoutGuide(topic.name, topic.slug, topic.question_count)
        for topic in topics_needing_a_guide(questions(scope))
    ]


# ---- Searches that found nothing ------------------------------------------------------


@dataclass(frozen=True)
class Fruitless:
    query: str
    searches: int


def fruitless_searches(scope: Scope) -> list[Fruitless]:
    """How many searches for each (normalised) query found nothing in the scope's days,
    most first. Only the date range applies. One query."""
    days = Q()
    if scope.start:
        days &= Q(day__gte=scope.start)
    if scope.end:
        days &= Q(day__lte=scope.end)
    rows = (
        FruitlessSearch.objects.filter(days)
        .values("query")
        .annotate(searches=Sum("count"))
        .order_by("-searches", "query")
    )
    return [Fruitless(row["query"], row["searches"]) for row in rows]


# ---- The verification queue ------------------------------------------------------------


@dataclass(frozen=True)
class QueueAge:
    age: str
    waiting: int
    oldest: datetime.datetime | None


def verification_queue(scope: Scope) -> list[QueueAge]:
    """Requests waiting for a reviewer now, by how long they have waited (every bucket,
    empty ones too), with the oldest request's time in each. Filters do not apply: it is
    the queue as it stands. One query."""
    counted = dict.fromkeys(range(len(AGE_BUCKETS)), (0, None))
    rows = (
        VerificationRequest.objects.filter(status=VerificationStatus.PENDING)
        .annotate(age=_age_bucket("created_at", scope.now))
        .values("age")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
        .order_by("age")
    )
    for row in rows:
        counted[row["age"]] = (row["waiting"], row["oldest"])
    return [
        QueueAge(str(AGE_BUCKETS[index][1]), waiting, oldest)
        for index, (waiting, oldest) in counted.items()
    ]


# ---- Flags by reason and time to decision ---------------------------------------------


@dataclass(frozen=True)
class FlagFigures:
    reason: str
    flags: int
    open: int
    upheld: int
    dismissed: int
    decision_median: float | None
    decision_p90: float | None


def flags_by_reason(scope: Scope) -> list[FlagFigures]:
    """Flags raised in the scope's days, by reason (every reason, in `FlagReason`'s order):
    how many, how many wait and how they were decided, and the median and 90th percentile
    of the hours from the flag to its decision (`Flag.decided_at`). Only the date range
    applies. One query."""
    by_reason: dict[str, list[tuple]] = {reason: [] for reason in FlagReason.values}
    rows = Flag.objects.filter(_in_range("created_at", scope)).values_list(
        "reason", "status", "created_at", "decided_at"
    )
    for reason, *rest in rows:
        by_reason[reason].append(tuple(rest))
    figures = []
    for reason, flags in by_reason.items():
        statuses = [status for status, _raised, _decided in flags]
        decided = [done - raised for _status, raised, done in flags if done]
        figures.append(
            FlagFigures(
                str(FlagReason(reason).label),
                len(flags),
                statuses.count(FlagStatus.OPEN),
                statuses.count(FlagStatus.UPHELD),
                statuses.count(FlagStatus.DISMISSED),
                _hours(decided, 0.5),
                _hours(decided, 0.9),
            )
        )
    return figures


AUDIENCE_CHOICES = [
    (Visibility.PUBLIC, _("Public")),
    (Visibility.MEMBERS, _("Members only")),
    (Visibility.COHORT, _("A cohort only")),
]
