"""What the two database backends share: the index lives in the site's own database.

Documents are rows (``search.models.Document``) of a *generation*; their facet values are
rows of ``DocumentValue`` (filters and facet counts are plain SQL over them) and their
terms are in the engine's full-text table under the same id (``fts5.py``: an FTS5 table;
``postgres.py``: tsvectors with GIN indexes). Text is analysed in Python
(``analysis.py``), so both engines index and match the same terms.

- A change is applied in the caller's transaction, holding the ``IndexState`` row: a few
  small statements (``batch``).
- ``rebuild`` writes a new generation in short transactions, then makes it current in one
  statement and deletes the old one; searches read the current generation meanwhile, and
  queued changes wait (``IndexLocked``) until it is done.
- Queries come from haystack's ``SearchQuerySet`` as a string of fragments this module
  writes (``SqlSearchQuery``) and parses back: text phrases with boosts, any of which
  matches, and exact filters on facet values combined with AND, OR and NOT.
"""

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone
from haystack.backends import BaseSearchBackend, BaseSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier

from . import analysis
from .base import CanvassBackend, IndexLocked, SearchUnavailable, Snippet

REBUILD_CHUNK = 1000  # documents written per transaction by a rebuild
INSERT_ROWS = 500  # documents inserted by one statement
RESCORED = 200  # candidates an engine with a cheap first pass scores again (at least)
STALE_REBUILD = timedelta(minutes=30)  # a rebuild this old has died; another may start
MAX_EDITS = 2  # how far a suggested word may be from the word typed
CANDIDATES_COUNTED = 20  # spelling candidates at one distance whose documents are counted
TEXT_FIELDS = {"content", "text", "title"}
SPELLING = "spelling"
EXACT = "_exact"
NOTHING = "SELECT NULL AS id WHERE 1 = 0"
CURRENT = "d.generation = (SELECT generation FROM search_state WHERE id = 1)"

# Query fragments ------------------------------------------------------------------------

_OPEN, _CLOSE = "\x02", "\x03"  # around each fragment
_TOKEN = re.compile(rf"{_OPEN}(.*?){_CLOSE}|\(|\)|AND|OR|NOT")
_RAW_PHRASE = re.compile(
    r'^\s*(?:"(?P<phrase>[^"]*)"|(?P<words>[^"^]+?))\s*(?:\^(?P<boost>[\d.]+))?\s*$'
)


@dataclass(frozen=True)
class Phrase:
    """Terms that must follow each other, and how much a match counts."""

    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass
class Node:
    connector: str  # "AND" or "OR"
    negated: bool = False
    children: list = field(default_factory=list)  # Nodes and (field, value) atoms


class SqlSearchQuery(BaseSearchQuery):
    """Writes each fragment as a JSON atom between control characters, which no query
    value can contain unescaped; haystack joins them with AND, OR, NOT and brackets."""

    def build_query_fragment(self, field, filter_type, value):
        raw = value.query_string if hasattr(value, "input_type_name") else str(value)
        return f"{_OPEN}{json.dumps([field, filter_type, raw])}{_CLOSE}"

    def matching_all_fragment(self):
        return ""


def parse(query: str) -> Node:
    """The fragments' tree, as ``SqlSearchQuery`` wrote it."""
    tokens = [(m.group(0), m.group(1)) for m in _TOKEN.finditer(query or "")]
    position = 0

    def expression() -> Node:
        nonlocal position
        node = Node("AND")
        connectors = set()
        while position < len(tokens):
            part, atom = tokens[position]
            if part == ")":
                break
            position += 1
            if part in {"AND", "OR"}:
                connectors.add(part)
                continue
            negated = part == "NOT"
            if negated:
                part, atom = tokens[position]
                position += 1
            if part == "(":
                child = expression()
                position += 1  # the closing bracket
                child.negated = negated
                node.children.append(child)
            elif atom is not None:
                name, _, value = json.loads(atom)
                item = (name, value)
                node.children.append(Node("AND", True, [item]) if negated else item)
            else:
                raise SearchBackendError(f"Cannot read the search query {query!r}.")
        if len(connectors) > 1:
            raise SearchBackendError(f"Mixed AND and OR without brackets in {query!r}.")
        node.connector = connectors.pop() if connectors else "AND"
        return node

    return expression()


def _atoms(node: Node) -> Iterator[tuple[str, str]]:
    for child in node.children:
        if isinstance(child, Node):
            yield from _atoms(child)
        else:
            yield child


def _is_text(item) -> bool:
    """A part of the query that only text atoms make up, joined by OR."""
    if isinstance(item, Node):
        return (
            not item.negated
            and (item.connector == "OR" or len(item.children) == 1)
            and all(_is_text(child) for child in item.children)
        )
    return item[0] in TEXT_FIELDS or item[0] == SPELLING


@dataclass
class Plan:
    """A parsed query: what text must match (None: every document) and the filters."""

    phrases: list[Phrase] | None = None
    spelling: list[str] | None = None  # words a document's spelling must hold one of
    filters: list[Node] = field(default_factory=list)

    def add(self, node: Node) -> None:
        """A query: text atoms joined by OR, exact filters, or both joined by AND."""
        if _is_text(node):
            self._add_text(node)
        elif node.connector == "AND" and not node.negated:
            for child in node.children:
                if _is_text(child):
                    self._add_text(child)
                else:
                    self.filters.append(
                        child if isinstance(child, Node) else Node("AND", False, [child])
                    )
        else:
            self.filters.append(node)

    def _add_text(self, item) -> None:
        for name, value in _atoms(item) if isinstance(item, Node) else [item]:
            if name == SPELLING:
                self.spelling = (self.spelling or []) + analysis.spelling_words(value)
            else:
                self.phrases = (self.phrases or []) + _phrases(value)


def _phrases(raw: str) -> list[Phrase]:
    match = _RAW_PHRASE.match(raw)
    if match is None:
        raise SearchBackendError(f"Cannot read the search phrase {raw!r}.")
    boost = float(match.group("boost") or 1.0)
    if match.group("phrase") is not None:
        terms = tuple(analysis.terms(match.group("phrase")))
        return [Phrase(terms, boost)] if terms else []
    return [Phrase((term,), boost) for term in analysis.terms(match.group("words"))]


def _filter_sql(node: Node) -> tuple[str, list]:
    """A node of exact filters as SQL over the document ``d``."""
    parts, params = [], []
    for child in node.children:
        if isinstance(child, Node):
            sql, more = _filter_sql(child)
        else:
            name, value = child
            if not name.endswith(EXACT):
                raise SearchBackendError(f"Only exact filters are supported here, not {name}.")
            sql = (
                "EXISTS (SELECT 1 FROM search_value v WHERE v.document_id = d.id "
                "AND v.field = %s AND v.value = %s)"
            )
            more = [name[: -len(EXACT)], value]
        parts.append(sql)
        params += more
    sql = f" {node.connector} ".join(parts) or "1 = 1"
    return (f"NOT ({sql})" if node.negated else f"({sql})"), params


# Engines ----------------------------------------------------------------------------------


class Engine(ABC):
    """The engine's full-text table: created by migration 0003, keyed by document id."""

    vendor = ""
    analysed: tuple[str, ...] = ()  # its tables whose statistics a rebuild refreshes

    @abstractmethod
    def create_tables(self, cursor) -> None: ...

    @abstractmethod
    def insert(self, cursor, rows: list[tuple[int, list[str], list[str], list[str]]]) -> None:
        """(document id, title terms, text terms, spelling words) for each document."""

    @abstractmethod
    def delete(self, cursor, ids: Sequence[int]) -> None: ...

    @abstractmethod
    def matching(self, phrases: list[Phrase], ranked: bool) -> tuple[str, list]:
        """SQL for the documents holding any of ``phrases``: columns ``id`` and, when
        ``ranked``, ``score`` (higher is better)."""

    def rescore(self, phrases: list[Phrase]) -> tuple[str, list] | None:
        """An exact score over the full-text table ``f`` for the best candidates by
        ``matching``'s score, when that one is only a cheap first pass; None when it is
        the score itself."""
        return None

    @abstractmethod
    def spelling(self, word: str) -> tuple[str, list]:
        """SQL for the documents whose spelling holds ``word``: column ``id``."""


# The backend ------------------------------------------------------------------------------


class SqlSearchBackend(CanvassBackend, BaseSearchBackend):
    engine: Engine

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if connection.vendor != self.engine.vendor:
            raise SearchBackendError(
                f"This search backend needs a {self.engine.vendor} database, "
                f"not {connection.vendor}."
            )

    # Index state ----------------------------------------------------------------------

    def _generation(self) -> int:
        from search.models import IndexState

        generation = IndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
        if not generation:
            raise SearchUnavailable("There is no search index yet.")
        return generation

    def status(self) -> dict:
        from search.models import IndexState

        state = IndexState.objects.filter(pk=1).first()
        if state is None or not state.generation:
            return {"state": "missing", "detail": "There is no search index yet."}
        return {"state": "ok", "documents": state.documents}

    # Writing ---------------------------------------------------------------------------

    @contextmanager
    def batch(self):
        """Holds the ``IndexState`` row (one writer at a time) in the caller's transaction,
        or a new one; the changes are written when the block ends."""
        from search.models import IndexState

        with transaction.atomic():
            state = IndexState.objects.select_for_update().filter(pk=1).first()
            if state is None or not state.generation:
                raise SearchUnavailable("There is no search index to change.")
            if state.rebuilding_since and timezone.now() - state.rebuilding_since < STALE_REBUILD:
                raise IndexLocked("The search index is being rebuilt.")
            batch = _Batch()
            yield batch
            delta = self._write(state.generation, batch.documents, batch.removed)
            if delta:
                IndexState.objects.filter(pk=1).update(documents=state.documents + delta)

    def update(self, index, iterable, commit=True):
        with self.batch() as batch:
            for obj in iterable:
                batch.update(index, obj)

    def remove(self, obj_or_string, commit=True):
        with self.batch() as batch:
            batch.remove(get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        raise SearchBackendError("Canvass rebuilds the whole index (`rebuild_search`).")

    def _write(self, generation: int, documents: list[dict], removed: Iterable[str]) -> int:
        """Replace these documents (prepared by their search index) and remove those
        identifiers in ``generation``. Returns the change in the number of documents."""
        from search.models import Document

        identifiers = [*removed, *(doc[ID] for doc in documents)]
        old = []
        if identifiers:
            old = list(
                Document.objects.filter(
                    generation=generation, identifier__in=identifiers
                ).values_list("id", flat=True)
            )
        with connection.cursor() as cursor:
            if old:
                self._delete(cursor, old)
            ids = self._insert_documents(cursor, generation, documents)
            values, texts, words = [], [], set()
            for doc in documents:
                pk = ids[doc[ID]]
                for name, value in doc.items():
                    if isinstance(value, list) and not name.endswith(EXACT):
                        values += [(pk, name, v) for v in value]
                spelling = analysis.spelling_words(doc.get(SPELLING, ""))
                words.update(spelling)
                title = analysis.terms(doc.get("title", ""))
                texts.append((pk, title, analysis.terms(doc.get("text", "")), spelling))
            cursor.executemany(
                "INSERT INTO search_value (document_id, field, value) VALUES (%s, %s, %s)", values
            )
            self.engine.insert(cursor, texts)
            cursor.executemany(
                "INSERT INTO search_word (word) VALUES (%s) ON CONFLICT DO NOTHING",
                [(word,) for word in words],
            )
        return len(documents) - len(old)

    @staticmethod
    def _insert_documents(cursor, generation: int, documents: list[dict]) -> dict[str, int]:
        """Insert the documents' rows (plain SQL: the ORM's bulk_create cost more than the
        rest of a rebuild), returning each one's id by identifier."""
        ids = {}
        for start in range(0, len(documents), INSERT_ROWS):
            chunk = documents[start : start + INSERT_ROWS]
            rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            params = []
            for doc in chunk:
                date = connection.ops.adapt_datetimefield_value(doc.get("date"))
                params += [generation, doc[ID], doc[DJANGO_CT], doc[DJANGO_ID], date]
            cursor.execute(
                "INSERT INTO search_document (generation, identifier, django_ct, django_id, "
                f"date) VALUES {rows} RETURNING id, identifier",
                params,
            )
            ids.update((identifier, pk) for pk, identifier in cursor.fetchall())
        return ids

    def _delete(self, cursor, ids: Sequence[int]) -> None:
        from search.models import Document, DocumentValue

        DocumentValue.objects.filter(document_id__in=ids).delete()
        self.engine.delete(cursor, ids)
        Document.objects.filter(id__in=ids).delete()

    def rebuild(self, documents) -> int:
        """Write a new generation from ``documents`` a chunk per transaction, make it the
        one searches read, then delete the old one."""
        from search.models import Document, IndexState

        generation = self._begin_rebuild()
        count = 0
        try:
            self._drop_generations(Document.objects.filter(generation=generation))
            prepared = (doc for index, obj in documents if (doc := _prepare(index, obj)))
            while chunk := list(islice(prepared, REBUILD_CHUNK)):
                with transaction.atomic():
                    count += self._write(generation, chunk, ())
            with transaction.atomic():
                IndexState.objects.select_for_update().filter(pk=1).update(
                    generation=generation, documents=count, rebuilding_since=None
                )
        except BaseException:
            IndexState.objects.filter(pk=1).update(rebuilding_since=None)
            raise
        self._drop_generations(Document.objects.exclude(generation=generation))
        with connection.cursor() as cursor:
            # Fresh statistics: without them PostgreSQL plans the facet counts of a new
            # index as if it held one document, and takes seconds instead of milliseconds.
            for table in ("search_document", "search_value", *self.engine.analysed):
                cursor.execute(f"ANALYZE {table}")
        return count

    def _begin_rebuild(self) -> int:
        """Claim the rebuild (one at a time) and say which generation it writes."""
        from search.models import IndexState

        with transaction.atomic():
            state, _ = IndexState.objects.select_for_update().get_or_create(pk=1)
            now = timezone.now()
            if state.rebuilding_since and now - state.rebuilding_since < STALE_REBUILD:
                raise IndexLocked("Another process is rebuilding the search index.")
            state.rebuilding_since = now
            state.save(update_fields=["rebuilding_since"])
            return state.generation + 1

    def _drop_generations(self, documents) -> None:
        ids = list(documents.values_list("id", flat=True))
        for start in range(0, len(ids), REBUILD_CHUNK * 10):
            with transaction.atomic(), connection.cursor() as cursor:
                self._delete(cursor, ids[start : start + REBUILD_CHUNK * 10])

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
        plan = Plan()
        plan.add(parse(query_string))
        for narrow in narrow_queries or ():
            plan.filters.append(parse(narrow))
        where, params = [CURRENT], []
        for node in plan.filters:
            sql, more = _filter_sql(node)
            where.append(sql)
            params += more
        if models:
            labels = [model._meta.label_lower for model in models]
            where.append(f"d.django_ct IN ({', '.join(['%s'] * len(labels))})")
            params += labels
        with connection.cursor() as cursor:
            hits, counts = self._counts(cursor, plan, where, params, facets or ())
            if not hits:
                self._generation()  # nothing found, or no index at all?
            results = []
            end = hits if end_offset is None else min(end_offset, hits)
            if start_offset < end:
                results = self._page(
                    cursor, plan, where, params, sort_by, start_offset, end, result_class
                )
            suggestion = None
            if spelling_query and plan.phrases is not None:
                suggestion = self._suggestion(cursor, spelling_query, where, params)
        return {
            "results": results,
            "hits": hits,
            "facets": {"fields": counts, "dates": {}, "queries": {}},
            "spelling_suggestion": suggestion,
        }

    def _matched(self, plan: Plan, where: list[str], params: list, ranked: bool):
        """SQL for the documents the plan finds, with ``id``, ``score`` and ``date``."""
        condition = " AND ".join(where)
        if plan.phrases is None and plan.spelling is None:
            sql = f"SELECT d.id, 0 AS score, d.date FROM search_document d WHERE {condition}"
            return sql, list(params)
        score = "0"
        if plan.spelling is not None:
            sources = [self.engine.spelling(word) for word in plan.spelling]
        else:
            sources = [self.engine.matching(plan.phrases, ranked)] if plan.phrases else []
            score = "m.score" if ranked and plan.phrases else "0"
        sources = sources or [(NOTHING, [])]
        matching = " UNION ".join(sql for sql, _ in sources)
        sql = (
            f"SELECT d.id, {score} AS score, d.date FROM ({matching}) m "
            f"JOIN search_document d ON d.id = m.id WHERE {condition}"
        )
        return sql, [p for _, more in sources for p in more] + list(params)

    def _counts(self, cursor, plan, where, params, facets) -> tuple[int, dict]:
        """How many documents match, and each facet value's count among them: one query."""
        matched, more = self._matched(plan, where, params, ranked=False)
        # haystack asks for the facets' "_exact" twins; the values are stored once.
        names = {name.removesuffix(EXACT): name for name in facets}
        sql = f"WITH b AS ({matched}) SELECT NULL, NULL, COUNT(*) FROM b"
        if names:
            sql += (
                " UNION ALL SELECT v.field, v.value, COUNT(*) FROM b "
                "JOIN search_value v ON v.document_id = b.id "
                f"WHERE v.field IN ({', '.join(['%s'] * len(names))}) GROUP BY v.field, v.value"
            )
            more += list(names)
        cursor.execute(sql, more)
        hits, counts = 0, {name: [] for name in facets}
        for name, value, count in cursor.fetchall():
            if name is None:
                hits = count
            else:
                counts[names[name]].append((value, count))
        for pairs in counts.values():
            pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        return hits, counts

    def _page(self, cursor, plan, where, params, sort_by, start, end, result_class) -> list:
        matched, more = self._matched(plan, where, params, ranked=True)
        if sort_by and sort_by[0].lstrip("-") == "date":
            order = "b.date DESC" if sort_by[0].startswith("-") else "b.date"
        else:
            order = "b.score DESC"
            rescore = self.engine.rescore(plan.phrases) if plan.phrases else None
            if rescore is not None:  # the best candidates by the first pass, scored again
                score, again = rescore
                matched = (
                    f"SELECT c.id, {score} AS score, c.date FROM ({matched} "
                    f"ORDER BY score DESC LIMIT %s) c "
                    f"JOIN search_document_fts f ON f.document_id = c.id"
                )
                more = [*again, *more, max(RESCORED, end)]
        cursor.execute(
            f"SELECT b.id, b.score, doc.django_ct, doc.django_id FROM ({matched}) b "
            f"JOIN search_document doc ON doc.id = b.id "
            f"ORDER BY {order}, b.id LIMIT %s OFFSET %s",
            [*more, end - start, start],
        )
        rows = cursor.fetchall()
        stored: dict[int, dict[str, list]] = {row[0]: {"topics": [], "states": []} for row in rows}
        if rows:
            cursor.execute(
                "SELECT document_id, field, value FROM search_value WHERE field IN "
                f"('topics', 'states') AND document_id IN ({', '.join(['%s'] * len(rows))}) "
                "ORDER BY id",
                [row[0] for row in rows],
            )
            for document_id, name, value in cursor.fetchall():
                stored[document_id][name].append(value)
        result_class = result_class or SearchResult
        results = []
        for pk, score, django_ct, django_id in rows:
            app_label, model_name = django_ct.split(".")
            results.append(
                result_class(app_label, model_name, django_id, float(score or 0), **stored[pk])
            )
        return results

    # "Did you mean" --------------------------------------------------------------------

    def _holding(self, source: tuple[str, list], where, params) -> tuple[str, list]:
        """SQL for the documents of ``source`` the search may find."""
        sql, more = source
        condition = " AND ".join(where)
        return (
            f"SELECT d.id FROM ({sql}) m JOIN search_document d ON d.id = m.id WHERE {condition}",
            more + list(params),
        )

    def _known(self, cursor, words: list[str], where, params) -> set[str]:
        """Those of ``words`` that a document the search may find holds, in its spelling or
        stemmed in its text: one query."""
        if not words:
            return set()
        columns, arguments = [], []
        for word in words:
            stemmed = self.engine.matching([Phrase((analysis.stem(word),))], False)
            tests = []
            for source in (self.engine.spelling(word), stemmed):  # each may stop at one
                sql, more = self._holding(source, where, params)
                tests.append(f"EXISTS ({sql})")
                arguments += more
            columns.append(f"({' OR '.join(tests)})")
        cursor.execute(f"SELECT {', '.join(columns)}", arguments)
        return {word for word, known in zip(words, cursor.fetchone(), strict=True) if known}

    def _suggestion(self, cursor, text: str, where, params) -> str | None:
        """``text`` with each word that no document the search may find holds (in its
        spelling, or stemmed in its text) replaced by the nearest word such a document
        holds in its spelling. None when nothing changes."""
        words = analysis.spelling_words(text)
        checked = [word for word in words if len(word) > 2 and not word.isdigit()]
        unknown = set(checked) - self._known(cursor, checked, where, params)
        changed, suggested = False, []
        for word in words:
            if word in unknown:
                nearest = self._nearest(cursor, word, where, params)
                if nearest is not None:
                    word, changed = nearest, True
            suggested.append(word)
        return " ".join(suggested) if changed else None

    def _nearest(self, cursor, word: str, where, params) -> str | None:
        """Of the words fewest edits from ``word`` (beginning with its letter), the one most
        documents the search may find hold in their spelling."""
        from django.db.models.functions import Length

        from search.models import Word

        candidates = (
            Word.objects.annotate(length=Length("word"))
            .filter(
                word__startswith=word[0],
                length__gte=len(word) - MAX_EDITS,
                length__lte=len(word) + MAX_EDITS,
            )
            .exclude(word=word)
            .values_list("word", flat=True)
        )
        by_distance: dict[int, list[str]] = {}
        for candidate in candidates:
            distance = analysis.edits(word, candidate, MAX_EDITS)
            if distance <= MAX_EDITS:
                by_distance.setdefault(distance, []).append(candidate)
        for distance in sorted(by_distance):
            counted = []
            for candidate in sorted(by_distance[distance])[:CANDIDATES_COUNTED]:
                sql, more = self._holding(self.engine.spelling(candidate), where, params)
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) found", more)
                count = cursor.fetchone()[0]
                if count:
                    counted.append((-count, candidate))
            if counted:
                return min(counted)[1]
        return None

    # Snippets --------------------------------------------------------------------------

    def highlight(self, texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
        return analysis.mark_passages(texts, words, characters)


def _prepare(index, obj) -> dict | None:
    try:
        return index.full_prepare(obj)
    except SkipDocument:
        return None


class _Batch:
    """Updates and removals, the last for each object winning."""

    def __init__(self):
        self.prepared: dict[str, dict | None] = {}

    def update(self, search_index, obj) -> None:
        self.prepared[get_identifier(obj)] = _prepare(search_index, obj)

    def remove(self, identifier: str) -> None:
        self.prepared[identifier] = None

    @property
    def documents(self) -> list[dict]:
        return [doc for doc in self.prepared.values() if doc is not None]

    @property
    def removed(self) -> list[str]:
        return [identifier for identifier, doc in self.prepared.items() if doc is None]
