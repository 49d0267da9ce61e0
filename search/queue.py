"""The search index queue: writes never wait on the index, and are never lost to it.

A service's change is queued once its transaction has committed (``enqueue_after_commit``):
the database is the source of truth and the queue says only which objects to read again.
One writer at a time (the index lock) applies queued changes in batches (``drain``): it
takes the lock first, then reads the queue and the objects, so a later writer always reads
later data. A batch that fails stays queued and is retried with a growing pause; the rows
are deleted only once the index has committed the change.

Who drains: in `make run` and wherever ``SEARCH_INDEX_IN_PROCESS`` is on, a thread of the
web process (``search.worker``) within a second or two; otherwise `manage.py search_worker`.
"""

import logging
from collections import defaultdict
from datetime import timedelta
from functools import partial

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from haystack import connections
from haystack.exceptions import NotHandled

from . import backends
from .backends import SearchUnavailable
from .models import IndexChange

logger = logging.getLogger("canvass.search")
BATCH_SIZE = 500
QUESTION = "forum.question"
MAX_PAUSE = timedelta(minutes=10)


def enqueue_after_commit(model_label: str, pks) -> None:
    """Queue these objects for the index once the current transaction commits (at once
    outside one). A failure to queue is logged, never raised: the write has happened."""
    pks = sorted({int(pk) for pk in pks})
    if pks:
        transaction.on_commit(partial(_enqueue, model_label, pks), robust=True)


def _enqueue(model_label: str, pks: list[int]) -> None:
    try:
        IndexChange.objects.bulk_create(IndexChange(model=model_label, object_pk=pk) for pk in pks)
    except Exception:
        logger.exception(
            "Could not queue %s %s for the search index; `rebuild_search` restores it.",
            model_label,
            pks,
        )
        return
    from . import worker

    worker.wake()


def _search_index(model_label: str):
    model = apps.get_model(model_label)
    try:
        return connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return None


def drain(*, batch_size: int = BATCH_SIZE) -> int:
    """Apply queued changes until the queue holds none that are due. Returns how many rows
    were applied. Raises ``SearchUnavailable`` when there is no index to apply them to
    (the worker then rebuilds it) and ``IndexLocked`` when another writer holds it. With
    nothing due it neither reads the index nor takes its lock: workers poll this."""
    if not _due().exists():
        return 0
    if index_state()["state"] != "ok":
        raise SearchUnavailable("There is no readable search index to apply changes to.")
    backend = backends.current()
    applied = 0
    while done := _apply_batch(backend, batch_size):
        applied += done
    return applied


def _due():
    now = timezone.now()
    return IndexChange.objects.exclude(retry_after__gt=now).order_by("pk")


def index_state() -> dict:
    """ok, missing or unreadable (``CanvassBackend.status``)."""
    return backends.current().status()


def _apply_batch(backend, batch_size: int) -> int:
    """Under the index lock: read the due rows and their objects, write them in one
    commit, then delete the rows. A later writer therefore always reads later data."""
    rows = []
    try:
        with backend.batch() as batch:
            rows = list(_due()[:batch_size])
            by_model = defaultdict(set)
            for row in rows:
                by_model[row.model].add(row.object_pk)
            for model_label, pks in by_model.items():
                search_index = _search_index(model_label)
                if search_index is None:
                    continue
                found = set()
                for obj in search_index.index_queryset().filter(pk__in=pks):
                    found.add(obj.pk)
                    batch.update(search_index, obj)
                for pk in sorted(pks - found):
                    batch.remove(f"{model_label}.{pk}")
    except Exception as error:
        if rows:
            _postpone(rows, error)
        raise
    IndexChange.objects.filter(pk__in=[row.pk for row in rows]).delete()
    from . import similar  # its queries use the index this module writes

    similar.refresh([row.object_pk for row in rows if row.model == QUESTION])
    return len(rows)


def _postpone(rows, error) -> None:
    """Leave the rows queued and try them again later: 2, 4, 8 … seconds, at most ten
    minutes apart."""
    logger.warning("Search index batch of %d changes failed: %s", len(rows), error)
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.retry_after = now + min(timedelta(seconds=2**row.attempts), MAX_PAUSE)
        row.last_error = str(error)[:1000]
    IndexChange.objects.bulk_update(rows, ["attempts", "retry_after", "last_error"])


def rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the database. Queued changes older than the rebuild
    are dropped (the rebuild reads what they would have), later ones stay. ``progress`` is
    called with (model label, done, total) as it goes. Returns the documents indexed."""
    newest = IndexChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    indexed = backends.current().rebuild(_everything(progress))
    IndexChange.objects.filter(pk__lte=newest).delete()
    return indexed


def _everything(progress):
    """Every object of every index, read a batch at a time in primary key order (each batch
    starting after the last, so none costs more than the first), as (search index, object)."""
    for model in connections["default"].get_unified_index().get_indexed_models():
        label = model._meta.label_lower
        search_index = _search_index(label)
        queryset = search_index.index_queryset().order_by("pk")
        total, done, last = queryset.count(), 0, None
        while objects := list(
            (queryset if last is None else queryset.filter(pk__gt=last))[:BATCH_SIZE]
        ):
            yield from ((search_index, obj) for obj in objects)
            done, last = done + len(objects), objects[-1].pk
            if progress is not None:
                progress(label, min(done, total), total)


def status() -> dict:
    """The index's state and the queue's length, for the health check."""
    now = timezone.now()
    pending = IndexChange.objects.all()
    oldest = pending.order_by("pk").values_list("enqueued_at", flat=True).first()
    return {
        "index": index_state(),
        "queue": {
            "pending": pending.count(),
            "retrying": pending.filter(attempts__gt=0).count(),
            "oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
        },
    }
