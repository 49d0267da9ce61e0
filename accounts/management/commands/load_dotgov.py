import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import DotGovDomain

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "dotgov-current-full.csv"
FIELDS = ["domain_type", "organization", "suborganization", "city", "state_abbr"]
BATCH_SIZE = 1000
PROGRESS_EVERY = 1000
PROGRESS_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load (or refresh) the .gov registry that members' email domains are checked "
        "against. Safe to run again; domains no longer in the file are removed. Download a "
        "newer current-full.csv from https://github.com/cisagov/dotgov-data and pass it "
        "with --file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        with file.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        stored = {
            values["domain"]: values
            for values in DotGovDomain.objects.values("id", "domain", *FIELDS)
        }
        show_progress = verbosity >= 1 and self.stdout.isatty()
        new, changed, seen = [], [], set()
        for count, row in enumerate(rows, start=1):
            domain = self._domain(row)
            seen.add(domain.domain)
            current = stored.get(domain.domain)
            if current is None:
                new.append(domain)
            elif any(getattr(domain, f) != current[f] for f in FIELDS):
                domain.id = current["id"]
                changed.append(domain)
            if show_progress and (count % PROGRESS_EVERY == 0 or count == len(rows)):
                self._progress(count, len(rows))
        if show_progress:
            self.stdout.write("")
        retired = [values["id"] for name, values in stored.items() if name not in seen]
        DotGovDomain.objects.bulk_create(new, batch_size=BATCH_SIZE)
        DotGovDomain.objects.bulk_update(changed, FIELDS, batch_size=BATCH_SIZE)
        # In batches: SQLite limits the number of parameters in one query.
        for start in range(0, len(retired), BATCH_SIZE):
            DotGovDomain.objects.filter(id__in=retired[start : start + BATCH_SIZE]).delete()
        if verbosity:
            self.stdout.write(
                f"The .gov registry: {len(new)} added, {len(changed)} changed, "
                f"{len(retired)} removed, {len(seen)} domains."
            )

    def _progress(self, count: int, total: int) -> None:
        filled = PROGRESS_WIDTH * count // total
        bar = "#" * filled + "-" * (PROGRESS_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {count:,}/{total:,} domains", ending="")
        self.stdout.flush()

    @staticmethod
    def _domain(row: dict) -> DotGovDomain:
        def value(column: str) -> str:
            text = row[column].strip()
            return "" if text == "(blank)" else text

        return DotGovDomain(
            domain=value("Domain name").lower(),
            domain_type=value("Domain type"),
            organization=value("Organization name"),
            suborganization=value("Suborganization name"),
            city=value("City"),
            state_abbr=value("State"),
        )
