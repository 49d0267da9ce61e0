"""PostgreSQL full-text search (``postgres://``, the default on PostgreSQL): the index in
the site's database, so a site on several machines needs nothing but its database.

``search_document_fts`` holds each document's analysed terms (``analysis.py``) as two
tsvectors with GIN indexes: ``vector`` (stemmed terms with positions, the title's weighted
A, the text's D) and ``spelling`` (the words as written, for "did you mean"). They are
written as tsvector literals, not through ``to_tsvector``, whose parser would split
"L&A"; queries are tsquery literals of the same terms (``<->`` for phrases). Ranking is
BM25-like, as FTS5's is: each phrase found counts its inverse document frequency, three
times in a title, at its boost (what the reader typed 1, what it means 0.3), and
``ts_rank_cd`` (cover density, normalised by length) adds how often and how close the
words are. ``ts_rank_cd`` alone knows nothing of how rare a word is, and ranked the
relevance cases worse. Document frequencies are counted once an hour per term (cached):
a little stale is fine for ranking, and a write never slows the next search.
"""

import hashlib
import math

from django.core.cache import cache
from django.db import connection
from haystack.backends import BaseEngine

from .sql import Engine, Phrase, SqlSearchBackend, SqlSearchQuery

TABLE = "search_document_fts"
WEIGHTS = "{0.3, 0.3, 0.3, 1.0}"  # D (text), C, B, A (title)
NORMALIZATION = 1  # divide the rank by 1 + the logarithm of the document's length
MAX_POSITION = 16383  # PostgreSQL's limit
MAX_POSITIONS = 255  # per term, kept
TITLE_EXTRA = 2.0  # a phrase in the title counts this much more than in the text alone
FREQUENCY_SECONDS = 3600


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(title: list[str], text: list[str]) -> str:
    """A tsvector literal: every term with its positions, the title's weighted A."""
    positions: dict[str, list[str]] = {}
    for number, term in enumerate(title, 1):
        positions.setdefault(term, []).append(f"{min(number, MAX_POSITION)}A")
    for number, term in enumerate(text, len(title) + 1):
        positions.setdefault(term, []).append(str(min(number, MAX_POSITION)))
    return " ".join(
        f"{_quote(term)}:{','.join(found[:MAX_POSITIONS])}" for term, found in positions.items()
    )


def query(phrases: list[Phrase], weight: str = "") -> str:
    """A tsquery literal: any of the phrases (only where weighted ``weight``, if given)."""
    suffix = f":{weight}" if weight else ""
    return " | ".join(
        "(" + " <-> ".join(_quote(term) + suffix for term in phrase.terms) + ")"
        for phrase in phrases
    )


def _digest(terms: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(terms).encode()).hexdigest()[:32]


def _idf(phrases: list[Phrase]) -> dict[tuple, float]:
    """Each phrase's inverse document frequency (BM25's), from counts cached an hour."""
    keys = {phrase.terms: f"search:df:{_digest(phrase.terms)}" for phrase in phrases}
    known = cache.get_many(list(keys.values()))
    missing = [terms for terms, key in keys.items() if key not in known]
    counts = {terms: known[key] for terms, key in keys.items() if key in known}
    total = cache.get("search:documents")
    if missing or total is None:
        columns = ", ".join(
            f"(SELECT COUNT(*) FROM {TABLE} WHERE vector @@ %s::tsquery)" for _ in missing
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT documents FROM search_state WHERE id = 1)"
                + (f", {columns}" if columns else ""),
                [query([Phrase(terms)]) for terms in missing],
            )
            total, *found = cursor.fetchone()
        counts.update(zip(missing, found, strict=True))
        fresh = {keys[terms]: counts[terms] for terms in missing}
        cache.set_many({**fresh, "search:documents": total or 0}, FREQUENCY_SECONDS)
    total = total or 0
    return {
        terms: math.log(1 + (total - count + 0.5) / (count + 0.5))
        for terms, count in counts.items()
    }


class Postgres(Engine):
    vendor = "postgresql"
    analysed = (TABLE,)

    def create_tables(self, cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {TABLE} (document_id bigint PRIMARY KEY, "
            "vector tsvector NOT NULL, spelling tsvector NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {TABLE}_vector ON {TABLE} USING gin (vector)")
        cursor.execute(f"CREATE INDEX {TABLE}_spelling ON {TABLE} USING gin (spelling)")

    def insert(self, cursor, rows) -> None:
        cursor.executemany(
            f"INSERT INTO {TABLE} (document_id, vector, spelling) "
            "VALUES (%s, %s::tsvector, %s::tsvector)",
            [
                (pk, vector(title, text), " ".join(map(_quote, set(spelling))))
                for pk, title, text, spelling in rows
            ],
        )

    def delete(self, cursor, ids) -> None:
        cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [list(ids)])

    def matching(self, phrases: list[Phrase], ranked: bool):
        """Ranked: by ``ts_rank_cd`` alone, the first pass (``rescore`` is the score)."""
        rank = f"ts_rank_cd('{WEIGHTS}', vector, %s::tsquery, {NORMALIZATION})"
        return (
            f"SELECT document_id AS id{f', {rank} AS score' if ranked else ''} "
            f"FROM {TABLE} WHERE vector @@ %s::tsquery",
            [query(phrases)] * (2 if ranked else 1),
        )

    def rescore(self, phrases: list[Phrase]):
        """Each phrase found counts its inverse document frequency (three times in the
        title) at its boost, and ``ts_rank_cd`` adds how often and how close: on the best
        candidates only, since testing each phrase decompresses the vector again."""
        idf = _idf(phrases)
        found, arguments = [], []
        for phrase in phrases:
            found.append(
                f"((f.vector @@ %s::tsquery)::int + {TITLE_EXTRA!r} * "
                f"(f.vector @@ %s::tsquery)::int) * {phrase.boost * idf[phrase.terms]!r}"
            )
            arguments += [query([phrase]), query([phrase], "A")]
        rank = f"ts_rank_cd('{WEIGHTS}', f.vector, %s::tsquery, {NORMALIZATION})"
        return f"{' + '.join(found)} + {rank}", [*arguments, query(phrases)]

    def spelling(self, word: str):
        return (
            f"SELECT document_id AS id FROM {TABLE} WHERE spelling @@ %s::tsquery",
            [_quote(word)],
        )


class PostgresSearchBackend(SqlSearchBackend):
    engine = Postgres()


class PostgresEngine(BaseEngine):
    backend = PostgresSearchBackend
    query = SqlSearchQuery
