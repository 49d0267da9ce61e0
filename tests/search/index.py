"""A search index of a test's own, built from the test's database.

With the index in the database (FTS5, PostgreSQL: the default), the index is rows like
any other, so a test's changes to it are rolled back with the test; a test that wants an
index of exactly its database rebuilds it inside its transaction. A Whoosh index is a
directory the rollback does not touch, so ``whoosh=True`` gives the test a directory of its
own, which it can neither see documents of rolled-back rows in nor leave them behind."""

import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from haystack import connections

from config.settings.env import haystack_connection
from search.models import IndexState


@contextmanager
def fresh_index(*, build: bool = True, whoosh: bool = False):
    """Rebuilt from the database now (``build``, as `rebuild_search` does: similar questions
    too), or missing, as before the first build. Yields the Whoosh index's directory, or
    None."""
    if not whoosh:
        if build:
            call_command("rebuild_search", verbosity=0)
        else:
            IndexState.objects.all().delete()
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="canvass-test-own-index-") as path:
        own = {"default": haystack_connection(f"whoosh://{path}", settings.BASE_DIR)}
        # haystack picks the engine from the connections it was given at start-up and its
        # options from the settings: both must change.
        configured = connections.connections_info
        with override_settings(HAYSTACK_CONNECTIONS=own):
            connections.connections_info = own
            connections.reload("default")
            try:
                if build:
                    call_command("rebuild_search", verbosity=0)
                yield path
            finally:
                connections.connections_info = configured
    connections.reload("default")
