from django.core.management.base import BaseCommand

from forum.reminders import send_flag_reminders


class Command(BaseCommand):
    help = "Email the moderators when flagged posts have waited more than a day. Run it daily."

    def handle(self, *args, **options):
        emailed = send_flag_reminders()
        self.stdout.write(f"Emailed {emailed} moderator(s).")
