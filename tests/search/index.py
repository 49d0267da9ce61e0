"""A search index of a test's own, built from the test's database.

The session's index (built once from the reference data, tests/content.py) is shared by
every test, and tests' database changes are rolled back; a test that changes what is
indexed works on an index of its own instead, so it can neither see nor leave behind
documents of rolled-back rows."""

import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings
from haystack import connections

from config.settings.env import haystack_connection
from search import queue


@contextmanager
def fresh_index(*, build: bool = True):
    with tempfile.TemporaryDirectory(prefix="canvass-test-own-index-") as path:
        own = {"default": haystack_connection(f"whoosh://{path}", settings.BASE_DIR)}
        with override_settings(HAYSTACK_CONNECTIONS=own):
            connections.reload("default")
            try:
                if build:
                    queue.rebuild()
                yield path
            finally:
                connections.reload("default")
    connections.reload("default")
