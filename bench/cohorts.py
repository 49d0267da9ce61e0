"""Issue 16: belonging to cohorts costs a reader's question list and search nothing, measured
in process (nothing is served over HTTP) with production's settings (`bench/settings.py`)
through `django.test.Client`.

The site: the schema, the topics and the office directory; COHORTS cohorts of
OFFICES_PER_COHORT random offices each; a generated corpus (`bench/corpus.py`) of
QUESTIONS threads, public, members-only and (`corpus.COHORT_SHARE`) cohort-only spread at
random over the cohorts (FRESH of the cohort member's made the newest threads, so the first
page of their list shows them), then the search index rebuilt. Four readers:

- a visitor;
- a member (signed up, not verified);
- a verified official whose office is in no cohort (the baseline);
- a cohort member: a verified official of an office of the same kind and size (both given
  the same population and band) that is in MEMBER_COHORTS of the cohorts, so they read
  those cohorts' threads as well.

Each asks for the question list (`/questions/`, newest first) and the search page
(`/search/?q=...`, the same two-word queries for each reader, in turn), in alternating
rounds (the first not counted). Every page is checked: a full list, search hits, and no
thread of a cohort the reader does not belong to. Goals: the cohort member's queries equal
the baseline official's, and their median at most GOALS["ratio"] times the official's.
"""

import random
import re
import secrets
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from bench import harness

NAME = "cohorts"
QUESTIONS = 2000
COHORTS = 50
MEMBER_COHORTS = 5
OFFICES_PER_COHORT = 10
FRESH = 5  # of the cohort member's cohort threads made the newest: their list shows them
SEARCHES = 50  # distinct queries, asked in turn
ROUNDS = 10  # after one to warm up
REQUESTS = 5  # of each page, by each reader, per round
POPULATION = 90_000  # of both officials' offices: the same size band
GOALS = {"ratio": 1.2}
DOMAIN = "@bench.example"
HOST = "127.0.0.1"  # bench.settings allows only this host
SEED = 16
THREAD_LINK = re.compile(r'href="/questions/(\d+)/')
READERS = ("visitor", "member", "official, no cohort", "cohort member")


def run() -> bool:
    """A fresh site (the schema and the topics), then the measurement, in this process."""
    return harness.run_in_process(NAME, measure)


# --- setting up -------------------------------------------------------------------------------


@dataclass
class World:
    member_cohorts: frozenset[int]  # the cohort member's
    official: object  # verified, office in no cohort
    cohort_member: object  # verified, office in MEMBER_COHORTS cohorts
    member: object  # not verified
    cohort_of: dict[int, int]  # each cohort-only thread's cohort
    queries: list[str]


def _person(name: str, office=None):
    """One person through the account services; verified for a year when given an office."""
    import datetime

    from django.utils import timezone

    from accounts.services import create_member, set_verified_until

    user = create_member(
        email=f"{name}{DOMAIN}",
        password=secrets.token_urlsafe(16),
        display_name=f"Bench {name}",
        jurisdiction=office,
        email_confirmed=True,
    )
    if office is not None:
        set_verified_until(user=user, until=timezone.localdate() + datetime.timedelta(days=365))
    return user


def _two_offices(rng: random.Random) -> tuple:
    """Two counties of one size: the officials' offices differ in their cohorts alone."""
    from accounts.models import Jurisdiction, JurisdictionKind, SizeBand

    counties = list(Jurisdiction.objects.filter(kind=JurisdictionKind.COUNTY).order_by("pk"))
    plain, member = rng.sample(counties, 2)
    Jurisdiction.objects.filter(pk__in=[plain.pk, member.pk]).update(
        population=POPULATION, size_band=SizeBand.LARGE
    )
    plain.refresh_from_db()
    member.refresh_from_db()
    return plain, member


def _cohorts(rng: random.Random, plain, member) -> list[int]:
    """COHORTS cohorts of OFFICES_PER_COHORT random offices each (never the plain
    official's), the member's office added to MEMBER_COHORTS of them; written in bulk."""
    from accounts.models import Jurisdiction
    from cohorts.models import Cohort, CohortOffice, Source

    cohorts = Cohort.objects.bulk_create(
        Cohort(name=f"Bench cohort {n}", slug=f"bench-cohort-{n}") for n in range(COHORTS)
    )
    offices = list(
        Jurisdiction.objects.exclude(pk__in=[plain.pk, member.pk]).values_list("pk", flat=True)
    )
    rows = [
        CohortOffice(cohort=cohort, jurisdiction_id=office, source=Source.COORDINATOR)
        for cohort in cohorts
        for office in rng.sample(offices, OFFICES_PER_COHORT)
    ]
    rows += [
        CohortOffice(cohort=cohort, jurisdiction=member, source=Source.COORDINATOR)
        for cohort in rng.sample(cohorts, MEMBER_COHORTS)
    ]
    CohortOffice.objects.bulk_create(rows)
    return [cohort.pk for cohort in cohorts]


def _freshen(cohorts: frozenset[int]) -> None:
    """FRESH threads of these cohorts become the newest (the corpus dates each thread when
    it was generated)."""
    from django.utils import timezone

    from forum.models import Question

    fresh = Question.objects.filter(cohort__in=cohorts).values_list("pk", flat=True)[:FRESH]
    now = timezone.now()
    Question.objects.filter(pk__in=list(fresh)).update(created_at=now, last_activity_at=now)


def set_up(clock: list[float]) -> World:
    from django.core.management import call_command

    from bench import corpus as generated
    from bench.scale import pick_queries
    from cohorts.membership import cohort_ids
    from forum.models import Question, Visibility
    from search import queue

    rng = random.Random(SEED)
    harness.step("load_jurisdictions", clock)
    call_command("load_jurisdictions", verbosity=0)
    harness.step(f"{COHORTS} cohorts, {QUESTIONS:,} threads", clock)
    plain, member = _two_offices(rng)
    cohort_member = _person("cohort-member", member)
    corpus = generated.generate(QUESTIONS, rng, _cohorts(rng, plain, member))
    _freshen(cohort_ids(cohort_member))
    harness.step("rebuild_search", clock)
    queue.rebuild()
    world = World(
        member_cohorts=cohort_ids(cohort_member),
        official=_person("official", plain),
        cohort_member=cohort_member,
        member=_person("member"),
        cohort_of=dict(
            Question.objects.filter(visibility=Visibility.COHORT).values_list("pk", "cohort_id")
        ),
        queries=pick_queries(corpus, rng)[:SEARCHES],
    )
    if len(world.member_cohorts) != MEMBER_COHORTS or cohort_ids(world.official):
        raise RuntimeError("the cohort member is not in exactly the cohorts set up")
    return world


# --- measuring --------------------------------------------------------------------------------


def _check(world: World, reader, marker: str):
    """A page shows ``marker`` (its rows or hits) and no thread of a cohort the reader is
    not in; returns the cohort-only threads it shows."""
    from cohorts.membership import cohort_ids

    theirs = cohort_ids(reader) if reader is not None else frozenset()

    def check(html: str) -> tuple[str | None, int]:
        if marker not in html:
            return f"no {marker!r}", 0
        shown = {int(pk) for pk in THREAD_LINK.findall(html)} & world.cohort_of.keys()
        foreign = [pk for pk in shown if world.cohort_of[pk] not in theirs]
        if foreign:
            return f"threads of another cohort shown: {sorted(foreign)}", 0
        return None, len(shown)

    return check


def _get(client, url: str, check) -> tuple[float, int, int]:
    """GET ``url``, checked: the seconds it took, its queries and the cohort threads shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capture:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    problem, shown = check(response.content.decode())
    if problem:
        raise RuntimeError(f"{url}: {problem}")
    return elapsed, len(capture.captured_queries), shown


def time_pages(world: World) -> dict:
    """Each page by each reader, REQUESTS at a time, the readers' order alternating between
    rounds (the first round not counted). The search page asks the next query each time,
    the same sequence for every reader."""
    from django.test import Client

    people = {
        "visitor": None,
        "member": world.member,
        "official, no cohort": world.official,
        "cohort member": world.cohort_member,
    }
    clients = {}
    for name, user in people.items():
        clients[name] = Client(HTTP_HOST=HOST)
        if user is not None:
            clients[name].force_login(user)
    checks = {
        (page, name): _check(world, user, marker)
        for name, user in people.items()
        for page, marker in (
            ("list", 'class="canvass-question-row"'),
            ("search", "canvass-search-results"),
        )
    }
    samples = {
        (page, name): {"times": [], "queries": [], "shown": 0}
        for page in ("list", "search")
        for name in READERS
    }
    for round_ in range(1 + ROUNDS):
        order = READERS if round_ % 2 else tuple(reversed(READERS))
        for name in order:
            for n in range(REQUESTS):
                query = world.queries[(round_ * REQUESTS + n) % len(world.queries)]
                for page, url in (
                    ("list", "/questions/"),
                    ("search", f"/search/?{urlencode({'q': query})}"),
                ):
                    elapsed, queries, shown = _get(clients[name], url, checks[page, name])
                    if round_:
                        sample = samples[page, name]
                        sample["times"].append(elapsed)
                        sample["queries"].append(queries)
                        sample["shown"] += shown
    return samples


# --- the report -------------------------------------------------------------------------------


def _page_rows(page: str, samples: dict) -> list[dict]:
    rows = []
    medians, counts = {}, {}
    for name in READERS:
        sample = samples[page, name]
        median, p95 = harness.median_p95_ms(sample["times"])
        # The typical request's queries: search reloads its vocabulary every few minutes
        # (`search.vocabulary.REFRESH_SECONDS`), one query more for whichever reader's
        # request comes then, so the most frequent count is compared, and the most shown.
        medians[name] = median
        counts[name] = statistics.mode(sample["queries"])
        goal = met = None
        if name == "cohort member":
            baseline = counts["official, no cohort"]
            goal, met = f"= {baseline}", counts[name] == baseline
        rows += [
            harness.figure(f"{page}, {name}: median", median, "ms"),
            harness.figure("  p95", p95, "ms"),
            harness.figure("  queries (most requests)", counts[name], "", goal, met),
            harness.figure("  queries (most)", max(sample["queries"]), ""),
        ]
    ratio = medians["cohort member"] / medians["official, no cohort"]
    rows += [
        harness.figure(
            f"{page}: cohort member / official in no cohort (medians)",
            ratio,
            "x",
            f"<= {GOALS['ratio']:g}",
            ratio <= GOALS["ratio"],
        ),
        harness.figure(
            "  cohort-only threads the cohort member's page shows (mean)",
            samples[page, "cohort member"]["shown"] / len(samples[page, "cohort member"]["times"]),
            "",
        ),
    ]
    return rows


def measure(clock: list[float]) -> bool:
    from django.conf import settings

    from forum.limits import lifted

    harness.step(f"setting up: {COHORTS} cohorts, {QUESTIONS:,} threads", clock)
    with lifted():
        world = set_up(clock)
    harness.step(f"question list and search, {1 + ROUNDS} rounds", clock)
    samples = time_pages(world)
    harness.step("done", clock)

    rows = [*_page_rows("list", samples), *_page_rows("search", samples)]
    cohort_threads = len(world.cohort_of)
    theirs = sum(cohort in world.member_cohorts for cohort in world.cohort_of.values())
    notes = {
        "settings": f"production (bench.settings), {settings.DATABASES['default']['ENGINE']}, "
        "in-process cache, django.test.Client",
        "corpus": f"{QUESTIONS:,} generated threads (bench/corpus.py): {cohort_threads} "
        f"cohort-only, spread at random over {COHORTS} cohorts of {OFFICES_PER_COHORT} random "
        f"offices each ({theirs} in the cohort member's); the rest 85 % public, 15 % members-only",
        "readers": "a visitor; a member (not verified); a verified official of a county in "
        f"no cohort; a verified official of a county of the same size ({POPULATION:,} people) "
        f"in {MEMBER_COHORTS} of the cohorts",
        "pages": f"GET /questions/ (newest first) and /search/?q=<two words> ({SEARCHES} "
        f"queries in turn), {REQUESTS} of each per reader per round, {ROUNDS} rounds after "
        "one, readers alternating; every page checked for its rows or hits and for threads "
        "of cohorts the reader is not in",
    }
    return harness.report_figures(NAME, notes, rows)
