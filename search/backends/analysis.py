"""How the database backends turn text into words, in Python, for both engines alike.

SQLite's and PostgreSQL's own tokenizers split "L&A" in two and stem differently from each
other; the index, the queries, "did you mean" and the snippets must all agree. So the text
is analysed here, once: words are ``WORD_PATTERN``'s (letters and digits, joined by "&" or a
dot), lowercased, without a short list of stop words, and stemmed by the Snowball English
stemmer (PyStemmer, in C). The engines store and match the resulting terms as they are
(``fts5.py``, ``postgres.py``).
"""

import re
from collections.abc import Iterator, Sequence

import Stemmer

from .base import WORD_PATTERN, Snippet

WORD = re.compile(WORD_PATTERN)
# Words too common to tell documents apart; left out of the index and of queries alike.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "not",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
    ]
)
_STEMMER = Stemmer.Stemmer("english")
# Each word's stem, kept: a rebuild stems each distinct word once.
_STEMS: dict[str, str] = {}
MAX_STEMS = 200_000
PASSAGES = 2  # passages a snippet may hold
LEAD = 40  # characters a passage shows before its first matching word


def stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) >= MAX_STEMS:
            _STEMS.clear()
        found = _STEMS[word] = _STEMMER.stemWord(word)
    return found


def spelling_words(text: str) -> list[str]:
    """The words as written, lowercased, stop words left out: what "did you mean" reads."""
    return [word for word in WORD.findall((text or "").lower()) if word not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """The index's terms for ``text``, in order: its words, stemmed."""
    words = spelling_words(text)
    found = list(map(_STEMS.get, words))
    if None in found:  # some words are new: stem them (a rebuild spends most of its time here)
        found = [known or stem(word) for word, known in zip(words, found, strict=True)]
    return found


def edits(first: str, second: str, limit: int) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions and swaps of
    neighbours), or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            cost = a != b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _matches(text: str, wanted: frozenset[str]) -> Iterator[tuple[int, int]]:
    for match in WORD.finditer(text):
        word = match.group(0).lower()
        if word not in STOP_WORDS and stem(word) in wanted:
            yield match.start(), match.end()


def mark_passages(texts: Sequence[str], words: set[str], characters: int) -> list[Snippet]:
    """``CanvassBackend.highlight`` for the database backends: up to two passages of each
    text, about ``characters`` in all, where most of the words whose stems match ``words``'
    are; matched words marked. An empty snippet for a text where none matches."""
    wanted = frozenset(stem(word) for word in words if word not in STOP_WORDS)
    return [_passages(text, list(_matches(text, wanted)), characters) for text in texts]


def _passages(text: str, matches: list[tuple[int, int]], characters: int) -> Snippet:
    if not matches:
        return []
    width = characters // PASSAGES
    # Each match may open a passage; the ones covering the most matches win, in text order.
    windows = []
    for start, _ in matches:
        begin = max(0, start - LEAD)
        end = min(len(text), begin + width)
        covered = [match for match in matches if begin <= match[0] and match[1] <= end]
        windows.append((-len(covered), begin, end, covered))
    chosen: list[tuple[int, int, list]] = []
    for _, begin, end, covered in sorted(windows):
        if all(end <= other[0] or begin >= other[1] for other in chosen):
            chosen.append((begin, end, covered))
        if len(chosen) == PASSAGES:
            break
    parts: Snippet = []
    for number, (begin, end, covered) in enumerate(sorted(chosen)):
        begin, end = _word_edges(text, begin, end)
        parts += [(" … ", False)] if number else []
        position = begin
        for start, stop in covered:
            if start > position:
                parts.append((text[position:start], False))
            parts.append((text[start:stop], True))
            position = stop
        if end > position:
            parts.append((text[position:end], False))
    return parts


def _word_edges(text: str, begin: int, end: int) -> tuple[int, int]:
    """The passage widened or narrowed so that it neither starts nor ends inside a word."""
    while begin > 0 and text[begin - 1].isalnum() and text[begin].isalnum():
        begin -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end -= 1
    return begin, end
