import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from forum.services import sync_topics

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "election_admin_taxonomy.json"


class Command(BaseCommand):
    help = "Load the topic taxonomy. Safe to run again: existing topics are updated."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        created, updated = sync_topics(taxonomy=json.loads(file.read_text(encoding="utf-8")))
        if verbosity:
            self.stdout.write(f"Topics: {created} added, {updated} refreshed.")
