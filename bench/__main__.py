"""`make bench`: run every benchmark and exit non-zero if a goal was missed.

Most benchmark modules give `targets(site)` (the first is the baseline) and `notes()`; the
harness serves a fresh demo site for each and measures it over HTTP. A module that measures
in process instead (`search_index`, `notifications`, `moderation`, `cohorts`) gives `run()`,
which makes its own site, prints and writes its results, and says whether its goals were met.
BENCH_SECONDS and BENCH_ROUNDS set how long each target is measured per round (default 3 s x
3 rounds); BENCH_ONLY names the benchmarks to run (comma-separated; by default all but those
run only on request: `scale`, which generates corpora of up to 100,000 questions, is
`make bench-scale`).

Django is configured once per process, for one site, so when several benchmarks are to run
each runs in a process of its own.
"""

import os
import subprocess
import sys

from bench import (
    cohorts,
    harness,
    library_pages,
    moderation,
    notifications,
    question_page,
    scale,
    search_index,
)

BENCHMARKS = {
    "question_page": question_page,
    "library_pages": library_pages,
    "search_index": search_index,
    "notifications": notifications,
    "moderation": moderation,
    "cohorts": cohorts,
    "scale": scale,
}
ON_REQUEST = {"scale"}


def serve_and_measure(name: str, module) -> bool:
    with harness.Site() as site:
        site.setup_django()
        targets = module.targets(site)
        site.serve()
        harness.measure(site, targets)
        return harness.report(name, targets, module.notes())


def main() -> int:
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    names = [name for name in BENCHMARKS if name in only or (not only and name not in ON_REQUEST)]
    if len(names) != 1:
        codes = [
            subprocess.run(
                [sys.executable, "-m", "bench"], env={**os.environ, "BENCH_ONLY": name}
            ).returncode
            for name in names
        ]
        return 1 if any(codes) else 0
    name, module = names[0], BENCHMARKS[names[0]]
    met = module.run() if hasattr(module, "run") else serve_and_measure(name, module)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
