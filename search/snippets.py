"""Highlighted snippets, made from the text the reader may read now (not from the index).

A snippet is a list of (text, matched) parts; the template marks the matched ones, so the
template engine escapes every character of it.
"""

from django.utils.text import Truncator
from whoosh.highlight import ContextFragmenter, Formatter, highlight

from .backends import text_analyzer

Snippet = list[tuple[str, bool]]
SNIPPET_CHARACTERS = 240
_analyzer = text_analyzer()


def query_terms(clauses) -> set[str]:
    """The indexed forms (lower case, stemmed) of every word the query may match."""
    return {
        token.text
        for clause in clauses
        for phrase in clause.phrases
        for token in _analyzer(" ".join(phrase))
    }


class _Parts(Formatter):
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


def make_snippet(text: str, terms: set[str]) -> Snippet:
    """Up to two passages of ``text`` around the query's words, or its beginning."""
    text = " ".join(text.split())
    if terms:
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARACTERS // 2, surround=50)
        parts = highlight(text, terms, _analyzer, fragmenter, _Parts(), top=2)
        if parts:
            return parts
    return [(Truncator(text).chars(SNIPPET_CHARACTERS), False)]
