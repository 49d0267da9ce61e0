"""The figures of the public "what officials are asking" page (`/pulse/`): what the community
asked this month and this year by topic, the fastest-growing topics and how soon a peer
answers, for funders, partners and the press.

They are counted over every thread that is shown (neither hidden nor held for review) and
not merged, members-only and cohort threads included, so the page speaks for the whole
community. What visitors may not read must not be inferable from them, so only aggregate
numbers leave this module, never a count under `MIN_COUNT` (nor a growth or a median drawn
from fewer), and the only titles are those of public threads (`Question.objects.public()`),
with no byline at all.

Computed at most once an hour: `current` keeps the figures in the cache under the hour and
the content generation (`core.caching.CONTENT`, which the forum moves on when a thread is
hidden, held, merged or changes audience), so a thread hidden a moment ago leaves the
newest titles and the counts at once, while new questions show within the hour."""

import datetime
import statistics
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.timesince import timesince

from core import caching
from forum.models import Question, Topic

# The smallest count the page shows. Anything derived from fewer threads (a topic's count, a
# growth, a median) reads "fewer than 5" instead, so that no single members-only or cohort
# thread, nor the topic it is about, can be inferred.
MIN_COUNT = 5
# Growth compares the questions of the last GROWTH_DAYS with those of the GROWTH_DAYS before.
GROWTH_DAYS = 90
GROWING_SHOWN = 5
NEWEST_SHOWN = 10
HOUR = 60 * 60


def _at_least_min(count: int) -> int | None:
    """The count when the page may show it; None ("fewer than 5") when it is smaller."""
    return count if count >= MIN_COUNT else None


@dataclass(frozen=True)
class TopicCount:
    name: str
    url: str
    month: int | None  # None: fewer than MIN_COUNT
    year: int | None


@dataclass(frozen=True)
class Growth:
    name: str
    url: str
    previous: int  # both at least MIN_COUNT
    recent: int

    @property
    def percent(self) -> int:
        return round(100 * (self.recent - self.previous) / self.previous)


@dataclass(frozen=True)
class Title:
    pk: int
    title: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class Figures:
    computed_at: datetime.datetime
    month_start: datetime.datetime
    year_start: datetime.datetime
    asked_month: int | None
    asked_year: int | None
    # Every topic of the taxonomy, those asked about at least MIN_COUNT times this year first
    # (most asked first), then the others in the taxonomy's order: a topic's place says
    # nothing its count may not.
    topics: list[TopicCount]
    growing: list[Growth]
    median_first_answer: datetime.timedelta | None  # None: fewer than MIN_COUNT answered
    newest: list[Title]

    @property
    def median_words(self) -> str:
        """The median as people say it ("2 days, 3 hours")."""
        return timesince(self.computed_at - self.median_first_answer, self.computed_at)

    @property
    def chart(self) -> "Chart | None":
        """The bar chart of the most asked topics this year (those with a count shown)."""
        drawn = [topic for topic in self.topics if topic.year is not None][:CHART_BARS]
        if not drawn:
            return None
        longest = drawn[0].year
        bars = [
            Bar(topic.name, topic.year, i * BAR_ROW, round(BAR_WIDTH * topic.year / longest))
            for i, topic in enumerate(drawn)
        ]
        return Chart(len(bars) * BAR_ROW, bars)


# The chart's geometry, in the SVG's own units (it is scaled to the column's width).
CHART_BARS = 10
BAR_ROW = 30  # a label above its bar
BAR_WIDTH = 340  # the longest bar; its number is written after it


@dataclass(frozen=True)
class Bar:
    name: str
    count: int
    top: int
    width: int


@dataclass(frozen=True)
class Chart:
    height: int
    bars: list[Bar]


def current(now: datetime.datetime | None = None) -> Figures:
    """The figures of this hour, computed by the first request that asks for them."""
    now = now or timezone.now()
    key = f"pulse:{now.astimezone(datetime.UTC):%Y-%m-%dT%H}:{caching.generation(caching.CONTENT)}"
    figures = cache.get(key)
    if figures is None:
        figures = compute(now)
        # An hour at most: the key is not asked for again once the hour has passed.
        cache.set(key, figures, HOUR)
    return figures


def seconds_left_in_hour(now: datetime.datetime) -> int:
    """How long a page showing this hour's figures may be kept (at least 1)."""
    return HOUR - (now.minute * 60 + now.second)


def compute(now: datetime.datetime) -> Figures:
    """The figures as of ``now``: months and years in the site's time zone. Five queries."""
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year_start = month_start.replace(month=1)
    recent_start = now - datetime.timedelta(days=GROWTH_DAYS)
    previous_start = recent_start - datetime.timedelta(days=GROWTH_DAYS)
    counted = Question.objects.counted().filter(created_at__lte=now)
    periods = {
        "month": Q(created_at__gte=month_start),
        "year": Q(created_at__gte=year_start),
        "recent": Q(created_at__gt=recent_start),
        "previous": Q(created_at__gt=previous_start, created_at__lte=recent_start),
    }
    counts = {
        row["tagged_topics__tag"]: row
        for row in counted.filter(created_at__gt=min(year_start, previous_start))
        .values("tagged_topics__tag")
        .annotate(**{name: Count("pk", filter=when) for name, when in periods.items()})
    }
    totals = counted.aggregate(
        month=Count("pk", filter=periods["month"]), year=Count("pk", filter=periods["year"])
    )
    answered = counted.filter(periods["year"], first_answered_at__isnull=False).values_list(
        "created_at", "first_answered_at"
    )
    waits = [first - asked for asked, first in answered]
    newest = Question.objects.public().only("title", "created_at").order_by("-created_at", "-pk")
    topics, growing = _by_topic(Topic.objects.only("name", "slug"), counts)
    return Figures(
        computed_at=now,
        month_start=month_start,
        year_start=year_start,
        asked_month=_at_least_min(totals["month"]),
        asked_year=_at_least_min(totals["year"]),
        topics=topics,
        growing=growing,
        median_first_answer=statistics.median(waits) if len(waits) >= MIN_COUNT else None,
        newest=[Title(q.pk, q.title, q.created_at) for q in newest[:NEWEST_SHOWN]],
    )


def _by_topic(topics, counts: dict) -> tuple[list[TopicCount], list[Growth]]:
    """Each topic's counts (most asked this year first, the taxonomy's order among equals and
    among those under MIN_COUNT) and the fastest-growing topics, among those with at least
    MIN_COUNT questions in both periods (a smaller one could show a single thread as a
    difference)."""
    rows, growing = [], []
    nothing = dict.fromkeys(("month", "year", "recent", "previous"), 0)
    for topic in topics:  # the taxonomy's order
        found = counts.get(topic.pk, nothing)
        rows.append(
            TopicCount(
                topic.name,
                topic.get_absolute_url(),
                _at_least_min(found["month"]),
                _at_least_min(found["year"]),
            )
        )
        if MIN_COUNT <= found["previous"] < found["recent"]:
            growing.append(
                Growth(topic.name, topic.get_absolute_url(), found["previous"], found["recent"])
            )
    rows.sort(key=lambda row: -(row.year or 0))  # stable: the taxonomy's order among equals
    growing.sort(key=lambda growth: (-growth.recent / growth.previous, -growth.recent))
    return rows, growing[:GROWING_SHOWN]
