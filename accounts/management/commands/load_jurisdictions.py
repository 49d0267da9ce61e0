import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Jurisdiction
from accounts.signals import offices_changed
from core.events import send_after_commit

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "election_jurisdictions_composite.csv"
FIELDS = [
    "name",
    "state_abbr",
    "state_fips",
    "kind",
    "county_fips",
    "county_name",
    "eavs_fips_code",
    "reports_to_eavs",
    "source",
    "note",
]


class Command(BaseCommand):
    help = "Load (or refresh) the directory of U.S. election offices. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        with file.open(newline="", encoding="utf-8") as handle:
            rows = [self._jurisdiction(row) for row in csv.DictReader(handle)]
        stored = {
            values["slug"]: values for values in Jurisdiction.objects.values("id", "slug", *FIELDS)
        }
        new = [j for j in rows if j.slug not in stored]
        changed = []
        for jurisdiction in rows:
            current = stored.get(jurisdiction.slug)
            if current and any(getattr(jurisdiction, f) != current[f] for f in FIELDS):
                jurisdiction.id = current["id"]
                changed.append(jurisdiction)
        Jurisdiction.objects.bulk_create(new, batch_size=1000)
        Jurisdiction.objects.bulk_update(changed, FIELDS, batch_size=1000)
        if new or changed:
            send_after_commit(offices_changed, Jurisdiction)
        if verbosity:
            self.stdout.write(
                f"Election offices: {len(new)} added, {len(changed)} changed, "
                f"{len(stored) + len(new)} in the directory."
            )

    @staticmethod
    def _jurisdiction(row: dict) -> Jurisdiction:
        return Jurisdiction(
            slug=row["id"],
            name=row["name"],
            state_abbr=row["state_abbr"],
            state_fips=row["state_fips"],
            kind=row["kind"],
            county_fips=row["county_fips"],
            county_name=row["county_name"],
            eavs_fips_code=row["eavs_fips_code"],
            reports_to_eavs=row["eavs_reporting_unit"] == "yes",
            source=row["source"],
            note=row["note"],
        )
