"""What cohorts does when the directory's office data changes: rules are evaluated again."""

from django.dispatch import receiver

from accounts.signals import offices_changed

from . import rules


@receiver(offices_changed, dispatch_uid="cohorts.evaluate_rules")
def evaluate_rules(**kwargs) -> None:
    """Sent after the office data committed: every rule cohort is brought up to date."""
    rules.evaluate_all()
