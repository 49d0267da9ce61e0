"""What a search tells each reader about what they may not read: nothing. Spelling
suggestions, facet counts and similar questions come only from text the reader may read
now, so a visitor's search answers exactly as if the members-only thread did not exist,
and a hidden thread's words stop being suggested."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from forum import services
from forum.models import Question, Topic, Visibility
from search import queue
from search.queries import Filters, search, similar_questions
from tests import factories
from tests.search.index import fresh_index

# Every promise holds on the site's database backend (FTS5 or PostgreSQL, as the run's
# database) and on Whoosh.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("whoosh", [False, True], ids=["database", "whoosh"]),
]

WORD = "gnatcatcher"  # in no demo document
MISSPELT = "gnatcatchr"
READERS = {
    "visitor": (AnonymousUser, False),
    "member": (factories.make_member, False),
    "verified official": (factories.make_official, True),
    "moderator": (factories.make_moderator, True),
}


def ask(
    visibility: str,
    *,
    title: str,
    topic: str = "physical-security",
    state: str = "OH",
    word: str = WORD,
):
    return services.ask_question(
        author=factories.make_official(),
        title=title,
        body=f"Where does your office keep the {word} logs between elections?",
        topics=[Topic.objects.get(slug=topic)],
        states=[state],
        visibility=visibility,
    )


def seen_by(reader, text: str) -> dict:
    """Everything a search page shows about ``text``: suggestion, hits, every facet count."""
    outcome = search(reader, text, Filters())
    return {
        "suggestion": outcome.suggestion,
        "titles": [hit.title for hit in outcome.hits],
        "facets": {
            name: [(value.value, value.count) for value in values]
            for name, values in outcome.facets.items()
        },
        "similar": [question.pk for question in similar_questions(reader, text)],
    }


@pytest.mark.parametrize("role", READERS)
def test_a_members_only_word_is_suggested_only_to_its_readers(
    whoosh, role, django_capture_on_commit_callbacks
):
    make, reads_members = READERS[role]
    reader = make()
    with fresh_index(whoosh=whoosh):
        queries = (MISSPELT, WORD, f"{WORD} ballot")
        before = {text: seen_by(reader, text) for text in queries}
        cache.clear()  # similar questions are cached a while by title and audience
        with django_capture_on_commit_callbacks(execute=True):
            question = ask(Visibility.MEMBERS, title="Logs for the members' storage room")
        queue.drain()
        after = {text: seen_by(reader, text) for text in queries}
    if reads_members:
        assert after[MISSPELT]["suggestion"] == WORD
        assert after[WORD]["titles"] == [question.title]
        assert after[WORD]["similar"] == [question.pk]
    else:
        # As if the thread did not exist: no suggestion, no hit, no count, no similar.
        assert after == before
        assert WORD not in after[MISSPELT]["suggestion"]


def test_a_reader_is_offered_the_nearest_word_they_may_read(
    whoosh, django_capture_on_commit_callbacks
):
    """The backend suggests from the reader's documents only, so a visitor gets the public
    word the members-only one would otherwise have hidden (both one edit away; the
    members-only one comes first in the alphabet)."""
    neighbour = "gnatcatchor"
    with django_capture_on_commit_callbacks(execute=True):
        ask(Visibility.PUBLIC, title="Logs for the public storage room", word=neighbour)
        ask(Visibility.MEMBERS, title="Logs for the members' storage room")
    visitor, official = AnonymousUser(), factories.make_official()
    with fresh_index(whoosh=whoosh):
        assert search(visitor, MISSPELT, Filters()).suggestion == neighbour
        assert search(official, MISSPELT, Filters()).suggestion == WORD
        # The members-only word itself is unknown to a visitor, as if it did not exist.
        assert search(visitor, WORD, Filters()).suggestion == neighbour
        assert search(official, WORD, Filters()).suggestion == ""


def test_a_visitors_facet_counts_never_include_members_only_threads(
    whoosh,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        public = ask(Visibility.PUBLIC, title="Logs for the public storage room")
        ask(
            Visibility.MEMBERS,
            title="Logs for the members' storage room",
            topic="voter-registration",
            state="WY",
        )
    with fresh_index(whoosh=whoosh):
        visitor = search(AnonymousUser(), WORD, Filters())
        official = search(factories.make_official(), WORD, Filters())
    assert [hit.title for hit in visitor.hits] == [public.title]
    assert {
        name: [(v.value, v.count) for v in values] for name, values in visitor.facets.items()
    } == {
        "kind": [("question", 1)],
        "topics": [("physical-security", 1)],
        "states": [("OH", 1)],
        "solved": [("unsolved", 1)],
    }
    assert {v.value: v.count for v in official.facets["kind"]} == {"question": 2}
    assert {v.value for v in official.facets["states"]} == {"OH", "WY"}


def test_a_hidden_threads_words_are_no_longer_suggested(whoosh, django_capture_on_commit_callbacks):
    visitor, moderator = AnonymousUser(), factories.make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(Visibility.PUBLIC, title="Logs for the public storage room")
    with fresh_index(whoosh=whoosh):
        assert search(visitor, MISSPELT, Filters()).suggestion == WORD
        with django_capture_on_commit_callbacks(execute=True):
            services.hide_post(post=question, by=moderator)
        # Hidden a moment ago, the change still queued: the index has the thread, but it is
        # read back from the database before anything of it is shown, suggestion included.
        # (Until the queue is applied, the counts are the index's: "1 result", none shown.)
        for reader in (visitor, factories.make_official(), moderator):
            assert search(reader, MISSPELT, Filters()).suggestion == ""
            assert search(reader, WORD, Filters()).hits == []
        queue.drain()
        for reader in (visitor, moderator):
            assert search(reader, MISSPELT, Filters()).suggestion == ""
            assert search(reader, WORD, Filters()).page is None


def test_a_thread_made_members_only_since_indexing_is_no_longer_suggested_to_visitors(
    whoosh,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(Visibility.PUBLIC, title="Logs for the public storage room")
    with fresh_index(whoosh=whoosh):
        Question.objects.filter(pk=question.pk).update(visibility=Visibility.MEMBERS)
        assert search(AnonymousUser(), MISSPELT, Filters()).suggestion == ""
        assert search(factories.make_official(), MISSPELT, Filters()).suggestion == WORD
