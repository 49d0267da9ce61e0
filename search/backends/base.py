"""The interface every Canvass search backend provides, beyond haystack's (see ``__init__``)."""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from haystack.exceptions import SearchBackendError

# What a word is, for every backend's analyzer, the election vocabulary and the snippets:
# letters and digits, joined by "&" ("L&A", "P&P") or a dot between letters.
WORD_PATTERN = r"\w+(?:&\w+)*(?:\.?\w+)*"

# A highlighted passage: (text, matched) parts; the template marks the matched ones, so the
# template engine escapes every character of it.
Snippet = list[tuple[str, bool]]


class SearchUnavailable(SearchBackendError):
    """The index is missing, unreadable or corrupt. Pages still work; search catches up
    once the worker has rebuilt it."""


class IndexLocked(SearchBackendError):
    """Another writer held the index for too long: try again later."""


class Batch(Protocol):
    def update(self, search_index, obj) -> None:
        """Index ``obj`` as ``search_index`` prepares it, replacing its earlier copy (an
        object the index skips is removed)."""

    def remove(self, identifier: str) -> None:
        """Remove the document "app_label.model.pk", if the index holds it."""


class CanvassBackend(ABC):
    """Mixed into a haystack backend class: ``class X(CanvassBackend, BaseSearchBackend)``.
    What its ``search()`` must also do is in the package's docstring."""

    @abstractmethod
    def batch(self) -> AbstractContextManager[Batch]:
        """Updates and removals applied together when the block ends, or none of them if it
        raises. One writer at a time: entering waits for (or raises ``IndexLocked`` on)
        another, so the queue may read its rows and objects once inside."""

    @abstractmethod
    def rebuild(self, documents: Iterable[tuple]) -> int:
        """Replace the whole index with ``documents`` ((search index, object) pairs),
        returning how many were indexed. Searches keep answering from the old index (or say
        they are catching up) until the new one is complete."""

    @abstractmethod
    def status(self) -> dict:
        """For the health check and the worker: ``{"state": "ok"}`` with "documents", the
        count, where the engine knows it cheaply; or state "missing" or "unreadable" with a
        "detail", in which case searches raise ``SearchUnavailable`` and the worker
        rebuilds the index."""

    @abstractmethod
    def highlight(self, texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
        """For each text (what the reader may read now, never the index's copy), up to two
        passages of about ``characters`` in all around the words that match ``words`` as
        this backend matches them (stems, for one); an empty snippet where none matches."""
