from django.core.management.base import BaseCommand

from cms.editorial import TASK_NAME, setup_editorial
from cms.models import HomePage


class Command(BaseCommand):
    help = (
        "Put the editorial workflow in place: editors draft and submit, moderators approve "
        "and publish (the “Editorial review” workflow on the home page), and the Editors' "
        "and Moderators' page, document and image rights. Safe to run again."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        workflow = setup_editorial()
        if not HomePage.objects.exists():
            self.stderr.write(
                self.style.WARNING(
                    f"There is no home page yet, so “{workflow.name}” applies to no page: "
                    "run this again once the home page exists."
                )
            )
        elif verbosity:
            self.stdout.write(
                f"Workflow “{workflow.name}” ({TASK_NAME} by the Moderators group) is in place."
            )
