from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.core.management.base import BaseCommand

from demo.people import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo moderator, editor and administrator "
        "(they share one demo authenticator secret), so the demo can be tried without an "
        "authenticator app."
    )

    def handle(self, *args, **options):
        counter = next(iter(counters()))
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
