"""Issue 13: the site at 1,000 and at 100,000 questions, on SQLite and on PostgreSQL.

For each database and size, in a process of its own (`python -m bench.scale measure DB N`):
a fresh site (`migrate`, `load_demo`), the corpus generated in bulk (`bench/corpus.py`),
the search index rebuilt (timed), SIMILAR_FOUND threads' similar questions found again
(timed), then served by gunicorn with WORKERS workers and production settings, and
measured:

1. Over HTTP, interleaved in rounds with the bare view as baseline, while a background
   process posts an answer every WRITE_INTERVAL seconds through `forum.services` and
   applies it to the index at once (as `search_worker` does): question pages no cache
   holds (a different one of PAGE_THREADS random threads each request, anonymous and
   signed in as a verified official), the question list (first page and the middle page,
   anonymous and signed in), and search for random two-word queries.
2. In process, the raw full-text query on the search backend's own tables for the same
   words as the searches over HTTP (`raw_search`).
3. With the background writer stopped: AFTER_WRITE times, an answer posted and applied,
   then one search (the first after the write) and another (warm), on the same worker.
4. In process: CHANGES times, an answer posted, then `search.queue.drain()` timed.
5. The resident memory of each gunicorn worker after all of that.

`run()` runs them all, prints one table per database with the issue's targets, and writes
bench/results/scale.json. BENCH_SCALE_SIZES and BENCH_SCALE_DATABASES choose (default
1000,100000 and sqlite,postgres); BENCH_SECONDS and BENCH_ROUNDS as for every benchmark.
"""

import contextlib
import itertools
import json
import os
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import harness
from bench.corpus import ANSWER_WORDS, Writer, generate, members
from bench.question_page import READER

NAME = "scale"
SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,100000").split(",")]
DATABASES = os.environ.get("BENCH_SCALE_DATABASES", "sqlite,postgres").split(",")
WORKERS = 2
QUERIES = 5000
MIN_DF, MAX_DF = 0.005, 0.20  # query words occur in 0.5 % to 20 % of the threads
WRITE_INTERVAL = 0.5  # seconds between the background writer's answers
AFTER_WRITE = 40
PAGE_THREADS = 300  # threads whose question pages are asked for, per reader
SIMILAR_FOUND = 5  # threads whose similar questions are found, timed
CHANGES = 50
SEED = 13
ANSWER_MARKER = 'class="canvass-answer'
ROW_MARKER = 'class="canvass-question-row"'
SEARCH = "search, anonymous, writes landing"


# --- what is asked for ----------------------------------------------------------------------


def page_threads(questions, rng: random.Random) -> list[int]:
    """PAGE_THREADS random threads of ``questions`` (all, if fewer) for the question pages."""
    pks = list(questions.values_list("pk", flat=True))
    return rng.sample(pks, min(PAGE_THREADS, len(pks)))


def uncached_threads(pks: list[int], rng: random.Random) -> Iterator[str]:
    """Question pages no cache holds: a different thread each request, in random order.
    Once every thread has been asked for, the versions of all and of their answers are
    moved on (as a change to each would), so the next pass finds nothing cached either."""
    from django.db.models import F

    from forum.models import Answer, Question

    while True:
        for pk in rng.sample(pks, len(pks)):
            yield f"/questions/{pk}/"
        Question.objects.filter(pk__in=pks).update(version=F("version") + 1)
        Answer.objects.filter(question__in=pks).update(version=F("version") + 1)


def searches(queries: list[str], asked: list[str]) -> Iterator[str]:
    """The search page for each query in turn; each query asked is added to ``asked``."""
    for query in itertools.cycle(queries):
        asked.append(query)
        yield f"/search/?{urlencode({'q': query})}"


def pick_queries(corpus, rng: random.Random) -> list[str]:
    """QUERIES distinct pairs of distinct words (letters only, three or more, not a stop
    word) drawn uniformly from those in MIN_DF to MAX_DF of the generated threads."""
    from search.backends.analysis import STOP_WORDS

    low, high = MIN_DF * corpus.questions, MAX_DF * corpus.questions
    eligible = sorted(
        word
        for word, count in corpus.thread_frequency.items()
        if low <= count <= high and len(word) >= 3 and word not in STOP_WORDS
    )
    queries = set()
    while len(queries) < QUERIES:
        queries.add(" ".join(rng.sample(eligible, 2)))
    return rng.sample(sorted(queries), QUERIES)


def _at_least(marker: str, count: int) -> Callable[[str], str | None]:
    def check(body: str) -> str | None:
        found = body.count(marker)
        return None if found >= count else f"expected {count}+ x {marker!r}, found {found}"

    return check


def _list_page() -> Callable[[str], str | None]:
    """A full page of threads, with a link to the next."""
    from forum.listing import PER_PAGE

    rows = _at_least(ROW_MARKER, PER_PAGE)
    return lambda body: rows(body) or (None if "after=" in body else "no next page")


def http_targets(site, reader, threads: dict[str, list[int]], rng: random.Random, search):
    """The baseline first, then the pages (the question pages of ``threads``), then
    ``search``."""
    from bench.harness import Target
    from bench.urls import BARE_PATH
    from forum.forms import SORTS
    from forum.listing import place_of
    from forum.models import Question

    cookies = site.login_cookies(reader)
    public, readable = Question.objects.public(), Question.objects.visible_to(reader)
    # The middle of each reader's list: the page after the thread halfway down, asked for
    # by its place, as the list's "Next" links do (forum.listing).
    newest = SORTS["newest"]
    middle = {
        reader_kind: place_of(
            threads_of.order_by(*(f"-{name}" for name in newest))[threads_of.count() // 2],
            newest,
        )
        for reader_kind, threads_of in (("anonymous", public), ("signed in", readable))
    }
    signed_in = _at_least("Post your answer", 1)
    return [
        Target(
            "bare view (baseline)", BARE_PATH, check=lambda body: None if body == "ok" else body
        ),
        Target(
            "question page, anonymous, uncached",
            "",
            check=_at_least(ANSWER_MARKER, 1),
            paths=uncached_threads(threads["anonymous"], rng),
        ),
        Target(
            "question page, signed in, uncached",
            "",
            check=lambda body: _at_least(ANSWER_MARKER, 1)(body) or signed_in(body),
            cookies=cookies,
            paths=uncached_threads(threads["signed in"], rng),
        ),
        Target("question list, first page, anonymous", "/questions/", check=_list_page()),
        Target(
            "question list, first page, signed in",
            "/questions/",
            check=_list_page(),
            cookies=cookies,
        ),
        Target(
            "question list, middle page, anonymous",
            f"/questions/?after={middle['anonymous']}",
            check=_list_page(),
        ),
        Target(
            "question list, middle page, signed in",
            f"/questions/?after={middle['signed in']}",
            check=_list_page(),
            cookies=cookies,
        ),
        search,
    ]


# --- writing ----------------------------------------------------------------------------------


def answer_poster(rng: random.Random) -> Callable[[], None]:
    """A function that posts an answer through `forum.services` by a random generated
    official to a random public thread (each has its similar questions stored, so applying
    it to the index finds none)."""
    from forum import services
    from forum.models import Question

    writer, authors = Writer(rng), list(members())
    threads = list(Question.objects.public().values_list("pk", flat=True))

    def post() -> None:
        services.post_answer(
            question=Question.objects.get(pk=rng.choice(threads)),
            author=rng.choice(authors),
            body=writer.prose(writer.words(ANSWER_WORDS)),
        )

    return post


def write() -> None:
    """The background writer (`python -m bench.scale write`): an answer to a random public
    thread by a random generated official every WRITE_INTERVAL seconds, applied to the
    index at once, until its standard input closes; then prints how many it posted."""
    import django

    django.setup()
    from search import queue

    post = answer_poster(random.Random())
    posted = 0
    while not select.select([sys.stdin], [], [], WRITE_INTERVAL)[0]:
        post()
        queue.drain()
        posted += 1
    print(json.dumps({"posted": posted}), flush=True)


@contextlib.contextmanager
def answers_landing(site) -> Iterator[dict]:
    """The background writer runs for the duration; afterwards the dict holds how many
    answers it posted."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.scale", "write"],
        cwd=harness.ROOT,
        env=site.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    outcome = {}
    try:
        yield outcome
    finally:
        writer.stdin.close()
        output = writer.stdout.read()
        writer.wait()
    if writer.returncode:
        raise RuntimeError("the background writer failed (its error is above)")
    outcome.update(json.loads(output))


# --- in process -----------------------------------------------------------------------------


def raw_search() -> Callable[[str], list] | None:
    """The engine's own full-text query for a query's words, best 20 first, on the table the
    product searches (any of the analysed terms, in title or text, ranked by the engine's
    own function); None when the search backend keeps its index outside the database."""
    from django.db import connection

    from search import backends
    from search.backends import analysis
    from search.backends.sql import SqlSearchBackend

    if not isinstance(backends.current(), SqlSearchBackend):
        return None
    if connection.vendor == "sqlite":
        sql = (
            "SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s "
            "ORDER BY bm25(search_document_fts, 3.0, 1.0, 0) LIMIT 20"
        )

        def arguments(terms):
            return ["{title text} : (" + " OR ".join(f'"{term}"' for term in terms) + ")"]

    else:
        sql = (
            "SELECT document_id FROM search_document_fts WHERE vector @@ %s::tsquery "
            "ORDER BY ts_rank_cd(vector, %s::tsquery) DESC LIMIT 20"
        )

        def arguments(terms):
            return [" | ".join(f"'{term}'" for term in terms)] * 2

    def query(text: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, arguments(analysis.terms(text)))
            return cursor.fetchall()

    return query


def time_raw(queries: list[str]) -> list[float]:
    """The raw query for each of ``queries``, timed; none when there is no raw query."""
    raw = raw_search()
    if raw is None:
        return []
    times = []
    for query in queries:
        started = time.perf_counter()
        raw(query)
        times.append(time.perf_counter() - started)
    return times


def time_similar(rng: random.Random) -> list[float]:
    """SIMILAR_FOUND random generated threads' similar questions found again, as the queue
    finds them for a new or retitled question (their stored lists are dropped first)."""
    from search import similar
    from search.models import SimilarList

    pks = list(SimilarList.objects.order_by("pk").values_list("question", flat=True))
    times = []
    for pk in rng.sample(pks, SIMILAR_FOUND):
        SimilarList.objects.filter(question=pk).delete()
        started = time.perf_counter()
        similar.refresh([pk])
        times.append(time.perf_counter() - started)
        if not SimilarList.objects.filter(question=pk).exists():
            raise RuntimeError(f"no similar questions were stored for thread {pk}")
    return times


def time_first_searches(connections, search, post) -> tuple[list[float], list[float]]:
    """AFTER_WRITE times: an answer posted and applied to the index, then a search (the
    first after the write) and another (warm) on the same worker, the workers in turn."""
    from search import queue

    first, warm = [], []
    for n in range(AFTER_WRITE):
        post()
        queue.drain()
        connection = connections[n % len(connections)]
        first.append(harness.ask(connection, search))
        warm.append(harness.ask(connection, search))
    return first, warm


def time_changes(post) -> list[float]:
    """CHANGES times: an answer posted, then applying it to the index timed."""
    from search import queue

    applied = []
    for _ in range(CHANGES):
        post()
        started = time.perf_counter()
        done = queue.drain()
        applied.append(time.perf_counter() - started)
        if done < 1:
            raise RuntimeError("drain applied nothing after an answer was posted")
    return applied


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _p95_ms(samples: list[float]) -> float:
    return round(sorted(samples)[int(len(samples) * 0.95)] * 1000, 2)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def _step(message: str, clock: float) -> None:
    print(f"  [{time.perf_counter() - clock:6.0f} s] {message}", flush=True)


def measure(database: str, size: int) -> dict:
    """Everything above for one database and size; returns the figures."""
    clock = time.perf_counter()
    print(f"\n{NAME}: {database}, {size:,} questions", flush=True)
    with harness.Site(database, workers=WORKERS) as site:
        site.setup_django()
        from accounts.models import User
        from forum.models import Question
        from search import queue

        rng = random.Random(SEED)
        _step("generating the corpus", clock)
        corpus = generate(size, rng)
        _step("rebuilding the search index", clock)
        started = time.perf_counter()
        documents = queue.rebuild()
        rebuild_seconds = time.perf_counter() - started
        reader = User.objects.get(email=READER)
        threads = {
            "anonymous": page_threads(Question.objects.public(), rng),
            "signed in": page_threads(Question.objects.visible_to(reader), rng),
        }
        _step(f"finding the similar questions of {SIMILAR_FOUND} threads", clock)
        found = time_similar(rng)
        asked = []
        search = harness.Target(
            SEARCH,
            "",
            check=_at_least('class="usa-collection__item"', 1),
            paths=searches(pick_queries(corpus, rng), asked),
        )
        targets = http_targets(site, reader, threads, rng, search)
        site.serve()
        _step("measuring over HTTP, answers landing", clock)
        with answers_landing(site) as landed:
            harness.measure(site, targets)
            _step("raw full-text queries for the same words", clock)
            raw_times = time_raw(asked)

        post = answer_poster(rng)
        connections = site.connections()
        _step("the first search after a write, and a warm one", clock)
        first, warm = time_first_searches(connections, search, post)
        _step("applying one change to the index", clock)
        applied = time_changes(post)
        memory = {
            connection.worker_pid: _rss_mb(connection.worker_pid) for connection in connections
        }
        for connection in connections:
            connection.close()
        _step("done", clock)

    http = {
        target.name: {
            "requests": len(target.latencies),
            "median_ms": _median_ms(target.latencies),
            "p95_ms": _p95_ms(target.latencies),
            "requests_per_second": round(target.per_second, 1),
            "ratio_to_baseline": round(target.per_second / targets[0].per_second, 3),
        }
        for target in targets
    }
    return {
        "database": database,
        "questions": size,
        "members generated": corpus.members,
        "documents indexed": documents,
        "rebuild seconds": round(rebuild_seconds, 1),
        "rebuild docs/s": round(documents / rebuild_seconds),
        "finding one thread's similar questions median ms": _median_ms(found),
        "http": http,
        "answers posted during the HTTP rounds": landed["posted"],
        "raw search": None
        if not raw_times
        else {
            "queries": len(raw_times),
            "median_ms": _median_ms(raw_times),
            "p95_ms": _p95_ms(raw_times),
        },
        "first search after a write median ms": _median_ms(first),
        "warm search median ms": _median_ms(warm),
        "apply one change median ms": _median_ms(applied),
        "apply one change p95 ms": _p95_ms(applied),
        "worker RSS MB": memory,
    }


# --- the report -----------------------------------------------------------------------------


@dataclass
class Figure:
    """A row of the table: its value for one run, and the issue's target for it, either on
    its growth (largest size / smallest) or on its value at the largest size."""

    label: str
    unit: str
    value: Callable[[dict], float | None]
    growth_at_most: float | None = None
    at_most: float | None = None
    at_least: float | None = None


def _http(name: str) -> Callable[[dict], float]:
    return lambda run: run["http"][name]["median_ms"]


def _search_over_raw(run: dict) -> float | None:
    if run["raw search"] is None:
        return None
    return run["http"][SEARCH]["median_ms"] / run["raw search"]["median_ms"]


FIGURES = [
    Figure("rebuild_search", "docs/s", lambda run: run["rebuild docs/s"], at_least=5000),
    Figure(
        "finding a thread's similar questions",
        "ms",
        lambda run: run["finding one thread's similar questions median ms"],
    ),
    Figure("bare view (baseline)", "ms", _http("bare view (baseline)")),
    *(
        Figure(name, "ms", _http(name), growth_at_most=1.5)
        for name in (
            "question page, anonymous, uncached",
            "question page, signed in, uncached",
            "question list, first page, anonymous",
            "question list, first page, signed in",
            "question list, middle page, anonymous",
            "question list, middle page, signed in",
        )
    ),
    Figure(SEARCH, "ms", _http(SEARCH)),
    Figure(
        "raw full-text query, same words",
        "ms",
        lambda run: run["raw search"] and run["raw search"]["median_ms"],
    ),
    Figure("search / raw query (medians)", "x", _search_over_raw, at_most=5),
    Figure(
        "first search after an index write",
        "ms",
        lambda run: run["first search after a write median ms"],
    ),
    Figure("warm search", "ms", lambda run: run["warm search median ms"]),
    Figure(
        "first after write / warm (medians)",
        "x",
        lambda run: run["first search after a write median ms"] / run["warm search median ms"],
        at_most=1.5,
    ),
    Figure(
        "apply one change (drain), median",
        "ms",
        lambda run: run["apply one change median ms"],
        at_most=5,
    ),
    Figure(
        "gunicorn worker RSS, largest",
        "MB",
        lambda run: max(run["worker RSS MB"].values()),
        at_most=250,
    ),
]


def _format(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def report(runs: dict[str, dict[int, dict]]) -> bool:
    """One table per database: each figure at each size, its growth from the smallest
    size to the largest, and whether the issue's target is met."""
    sizes = sorted(SIZES)
    smallest, largest = sizes[0], sizes[-1]
    rows, met = [], True
    print(f"\n{NAME}: {harness.ROUNDS} rounds of {harness.SECONDS:g} s per HTTP target")
    for database, by_size in runs.items():
        header = "".join(f"{size:>12,}" for size in sizes)
        print(f"\n  {database}\n  {'figure':<40}{'unit':<7}{header}{'growth':>9}  target")
        for figure in FIGURES:
            values = {size: figure.value(by_size[size]) for size in sizes}
            low, high = values[smallest], values[largest]
            growth = high / low if len(sizes) > 1 and low and high is not None else None
            target, ok = "", None
            if figure.growth_at_most is not None and growth is not None:
                target, ok = f"growth <= {figure.growth_at_most:g}", growth <= figure.growth_at_most
            elif figure.at_most is not None and high is not None:
                target, ok = f"<= {figure.at_most:g} at {largest:,}", high <= figure.at_most
            elif figure.at_least is not None and high is not None:
                target, ok = f">= {figure.at_least:g} at {largest:,}", high >= figure.at_least
            met &= ok is not False
            cells = "".join(f"{_format(values[size]):>12}" for size in sizes)
            verdict = f"{target}  {'met' if ok else 'MISSED'}" if target else ""
            print(
                f"  {figure.label:<40}{figure.unit:<7}{cells}"
                f"{'' if growth is None else f'{growth:.2f}x':>9}  {verdict}"
            )
            rows.append(
                {
                    "database": database,
                    "figure": figure.label,
                    "unit": figure.unit,
                    "values": {str(size): values[size] for size in sizes},
                    "growth": growth,
                    "target": target or None,
                    "met": ok,
                }
            )
    notes = {
        "rounds": harness.ROUNDS,
        "seconds_per_round": harness.SECONDS,
        "workers": WORKERS,
        "runs": {
            database: {str(size): run for size, run in by_size.items()}
            for database, by_size in runs.items()
        },
    }
    harness.write_result(NAME, notes, rows)
    return met


def run() -> bool:
    """Each database and size in a process of its own (Django is configured once per
    process), then the report."""
    runs = {}
    for database in DATABASES:
        runs[database] = {}
        for size in SIZES:
            with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.scale",
                        "measure",
                        database,
                        str(size),
                        result.name,
                    ],
                    cwd=harness.ROOT,
                    check=True,
                )
                runs[database][size] = json.load(result)
    return report(runs)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write()
    else:
        _, _, database, size, path = sys.argv
        Path(path).write_text(json.dumps(measure(database, int(size)), indent=2))
