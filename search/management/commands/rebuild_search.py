import sys
import time

from django.core.management.base import BaseCommand

from search import queue, similar


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database, with a progress bar. Safe while the "
        "site runs: searches say they are catching up until it is done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--similar",
            type=int,
            default=100,
            help="Find the similar questions of up to this many threads that have none "
            "(the search worker finds the rest in its idle rounds).",
        )

    def handle(self, *args, verbosity=1, **options):
        started = time.monotonic()
        show = verbosity > 0
        bar = _ProgressBar(self.stderr if show else None)
        indexed = queue.rebuild(progress=bar.update)
        bar.finish()
        elapsed = time.monotonic() - started
        if show:
            self.stdout.write(
                f"Indexed {indexed:,} documents in {elapsed:.1f} s "
                f"({indexed / max(elapsed, 1e-9):,.0f} a second)."
            )
        found = similar.backfill(options["similar"])
        if show and found:
            self.stdout.write(f"Found the similar questions of {found:,} threads.")


class _ProgressBar:
    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.interactive = stream is not None and getattr(sys.stderr, "isatty", lambda: False)()

    def update(self, label: str, done: int, total: int) -> None:
        if self.stream is None:
            return
        filled = self.WIDTH * done // max(total, 1)
        line = f"{label:<18} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:>7,}/{total:,}"
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
            if done == total:
                self.stream.write("")
        elif done == total:
            self.stream.write(line)

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.flush()
