import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Jurisdiction
from accounts.signals import offices_changed
from accounts.sizes import band_of
from core.events import send_after_commit

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "jurisdiction_population.csv"
FIELDS = ["population", "registered_voters", "size_band"]


def _number(text: str) -> int | None:
    return int(text) if text else None


class Command(BaseCommand):
    help = (
        "Set each election office's population (Census), registered voters (EAVS) and size "
        "band from data/jurisdiction_population.csv. Offices the file has no row for are "
        "left without figures. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        with file.open(newline="", encoding="utf-8") as handle:
            figures = {
                row["jurisdiction_id"]: (
                    _number(row["population"]),
                    _number(row["registered_voters"]),
                )
                for row in csv.DictReader(handle)
            }
        offices = list(Jurisdiction.objects.only("id", "slug", *FIELDS))
        changed = []
        for office in offices:
            population, voters = figures.get(office.slug, (None, None))
            values = (population, voters, band_of(population))
            if values != tuple(getattr(office, field) for field in FIELDS):
                office.population, office.registered_voters, office.size_band = values
                changed.append(office)
        Jurisdiction.objects.bulk_update(changed, FIELDS, batch_size=1000)
        if changed:
            send_after_commit(offices_changed, Jurisdiction)
        if verbosity:
            known = {office.slug for office in offices}
            matched = len(known & figures.keys())
            self.stdout.write(
                f"Office sizes: {matched} offices matched, {len(offices) - matched} without "
                f"a figure, {len(figures.keys() - known)} unknown ids in the file; "
                f"{len(changed)} changed."
            )
