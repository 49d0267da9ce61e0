"""The report pages in the Wagtail admin: who reads which, the title rule, the chart beside
its table, CSV and XLSX export, and each page's queries."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from forum.models import Visibility
from reports.admin_views import REPORTS
from tests import factories

pytestmark = pytest.mark.django_db

MODERATION = {"verification_queue", "flags_by_reason"}


def url(report, results: bool = False, query: str = "") -> str:
    suffix = "_results" if results else ""
    return reverse(f"reports_{report.name}{suffix}") + query


@pytest.fixture
def threads(asker):
    """One unanswered thread of each audience."""
    cohort = factories.make_cohort(offices=[asker.jurisdiction])
    return {
        "public": factories.ask(asker, visibility=Visibility.PUBLIC, title="Public thread waits"),
        "members": factories.ask(
            asker, visibility=Visibility.MEMBERS, title="Members-only thread waits"
        ),
        "cohort": factories.ask(
            asker, visibility=Visibility.COHORT, cohort=cohort, title="Cohort thread waits"
        ),
    }


def test_who_reads_which_report(client, editor, moderator, official):
    for report in REPORTS:
        client.force_login(editor)
        response = client.get(url(report))
        if report.name in MODERATION:
            assert response.status_code == 302  # Wagtail's refusal: to the admin's home
            assert response["Location"] == reverse("wagtailadmin_home")
        else:
            assert response.status_code == 200, report.name
        client.force_login(moderator)
        assert client.get(url(report)).status_code == 200
        assert client.get(url(report, results=True)).status_code == 200
        client.force_login(official)
        assert client.get(url(report)).status_code == 302  # to the admin's sign-in


def test_a_report_never_titles_a_thread_its_reader_may_not_read(client, editor, threads):
    """Editors are not verified members: the public thread alone is named for them; the
    counts include all three, as numbers."""
    waiting = reverse("reports_waiting_threads")
    client.force_login(editor)
    html = client.get(waiting).content.decode()
    assert escape(threads["public"].title) in html
    assert escape(threads["members"].title) not in html
    assert escape(threads["cohort"].title) not in html
    exported = b"".join(client.get(waiting + "?export=csv").streaming_content).decode()
    assert threads["public"].title in exported
    assert "Members-only thread" not in exported and "Cohort thread" not in exported

    counts = client.get(reverse("reports_waiting_by_topic")).content.decode()
    assert "Members-only thread" not in counts and "Public thread" not in counts
    rows = csv.DictReader(
        io.StringIO(
            b"".join(
                client.get(reverse("reports_waiting_by_topic") + "?export=csv").streaming_content
            ).decode()
        )
    )
    assert {row["Unanswered"] for row in rows} == {"3"}  # each topic counts all three

    client.force_login(factories.make_moderator())  # reads members-only and every cohort
    html = client.get(waiting).content.decode()
    assert all(escape(question.title) in html for question in threads.values())


def test_unanswered_or_unsolved_threads(client, editor, asker, expert):
    answered = factories.ask(asker, visibility=Visibility.PUBLIC, title="Answered, not solved")
    factories.answer(answered, expert)
    client.force_login(editor)
    unsolved = client.get(reverse("reports_waiting_threads")).content.decode()
    unanswered = client.get(reverse("reports_waiting_threads") + "?which=unanswered")
    assert escape(answered.title) in unsolved
    assert escape(answered.title) not in unanswered.content.decode()


def test_questions_by_topic_has_an_accessible_chart_and_its_table(client, editor, threads):
    client.force_login(editor)
    html = client.get(reverse("reports_questions_by_topic")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img" aria-labelledby="questions-by-topic-title questions-by-topic-desc"' in html
    assert '<title id="questions-by-topic-title">' in html
    assert '<desc id="questions-by-topic-desc">' in html
    assert "<script" not in html.split('id="listing-results"')[1].split("</main>")[0]
    topic = factories.topics(1)[0]
    assert f'<th scope="col">{escape(topic.name)}</th>' in html  # the chart's table
    assert '<th scope="row">' in html


def test_answer_times_chart(client, moderator, asker, expert):
    question = factories.ask(asker)
    factories.answer(question, expert)
    client.force_login(moderator)
    html = client.get(reverse("reports_answer_times_by_month")).content.decode()
    assert '<title id="answer-times-title">' in html
    assert "<path d=" in html and "<circle" in html


def test_csv_and_xlsx_export(client, editor, threads):
    client.force_login(editor)
    response = client.get(reverse("reports_questions_by_topic") + "?export=csv")
    assert response["Content-Type"] == "text/csv"
    assert 'filename="canvass-questions-by-topic.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Month", "Topic", "Questions"]
    # The factories' two topics, each with the three threads, this month.
    assert sorted(row[1:] for row in rows[1:]) == sorted(
        [topic.name, "3"] for topic in factories.topics(2)
    )
    xlsx = client.get(reverse("reports_questions_by_topic") + "?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    filtered = client.get(reverse("reports_questions_by_topic") + "?audience=public&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))
    assert sorted(row[2] for row in rows[1:]) == ["1", "1"]


# What every admin page costs a moderator (12: the session, the person, their groups and
# authenticator, Wagtail's permissions, profile, locales, page and collection permissions,
# the explorer's root, the flag queue's count in the menu), then the report's own: one query
# for a figure (topics without a guide: the guides' topics are a subquery of it); for the
# threads list, the reader's cohorts, the page, the count and the page's topics.
ADMIN_PAGE = 12
QUERIES = {report.name: ADMIN_PAGE + 1 for report in REPORTS} | {"waiting_threads": ADMIN_PAGE + 4}


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.name)
def test_queries_do_not_grow_with_the_figures(
    report, client, moderator, asker, expert, django_assert_num_queries
):
    client.force_login(moderator)
    for number in range(3):
        question = factories.ask(asker, visibility=Visibility.PUBLIC)
        if number:
            factories.answer(question, expert)
    client.get(url(report))  # Wagtail's first admin page reads what it caches
    with django_assert_num_queries(QUERIES[report.name]):
        assert client.get(url(report)).status_code == 200
