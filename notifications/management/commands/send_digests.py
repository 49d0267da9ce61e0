from django.core.management.base import BaseCommand

from notifications.digests import send_digests


class Command(BaseCommand):
    help = (
        "Email the daily and weekly digests of new questions in followed topics that are due. "
        "Run it daily from cron; running it again, or twice at once, sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Queued {sent} digest(s).")
