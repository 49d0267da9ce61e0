"""Highlighted snippets, made from the text the reader may read now (not from the index).

The backend marks the words its index would match (``CanvassBackend.highlight``); a text
without any is shown from its beginning.
"""

from collections.abc import Sequence

from django.utils.text import Truncator

from . import backends
from .backends import Snippet

SNIPPET_CHARACTERS = 240


def query_words(clauses) -> set[str]:
    """Every word the query may match: what was typed and all it means."""
    return {word for clause in clauses for phrase in clause.phrases for word in phrase}


def make_snippets(texts: Sequence[str], clauses) -> list[Snippet]:
    """For each text, up to two passages around the query's words, or its beginning."""
    texts = [" ".join(text.split()) for text in texts]
    marked = backends.current().highlight(texts, query_words(clauses), SNIPPET_CHARACTERS)
    return [
        parts or [(Truncator(text).chars(SNIPPET_CHARACTERS), False)]
        for text, parts in zip(texts, marked, strict=True)
    ]
