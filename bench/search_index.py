"""Issue 6: writing with the search index on, measured in process on the demo content (the
search engine at scale, its rebuild and its queries, is `bench/scale.py`). Nothing is
served over HTTP: each figure is what the product's own code costs in one Python process.

1. Saving: `forum.services.post_answer` with the search receiver connected and disconnected,
   alternating, with SEARCH_INDEX_IN_PROCESS off, so only the queueing is added.
2. Concurrency: four processes post 100 answers each at once with SEARCH_INDEX_IN_PROCESS on
   (each process's writer thread drains the queue); every answer carries a unique word, and
   each must then find its thread.

`run()` makes the site (`migrate`, `load_demo`, `rebuild_search`) and measures in a fresh
process (`python -m bench.search_index`), which starts the posting processes
(`python -m bench.search_index post N`).
"""

import itertools
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import harness
from bench.question_page import ASKER

NAME = "search_index"
# SQLite as the product configures it (WAL, immediate transactions), with the search
# backend its settings choose.
SETTINGS = "bench.product_settings"
POSTS = 200
WARMUP_POSTS = 10
PROCESSES = 4
POSTS_PER_PROCESS = 100
DRAIN_TIMEOUT = 120.0
UNIQUE_WORD = "zq7k{}"  # in each concurrent answer, to find it by
ANSWER_BODY = (
    "We keep a signed log for every hand-off of the ballots, with seal numbers and counts, "
    "and our deputy clerk checks it against the ballot manifest before the canvass begins."
)
GOALS = {"added_ms": 5.0, "errors": 0}


def run() -> bool:
    """A fresh site, then the measurement in a process of its own (with its own settings,
    whatever benchmarks ran before in this one)."""
    with harness.Site() as site:
        env = {**site.env, "DJANGO_SETTINGS_MODULE": SETTINGS, "SEARCH_INDEX_IN_PROCESS": "false"}
        for command in (["migrate", "--noinput"], ["load_demo"], ["rebuild_search"]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "--verbosity=0"],
                cwd=harness.ROOT,
                env=env,
                check=True,
            )
        measure = [sys.executable, "-m", "bench.search_index"]
        return subprocess.run(measure, cwd=harness.ROOT, env=env).returncode == 0


# --- measuring ------------------------------------------------------------------------------


def time_saves(questions: list[int]) -> dict[str, list[float]]:
    """post_answer with the search receiver connected and disconnected, alternating, to the
    threads in turn (the first WARMUP_POSTS of each are not counted). Autocommit, so
    on_commit runs inside."""
    from accounts.models import User
    from forum import services
    from forum.models import Question
    from forum.signals import threads_changed
    from search.signals import _threads_changed

    author = User.objects.get(email=ASKER)
    pool = itertools.cycle(Question.objects.filter(pk__in=questions).order_by("pk"))
    times = {"indexing on": [], "indexing off": []}
    for n in range(WARMUP_POSTS + POSTS):
        for on in (True, False) if n % 2 else (False, True):
            if on:
                threads_changed.connect(_threads_changed, dispatch_uid="search.threads")
            else:
                threads_changed.disconnect(dispatch_uid="search.threads")
            started = time.perf_counter()
            services.post_answer(question=next(pool), author=author, body=ANSWER_BODY)
            elapsed = time.perf_counter() - started
            if n >= WARMUP_POSTS:
                times["indexing on" if on else "indexing off"].append(elapsed)
    threads_changed.connect(_threads_changed, dispatch_uid="search.threads")
    return times


def _thread_for(token_number: int, questions: list) -> object:
    """Process p posts its k-th answer to questions[(k + p n / 4) % n] of n threads: each
    thread gets answers from every process, at different moments."""
    process, k = divmod(token_number, POSTS_PER_PROCESS)
    return questions[(k + process * len(questions) // PROCESSES) % len(questions)]


def post(number: int) -> None:
    """One posting process: wait for "go", post POSTS_PER_PROCESS answers, then stay (so
    this process's writer thread can drain) until the queue is empty; report as JSON."""
    import logging

    import django

    django.setup()
    from django.core.signals import request_started

    from accounts.models import User
    from forum import services
    from forum.models import Question
    from search.models import IndexChange

    # As in a web process once it has served a request: its index writer thread runs.
    request_started.send(sender=None, environ={})
    pks = json.loads(sys.stdin.readline())
    by_pk = Question.objects.in_bulk(pks)
    questions = [by_pk[pk] for pk in pks]
    author = User.objects.get(email=ASKER)
    logged, problems = Counter(), []

    class Tally(logging.Handler):
        def emit(self, record):
            logged[record.levelname] += 1
            if record.levelno >= logging.WARNING:
                problems.append(f"{record.levelname}: {record.getMessage()}")

    logging.getLogger("canvass.search").addHandler(Tally(logging.INFO))
    logging.getLogger("canvass.search").setLevel(logging.INFO)
    print("ready", flush=True)
    sys.stdin.readline()
    errors, latencies = [], []
    for k in range(POSTS_PER_PROCESS):
        token_number = number * POSTS_PER_PROCESS + k
        body = f"{ANSWER_BODY} {UNIQUE_WORD.format(token_number)}"
        started = time.perf_counter()
        try:
            services.post_answer(
                question=_thread_for(token_number, questions), author=author, body=body
            )
        except Exception as error:
            errors.append(f"{token_number}: {type(error).__name__}: {error}")
        latencies.append(time.perf_counter() - started)
    posted_at = time.time()
    while IndexChange.objects.exists() and time.time() < posted_at + DRAIN_TIMEOUT:
        time.sleep(0.2)
    result = {
        "errors": errors,
        "latencies": latencies,
        "posted_at": posted_at,
        "logged": logged,
        "problems": problems,
    }
    print(json.dumps(result), flush=True)


def time_concurrent_posts(questions: list[int]) -> dict:
    """PROCESSES posting processes at once; the queue watched from here until they exit;
    then every answer's word searched for."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser

    from search import worker
    from search.models import IndexChange
    from search.queries import Filters, search

    env = {**os.environ, "SEARCH_INDEX_IN_PROCESS": "true"}
    log = (Path(settings.VAR_DIR) / "posters.log").open("w")
    posters = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.search_index", "post", str(n)],
            cwd=harness.ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    for poster in posters:
        poster.stdin.write(json.dumps(questions) + "\n")
        poster.stdin.flush()
    for poster in posters:
        if poster.stdout.readline().strip() != "ready":
            raise RuntimeError(f"a posting process failed; see {log.name}")
    go = time.time()
    for poster in posters:
        poster.stdin.write("go\n")
        poster.stdin.flush()
    timeline = []
    while any(poster.poll() is None for poster in posters):
        timeline.append((time.time(), IndexChange.objects.count()))
        time.sleep(0.1)
    timeline.append((time.time(), IndexChange.objects.count()))
    results = [json.loads(poster.stdout.read() or "null") for poster in posters]
    log.close()
    if None in results:
        raise RuntimeError(f"a posting process failed; see {log.name}")
    last_post = max(result["posted_at"] for result in results)
    left = timeline[-1][1]
    while IndexChange.objects.exists():  # a process gave up waiting: drain here
        worker.work_once()
        timeline.append((time.time(), IndexChange.objects.count()))
    drained = next(t for t, pending in timeline if t >= last_post and pending == 0)
    errors = [error for result in results for error in result["errors"]]
    failed = {int(error.split(":")[0]) for error in errors}
    visitor, findable = AnonymousUser(), 0
    for token_number in range(PROCESSES * POSTS_PER_PROCESS):
        if token_number in failed:
            continue
        outcome = search(visitor, UNIQUE_WORD.format(token_number), Filters())
        expected = _thread_for(token_number, questions)
        findable += any(hit.obj.pk == expected for hit in outcome.hits)
    logged = sum((Counter(result["logged"]) for result in results), Counter())
    return {
        "errors": errors,
        "posted": PROCESSES * POSTS_PER_PROCESS - len(failed),
        "findable": findable,
        "post_seconds": last_post - go,
        "latencies": [latency for result in results for latency in result["latencies"]],
        "drain_seconds": drained - last_post,
        "left_by_processes": left,
        "logged": dict(logged),
        "problems": [problem for result in results for problem in result["problems"]],
    }


# --- the report -------------------------------------------------------------------------------


def _timing_rows(prefix: str, samples_by_name: dict[str, list[float]]) -> list[dict]:
    rows = []
    for name, samples in samples_by_name.items():
        median, p95 = harness.median_p95_ms(samples)
        rows += [
            harness.figure(f"{prefix}, {name}, median", median, "ms"),
            harness.figure("  p95", p95, "ms"),
        ]
    return rows


def measure() -> bool:
    import django

    django.setup()
    from django.conf import settings

    from forum.models import Question
    from search import queue

    clock = [time.perf_counter()]
    public = list(Question.objects.public().order_by("pk").values_list("pk", flat=True))
    print(f"\n{NAME}: on the demo content ({len(public)} public threads)", flush=True)
    harness.step("saving answers", clock)
    saves = time_saves(public)
    queue.drain()  # what the saves queued, before the processes start
    harness.step(f"{PROCESSES} processes posting at once", clock)
    concurrent = time_concurrent_posts(public)
    harness.step("done", clock)

    off, _ = harness.median_p95_ms(saves["indexing off"])
    on, _ = harness.median_p95_ms(saves["indexing on"])
    added = on - off
    errors = len(concurrent["errors"])
    all_found = concurrent["findable"] == concurrent["posted"]
    rows = _timing_rows("post_answer", saves)
    rows.append(
        harness.figure(
            "post_answer, added by indexing (medians)",
            added,
            "ms",
            f"<= {GOALS['added_ms']:g}",
            added <= GOALS["added_ms"],
        )
    )
    median, p95 = harness.median_p95_ms(concurrent["latencies"])
    rows += [
        harness.figure(
            f"{PROCESSES} processes x {POSTS_PER_PROCESS} answers: errors",
            errors,
            "",
            f"= {GOALS['errors']}",
            errors == GOALS["errors"],
        ),
        harness.figure(
            "  answers found by their word afterwards",
            concurrent["findable"],
            "",
            f"= {concurrent['posted']}",
            all_found,
        ),
        harness.figure("  time to post them all", concurrent["post_seconds"], "s"),
        harness.figure("  post_answer, median", median, "ms"),
        harness.figure("  post_answer, p95", p95, "ms"),
        harness.figure(
            "  last post to queue empty (all findable)", concurrent["drain_seconds"], "s"
        ),
    ]
    notes = {
        "settings": f"{settings.SETTINGS_MODULE} (SQLite, WAL, immediate transactions)",
        "search backend": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"],
        "threads posted to": f"the {len(public)} public demo threads, in turn",
        "errors": "; ".join(concurrent["errors"][:5]) or "none",
        "search log records in the posting processes": concurrent["logged"] or "none",
        "their warnings and errors (first 3)": "; ".join(concurrent["problems"][:3]) or "none",
        "rows the posting processes left for this one to drain": concurrent["left_by_processes"],
    }
    return harness.report_figures(NAME, notes, rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["post"]:
        post(int(sys.argv[2]))
    else:
        sys.exit(0 if measure() else 1)
