"""Elasticsearch 7 (``elasticsearch7://``), for a site whose index must live on a cluster:
haystack's backend, with what Canvass asks beside it.

- ``batch()`` collects updates and removals and sends them when the block ends: haystack's
  bulk update for each search index, then one removal each. A cluster has no index lock.
- ``rebuild()`` empties the index and fills it again in batches; searches find less meanwhile.
- ``status()`` takes the cluster to be there: a failed write is retried like any other.
- Snippets are marked as the Whoosh backend marks them (``whoosh.mark_passages``): a cluster
  cannot highlight text it did not store, and Porter stems are close to its "snowball"
  analyzer's.
- Spelling suggestions are Elasticsearch's term suggester over the whole index, not only the
  narrowed documents; the query layer drops any suggested word the reader may not read.
"""

import itertools
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)

from .base import CanvassBackend, Snippet
from .whoosh import mark_passages

BATCH_SIZE = 500


class CanvassElasticsearchBackend(CanvassBackend, Elasticsearch7SearchBackend):
    @contextmanager
    def batch(self):
        batch = _Batch()
        yield batch
        for search_index, objects in batch.updates.items():
            self.update(search_index, objects)
        for identifier in batch.removals:
            self.remove(identifier)

    def rebuild(self, documents) -> int:
        self.clear()
        indexed = 0
        for chunk in itertools.batched(documents, BATCH_SIZE):
            with self.batch() as batch:
                for search_index, obj in chunk:
                    batch.update(search_index, obj)
            indexed += len(chunk)
        return indexed

    def status(self) -> dict:
        return {"state": "ok"}

    def highlight(self, texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
        return mark_passages(texts, words, characters)


class _Batch:
    def __init__(self):
        self.updates = defaultdict(list)
        self.removals = []

    def update(self, search_index, obj) -> None:
        self.updates[search_index].append(obj)

    def remove(self, identifier: str) -> None:
        self.removals.append(identifier)


class CanvassElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = CanvassElasticsearchBackend
