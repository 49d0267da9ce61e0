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

from .backends import SearchUnavailable
from .models import IndexChange

logger = logging.getLogger("canvass.search")
BATCH_SIZE = 500
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


def _backend():
    return connections["default"].get_backend()


def _search_index(model_label: str):
    model = apps.get_model(model_label)
    try:
        return connections["default"].get_unified_index().get_index(model)
    except NotHandled:
        return None


def drain(*, batch_size: int = BATCH_SIZE) -> int:
    """Apply queued changes until the queue holds none that are due. Returns how many rows
    were applied. Raises ``SearchUnavailable`` when there is no index to apply them to
    (the worker then rebuilds it) and ``IndexLocked`` when another writer holds it."""
    applied = 0
    while True:
        done = _apply_batch(batch_size)
        if not done:
            return applied
        applied += done


def _due():
    now = timezone.now()
    return IndexChange.objects.exclude(retry_after__gt=now).order_by("pk")


def _index_state(backend) -> dict:
    """Ours reports missing and unreadable indexes; a cluster (Elasticsearch) is taken to
    be there, and a failed write to it is retried like any other."""
    return backend.status() if hasattr(backend, "status") else {"state": "ok"}


def _apply_batch(batch_size: int) -> int:
    backend = _backend()
    if _index_state(backend)["state"] != "ok":
        raise SearchUnavailable("There is no readable search index to apply changes to.")
    rows = list(_due()[:batch_size])
    if not rows:
        return 0
    by_model = defaultdict(set)
    for row in rows:
        by_model[row.model].add(row.object_pk)
    try:
        updates, removals = [], []
        for model_label, pks in by_model.items():
            search_index = _search_index(model_label)
            if search_index is None:
                continue
            present = search_index.index_queryset().filter(pk__in=pks)
            found = set()
            for obj in present:
                found.add(obj.pk)
                updates.append((search_index, obj))
            removals += [f"{model_label}.{pk}" for pk in sorted(pks - found)]
        _write(backend, updates, removals)
    except Exception as error:
        _postpone(rows, error)
        raise
    IndexChange.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def _write(backend, updates, removals) -> None:
    if hasattr(backend, "apply"):
        backend.apply(updates=updates, removals=removals)
        return
    # Elasticsearch and the like: haystack's own bulk update, and one removal each.
    by_index = defaultdict(list)
    for search_index, obj in updates:
        by_index[search_index].append(obj)
    for search_index, objects in by_index.items():
        backend.update(search_index, objects)
    for identifier in removals:
        backend.remove(identifier)


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
    backend = _backend()
    newest = IndexChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    backend.clear()
    indexed = 0
    for model in connections["default"].get_unified_index().get_indexed_models():
        search_index = _search_index(model._meta.label_lower)
        queryset = search_index.index_queryset().order_by("pk")
        total = queryset.count()
        done = 0
        for start in range(0, total, BATCH_SIZE):
            objects = list(queryset[start : start + BATCH_SIZE])
            _write(backend, [(search_index, obj) for obj in objects], [])
            done += len(objects)
            if progress is not None:
                progress(model._meta.label_lower, done, total)
        indexed += done
    IndexChange.objects.filter(pk__lte=newest).delete()
    return indexed


def status() -> dict:
    """The index's state and the queue's length, for the health check."""
    now = timezone.now()
    pending = IndexChange.objects.all()
    oldest = pending.order_by("pk").values_list("enqueued_at", flat=True).first()
    return {
        "index": _index_state(_backend()),
        "queue": {
            "pending": pending.count(),
            "retrying": pending.filter(attempts__gt=0).count(),
            "oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
        },
    }
