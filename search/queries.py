"""The one search: questions (with their answers), guides, toolkits, events and topic pages in
one ranked list, with facet counts, election vocabulary, "did you mean" and permissions.

The index finds and ranks; the database decides what is shown. Every hit is read back with
the reader's permissions (``Question.objects.visible_to``, live public pages), so a thread
hidden a moment ago, whose removal is still queued, is never shown, and snippets are made
from what the reader may read now. Backend-neutral: this goes through haystack's
``SearchQuerySet`` and the backend interface (``search.backends``), whichever engine answers.
The kinds of document, and how each is read back, are the search indexes'
(``search.indexes.kinds``).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from haystack import connections
from haystack.exceptions import SearchBackendError
from haystack.inputs import Exact, Raw
from haystack.query import SQ, SearchQuerySet

from accounts.models import SizeBand
from accounts.states import STATE_NAMES
from forum import audience
from forum.models import Question, Topic
from forum.permissions import can_see_office

from .backends import Snippet
from .indexes import NATIONWIDE, CanvassIndex, kinds
from .search_indexes import QuestionIndex
from .snippets import make_snippets
from .vocabulary import Clause, vocabulary, words

PAGE_SIZE = 20
SIMILAR_LIMIT = 5
SIMILAR_CACHE_SECONDS = 300
SIMILAR_MIN_SHARE = 0.4  # of the best match's score
STEM_LETTERS = 6
SYNONYM_BOOST = 0.3
SUGGESTION_EVIDENCE = 5  # documents read back to confirm each suggested word

SOLVED = {"solved": _("Solved"), "unsolved": _("Not solved yet")}
SORTS = {"relevance": _("Best match"), "newest": _("Newest")}
FACETS = ("kind", "topics", "states", "solved")
# Counted only for readers who may see offices (`forum.permissions.can_see_office`).
OFFICE_FACETS = ("band",)
# The query parameter (and ``Filters`` field) each facet sets.
FACET_PARAMETERS = {
    "kind": "kind",
    "topics": "topic",
    "states": "state",
    "solved": "solved",
    "band": "band",
}


@dataclass
class Filters:
    kind: str = ""
    topic: str = ""
    state: str = ""
    solved: str = ""
    band: str = ""  # only from signed-in readers (`forms.SearchForm`)

    def narrowing(self) -> list[SQ]:
        found = []
        if self.kind:
            found.append(SQ(kind_exact=Exact(self.kind)))
        if self.topic:
            found.append(SQ(topics_exact=Exact(self.topic)))
        if self.state:  # the state's own, and those for every state
            found.append(SQ(states_exact=Exact(self.state)) | SQ(states_exact=Exact(NATIONWIDE)))
        if self.solved:
            found.append(SQ(solved_exact=Exact(self.solved)))
        if self.band:
            found.append(SQ(band_exact=Exact(self.band)))
        return found


@dataclass
class Hit:
    kind: str
    kind_label: str
    obj: object
    title: str
    url: str
    snippet: Snippet
    topics: list
    states: list[str]
    solved: bool | None
    date: datetime | None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""  # the search with this value chosen, or removed when it is


@dataclass
class Outcome:
    page: Page | None = None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str = ""
    related_topics: list = field(default_factory=list)
    unavailable: bool = False

    @property
    def hits(self) -> list[Hit]:
        return list(self.page) if self.page is not None else []


def _phrase_sq(phrase: tuple[str, ...], boost: float = 1.0) -> SQ:
    """One word or phrase of the query. Words are WORD_PATTERN's (letters, digits, "&" and
    "."), so none is query syntax; a boost below one is written in the syntax Whoosh and
    Elasticsearch share."""
    text = " ".join(phrase)
    if len(phrase) > 1:
        text = f'"{text}"'
    return SQ(content=Raw(text if boost == 1.0 else f"{text}^{boost}"))


def _clause_sq(clause: Clause) -> SQ:
    """Any of the clause's phrases; what the reader typed counts more than what it means,
    so a document using several synonyms does not outrank one using the reader's words."""
    first, *others = clause.phrases
    return reduce(or_, (_phrase_sq(p, SYNONYM_BOOST) for p in others), _phrase_sq(first))


def _readable(user) -> SearchQuerySet:
    """Everything this reader may find: members-only threads only for those who may read
    them (hidden threads and private or unpublished pages are never in the index)."""
    readable = sorted(audience.audiences_of(user))
    return SearchQuerySet().narrow(reduce(or_, (SQ(audience_exact=Exact(a)) for a in readable)))


class _Counted:
    """One page of hits that knows how many there are in all, for Django's paginator."""

    def __init__(self, count: int, offset: int, hits: list):
        self._count, self._offset, self._hits = count, offset, hits

    def count(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list:
        return self._hits[window.start - self._offset : window.stop - self._offset]


def search(
    user, text: str, filters: Filters, *, sort: str = "relevance", page_number: int = 1
) -> Outcome:
    """One page of what this reader may find for ``text``, narrowed by ``filters``.

    Every word (or known phrase, with all it means) is optional and a document scores by
    how many of them it holds and how rare they are (BM25), so "mail-in ballot signature
    verification" still finds the thread that says "verify signatures on mail ballots";
    judged over the relevance cases this ranks better than requiring every word."""
    clauses = vocabulary.clauses(text)
    results = _readable(user)
    for narrowing in filters.narrowing():
        results = results.narrow(narrowing)
    if clauses:
        results = results.filter(reduce(or_, map(_clause_sq, clauses))).set_spelling_query(text)
    if sort == "newest":
        results = results.order_by("-date")
    for name in _facets_of(user):
        results = results.facet(name)
    try:
        window, count, page_number = _window(results, page_number)
        counts = results.facet_counts().get("fields", {})
        suggestion = _confirmed(user, text, results.spelling_suggestion()) if clauses else ""
    except SearchBackendError:
        return Outcome(unavailable=True)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    hits = _load(user, window, clauses, topics)
    page = _Counted(count, (page_number - 1) * PAGE_SIZE, hits)
    outcome = Outcome(
        page=Paginator(page, PAGE_SIZE).page(page_number) if count else None,
        facets=_facets(counts, filters, topics, _facets_of(user)),
        suggestion=suggestion,
    )
    if not count:
        outcome.related_topics = related_topics(text, outcome.suggestion)
    return outcome


def _facets_of(user) -> tuple[str, ...]:
    """The facets counted for this reader: an office's size only for those who may see
    offices, as bylines show them."""
    return FACETS + (OFFICE_FACETS if can_see_office(user.is_authenticated) else ())


def _window(results: SearchQuerySet, page_number: int):
    """The requested page of results (the last one when asked for a page past it), how
    many there are, and the page number served. One search, or two past the end."""
    start = (max(page_number, 1) - 1) * PAGE_SIZE
    window = list(results[start : start + PAGE_SIZE])
    count = results.count()
    last_page = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page_number > last_page:
        return _window(results, last_page)
    return window, count, max(page_number, 1)


def _facets(
    counts: dict, filters: Filters, topics: dict, counted: tuple[str, ...]
) -> dict[str, list[FacetValue]]:
    nationwide = dict(counts.get("states", [])).get(NATIONWIDE, 0)
    labels = {
        "kind": ({kind: index.KIND_LABEL for kind, index in kinds().items()}, filters.kind),
        "topics": ({slug: topic.name for slug, topic in topics.items()}, filters.topic),
        "states": (STATE_NAMES, filters.state),
        "solved": (SOLVED, filters.solved),
        "band": (dict(SizeBand.choices), filters.band),
    }
    facets = {}
    for name in counted:
        names, chosen = labels[name]
        values = []
        for value, count in counts.get(name, []):
            if value in names:
                # A state's count includes what applies in every state, as its filter does.
                count += nationwide if name == "states" else 0
                values.append(FacetValue(value, names[value], count, value == chosen))
        if name == "states":
            values.sort(key=lambda item: item.label)
        facets[name] = values
    return facets


def _confirmed(user, text: str, suggestion: str | None) -> str:
    """The backend's suggestion, if each word it puts in place of a typed one is in the
    spelling of a document this reader may read now, read back from the database like the
    results; otherwise none. The backend suggests only from what the reader's search may
    find, but its index may be a moment behind the database: a thread hidden, made
    members-only or redacted while its change is still queued."""
    if not suggestion or suggestion == text.strip().lower():
        return ""
    for word in set(words(suggestion)) - set(words(text)):
        evidence = _readable(user).filter(spelling=Raw(word))[:SUGGESTION_EVIDENCE]
        read = _read_back(user, evidence)
        if not any(word in words(index.prepare_spelling(obj)) for _, index, obj in read):
            return ""
    return suggestion


def _read_back(user, results) -> list[tuple[object, CanvassIndex, object]]:
    """(result, its kind's index, the database's copy) for each result this reader may read
    now, in rank order: a query or two per kind of document among the results. A document
    of a kind no longer indexed (until the next rebuild) is left out."""
    indexes = connections["default"].get_unified_index().get_indexes()
    wanted: dict[type, list] = {}
    for result in results:
        if result.model in indexes:
            wanted.setdefault(result.model, []).append(result.pk)
    found = {}
    for model, pks in wanted.items():
        index = indexes[model]
        found.update(((model, str(obj.pk)), (index, obj)) for obj in index.readable(user, pks))
    read = []
    for result in results:
        if (key := (result.model, str(result.pk))) in found:
            read.append((result, *found[key]))
    return read


def _load(user, results: list, clauses: list[Clause], topics: dict) -> list[Hit]:
    """The hits this reader may read now, in rank order, with snippets of what they may
    read. Topics and states are the index's (``topics``: every topic by slug)."""
    read = _read_back(user, results)
    snippets = make_snippets([index.snippet_text(obj) for _, index, obj in read], clauses)
    return [
        Hit(
            kind=index.KIND,
            kind_label=index.KIND_LABEL,
            obj=obj,
            title=index.prepare_title(obj),
            url=index.url(obj),
            snippet=snippet,
            topics=[topics[slug] for slug in result.topics if slug in topics],
            states=[state for state in result.states if state != NATIONWIDE],
            solved=index.is_solved(obj),
            date=index.prepare_date(obj),
        )
        for (result, index, obj), snippet in zip(read, snippets, strict=True)
    ]


def related_topics(*texts: str, limit: int = 5) -> list:
    """Where to look when nothing was found: topics whose name or description has a word
    beginning like one of the query's (or the suggested query's) longer words, so that a
    misspelt "warehose" still leads to the topic about warehouses."""
    stems = {word[:STEM_LETTERS] for text in texts for word in words(text) if len(word) > 3}
    if not stems:
        return []
    matches = reduce(or_, (Q(name__icontains=s) | Q(description__icontains=s) for s in stems))
    return list(Topic.objects.filter(matches).order_by("position", "name")[:limit])


def scored_questions(title: str, audiences, *, limit: int = SIMILAR_LIMIT):
    """(pk, score) of the questions of ``audiences`` whose words are most like ``title``'s,
    best first: the index's answer alone, not read back. Raises ``SearchBackendError``."""
    clauses = vocabulary.clauses(title)
    if not clauses:
        return []
    wanted = reduce(or_, (SQ(audience_exact=Exact(a)) for a in sorted(audiences)))
    results = SearchQuerySet().narrow(wanted).narrow(SQ(kind_exact=Exact(QuestionIndex.KIND)))
    results = results.filter(reduce(or_, map(_clause_sq, clauses)))
    return [(int(result.pk), result.score) for result in results[:limit]]


def closest(scored, limit: int = SIMILAR_LIMIT) -> list[int]:
    """The pks scoring near the best (any one shared word would do otherwise)."""
    best = max((score for _, score in scored), default=0)
    return [pk for pk, score in scored if score >= SIMILAR_MIN_SHARE * best][:limit]


def similar_questions(user, title: str, *, limit: int = SIMILAR_LIMIT) -> list:
    """Questions this reader may read whose words are like ``title``'s (the ask page, as
    the title is typed), best first, and only those scoring near the best. The index's
    answer is cached briefly by title and audience; the questions are read back from the
    database every time, so permissions are as of now. A question page shows the list
    stored for it instead (``search.similar``)."""
    digest = hashlib.sha256(repr(vocabulary.clauses(title)).encode()).hexdigest()[:32]
    key = f"search:similar:{audience.cache_key(user)}:{digest}"
    scored = cache.get(key)
    if scored is None:
        try:
            scored = scored_questions(title, audience.audiences_of(user), limit=limit)
        except SearchBackendError:
            return []
        cache.set(key, scored, SIMILAR_CACHE_SECONDS)
    pks = closest(scored, limit)
    questions = Question.objects.visible_to(user).filter(audience.PUBLISHED, pk__in=pks)
    by_pk = {question.pk: question for question in questions}
    return [by_pk[pk] for pk in pks if pk in by_pk]
