"""Election vocabulary at query time: an acronym, what it stands for and its synonyms are
one group (``SearchTerm``), and a query naming any of them finds documents using any other.

"l&a testing" becomes (l&a OR "logic and accuracy testing" OR "public test" …) AND testing.
The vocabulary is read from the database at most once a minute per process, and at once in
the process where an editor changed it.
"""

import re
import threading
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from .backends import WORD_PATTERN

REFRESH_SECONDS = 60.0
WORD = re.compile(WORD_PATTERN)
QUOTED = re.compile(r'"([^"]+)"')
MAX_WORDS = 12


def words(text: str) -> tuple[str, ...]:
    return tuple(match.group(0).lower() for match in WORD.finditer(text or ""))


def _key(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """How a phrase is looked up: "logic & accuracy" and "logic and accuracy" are one."""
    return tuple(word for word in phrase if word != "and")


@dataclass(frozen=True)
class Clause:
    """One part of a query: any of its phrases (each a tuple of words) will do."""

    phrases: tuple[tuple[str, ...], ...]


class Vocabulary:
    def __init__(self):
        self._groups: dict[tuple[str, ...], frozenset] = {}
        self._longest = 1
        self._loaded_at = -REFRESH_SECONDS
        self._lock = threading.Lock()

    def forget(self, **kwargs) -> None:
        self._loaded_at = -REFRESH_SECONDS

    def _load(self) -> None:
        from .models import SearchTerm

        groups: dict[tuple[str, ...], set] = {}
        for term in SearchTerm.objects.all():
            phrases = {words(phrase) for phrase in term.phrases()} - {()}
            for phrase in phrases:
                groups.setdefault(_key(phrase), set()).update(phrases)
        self._groups = {phrase: frozenset(group) for phrase, group in groups.items()}
        self._longest = max((len(phrase) for phrase in groups), default=1)
        self._loaded_at = time.monotonic()

    def groups(self) -> dict[tuple[str, ...], frozenset]:
        with self._lock:
            if time.monotonic() - self._loaded_at >= REFRESH_SECONDS:
                self._load()
            return self._groups

    def clauses(self, text: str) -> list[Clause]:
        """The query as clauses: quoted phrases as they are, the longest known phrase at
        each point with everything it means, and every other word alone."""
        groups = self.groups()
        clauses = [Clause((words(quoted),)) for quoted in QUOTED.findall(text) if words(quoted)]
        remaining = words(QUOTED.sub(" ", text))[:MAX_WORDS]
        position = 0
        while position < len(remaining):
            for size in range(min(self._longest, len(remaining) - position), 0, -1):
                phrase = remaining[position : position + size]
                if _key(phrase) in groups:
                    others = sorted(groups[_key(phrase)] - {phrase})
                    clauses.append(Clause((phrase, *others)))  # what was typed comes first
                    position += size
                    break
            else:
                clauses.append(Clause((remaining[position : position + 1],)))
                position += 1
        return clauses


vocabulary = Vocabulary()


def connect() -> None:
    from .models import SearchTerm

    for signal in (post_save, post_delete):
        signal.connect(
            vocabulary.forget, sender=SearchTerm, dispatch_uid=f"search.vocab.{id(signal)}"
        )
