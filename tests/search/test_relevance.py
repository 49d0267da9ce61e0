"""Relevance, judged by hand: each case's query (tests/search/relevance_cases.py) should put
one of its expected documents in the top three, and across all cases the right answer
should come first most of the time (mean reciprocal rank)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.queries import Filters, search
from tests import factories

from .relevance_cases import CASES

# The cases judge search over the demo content.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
TOP = 3
MIN_MEAN_RECIPROCAL_RANK = 0.8


def key(hit) -> str:
    if hit.kind == "question":
        return f"question:{hit.title}"
    if hit.kind == "topic":
        return f"topic:{hit.obj.topic.slug}"
    return f"{hit.kind}:{hit.obj.slug}"


def reader(role: str):
    return factories.make_official() if role == "official" else AnonymousUser()


def rank(case) -> int | None:
    """The 1-based place of the first expected document in the results, or None."""
    hits = search(reader(case.role), case.query, Filters()).hits
    for place, hit in enumerate(hits, start=1):
        if key(hit) in case.expected:
            return place
    return None


def test_there_are_enough_cases():
    assert len(CASES) >= 30
    assert {case.role for case in CASES} == {"visitor", "official"}


@pytest.mark.parametrize("case", CASES, ids=[case.query for case in CASES])
def test_an_expected_document_is_in_the_top_three(case):
    place = rank(case)
    assert place is not None and place <= TOP, f"{case.query!r}: expected at {place}"


def test_mean_reciprocal_rank():
    places = [rank(case) for case in CASES]
    mean = sum(1 / place for place in places if place) / len(CASES)
    print(f"mean reciprocal rank over {len(CASES)} cases: {mean:.3f}")
    assert mean >= MIN_MEAN_RECIPROCAL_RANK
