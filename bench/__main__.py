"""`make bench`: run every benchmark and exit non-zero if a goal was missed.

Each benchmark module gives `targets(site)` (the first is the baseline) and `notes()`;
the harness serves a fresh demo site for it and measures. BENCH_SECONDS and BENCH_ROUNDS
set how long each target is measured per round (default 3 s x 3 rounds).
"""

import sys

from bench import harness, question_page

BENCHMARKS = {"question_page": question_page}


def main() -> int:
    met = True
    for name, module in BENCHMARKS.items():
        with harness.Site() as site:
            site.setup_django()
            targets = module.targets(site)
            site.serve()
            harness.measure(site, targets)
            met &= harness.report(name, targets, module.notes())
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
