"""Keeping the index right: writes queue their change after commit and never wait on, or
fail because of, the index; one writer applies the queue in batches with retries; a
missing, locked or corrupt index leaves every page working."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone
from haystack import connections
from wagtail.models import PageViewRestriction
from whoosh import index as whoosh_index

from forum import services
from forum.models import Topic, Visibility
from search import queue, worker
from search.backends import IndexLocked
from search.models import IndexChange, IndexState
from search.queries import Filters, search
from tests import factories
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db
VISITOR = AnonymousUser()


def ask(title: str, **changes):
    return services.ask_question(
        author=factories.make_official(),
        title=title,
        body="Which form do you use, and who signs it at the end of the night?",
        topics=[Topic.objects.get(slug="physical-security")],
        states=[],
        visibility=changes.get("visibility", Visibility.PUBLIC),
    )


def found(text: str, reader=VISITOR) -> list[str]:
    return [hit.title for hit in search(reader, text, Filters()).hits]


def queued() -> list[tuple[str, int]]:
    return list(IndexChange.objects.order_by("pk").values_list("model", "object_pk"))


def test_a_change_is_queued_after_commit_and_applied_by_the_writer(
    django_capture_on_commit_callbacks,
):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            question = ask("Gnomon seal logs at the warehouse")
        assert queued() == []  # nothing before the commit
        with django_capture_on_commit_callbacks(execute=True):  # and what those queue
            for callback in callbacks:
                callback()
        assert queued() == [("forum.question", question.pk)]
        assert found("gnomon") == []  # the write did not wait for the index
        assert queue.drain() == 1
        assert queued() == []
        assert found("gnomon") == [question.title]


def test_a_rolled_back_write_queues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                ask("A question that is never written")
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
    assert queued() == []


def test_failing_to_queue_never_fails_the_write(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise RuntimeError("the queue table is unavailable")

    monkeypatch.setattr(IndexChange.objects, "bulk_create", refuse)
    with (
        caplog.at_level(logging.ERROR, "canvass.search"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        question = ask("Written even though the queue refused")
    assert question.pk
    assert "rebuild_search" in caplog.text


def test_answers_edits_and_hiding_reach_the_index(django_capture_on_commit_callbacks):
    moderator = factories.make_moderator()
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            question = ask("Tamper tape for the tapir polling place")
        queue.drain()
        with django_capture_on_commit_callbacks(execute=True):
            answer = services.post_answer(
                question=question, author=factories.make_expert(), body="Use the ocelot kind."
            )
        queue.drain()
        assert found("ocelot") == [question.title]
        with django_capture_on_commit_callbacks(execute=True):
            services.hide_post(post=answer, by=moderator)
        queue.drain()
        assert found("ocelot") == []
        assert found("tapir") == [question.title]
        with django_capture_on_commit_callbacks(execute=True):
            services.hide_post(post=question, by=moderator)
        queue.drain()
        assert found("tapir") == []
        assert found("tapir", moderator) == []  # hidden is never searchable


def test_pages_follow_publishing_and_restrictions(django_capture_on_commit_callbacks):
    guide = factories.make_guide(
        "Risk-limiting audits in brief",
        body=[("paragraph", "<p>A risk-limiting audit checks a sample of the ballots.</p>")],
    )
    with fresh_index():
        assert guide.title in found("risk-limiting audit")
        with django_capture_on_commit_callbacks(execute=True):
            PageViewRestriction.objects.create(page=guide, restriction_type="login")
        assert queued() == [("cms.guidepage", guide.pk)]
        queue.drain()
        assert guide.title not in found("risk-limiting audit")
        with django_capture_on_commit_callbacks(execute=True):
            guide.view_restrictions.all().delete()
        queue.drain()
        assert guide.title in found("risk-limiting audit")
        with django_capture_on_commit_callbacks(execute=True):
            guide.unpublish()
        queue.drain()
        assert guide.title not in found("risk-limiting audit")


def test_a_locked_index_leaves_the_queue_for_the_next_round(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("search.backends.whoosh.LOCK_TIMEOUT", 0.1)
    with fresh_index(whoosh=True) as path:
        with django_capture_on_commit_callbacks(execute=True):
            question = ask("Kinkajou chain of custody form")
        other_writer = whoosh_index.open_dir(path).writer()  # another process, say
        try:
            with pytest.raises(IndexLocked):
                queue.drain()
            assert worker.work_once() == 0  # never raises
            assert queued() == [("forum.question", question.pk)]
        finally:
            other_writer.cancel()
        assert worker.work_once() == 1
        assert found("kinkajou") == [question.title]


def test_changes_wait_while_the_index_is_rebuilt(django_capture_on_commit_callbacks):
    """With the index in the database, a rebuild in progress is what holds it."""
    with django_capture_on_commit_callbacks(execute=True):
        question = ask("Kinkajou chain of custody form")
    IndexState.objects.update(rebuilding_since=timezone.now())  # another process, say
    with pytest.raises(IndexLocked):
        queue.drain()
    assert worker.work_once() == 0  # never raises
    assert queued() == [("forum.question", question.pk)]
    IndexState.objects.update(rebuilding_since=None)
    IndexChange.objects.update(retry_after=None)
    assert worker.work_once() == 1
    assert found("kinkajou") == [question.title]
    # A rebuild that died long ago no longer holds the index.
    IndexState.objects.update(rebuilding_since=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_answer(
            question=question,
            author=factories.make_expert(),
            body="Use the okapi seal on every bag.",
        )
    assert worker.work_once() == 1
    assert found("okapi") == [question.title]


def test_a_failed_batch_is_retried_later(monkeypatch, django_capture_on_commit_callbacks):
    from search.search_indexes import QuestionIndex

    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            question = ask("Pangolin seal log")

        def fail(self, obj):
            raise RuntimeError("the database went away mid-batch")

        monkeypatch.setattr(QuestionIndex, "prepare_text", fail)
        assert worker.work_once() == 0
        (row,) = IndexChange.objects.all()
        assert row.attempts == 1
        assert row.retry_after > timezone.now()
        assert "went away" in row.last_error
        assert found("pangolin") == []  # the failed batch wrote nothing
        monkeypatch.undo()
        assert worker.work_once() == 0  # not due yet
        IndexChange.objects.update(retry_after=timezone.now() - timedelta(seconds=1))
        assert worker.work_once() == 1
        assert found("pangolin") == [question.title]


def test_a_missing_index_says_catching_up_and_the_worker_rebuilds_it(
    client, django_capture_on_commit_callbacks
):
    with fresh_index(build=False):
        response = client.get("/search/", {"q": "ballot"})
        assert response.status_code == 200
        assert "Search is catching up" in response.content.decode()
        health = client.get("/search/health/")
        assert health.status_code == 503
        assert health.json()["index"]["state"] == "missing"
        with django_capture_on_commit_callbacks(execute=True):
            question = ask("Posting works while the quetzal search catches up")
        assert health.status_code == 503
        assert client.get("/search/health/").json()["queue"]["pending"] == 1
        assert client.get(question.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200
        assert worker.work_once() > 1  # rebuilt from the database, the new thread too
        assert found("quetzal") == [question.title]
        health = client.get("/search/health/").json()
        assert health["index"]["state"] == "ok"
        assert health["queue"]["pending"] == 0


def test_the_worker_rebuilds_a_missing_index_even_with_nothing_queued(client):
    with fresh_index(build=False):
        assert queued() == []
        assert worker.work_once() > 0
        assert client.get("/search/health/").json()["index"]["state"] == "ok"
        assert worker.work_once() == 0  # an idle poll: nothing due, nothing written


def test_a_corrupt_index_says_catching_up_until_rebuilt(client):
    with fresh_index(whoosh=True) as path:
        assert found("ballot")
        for segment in Path(path).glob("*.seg"):
            segment.write_bytes(b"not an index")
        connections.reload("default")  # a new process, opening the damaged files
        assert "Search is catching up" in client.get("/search/", {"q": "ballot"}).content.decode()
        assert client.get("/search/similar/", {"title": "ballot"}).json()["questions"] == []
        assert client.get("/search/health/").json()["index"]["state"] == "unreadable"
        worker.work_once()
        assert found("ballot")


def test_a_rebuild_drops_older_queued_changes_and_keeps_newer(django_capture_on_commit_callbacks):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            older = ask("Queued before the narwhal rebuild")

        def progress(label, done, total):
            if label == "forum.question" and done == total:
                IndexChange.objects.create(model="forum.question", object_pk=older.pk)

        queue.rebuild(progress=progress)
        assert queued() == [("forum.question", older.pk)]  # the one queued during it
        assert found("narwhal") == [older.title]


def test_rebuild_search_shows_progress_and_rate(capsys):
    ask("Progress of the okapi rebuild")  # a thread, so the threads have a progress bar
    with fresh_index(build=False):
        call_command("rebuild_search")
    out, err = capsys.readouterr()
    assert "forum.question" in err and "[##############################]" in err
    assert "Indexed" in out and "a second" in out


def test_the_worker_command_drains_once(django_capture_on_commit_callbacks, capsys):
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            ask("Axolotl seal numbers")
        call_command("search_worker", "--once")
    assert "Applied 1 queued changes." in capsys.readouterr().out
    assert queued() == []
