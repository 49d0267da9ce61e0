"""One visitors' page cache (`core.caching`) for the CMS pages and the question page: pages
that list threads follow a change in who may read a thread once it commits, and keep up
with other changes within their minute."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from core.caching import CONTENT, PAGES, bump, generation
from forum import services
from tests.factories import answer, ask, make_expert, make_moderator, make_official
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_generations_move_on_one_name_at_a_time():
    content, pages = generation(CONTENT), generation(PAGES)
    bump(CONTENT)
    assert generation(CONTENT) == content + 1
    assert generation(PAGES) == pages


def test_hiding_a_thread_reaches_visitors_cached_lists_once_it_commits(
    client, django_capture_on_commit_callbacks
):
    thread = ask(make_official(), visibility="public")
    assert escape(thread.title) in client.get("/").content.decode()
    assert len(page_queries(client, "/")) == 0  # served whole, before URL routing

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.hide_post(post=thread, by=make_moderator())
    assert escape(thread.title) in client.get("/").content.decode()  # not committed yet
    for callback in callbacks:
        callback()
    assert escape(thread.title) not in client.get("/").content.decode()


def test_an_answer_leaves_visitors_cached_lists_to_their_minute(
    client, django_capture_on_commit_callbacks
):
    """The home page lists threads with their answer counts; an answer does not empty it
    (nor any other cached page): it is kept `cms.caching.LISTING_SECONDS` at most."""
    thread = ask(make_official(), visibility="public")
    page_queries(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        answer(thread, make_expert())
    assert len(page_queries(client, "/")) == 0


def test_a_rolled_back_change_leaves_the_cached_pages(client, django_capture_on_commit_callbacks):
    thread = ask(make_official(), visibility="public")
    page_queries(client, "/")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.hide_post(post=thread, by=make_moderator())
        raise RuntimeError("the change fails")
    assert len(page_queries(client, "/")) == 0


def test_a_visitor_with_a_message_waiting_gets_the_page_built(client):
    thread = ask(make_official(), visibility="public")
    page_queries(client, thread.get_absolute_url())  # stored for visitors
    client.force_login(make_official())
    client.post(reverse("account_logout"))  # a visitor again, told so on the next page
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "You have signed out." in html
