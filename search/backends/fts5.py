"""SQLite's FTS5 (``fts5://``, the default on SQLite): the index in the site's database.

One FTS5 table holds each document's analysed terms (``analysis.py``) in three columns:
``title`` and ``text`` (stemmed, in order, so phrases match) and ``spelling`` (the words
as written, for "did you mean"). Its tokenizer only splits the analysed terms on spaces
again: "&", "." and "_" are part of a word, as ``WORD_PATTERN`` has them. Ranking is
FTS5's BM25 with the title counting three times the text; what the reader typed and what
it means are matched separately and added up, the latter at its boost (0.3).
"""

from haystack.backends import BaseEngine

from .sql import Engine, Phrase, SqlSearchBackend, SqlSearchQuery

TABLE = "search_document_fts"
TITLE_WEIGHT, TEXT_WEIGHT = 3.0, 1.0


def _match_string(column: str, phrases) -> str:
    """An FTS5 query: any of the phrases, in one column set. Terms never hold a quote."""
    quoted = " OR ".join('"' + " ".join(phrase.terms) + '"' for phrase in phrases)
    return f"{column} : ({quoted})"


class Fts5(Engine):
    vendor = "sqlite"

    def create_tables(self, cursor) -> None:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, text, spelling, "
            "tokenize = \"unicode61 remove_diacritics 0 tokenchars '&._'\")"
        )

    def insert(self, cursor, rows) -> None:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, text, spelling) VALUES (%s, %s, %s, %s)",
            [
                (pk, " ".join(title), " ".join(text), " ".join(spelling))
                for pk, title, text, spelling in rows
            ],
        )

    def delete(self, cursor, ids) -> None:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", list(ids)
        )

    def matching(self, phrases: list[Phrase], ranked: bool):
        if not ranked:
            return (
                f"SELECT rowid AS id FROM {TABLE} WHERE {TABLE} MATCH %s",
                [_match_string("{title text}", phrases)],
            )
        by_boost: dict[float, list[Phrase]] = {}
        for phrase in phrases:
            by_boost.setdefault(phrase.boost, []).append(phrase)
        # "LIMIT -1" keeps SQLite from flattening a part into the query around it, where
        # bm25() could not be called.
        parts = [
            f"SELECT * FROM (SELECT rowid AS id, -bm25({TABLE}, {TITLE_WEIGHT}, {TEXT_WEIGHT}, 0)"
            f" * {boost!r} AS score FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT -1)"
            for boost in by_boost
        ]
        sql = f"SELECT id, SUM(score) AS score FROM ({' UNION ALL '.join(parts)}) GROUP BY id"
        return sql, [_match_string("{title text}", group) for group in by_boost.values()]

    def spelling(self, word: str):
        return (
            f"SELECT rowid AS id FROM {TABLE} WHERE {TABLE} MATCH %s",
            [_match_string("spelling", [Phrase((word,))])],
        )


class Fts5SearchBackend(SqlSearchBackend):
    engine = Fts5()


class Fts5Engine(BaseEngine):
    backend = Fts5SearchBackend
    query = SqlSearchQuery
