"""The scale-out path: the same search code on Elasticsearch 7 through haystack.

There is no Elasticsearch server on this machine or in CI, so this runs only where one is
configured: CANVASS_TEST_ELASTICSEARCH_URL=elasticsearch7://127.0.0.1:9200/canvass-test
(and `pip install "elasticsearch>=7,<8"`). It builds that index from the demo content,
searches it as a visitor and as an official, then deletes it."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from haystack import connections

from config.settings.env import haystack_connection
from search import queue
from search.queries import Filters, search
from tests import factories

ELASTICSEARCH_URL = os.environ.get("CANVASS_TEST_ELASTICSEARCH_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.skipif(
        not ELASTICSEARCH_URL,
        reason="no Elasticsearch here: set CANVASS_TEST_ELASTICSEARCH_URL to run",
    ),
]


@pytest.fixture
def elasticsearch():
    cluster = {"default": haystack_connection(ELASTICSEARCH_URL, settings.BASE_DIR)}
    with override_settings(HAYSTACK_CONNECTIONS=cluster):
        connections.reload("default")
        try:
            queue.rebuild()
            connections["default"].get_backend().conn.indices.refresh()
            yield
        finally:
            connections["default"].get_backend().clear()
            connections.reload("default")
    connections.reload("default")


def test_the_same_search_on_elasticsearch(elasticsearch):
    visitor = search(AnonymousUser(), "L&A testing", Filters())
    titles = [hit.title for hit in visitor.hits]
    assert "Pre-election logic and accuracy testing" in titles[:3]
    assert sum(value.count for value in visitor.facets["kind"]) == visitor.page.paginator.count
    guides = search(AnonymousUser(), "L&A testing", Filters(kind="guide"))
    assert {hit.kind for hit in guides.hits} == {"guide"}

    # A members-only demo thread (demo/threads.py), for officials only.
    members_only = "address confidentiality programs"
    official = factories.make_official()
    for reader, finds in ((AnonymousUser(), False), (official, True)):
        found = [hit.title for hit in search(reader, members_only, Filters()).hits]
        assert any(members_only in title for title in found) is finds
