from django.core.management.base import BaseCommand

from core.email import queue_due_email


class Command(BaseCommand):
    help = (
        "Hand every email that is due to the background task: with the immediate task "
        "backend, the way failed email is tried again; with the database backend, recovers "
        "email whose task was lost. Run it every few minutes (cron, or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--given-up",
            action="store_true",
            help="Also try again the email given up after too many failures (after fixing "
            "the mail server's settings, say).",
        )

    def handle(self, *args, given_up: bool = False, verbosity: int = 1, **options):
        queued = queue_due_email(given_up=given_up)
        if verbosity:
            self.stdout.write(f"{queued} email(s) handed to the task.")
