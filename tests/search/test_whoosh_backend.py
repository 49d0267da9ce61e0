"""What the Whoosh backend itself promises, beneath the query layer's checks."""

import pytest
from haystack.query import SearchQuerySet
from whoosh import index as whoosh_index

from forum import services
from forum.models import Topic, Visibility
from search import queue
from tests import factories
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db


def suggestion_for(text: str):
    """The backend's own suggestion for ``text``, over every document it holds."""
    return SearchQuerySet().filter(content=text).set_spelling_query(text).spelling_suggestion()


def test_a_removed_documents_words_are_never_suggested(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = services.ask_question(
            author=factories.make_official(),
            title="Where the gnatcatcher logs are kept",
            body="In the vault, with the seal logs.",
            topics=[Topic.objects.get(slug="physical-security")],
            states=["OH"],
            visibility=Visibility.PUBLIC,
        )
    with fresh_index(whoosh=True) as path:
        assert suggestion_for("gnatcatchr") == "gnatcatcher"
        with django_capture_on_commit_callbacks(execute=True):
            services.hide_post(post=question, by=factories.make_moderator())
        queue.drain()
        with whoosh_index.open_dir(path).reader() as reader:
            # Whoosh keeps a deleted document's words until it merges the segment.
            assert "gnatcatcher" in set(reader.field_terms("spelling"))
        assert suggestion_for("gnatcatchr") is None
        assert suggestion_for("gnatcatcher") is None  # unknown now, and nothing near it
