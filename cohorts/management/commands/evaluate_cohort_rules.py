from django.core.management.base import BaseCommand

from cohorts import rules


class Command(BaseCommand):
    help = "Bring every cohort defined by a rule up to date with the office directory."

    def handle(self, *args, **options):
        for cohort, (added, removed) in rules.evaluate_all().items():
            self.stdout.write(f"{cohort.slug}: {len(added)} added, {len(removed)} removed")
