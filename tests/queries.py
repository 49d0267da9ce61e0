"""Counting the SQL queries a page costs, for the tests that pin them."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> list[str]:
    """The SQL of each query a GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def cold_and_warm(client, url: str) -> tuple[int, int]:
    """How many queries the page costs with an empty cache, then with the cache it filled."""
    cache.clear()
    return len(page_queries(client, url)), len(page_queries(client, url))
