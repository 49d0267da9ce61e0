from django.core.management.base import BaseCommand

from accounts.verification import send_renewal_reminders


class Command(BaseCommand):
    help = (
        "Email officials whose verification ends within 30 or 7 days. Run once a day (cron, "
        "or a scheduled task); each reminder is queued once, and the email task sends it."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        queued = send_renewal_reminders()
        if verbosity:
            self.stdout.write(f"{queued} reminder(s) queued.")
