"""Each figure of `reports.figures` on a small corpus whose right answers are worked out by
hand in the comments. Times are set after the services wrote them (`QuerySet.update`), as
the demo does; the site's zone is America/New_York."""

import datetime

import pytest

from accounts.models import SizeBand, VerificationRequest
from forum import services as forum_services
from forum.models import Flag, FlagReason, FlagStatus, Question, Topic, Visibility
from reports import figures
from reports.figures import Scope
from search.models import FruitlessSearch
from tests import factories

pytestmark = pytest.mark.django_db

NY = datetime.timezone(datetime.timedelta(hours=-5))  # New York in winter
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=NY)


def at(day: int, hour: int = 12, month: int = 1) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=NY)


def hours(when: datetime.datetime, count: float) -> datetime.datetime:
    return when + datetime.timedelta(hours=count)


def thread(asker, topics, asked, *, first=None, accepted=None, answers=0, **fields):
    question = factories.ask(asker, topics=topics, **fields)
    if accepted is not None:
        reply = factories.answer(question, factories.make_expert())
        forum_services.accept_answer(question=question, answer=reply, by=asker)
    Question.objects.filter(pk=question.pk).update(
        created_at=asked, first_answered_at=first, accepted_at=accepted, answer_count=answers
    )
    return question


@pytest.fixture
def topics():
    return factories.topics(2)


@pytest.fixture
def corpus(asker, topics):
    """Topic A and B; A's threads in January, one of them also in B; B in February; one
    asked at 10 pm New York time on January 31 (February in UTC): January. Left out: a
    hidden, a held and a merged thread."""
    a, b = topics
    made = {
        "ab": thread(
            asker,
            [a, b],
            at(10),
            first=hours(at(10), 2),
            accepted=hours(at(10), 5),
            answers=1,
            visibility=Visibility.PUBLIC,
            states=["WA"],
        ),
        "a": thread(asker, [a], at(20), first=hours(at(20), 4), answers=1),
        "a_late": thread(asker, [a], at(31, 22), first=hours(at(31, 22), 10), answers=2),
        "b": thread(asker, [b], at(5, month=2), states=["WA"]),
    }
    hidden = thread(asker, [a], at(11), answers=0)
    forum_services.hide_post(post=hidden, by=factories.make_moderator())
    held = thread(asker, [a], at(12))
    Question.objects.filter(pk=held.pk).update(held_for_review=True)
    merged = thread(asker, [a], at(13))
    Question.objects.filter(pk=merged.pk).update(merged_into=made["a"])
    return made


def test_questions_per_topic_per_month(corpus, topics):
    a, b = topics
    january, february = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    # Ordered by month, then topic name.
    expected = [
        figures.TopicMonth(a.name, january, 3),
        figures.TopicMonth(b.name, january, 1),
        figures.TopicMonth(b.name, february, 1),
    ]
    expected[:2] = sorted(expected[:2], key=lambda row: row.topic)
    assert figures.questions_per_topic_month(Scope(now=NOW)) == expected


def test_the_filters_choose_the_threads(corpus, topics, asker):
    a, b = topics
    january = datetime.date(2026, 1, 1)
    # About Washington: "ab" (January, A and B) and "b" (February).
    assert {
        (r.topic, r.month, r.questions)
        for r in figures.questions_per_topic_month(Scope(state="WA"))
    } == {(a.name, january, 1), (b.name, january, 1), (b.name, datetime.date(2026, 2, 1), 1)}
    # Public: "ab" alone.
    assert {
        (r.topic, r.questions)
        for r in figures.questions_per_topic_month(Scope(audience=Visibility.PUBLIC))
    } == {(a.name, 1), (b.name, 1)}
    # January 15 to 31 (New York days): "a" and "a_late".
    scope = Scope(start=datetime.date(2026, 1, 15), end=datetime.date(2026, 1, 31))
    assert [(r.topic, r.questions) for r in figures.questions_per_topic_month(scope)] == [
        (a.name, 2)
    ]
    Question.objects.update(author_size_band="")
    # The asker's office band: "a" was asked from a large office; an anonymous asker's band
    # never counts.
    Question.objects.filter(pk=corpus["a"].pk).update(author_size_band=SizeBand.LARGE)
    Question.objects.filter(pk=corpus["b"].pk).update(
        author_size_band=SizeBand.LARGE, is_anonymous=True
    )
    assert [
        (r.topic, r.questions)
        for r in figures.questions_per_topic_month(Scope(band=SizeBand.LARGE))
    ] == [(a.name, 1)]


def test_unanswered_and_unsolved_by_topic_and_age(corpus, topics):
    a, b = topics
    # At March 1: "ab" is solved (left out); "a" (40 days, answered), "a_late" (29 days,
    # answered) and "b" (24 days, unanswered) are unsolved.
    rows = figures.waiting_by_topic_and_age(Scope(now=NOW))
    assert {(r.topic, r.age, r.unanswered, r.unsolved) for r in rows} == {
        (a.name, "7 to 30 days", 0, 1),
        (a.name, "30 to 90 days", 0, 1),
        (b.name, "7 to 30 days", 1, 1),
    }
    later = Scope(now=NOW + datetime.timedelta(days=60))
    assert {(r.topic, r.age, r.unsolved) for r in figures.waiting_by_topic_and_age(later)} == {
        (a.name, "30 to 90 days", 1),
        (a.name, "90 days or more", 1),
        (b.name, "30 to 90 days", 1),
    }


def test_percentiles_interpolate_between_the_nearest_two():
    assert figures.percentile([], 0.5) is None
    assert figures.percentile([4.0], 0.9) == 4.0
    assert figures.percentile([2.0, 4.0, 10.0], 0.5) == 4.0
    assert figures.percentile([2.0, 4.0, 10.0], 0.9) == pytest.approx(8.8)
    assert figures.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5


def test_time_to_first_answer_and_acceptance(corpus, topics):
    a, b = topics
    # A: first answers after 2, 4 and 10 hours; one accepted after 5. B: "ab" (2 and 5
    # hours) and "b", unanswered.
    by_topic = {row.group: row for row in figures.response_times_by_topic(Scope())}
    assert by_topic[a.name] == figures.Times(a.name, 3, 3, 4.0, 8.8, 1, 5.0, 5.0)
    assert by_topic[b.name] == figures.Times(b.name, 2, 1, 2.0, 2.0, 1, 5.0, 5.0)
    assert figures.response_times_by_month(Scope()) == [
        figures.Times("2026-01", 3, 3, 4.0, 8.8, 1, 5.0, 5.0),
        figures.Times("2026-02", 1, 0, None, None, 0, None, None),
    ]


def test_topics_without_a_guide_count_the_scope(corpus, topics, asker):
    a, _b = topics
    # A has three counted threads (the editors' report's threshold); B two.
    assert [(r.topic, r.questions) for r in figures.topics_without_a_guide(Scope())] == [
        (a.name, 3)
    ]
    assert figures.topics_without_a_guide(Scope(end=datetime.date(2026, 1, 25))) == []
    factories.make_guide("A guide on the first topic", topics=[a])
    assert figures.topics_without_a_guide(Scope()) == []


def test_fruitless_searches_by_query_in_the_range():
    day = datetime.date(2026, 1, 10)
    FruitlessSearch.objects.bulk_create(
        [
            FruitlessSearch(query="ballot harvesting", day=day, count=3),
            FruitlessSearch(query="ballot harvesting", day=day.replace(day=12), count=2),
            FruitlessSearch(query="zz top", day=day.replace(day=12), count=5),
            FruitlessSearch(query="old news", day=day.replace(day=1), count=9),
        ]
    )
    scope = Scope(start=day, end=day.replace(day=12))
    assert figures.fruitless_searches(scope) == [
        figures.Fruitless("ballot harvesting", 5),
        figures.Fruitless("zz top", 5),
    ]
    assert figures.fruitless_searches(Scope()) == [
        figures.Fruitless("old news", 9),
        figures.Fruitless("ballot harvesting", 5),
        figures.Fruitless("zz top", 5),
    ]


def test_verification_queue_by_age():
    office = factories.find_jurisdiction()
    for age_days, status in ((1, "pending"), (3, "pending"), (45, "pending"), (50, "approved")):
        VerificationRequest.objects.create(
            user=factories.make_member(),
            jurisdiction=office,
            role="staff",
            how_to_confirm="Call the office.",
            email="someone@example.org",
            status=status,
            created_at=NOW - datetime.timedelta(days=age_days),
        )
    rows = figures.verification_queue(Scope(now=NOW))
    assert [(r.age, r.waiting) for r in rows] == [
        ("Under 7 days", 2),
        ("7 to 30 days", 0),
        ("30 to 90 days", 1),
        ("90 days or more", 0),
    ]
    assert rows[0].oldest == NOW - datetime.timedelta(days=3)
    assert rows[2].oldest == NOW - datetime.timedelta(days=45)


def test_flags_by_reason_and_time_to_decision(asker, official):
    question = factories.ask(asker)
    raised = at(10)
    for reason, status, decided_after in (
        (FlagReason.SPAM, FlagStatus.UPHELD, 1),
        (FlagReason.SPAM, FlagStatus.DISMISSED, 3),
        (FlagReason.SPAM, FlagStatus.OPEN, None),
        (FlagReason.PERSONAL, FlagStatus.UPHELD, 24),
    ):
        flag = Flag.objects.create(
            flagger=factories.make_official(), question=question, reason=reason, status=status
        )
        Flag.objects.filter(pk=flag.pk).update(
            created_at=raised,
            decided_at=hours(raised, decided_after) if decided_after else None,
        )
    rows = {row.reason: row for row in figures.flags_by_reason(Scope())}
    assert len(rows) == len(FlagReason.choices)
    assert rows["Spam"] == figures.FlagFigures("Spam", 3, 1, 1, 1, 2.0, 2.8)
    assert rows["Personal information (doxxing)"] == figures.FlagFigures(
        "Personal information (doxxing)", 1, 0, 1, 0, 24.0, 24.0
    )
    assert rows["Inaccurate or outdated"].flags == 0
    assert figures.flags_by_reason(Scope(start=datetime.date(2026, 1, 11)))[0].flags == 0


def test_counts_include_threads_only_numbers_may_show(asker, topics):
    """Members-only and cohort threads are counted; the figures carry no title at all."""
    a, _b = topics
    cohort = factories.make_cohort(offices=[asker.jurisdiction])
    thread(asker, [a], at(3), visibility=Visibility.COHORT, cohort=cohort)
    thread(asker, [a], at(4), visibility=Visibility.MEMBERS)
    [row] = [r for r in figures.questions_per_topic_month(Scope()) if r.topic == a.name]
    assert row.questions == 2
    assert set(vars(row)) == {"topic", "month", "questions"}
    assert Topic.objects.filter(name=a.name).exists()
