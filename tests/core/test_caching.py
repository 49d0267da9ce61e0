"""One visitors' page cache (`core.caching`) for the CMS pages and the question page, kept
in step with thread changes once they commit."""

import pytest
from django.db import transaction
from django.urls import reverse

from core.caching import CONTENT, bump, generation
from tests.factories import ask, make_official
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_generations_move_on_one_name_at_a_time():
    content, other = generation(CONTENT), generation("other")
    bump(CONTENT)
    assert generation(CONTENT) == content + 1
    assert generation("other") == other


def test_a_threads_change_reaches_visitors_cached_pages_once_it_commits(
    client, django_capture_on_commit_callbacks
):
    thread = ask(make_official(), visibility="public")
    page_queries(client, "/")
    page_queries(client, thread.get_absolute_url())
    assert len(page_queries(client, "/")) == 0  # served whole, before URL routing
    assert len(page_queries(client, thread.get_absolute_url())) == 1  # the version

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newer = ask(
            make_official(), title="A newer public question on drop boxes", visibility="public"
        )
    assert newer.title not in client.get("/").content.decode()  # not committed yet
    for callback in callbacks:
        callback()
    assert newer.title in client.get("/").content.decode()
    # The other thread's page names similar threads, so it is built again too.
    assert len(page_queries(client, thread.get_absolute_url())) > 1


def test_a_rolled_back_change_leaves_the_cached_pages(client, django_capture_on_commit_callbacks):
    page_queries(client, "/")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask(make_official(), visibility="public")
        raise RuntimeError("the change fails")
    assert len(page_queries(client, "/")) == 0


def test_a_visitor_with_a_message_waiting_gets_the_page_built(client):
    thread = ask(make_official(), visibility="public")
    page_queries(client, thread.get_absolute_url())  # stored for visitors
    client.force_login(make_official())
    client.post(reverse("account_logout"))  # a visitor again, told so on the next page
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "You have signed out." in html
