"""Who applies the search index queue (``search.queue``).

``SEARCH_INDEX_IN_PROCESS`` on (`make run`): a daemon thread of each web process, started
by its first request (management commands never start one), drains the queue a moment
after each write in the process (so a burst goes in one batch) and every few seconds
besides, for changes queued by other processes. Off (production): `manage.py
search_worker` runs ``run_forever`` in a process of its own.

Either way a missing or unreadable index is rebuilt from the database, and a locked one
(another writer) is simply tried again. An idle round finds the similar questions of a few
threads that have none (``search.similar.backfill``).
"""

import logging
import threading
import time

from django.db import close_old_connections

from .backends import IndexLocked

logger = logging.getLogger("canvass.search")
SETTLE_SECONDS = 0.2  # wait this long after a write for others in the same burst
POLL_SECONDS = 5.0
BACKFILL_PER_ROUND = 20  # threads whose similar questions an idle round finds

_wakeup = threading.Event()
_started = threading.Lock()
_thread: threading.Thread | None = None


def start(**kwargs) -> None:
    """Connected to ``request_started`` when ``SEARCH_INDEX_IN_PROCESS`` is on."""
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="search-index-writer", daemon=True)
            _thread.start()


def wake() -> None:
    """A change was queued: apply it soon, when this process has a writer thread."""
    _wakeup.set()


def _run() -> None:
    while True:
        _wakeup.wait(POLL_SECONDS)
        time.sleep(SETTLE_SECONDS)
        _wakeup.clear()
        close_old_connections()
        try:
            work_once()
        finally:
            close_old_connections()


def work_once() -> int:
    """Apply what is queued; rebuild first when there is no readable index. Never raises:
    what could not be applied stays queued for the next round."""
    from . import queue, similar

    try:
        if queue.index_state()["state"] == "ok":
            applied = queue.drain()
            if not applied:  # idle: find the similar questions of threads without them
                similar.backfill(BACKFILL_PER_ROUND)
            return applied
    except IndexLocked:
        logger.info("The search index is being written by another process; trying again.")
        return 0
    except Exception:
        logger.exception("Applying search index changes failed; they stay queued.")
        return 0
    logger.warning("The search index is missing or unreadable: rebuilding it.")
    try:
        return queue.rebuild()
    except Exception:
        logger.exception("Rebuilding the search index failed; trying again later.")
    return 0


def run_forever(*, poll_seconds: float = 1.0) -> None:
    while True:
        close_old_connections()
        if not work_once():
            time.sleep(poll_seconds)
