"""Domain signals sent once the change they announce has committed."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal


def send_after_commit(signal: Signal, sender, **kwargs) -> None:
    """Send ``signal`` when the current transaction commits (at once outside one), and never
    if it rolls back, so receivers see only what was written. The write has already
    committed when they run: each receiver is called even if another raises, and a
    receiver's error is logged (`Signal.send_robust`), never turned into an error page."""
    transaction.on_commit(partial(signal.send_robust, sender, **kwargs))
