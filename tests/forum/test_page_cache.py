"""Visitors' cached question pages are kept per thread: another thread's change leaves a
page cached, and the similar questions, which name other threads, are filled in on every
request, so a thread that may no longer be read vanishes from them at once."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils.html import escape

from core import caching
from forum import services
from forum.models import Question, Visibility
from tests.factories import answer, ask, make_expert, make_moderator, make_official
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

# The thread's version, and the similar questions read back through `visible_to`.
CACHED_PAGE_QUERIES = 2


@pytest.fixture
def alike(asker):
    """Two public threads, each the other's similar question, in a search index of their own."""
    first = ask(asker, title="How do other counties staff their L&A tests?", visibility="public")
    second = ask(
        asker, title="Who staffs the L&A tests in other counties?", visibility=Visibility.PUBLIC
    )
    with fresh_index():
        yield first, second


def stored(question: Question) -> bool:
    """Whether a visitor's copy of the thread's page, as it is now, is in the cache."""
    question.refresh_from_db(fields=["version"])
    request = RequestFactory().get(question.get_absolute_url())
    return cache.get(caching.page_key(request, (caching.PAGES,), question.version)) is not None


def test_an_answer_on_one_thread_leaves_anothers_cached_page(
    client, alike, django_capture_on_commit_callbacks, django_assert_num_queries
):
    answered, other = alike
    for thread in alike:
        client.get(thread.get_absolute_url())
    assert stored(answered) and stored(other)

    with django_capture_on_commit_callbacks(execute=True):
        answer(answered, make_expert(), body="A fresh answer that must appear at once.")

    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        page = client.get(other.get_absolute_url()).content.decode()
    assert stored(other)
    assert escape(answered.title) in page  # the similar questions are still filled in
    assert not stored(answered)  # its page is built again, with the answer
    assert (
        "A fresh answer that must appear at once."
        in client.get(answered.get_absolute_url()).content.decode()
    )
    assert stored(answered)


def _hide(question: Question) -> None:
    services.hide_post(post=question, by=make_moderator())


def _make_members_only(question: Question) -> None:
    # forum.services has no service that changes a thread's visibility yet; this is the
    # change such a service would store.
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.MEMBERS)


@pytest.mark.parametrize("withdraw", [_hide, _make_members_only])
def test_a_thread_withdrawn_from_visitors_leaves_the_similar_questions_at_once(
    client, alike, withdraw, django_capture_on_commit_callbacks, django_assert_num_queries
):
    shown, similar = alike
    url = shown.get_absolute_url()
    assert escape(similar.title) in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(similar)
    with django_assert_num_queries(CACHED_PAGE_QUERIES):  # still the cached page
        page = client.get(url).content.decode()
    assert escape(similar.title) not in page
    assert "None yet." in page

    client.force_login(make_official())  # an official still reads a members-only thread
    signed_in = client.get(url).content.decode()
    assert (escape(similar.title) in signed_in) is (withdraw is _make_members_only)
