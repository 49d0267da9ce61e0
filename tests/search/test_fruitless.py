"""Searches that found nothing are counted (`search.fruitless`) for the staff's reports:
per normalised query and day, with no one attached, and never at the search's expense."""

import logging

import pytest
from django.db import connection
from django.utils import timezone

from search.fruitless import QUERY_MAX, normalise, record
from search.models import FruitlessSearch
from tests import factories
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return dict(FruitlessSearch.objects.values_list("query", "count"))


def test_normalise():
    assert normalise("  Ballot \t\n DROP   box ") == "ballot drop box"
    assert normalise("x" * 300) == "x" * QUERY_MAX
    assert normalise("   ") == ""


def test_a_search_that_finds_nothing_is_counted_once_a_day_per_query(client):
    with fresh_index():
        client.get("/search/", {"q": "Zzqx  Warehoused"})
        client.get("/search/", {"q": "zzqx warehoused "})
        client.get("/search/", {"q": "qqzz"})
        client.get("/search/", {"q": ""})  # no search
        client.get("/search/", {"kind": "question"})  # filters alone: no query to count
    assert counts() == {"zzqx warehoused": 2, "qqzz": 1}
    row = FruitlessSearch.objects.get(query="qqzz")
    assert row.day == timezone.localdate()
    assert {field.name for field in FruitlessSearch._meta.fields} == {"id", "query", "day", "count"}


def test_a_search_that_finds_something_is_not_counted(client, asker):
    factories.ask(asker, visibility="public", title="Where do you store the ballot boxes?")
    with fresh_index():
        response = client.get("/search/", {"q": "ballot boxes"})
    assert "Where do you store the ballot boxes?" in response.content.decode()
    assert counts() == {}


def test_record_adds_to_the_day_s_row_or_makes_it():
    record("Drop  Box")
    record("drop box")
    FruitlessSearch.objects.filter(query="drop box").update(count=41)
    record("DROP BOX")
    assert counts() == {"drop box": 42}


def test_a_failure_to_count_never_breaks_the_search(client, caplog):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f"DROP TABLE {FruitlessSearch._meta.db_table}")
    with fresh_index(), caplog.at_level(logging.ERROR, logger="search.fruitless"):
        response = client.get("/search/", {"q": "zzqx warehoused"})
    assert response.status_code == 200
    assert "could not be counted" in caplog.text
