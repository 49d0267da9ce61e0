"""Similar questions beside a thread: found when the thread changes, stored, and read with
one query under the reader's permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forum import services
from forum.models import Question, Visibility
from search import queue, similar
from search.models import SimilarList, SimilarQuestion
from tests import factories
from tests.search.index import fresh_index
from tests.search.test_queue import ask

pytestmark = pytest.mark.django_db
VISITOR = AnonymousUser()


def titles(questions) -> list[str]:
    return [question.title for question in questions]


def test_found_after_the_change_and_read_with_one_query(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            first = ask("Wombat seal logs for the ballot warehouse")
            members = ask("Wombat seal logs kept by members", visibility=Visibility.MEMBERS)
            unrelated = ask("Recruiting poll workers from high schools")
        queue.drain()
        with django_capture_on_commit_callbacks(execute=True):
            later = ask("Where do you file wombat seal logs?")
        queue.drain()
        assert SimilarList.objects.filter(question=later, title=later.title).exists()
        official = factories.make_official()
        with django_assert_num_queries(1):
            found = similar.for_thread(VISITOR, later)
        assert titles(found) == [first.title]  # never the members-only one
        assert set(titles(similar.for_thread(official, later))) == {first.title, members.title}
        # The older thread was not searched again, yet lists the newer one.
        assert later.title in titles(similar.for_thread(VISITOR, first))
        assert unrelated.title not in titles(similar.for_thread(official, later))


def test_a_thread_hidden_since_is_never_shown(django_capture_on_commit_callbacks):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            first = ask("Numbat tamper tape on ballot boxes")
            second = ask("Which numbat tamper tape do you buy?")
        queue.drain()
        assert titles(similar.for_thread(VISITOR, second)) == [first.title]
        Question.objects.filter(pk=first.pk).update(visibility=Visibility.MEMBERS)
        assert similar.for_thread(VISITOR, second) == []  # before any queue catches up
        services.hide_post(post=first, by=factories.make_moderator())
        assert similar.for_thread(factories.make_official(), second) == []


def test_a_new_title_is_searched_again_and_an_unchanged_one_is_not(
    django_capture_on_commit_callbacks,
):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            first = ask("Quokka chain of custody forms")
            second = ask("Printing quokka chain of custody forms")
        queue.drain()
        before = list(SimilarQuestion.objects.filter(question=second).values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            services.post_answer(
                question=second, author=factories.make_expert(), body="We print them in-house."
            )
        queue.drain()
        after = list(SimilarQuestion.objects.filter(question=second).values_list("pk", flat=True))
        assert before == after  # an answer does not change what the title is like
        with django_capture_on_commit_callbacks(execute=True):
            services.edit_question(
                question=second,
                editor=second.author,
                title="Recruiting bilingual poll workers",
                body=second.body,
                topics=list(second.topics.all()),
                states=[],
                reason="A different question",
            )
        queue.drain()
        assert first.title not in titles(similar.for_thread(VISITOR, second))


def test_threads_without_a_list_are_backfilled(django_capture_on_commit_callbacks):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            first = ask("Dingo drop box camera footage")
            second = ask("How long do you keep dingo drop box footage?")
        queue.drain()
        SimilarList.objects.all().delete()
        SimilarQuestion.objects.all().delete()
        assert similar.for_thread(VISITOR, second) == []
        assert similar.backfill(100) >= 2
        assert titles(similar.for_thread(VISITOR, second)) == [first.title]
