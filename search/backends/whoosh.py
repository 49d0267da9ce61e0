"""The Whoosh backend (``whoosh://``): haystack's, made fast and robust enough for a site.

Stock haystack + Whoosh opens a new searcher for every query, runs each narrowing filter as a
full search, writes every document with ``update_document`` through an ``AsyncWriter``, returns
no facet counts and suggests spellings from every document ever indexed. This backend keeps
what haystack's gives (the schema built from the search indexes, the query syntax, results
as ``SearchResult``) and changes:

- one long-lived searcher per connection, refreshed only when the index has a new
  generation; the document sets of narrowing filters are cached with it;
- facet counts over every match (not just the page), from the documents' facet values read
  once per generation;
- writes through a real writer that waits for the index lock (``LOCK_TIMEOUT``) and applies
  a batch of updates and removals in one commit through one searcher (``batch``); a
  rebuild builds a new index beside the old one with one writer and swaps it in;
- an analyzer that keeps "L&A" as one word; "did you mean" looks only at words no document
  the search may find holds, against an unstemmed spelling field, and suggests only words
  such documents hold (Whoosh's own corrector offers any word of the field's lexicon, which
  keeps the words of deleted documents until their segment is merged);
- snippets marked with the same stemming analyzer the index uses;
- a missing, unreadable or corrupt index raises ``SearchUnavailable`` instead of answering
  with nothing, so the site can say that search is catching up.
"""

import os
import shutil
import threading
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import KEYWORD, TEXT
from whoosh.highlight import ContextFragmenter, Formatter
from whoosh.highlight import highlight as highlight_text
from whoosh.qparser import MultifieldParser
from whoosh.query import Every, Term
from whoosh.writing import LockError

from .base import WORD_PATTERN, CanvassBackend, IndexLocked, SearchUnavailable, Snippet

TITLE_BOOST = 3.0
LOCK_TIMEOUT = 10.0  # seconds a writer waits for another process's writer to finish
NARROW_CACHE_SIZE = 64
INDEX_ID_FILE = "canvass-index-id"
STORED_FACETS = {"topics", "states"}
MAX_EDITS = 2  # how far a suggested word may be from the word typed


def text_analyzer():
    return StemmingAnalyzer(expression=WORD_PATTERN, cachesize=-1)


def spelling_analyzer():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter()


_STEMMER = text_analyzer()


class _Generation:
    """One searcher and what is cached with it: narrowing filters' document sets and each
    document's facet values. Thrown away when the index changes."""

    def __init__(self, searcher, directory: str):
        self.searcher = searcher
        self.directory = directory  # which index directory it read (see _directory)
        self.narrowed: OrderedDict[tuple, frozenset] = OrderedDict()
        self.facet_values: dict[str, list] = {}

    def docs_for(self, parser, narrow_queries: tuple) -> frozenset | None:
        if not narrow_queries:
            return None
        docs = self.narrowed.get(narrow_queries)
        if docs is None:
            for narrow in narrow_queries:
                found = frozenset(self.searcher.docs_for_query(parser.parse(force_str(narrow))))
                docs = found if docs is None else docs & found
            self.narrowed[narrow_queries] = docs
            if len(self.narrowed) > NARROW_CACHE_SIZE:
                self.narrowed.popitem(last=False)
        return docs

    def values_of(self, field: str) -> list:
        """Each document's values of a keyword field, by document number."""
        values = self.facet_values.get(field)
        if values is None:
            values = [()] * self.searcher.doc_count_all()
            reader = self.searcher.reader()
            if field in reader.indexed_field_names():
                for term in reader.lexicon(field):
                    value = term.decode() if isinstance(term, bytes) else term
                    for docnum in reader.postings(field, term).all_ids():
                        values[docnum] = (*values[docnum], value)
            self.facet_values[field] = values
        return values


class CanvassWhooshBackend(CanvassBackend, WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._generation: _Generation | None = None
        self._lock = threading.Lock()

    # The index -------------------------------------------------------------------------

    def setup(self):
        """Build the schema and open the index. Unlike haystack's, reading never creates
        an index: a missing one is reported (``SearchUnavailable``) until a writer builds it."""
        from haystack import connections

        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        fields = [self.content_field_name] + (["title"] if "title" in self.schema else [])
        self.parser = MultifieldParser(
            fields, schema=self.schema, fieldboosts={"title": TITLE_BOOST}
        )
        self.index = None
        self.setup_complete = True

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in list(schema.names()):
            field = schema[name]
            if isinstance(field, TEXT):
                # Results are read back from the database, so no text is stored, and the
                # snippets are made from what the reader may see now.
                schema.remove(name)
                if name == "spelling":
                    schema.add(name, TEXT(analyzer=spelling_analyzer(), phrase=False))
                else:
                    schema.add(
                        name,
                        TEXT(
                            analyzer=text_analyzer(),
                            field_boost=field.format.field_boost,
                            phrase=True,
                        ),
                    )
            elif isinstance(field, KEYWORD):
                # Results show their topics and states from the index; nothing else is read.
                field.stored = name in STORED_FACETS
        return content_field_name, schema

    def _open(self, create: bool = False):
        """The index, opened once; ``create`` makes an empty one when there is none."""
        if not self.setup_complete:
            self.setup()
        if self.index is None:
            if whoosh_index.exists_in(self.path):
                self.index = whoosh_index.open_dir(self.path, schema=self.schema)
            elif create:
                os.makedirs(self.path, exist_ok=True)
                self.index = whoosh_index.create_in(self.path, self.schema)
                (Path(self.path) / INDEX_ID_FILE).write_text(uuid.uuid4().hex)
            else:
                raise SearchUnavailable("There is no search index yet.")
        return self.index

    def _directory(self) -> str:
        """Which index is in the directory: a rebuild deletes and recreates it, and the new
        index's generation numbers could match the old one's. Written when it is created."""
        try:
            return (Path(self.path) / INDEX_ID_FILE).read_text()
        except OSError:
            return ""

    def _current(self) -> _Generation:
        """The long-lived searcher, refreshed only when the index has changed."""
        with self._lock:
            try:
                generation = self._generation
                if generation is not None and generation.directory != self._directory():
                    self._forget()
                    generation = None
                if generation is None:
                    generation = _Generation(self._open().searcher(), self._directory())
                elif not generation.searcher.up_to_date():
                    generation = _Generation(generation.searcher.refresh(), generation.directory)
            except SearchUnavailable:
                self._forget()
                raise
            except Exception as error:  # a corrupt or half-deleted index
                self._forget()
                raise SearchUnavailable(f"The search index cannot be read: {error}") from error
            self._generation = generation
            return generation

    def _forget(self) -> None:
        self._generation = None
        self.index = None

    def status(self) -> dict:
        """What the health check reports: ok, missing or unreadable, and the count."""
        try:
            return {"state": "ok", "documents": self._current().searcher.doc_count()}
        except SearchUnavailable as error:
            missing = not whoosh_index.exists_in(self.path) if self.path else True
            return {"state": "missing" if missing else "unreadable", "detail": str(error)}

    # Writing ---------------------------------------------------------------------------

    def _writer(self):
        try:
            return self._open(create=True).writer(timeout=LOCK_TIMEOUT, limitmb=128)
        except LockError as error:
            raise IndexLocked("Another process is writing the search index.") from error

    def _document(self, index, obj) -> dict | None:
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)
        return {key: self._from_python(value) for key, value in doc.items()}

    @contextmanager
    def batch(self):
        """Hold the index lock (waiting up to ``LOCK_TIMEOUT``) and collect updates and
        removals; they are committed together when the block ends, or not at all if it
        raises. Taking the lock first lets the queue read its rows and objects under it."""
        writer = self._writer()
        batch = _Batch(self, writer)
        try:
            yield batch
        except BaseException:
            writer.cancel()
            raise
        if batch.changed:
            writer.commit()
        else:
            writer.cancel()

    def update(self, index, iterable, commit=True):
        with self.batch() as batch:
            for obj in iterable:
                batch.update(index, obj)

    def remove(self, obj_or_string, commit=True):
        with self.batch() as batch:
            batch.remove(get_identifier(obj_or_string))

    def rebuild(self, documents) -> int:
        """Build a whole new index from ``documents`` ((search index, object) pairs) beside
        the current one, with one writer and one commit, then put it in its place. Searches
        use the old index meanwhile; its lock is held throughout, so queued changes wait
        (and are retried) instead of being applied to an index about to be replaced."""
        if not self.setup_complete:
            self.setup()
        building = f"{self.path}.building"
        shutil.rmtree(building, ignore_errors=True)
        os.makedirs(building)
        new_index = whoosh_index.create_in(building, self.schema)
        (Path(building) / INDEX_ID_FILE).write_text(uuid.uuid4().hex)
        old_lock = None
        if whoosh_index.exists_in(self.path):
            old_lock = self._open().lock("WRITELOCK")
            old_lock.acquire(blocking=True)
        try:
            writer = new_index.writer(limitmb=256)
            count = 0
            try:
                for search_index, obj in documents:
                    doc = self._document(search_index, obj)
                    if doc is not None:
                        writer.add_document(**doc)
                        count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            with self._lock:
                self._forget()
                retired = f"{self.path}.retired"
                shutil.rmtree(retired, ignore_errors=True)
                if os.path.exists(self.path):
                    os.rename(self.path, retired)
                os.rename(building, self.path)
                shutil.rmtree(retired, ignore_errors=True)
        finally:
            if old_lock is not None:
                old_lock.release()
        return count

    def clear(self, models=None, commit=True):
        if models is not None:
            raise SearchBackendError("Canvass clears the whole index, never part of it.")
        self.delete_index()

    def delete_index(self):
        with self._lock:
            self._forget()
            if os.path.exists(self.path):
                shutil.rmtree(self.path)
            self._open(create=True)

    # Reading ---------------------------------------------------------------------------

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        facets=None,
        narrow_queries=None,
        spelling_query=None,
        models=None,
        result_class=None,
        **kwargs,
    ):
        generation = self._current()
        searcher = generation.searcher
        query_string = force_str(query_string)
        parsed = Every() if query_string.strip() in {"", "*", "*:*"} else None
        if parsed is None:
            parsed = self.parser.parse(query_string)
        narrow = set(narrow_queries or ())
        if models:
            narrow.add(" OR ".join(f"{DJANGO_CT}:{m._meta.label_lower}" for m in models))
        allowed = generation.docs_for(self.parser, tuple(sorted(narrow)))

        matched = frozenset(searcher.docs_for_query(parsed))
        if allowed is not None:
            matched &= allowed
        counts = {"fields": {}, "dates": {}, "queries": {}}
        for facet in facets or ():
            values = generation.values_of(facet)
            tally = Counter(value for docnum in matched for value in values[docnum])
            counts["fields"][facet] = sorted(tally.items(), key=lambda item: (-item[1], item[0]))

        results = []
        end = len(matched) if end_offset is None else min(end_offset, len(matched))
        if matched and start_offset < end:
            reverse = bool(sort_by) and sort_by[0].startswith("-")
            sort_fields = [field.lstrip("-") for field in sort_by or ()]
            hits = searcher.search(
                parsed,
                limit=end,
                filter=set(matched) if allowed is not None else None,
                sortedby=sort_fields or None,
                reverse=reverse,
            )
            result_class = result_class or SearchResult
            for hit in hits[start_offset:end]:
                app_label, model_name = hit[DJANGO_CT].split(".")
                stored = {name: _values(hit.get(name)) for name in STORED_FACETS}
                results.append(
                    result_class(app_label, model_name, hit[DJANGO_ID], hit.score, **stored)
                )

        suggestion = None
        if self.include_spelling and spelling_query:
            suggestion = self._suggestion(generation, force_str(spelling_query), allowed)
        return {
            "results": results,
            "hits": len(matched),
            "facets": counts,
            "spelling_suggestion": suggestion,
        }

    def _suggestion(self, generation, text: str, allowed: frozenset | None) -> str | None:
        """``text`` with each word that no document in ``allowed`` (the search's narrowing:
        the reader's audiences and filters; every live document when None) holds, in its
        spelling or, stemmed, in its text, replaced by the nearest word one of them holds in
        its spelling. None when nothing changes."""
        if "spelling" not in self.schema:
            return None
        searcher = generation.searcher

        def holding(field: str, word: str) -> Iterator[int]:
            """The live documents in ``allowed`` with ``word`` in ``field``."""
            found = searcher.docs_for_query(Term(field, word))
            return found if allowed is None else (doc for doc in found if doc in allowed)

        def known(word: str) -> bool:
            forms = [("spelling", word)]
            forms += [(self.content_field_name, stem.text) for stem in _STEMMER(word)]
            return any(next(holding(field, form), None) is not None for field, form in forms)

        changed = False
        words = []
        for token in spelling_analyzer()(text):
            word = token.text
            if len(word) > 2 and not word.isdigit() and not known(word):
                nearest = self._nearest(searcher.reader(), word, holding)
                if nearest is not None:
                    word, changed = nearest, True
            words.append(word)
        return " ".join(words) if changed else None

    @staticmethod
    def _nearest(reader, word: str, holding) -> str | None:
        """Of the words that ``holding`` finds documents for, the one fewest edits from
        ``word``, and of those the one most documents hold. The field's word list still has
        the words of deleted documents, so each candidate is counted in live ones."""
        seen = {word}
        for edits in range(1, MAX_EDITS + 1):
            candidates = sorted(set(reader.terms_within("spelling", word, edits)) - seen)
            seen.update(candidates)
            counted = [(sum(1 for _ in holding("spelling", c)), c) for c in candidates]
            best = min(((-count, c) for count, c in counted if count), default=None)
            if best is not None:
                return best[1]
        return None

    # Snippets --------------------------------------------------------------------------

    def highlight(self, texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
        return mark_passages(texts, words, characters)


def mark_passages(texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
    """Up to two passages of each text around the words whose stems match ``words``'.
    Elasticsearch uses this too: it cannot highlight text it did not store."""
    terms = {token.text for token in _STEMMER(" ".join(sorted(words)))}
    if not terms:
        return [[] for _ in texts]
    fragmenter = ContextFragmenter(maxchars=characters // 2, surround=50)
    return [
        highlight_text(text, terms, _STEMMER, fragmenter, _Parts(), top=2) or [] for text in texts
    ]


class _Parts(Formatter):
    """Whoosh's passages as (text, matched) parts instead of HTML."""

    def format_fragment(self, fragment, replace=False) -> Snippet:
        text, position, parts = fragment.text, fragment.startchar, []
        for token in fragment.matches:
            if token.startchar < position:
                continue
            if token.startchar > position:
                parts.append((text[position : token.startchar], False))
            parts.append((text[token.startchar : token.endchar], True))
            position = token.endchar
        parts.append((text[position : fragment.endchar], False))
        return parts

    def format(self, fragments, replace=False) -> Snippet:
        parts: Snippet = []
        for number, fragment in enumerate(fragments):
            parts += [(" … ", False)] if number else []
            parts += self.format_fragment(fragment)
        return parts


def _values(keywords: str | None) -> list[str]:
    """A keyword field's stored values (haystack joins them with commas)."""
    return [value for value in (keywords or "").split(",") if value]


class _Batch:
    """Updates and removals under one writer. Each update removes the old copy first,
    through one searcher for the whole batch (Whoosh's ``update_document`` opens a new
    one for every document)."""

    def __init__(self, backend: CanvassWhooshBackend, writer):
        self.backend, self.writer = backend, writer
        self.changed = False
        self._searcher = None

    def _delete(self, identifier: str) -> None:
        if self._searcher is None:
            self._searcher = self.writer.searcher()
        self.writer.delete_by_term(ID, identifier, searcher=self._searcher)
        self.changed = True

    def update(self, search_index, obj) -> None:
        self._delete(get_identifier(obj))
        doc = self.backend._document(search_index, obj)
        if doc is not None:
            self.writer.add_document(**doc)

    def remove(self, identifier: str) -> None:
        self._delete(identifier)


class CanvassWhooshEngine(WhooshEngine):
    backend = CanvassWhooshBackend
