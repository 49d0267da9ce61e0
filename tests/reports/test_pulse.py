"""The public "what officials are asking" page (/pulse/, `reports.pulse`): each figure on
threads whose right answers are known by hand, the threshold under which no count shows,
what never reaches the page (titles of threads visitors may not read, anyone's name,
hidden, held and merged threads), and the hourly cache."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from forum import services
from forum.models import Question, Visibility
from reports import pulse
from tests import factories
from tests.content import rolled_back
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

ET = zoneinfo.ZoneInfo("America/New_York")  # the site's time zone (settings.TIME_ZONE)
NOW = datetime.datetime(2025, 6, 15, 12, tzinfo=ET)
URL = "/pulse/"


def at(month: int, day: int, year: int = 2025, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ET)


def asked(author, topic, when, *, visibility=Visibility.PUBLIC, **fields) -> Question:
    """A thread about one topic, asked through the services and dated ``when``."""
    question = factories.ask(author, topics=[topic], visibility=visibility, **fields)
    Question.objects.filter(pk=question.pk).update(created_at=when)
    return question


def answered_after(question: Question, wait: datetime.timedelta) -> None:
    created = Question.objects.get(pk=question.pk).created_at
    Question.objects.filter(pk=question.pk).update(first_answered_at=created + wait)


def excluded(author, topic, when, moderator) -> None:
    """Three threads that are not counted: hidden, held for review, merged into another."""
    services.hide_post(post=asked(author, topic, when), by=moderator)
    held = asked(author, topic, when)
    Question.objects.filter(pk=held.pk).update(held_for_review=True)
    services.merge_questions(
        question=asked(author, topic, when),
        into=asked(author, topic, when, title="The canonical thread merged into, June"),
        by=moderator,
        reason="Duplicate",
    )


# --- The figures, on a corpus dated around NOW ---------------------------------------------
#
# Topics a..e are the taxonomy's first five. The last 90 days before NOW begin on March 17,
# the 90 before them on December 17, 2024.
#   a: 6 in June (one members-only, one cohort-only, one asked without a name, one that
#      another was merged into), 5 in January; plus a hidden, a held and a merged thread
#      in June, none counted
#      -> month 6, year 11, growth 5 -> 6
#   b: 4 in June                       -> month and year "fewer than 5", no growth
#   c: 5 in May, 6 in February         -> year 11, shrinking
#   d: 10 in April, 5 in December 2024 -> year 10, growth 5 -> 10
#   e: 6 in May, 4 in February         -> year 10; grew from 4, too few to say
# Time to a first answer, this year: 1, 2, 3, 4 and 50 hours (median 3 hours); a thread of
# last year answered after a minute and a hidden one after 500 hours do not count.


class Corpus:
    topics: list
    titles: dict


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        made = Corpus()
        made.topics = a, b, c, d, e = factories.topics(5)
        asker = factories.make_official(display_name="Avery Asker")
        moderator = factories.make_moderator()
        cohort = factories.make_cohort(offices=[asker.jurisdiction])
        june = [asked(asker, a, at(6, day)) for day in range(2, 4)]
        june.append(asked(asker, a, at(6, 5), title="Anonymous public thread of June 5th"))
        Question.objects.filter(pk=june[-1].pk).update(is_anonymous=True)
        june.append(
            asked(
                asker, a, at(6, 6), visibility=Visibility.MEMBERS, title="Members-only thread, June"
            )
        )
        june.append(
            asked(
                asker,
                a,
                at(6, 7),
                visibility=Visibility.COHORT,
                cohort=cohort,
                title="Cohort-only thread, June",
            )
        )
        excluded(asker, a, at(6, 8), moderator)
        january = [asked(asker, a, at(1, day)) for day in range(10, 15)]
        for day in range(10, 14):
            asked(asker, b, at(6, day), title=f"Topic b thread of June {day}th, public")
        for day in range(1, 6):
            asked(asker, c, at(5, day))
        for day in range(1, 7):
            asked(asker, c, at(2, day))
        for day in range(1, 11):
            asked(asker, d, at(4, day))
        december = [asked(asker, d, at(12, day, 2024)) for day in range(20, 25)]
        for day in range(1, 7):
            asked(asker, e, at(5, day))
        for day in range(1, 5):
            asked(asker, e, at(2, day))
        for question, hours in zip([*june[:4], january[0]], [1, 2, 3, 4, 50], strict=True):
            answered_after(question, datetime.timedelta(hours=hours))
        answered_after(december[0], datetime.timedelta(minutes=1))
        hidden = asked(asker, a, at(3, 1))
        answered_after(hidden, datetime.timedelta(hours=500))
        services.hide_post(post=hidden, by=moderator)
        made.asker = asker
        yield made


def test_counts_by_topic_this_month_and_this_year(corpus):
    a, b, c, d, e = corpus.topics
    figures = pulse.compute(NOW)
    assert (figures.asked_month, figures.asked_year) == (10, 46)
    rows = [(row.name, row.month, row.year) for row in figures.topics]
    # Most asked this year first (ties in the taxonomy's order), then the topics with fewer
    # than 5, with or without questions, in the taxonomy's order: the order says nothing
    # about a count the page may not show.
    assert rows[:5] == [
        (a.name, 6, 11),
        (c.name, None, 11),
        (d.name, None, 10),
        (e.name, None, 10),
        (b.name, None, None),
    ]
    assert len(rows) == 35  # every topic of the taxonomy
    assert all(row[1:] == (None, None) for row in rows[5:])


def test_fastest_growing_topics_need_five_questions_in_both_periods(corpus):
    a, d = corpus.topics[0], corpus.topics[3]
    figures = pulse.compute(NOW)
    assert [(g.name, g.previous, g.recent, g.percent) for g in figures.growing] == [
        (d.name, 5, 10, 100),
        (a.name, 5, 6, 20),
    ]


def test_median_time_to_a_first_answer_this_year(corpus):
    assert pulse.compute(NOW).median_first_answer == datetime.timedelta(hours=3)


def test_newest_titles_are_public_threads_only(corpus):
    titles = [title.title for title in pulse.compute(NOW).newest]
    assert len(titles) == pulse.NEWEST_SHOWN
    assert titles[:5] == [
        "Topic b thread of June 13th, public",
        "Topic b thread of June 12th, public",
        "Topic b thread of June 11th, public",
        "Topic b thread of June 10th, public",
        "The canonical thread merged into, June",
    ]
    public = set(Question.objects.public().values_list("title", flat=True))
    assert set(titles) <= public
    assert "Members-only thread, June" not in titles
    assert "Cohort-only thread, June" not in titles


def test_five_queries(corpus, django_assert_num_queries):
    with django_assert_num_queries(5):
        pulse.compute(NOW)


# --- The cache ------------------------------------------------------------------------------


def test_figures_are_computed_once_an_hour(corpus, django_assert_num_queries):
    with django_assert_num_queries(5):
        first = pulse.current(NOW)
    asked(corpus.asker, corpus.topics[0], at(6, 14))  # a new thread waits for the next hour
    with django_assert_num_queries(0):
        assert pulse.current(NOW + datetime.timedelta(minutes=59)) == first
    # The next hour's key is another: the figures of an hour are never read after it.
    with django_assert_num_queries(5):
        later = pulse.current(NOW + datetime.timedelta(hours=1))
    assert later.asked_month == first.asked_month + 1


def test_a_thread_hidden_leaves_the_figures_at_once(corpus, committed):
    first = pulse.current(NOW)
    shown = Question.objects.public().get(title="Topic b thread of June 13th, public")
    with committed():
        services.hide_post(post=shown, by=factories.make_moderator())
    figures = pulse.current(NOW)
    assert shown.title in [t.title for t in first.newest]
    assert shown.title not in [t.title for t in figures.newest]
    assert figures.asked_month == first.asked_month - 1


def test_pages_are_kept_until_the_hour_ends():
    assert pulse.seconds_left_in_hour(at(6, 15, hour=12)) == 3600
    assert (
        pulse.seconds_left_in_hour(at(6, 15, hour=12) + datetime.timedelta(minutes=59, seconds=59))
        == 1
    )


# --- The page, on threads asked at the start of this month ------------------------------------


def cells(html: str, name: str) -> list[str]:
    """The texts of the cells of the table row headed ``name``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        texts = [
            " ".join(unescape(strip_tags(c)).split())
            for c in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)
        ]
        if texts and texts[0] == name:
            return texts[1:]
    raise AssertionError(f"no row for {name}")


@pytest.fixture
def this_month():
    """Seven threads in one topic at the start of this month (one members-only, one
    cohort-only, one public asked without a name, one another was merged into) and a hidden,
    a held and a merged one; four in another."""
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    a, b = factories.topics(2)
    asker = factories.make_official(display_name="Avery Asker")
    cohort = factories.make_cohort(offices=[asker.jurisdiction])
    for number in range(3):
        asked(asker, a, start, title=f"Public thread number {number} this month")
    asked(asker, a, start, title="Asked without a name this month", is_anonymous=True)
    asked(asker, a, start, visibility=Visibility.MEMBERS, title="Members-only thread this month")
    asked(
        asker,
        a,
        start,
        visibility=Visibility.COHORT,
        cohort=cohort,
        title="Cohort-only thread this month",
    )
    excluded(asker, a, start, factories.make_moderator())
    for _ in range(4):
        asked(asker, b, start)
    return a, b


def test_the_page_shows_counts_of_five_and_more_only(client, this_month):
    a, b = this_month
    html = client.get(URL).content.decode()
    assert cells(html, a.name) == ["7", "7"]
    assert cells(html, b.name) == ["fewer than 5", "fewer than 5"]
    assert "Asked without a name this month" in html
    assert "Public thread number 0 this month" in html
    for absent in (
        "Members-only thread this month",
        "Cohort-only thread this month",
        "Avery Asker",
    ):
        assert absent not in html


def test_the_chart_draws_the_same_figures_as_the_table(client, this_month):
    a, _ = this_month
    html = client.get(URL).content.decode()
    chart = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert re.findall(r"<text[^>]*>([^<]*)</text>", chart) == [a.name.replace("&", "&amp;"), "7"]


def test_no_median_from_fewer_than_five_answers(client, this_month):
    html = client.get(URL).content.decode()
    assert "Not enough answered questions yet (fewer than 5)." in html


def test_the_median_in_words(client, this_month):
    for question in Question.objects.public()[:5]:
        answered_after(question, datetime.timedelta(hours=3, minutes=10))
    html = client.get(URL).content.decode()
    assert re.search(r"<dd[^>]*>3\xa0hours, 10\xa0minutes</dd>", html)


def test_the_footer_links_to_the_page(client):
    assert f'href="{reverse("reports:pulse")}"' in client.get("/").content.decode()


def test_a_visitor_second_request_costs_no_query(client, this_month):
    cold = page_queries(client, URL)
    assert any("forum_question" in sql for sql in cold)
    assert page_queries(client, URL) == []


def test_signed_in_people_get_the_same_figures_without_computing_them(client, this_month, official):
    a, _ = this_month
    client.force_login(official)
    assert cells(client.get(URL).content.decode(), a.name) == ["7", "7"]
    # Within the hour: the session, the person, their groups and cohorts; nothing else.
    queries = page_queries(client, URL)
    assert not [sql for sql in queries if "forum_" in sql]
    assert len(queries) == 4
