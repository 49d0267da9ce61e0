"""Cohorts: named groups of offices that learn together (issue 16).

A `Cohort` holds offices (`CohortOffice`), experts added one by one (`CohortExpert`) and
its coordinators (`Coordinator`, granted by administrators). Who belongs is worked out
when asked, never stored per person (`membership.py`): every verified official of a member
office, the experts added to it while they hold the expert role, and its coordinators while
they are verified members; so verification ending or an office leaving ends belonging at
once. A cohort may instead be defined by a rule over the directory's office data
(`rule_min_population`, `rule_top_in_state`; `rules.py`), evaluated again when that data
changes. Every office added or removed is a `MembershipChange`, which is what coordinators
read to see who joined, left, or was added and removed by the rule.

Shared documents (`Document`, each upload a `DocumentVersion`) are stored outside
`MEDIA_ROOT`, under random names, in `private_storage`, and served only through
`views.document_file` to the cohort's members: there is no public or guessable address."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Jurisdiction


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_(
            "A listed cohort's name, description and offices are shown to everyone; an "
            "unlisted one is known to its members alone, and never shows a badge."
        ),
    )
    show_badge = models.BooleanField(
        _("show the cohort's badge on its members' posts"),
        default=False,
        help_text=_("Shown where a post's byline shows the author's office."),
    )
    badge_label = models.CharField(_("badge"), max_length=40, blank=True)
    rule_min_population = models.PositiveIntegerField(
        _("offices serving at least this many people"), null=True, blank=True
    )
    rule_top_in_state = models.PositiveSmallIntegerField(
        _("or among this many most populous local offices in their state"),
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(show_badge=False) | Q(is_listed=True, badge_label__gt=""),
                name="cohort_badge_needs_listing_and_label",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:cohort", args=[self.slug])

    @property
    def has_rule(self) -> bool:
        return self.rule_min_population is not None or self.rule_top_in_state is not None


class Source(models.TextChoices):
    COORDINATOR = "coordinator", _("Added or removed by a coordinator")
    REQUEST = "request", _("Asked to join")
    RULE = "rule", _("The cohort's rule")


class CohortOffice(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="offices")
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "jurisdiction"], name="one_office_per_cohort")
        ]
        indexes = [models.Index(fields=["jurisdiction", "cohort"], name="cohort_office_lookup")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} in {self.cohort}"


class CohortExpert(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_expert_of"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_expert_entry_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class Coordinator(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_of"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_coordinator_entry")
        ]

    def __str__(self) -> str:
        return f"{self.user} coordinates {self.cohort}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a coordinator")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """An office's verified official asks that their office join a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="join_requests")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("why your office would like to join"), max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "jurisdiction"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_office",
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} asks to join {self.cohort}"


class ChangeKind(models.TextChoices):
    ADDED = "added", _("Added")
    REMOVED = "removed", _("Removed")


class MembershipChange(models.Model):
    """One office joining or leaving a cohort, and why: the record coordinators read."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="changes")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    change = models.CharField(max_length=8, choices=ChangeKind.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["cohort", "at"], name="cohort_change_time")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.change} ({self.cohort})"


def private_storage() -> FileSystemStorage:
    """Files no web server serves: `settings.CANVASS_PRIVATE_ROOT`, with no URL."""
    return FileSystemStorage(location=settings.CANVASS_PRIVATE_ROOT, base_url=None)


def _private_name(instance, filename: str) -> str:
    # A random name: neither the cohort, the document nor what the file was called.
    return f"cohorts/{uuid.uuid4().hex}"


class Document(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(storage=private_storage, upload_to=_private_name, max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
