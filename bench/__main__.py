"""`make bench`: run every benchmark and exit non-zero if a goal was missed.

Each benchmark module gives `targets(site)` (the first is the baseline) and `notes()`;
the harness serves a fresh demo site for it and measures. BENCH_SECONDS and BENCH_ROUNDS
set how long each target is measured per round (default 3 s x 3 rounds); BENCH_ONLY names
the benchmarks to run (comma-separated; all by default).
"""

import os
import sys

from bench import harness, library_pages, question_page

BENCHMARKS = {"question_page": question_page, "library_pages": library_pages}


def main() -> int:
    met = True
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    for name, module in BENCHMARKS.items():
        if only and name not in only:
            continue
        with harness.Site() as site:
            site.setup_django()
            targets = module.targets(site)
            site.serve()
            harness.measure(site, targets)
            met &= harness.report(name, targets, module.notes())
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
