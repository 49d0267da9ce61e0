from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One message on its way out (`core.email`). Written in the transaction of the change
    that sends it, so a change rolled back sends nothing and a committed one cannot lose
    its message; deleted once delivered."""

    to = models.JSONField(help_text="The recipients' addresses.")
    subject = models.CharField(max_length=998)  # RFC 5322's longest line
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it may be sent (again); none once it has failed too often and been given up.
    next_try = models.DateTimeField(null=True, default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.subject
