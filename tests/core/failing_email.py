"""An email backend that fails as an unreachable mail server does, a given number of times,
then delivers to Django's test outbox (`django.core.mail.outbox`). Select it with
``override_settings(EMAIL_BACKEND="tests.core.failing_email.FailsTwiceBackend")``."""

from django.core.mail.backends.locmem import EmailBackend


class FailsTwiceBackend(EmailBackend):
    failures_left = 2  # shared by every instance, as a mail server's state is

    def send_messages(self, messages):
        if FailsTwiceBackend.failures_left:
            FailsTwiceBackend.failures_left -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)
