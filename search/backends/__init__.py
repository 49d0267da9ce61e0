"""Search engines behind one interface: a backend is one file here, selected by SEARCH_URL.

The rest of the search app (queries, queue, snippets, views) never names an engine: it
searches through haystack's ``SearchQuerySet`` and asks ``current()`` for the rest. A Canvass
backend is a haystack backend (``BaseSearchBackend`` and its engine) that also subclasses
``CanvassBackend`` (``base.py``) and keeps these promises:

- ``search()`` counts each field of ``facets`` over every match, not only the page asked for
  (haystack's ``facet_counts()["fields"]``: (value, count) pairs), and applies every narrow
  query as an exact filter. The search indexes (``search/search_indexes.py``) decide the
  fields: ``kind``, ``topics``, ``states``, ``solved`` and ``audience``, each with an
  ``_exact`` twin, and ``text``, ``title`` and ``spelling``.
- Given a ``spelling_query`` (the words as typed), ``search()`` suggests another spelling
  only from live documents its narrow queries allow, which are the reader's audiences and
  the chosen filters (``queries._readable``): never a word of a thread the reader may not
  read, nor of a document removed from the index. A word such a document holds is not
  replaced, and a word only other documents hold is treated as unknown, so a search answers
  as if those documents did not exist. The query layer still checks each suggested word
  against what it reads back from the database, for the moment the index lags behind it.
- ``batch()``, ``rebuild()``, ``status()`` and ``highlight()`` as ``CanvassBackend`` says.
- Any failure to read the index raises ``SearchUnavailable`` (a ``SearchBackendError``):
  pages then say search is catching up instead of answering with nothing.

Backends: ``fts5.py`` (``fts5://``) and ``postgres.py`` (``postgres://``), the index in the
site's own database, sharing ``sql.py`` and ``analysis.py`` (the default follows the
database); ``whoosh.py`` (``whoosh://``, the embedded index on this machine's disk) and
``elasticsearch7.py`` (``elasticsearch7://``, a cluster through haystack's backend).
``config.settings.env.haystack_connection`` maps SEARCH_URL's scheme to the engine.
"""

from haystack import connections

from .base import WORD_PATTERN, Batch, CanvassBackend, IndexLocked, SearchUnavailable, Snippet

__all__ = [
    "WORD_PATTERN",
    "Batch",
    "CanvassBackend",
    "IndexLocked",
    "SearchUnavailable",
    "Snippet",
    "current",
]


def current() -> CanvassBackend:
    """The backend of the connection every search uses."""
    return connections["default"].get_backend()
