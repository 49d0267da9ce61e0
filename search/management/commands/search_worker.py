from django.core.management.base import BaseCommand

from search import worker


class Command(BaseCommand):
    help = (
        "Apply queued search index changes as they come (production, where "
        "SEARCH_INDEX_IN_PROCESS is off). Run exactly one. --once drains and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Drain the queue and exit.")

    def handle(self, *args, once=False, **options):
        if once:
            applied = worker.work_once()
            self.stdout.write(f"Applied {applied} queued changes.")
            return
        worker.run_forever()
