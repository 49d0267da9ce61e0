"""The question lists page without counting (`forum.listing`): every order walks every
thread once, forwards and back; links are links, inside a labelled nav; a page past the end
says so; the queries do not grow with the corpus, and each order, for each audience, is
read through an index."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum import listing
from forum.forms import SORTS, QuestionFilterForm
from forum.models import Question, Visibility
from tests.factories import ask, make_moderator, make_official, topics

pytestmark = pytest.mark.django_db

ORDERS = list(SORTS)


def public_threads(count: int) -> list[Question]:
    asker = make_official()
    return [
        ask(asker, title=f"Public question number {number:03d} on ballots", visibility="public")
        for number in range(count)
    ]


def with_ties(threads: list[Question]) -> None:
    """The order fields as a busy forum leaves them, ties included: several threads asked in
    the same microsecond, with the same score and last activity."""
    moment = timezone.now() - datetime.timedelta(days=3)
    for number, thread in enumerate(threads):
        Question.objects.filter(pk=thread.pk).update(
            created_at=moment + datetime.timedelta(minutes=number // 4),
            last_activity_at=moment + datetime.timedelta(minutes=number % 5),
            score=number % 3 - 1,
            answer_count=number % 2,
        )


def filtered(order: str, user):
    form = QuestionFilterForm({"sort": order})
    assert form.is_valid()
    return form.filter(Question.objects.visible_to(user)).for_listing(), form.order()


@pytest.mark.parametrize("order", ORDERS)
def test_every_order_pages_through_every_thread_once_and_back(order):
    with_ties(public_threads(45))
    questions, fields = filtered(order, AnonymousUser())
    expected = list(questions.order_by(*(f"-{name}" for name in fields)))

    pages = [listing.page_of(questions, fields, after=None, before=None)]
    while pages[-1].after:
        pages.append(listing.page_of(questions, fields, after=pages[-1].after, before=None))
    assert [q.pk for page in pages for q in page.questions] == [q.pk for q in expected]
    assert [len(page.questions) for page in pages][:-1] == [listing.PER_PAGE] * (len(pages) - 1)
    assert pages[0].before is None and all(page.before for page in pages[1:])

    back = [pages[-1]]
    while back[-1].before:
        back.append(listing.page_of(questions, fields, after=None, before=back[-1].before))
    assert [[q.pk for q in page.questions] for page in reversed(back)] == [
        [q.pk for q in page.questions] for page in pages
    ]


def _links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav aria-label="Pages of questions".*?</nav>', html, re.S)
    if nav is None:
        return {}
    found = re.findall(r'<a href="([^"]*)"[^>]*rel="(prev|next)"', nav.group(0))
    return {rel: unescape(href) for href, rel in found}


def _titles(html: str) -> list[str]:
    return re.findall(r"Public question number \d+ on ballots", html)


def test_the_list_links_previous_and_next_and_says_when_past_the_end(client):
    threads = public_threads(25)
    url = reverse("forum:questions")
    first = client.get(url, {"sort": "newest"}).content.decode()
    assert _titles(first) == [t.title for t in reversed(threads)][: listing.PER_PAGE]
    assert set(_links(first)) == {"next"}

    second = client.get(url + _links(first)["next"]).content.decode()
    assert _titles(second) == [t.title for t in reversed(threads)][listing.PER_PAGE :]
    assert set(_links(second)) == {"prev"}
    assert "sort=newest" in _links(second)["prev"]  # the filters are kept
    again = client.get(url + _links(second)["prev"]).content.decode()
    assert _titles(again) == _titles(first)

    past = client.get(url, {"after": "0.1"}).content.decode()  # before 1970: nothing after
    assert "There are no more questions here." in past
    assert 'href="?' in past.split("There are no more questions here.")[1].split("</p>")[0]
    assert _titles(past) == []
    made_up = client.get(url, {"after": "not-a-place"}).content.decode()
    assert _titles(made_up) == _titles(first)


def test_a_list_of_one_page_has_no_page_links(client):
    public_threads(3)
    html = client.get(reverse("forum:questions")).content.decode()
    assert len(_titles(html)) == 3
    assert 'aria-label="Pages of questions"' not in html


# A visitor: the topics of the filter form, the page of threads, their topics and states;
# on a topic's list, the topic too. Signed in, also the session, the person and their groups,
# the cohorts they belong to (which cohort-only threads they may read:
# `cohorts.membership.cohort_ids`), and on a topic's list how they follow the topic (the
# "Follow this topic" box). The cohort badges of the bylines' offices are cached, like the
# navigation.
LIST_QUERIES = {"visitor": 4, "official": 8}
LISTS = {"forum:questions": 0, "forum:topic": 1}
FOLLOW_BOX = {("forum:topic", "official"): 1}


@pytest.mark.parametrize("reader", list(LIST_QUERIES))
@pytest.mark.parametrize("list_name", list(LISTS))
def test_list_queries_do_not_grow_with_the_corpus(
    client, reader, list_name, django_assert_num_queries
):
    topic = topics(1)[0]
    url = reverse(list_name, args=[topic.slug] if list_name == "forum:topic" else [])
    expected = LIST_QUERIES[reader] + LISTS[list_name] + FOLLOW_BOX.get((list_name, reader), 0)
    if reader == "official":
        client.force_login(make_official())
    public_threads(3)
    client.get(url)  # the navigation and badges are cached, a new session saved once
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    public_threads(37)
    with django_assert_num_queries(expected):
        first = client.get(url).content.decode()
    with django_assert_num_queries(expected):
        assert client.get(url + _links(first)["next"]).status_code == 200


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("reader", ["visitor", "official", "moderator"])
def test_each_order_for_each_audience_is_read_through_an_index(order, reader):
    """The query of a first page and of a later one, as the database plans it: an index
    gives the order (no sort step), so a page costs the same anywhere in the list. On
    PostgreSQL, scans and sorts are discouraged so that a small test table is planned as a
    large one would be: a sort still appears when no index gives the order."""
    with_ties(public_threads(45))  # unanswered: half of them, so two pages
    ask(make_official(), visibility=Visibility.MEMBERS)
    user = {
        "visitor": AnonymousUser(),
        "official": make_official(),
        "moderator": make_moderator(),
    }[reader]
    questions, fields = filtered(order, user)
    later = listing.page_of(questions, fields, after=None, before=None).after
    assert later
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        for after in (None, later):
            with CaptureQueriesContext(connection) as queries:
                listing.page_of(questions, fields, after=after, before=None)
            cursor.execute(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + queries[0]["sql"])
            plan = "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())
            if postgres:
                assert "Sort" not in plan and "Index Scan" in plan, plan
            else:
                assert "TEMP B-TREE" not in plan and "USING INDEX question_" in plan, plan
