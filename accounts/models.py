from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JurisdictionKind(models.TextChoices):
    STATE = "state", _("State or territory election office")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Town or municipal clerk")
    CITY_ELECTION_AUTHORITY = "city_election_authority", _("City election authority")


class SizeBand(models.TextChoices):
    """An office's size by the people it serves (`sizes.band_of`): what "offices like
    mine" and the size filter compare, and what a byline shows instead of a population."""

    SMALL = "under-10k", _("Under 10,000 people")
    MEDIUM = "10k-50k", _("10,000 to 50,000 people")
    LARGE = "50k-250k", _("50,000 to 250,000 people")
    VERY_LARGE = "250k-1m", _("250,000 to 1 million people")
    LARGEST = "over-1m", _("Over 1 million people")


class JurisdictionQuerySet(models.QuerySet):
    def in_state(self, state_abbr: str):
        return self.filter(state_abbr=state_abbr.upper())


class Jurisdiction(models.Model):
    """One U.S. election office, from the directory shipped in data/ (see data/LICENSES.md)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    state_abbr = models.CharField(max_length=2, db_index=True)
    state_fips = models.CharField(max_length=2)
    kind = models.CharField(max_length=32, choices=JurisdictionKind.choices)
    county_fips = models.CharField(max_length=5, blank=True)
    county_name = models.CharField(max_length=200, blank=True)
    eavs_fips_code = models.CharField(max_length=10, blank=True)
    reports_to_eavs = models.BooleanField(default=False)
    source = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # Census 2024 population and EAVS 2024 registered voters (`load_population`, see
    # data/LICENSES.md); blank where no figure could be tied to the office.
    population = models.PositiveIntegerField(null=True, blank=True)
    registered_voters = models.PositiveIntegerField(null=True, blank=True)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["state_abbr", "name"]
        indexes = [
            models.Index(fields=["state_abbr", "name"]),
            models.Index(fields=["size_band", "kind", "state_abbr"], name="office_peers"),
        ]

    def __str__(self) -> str:
        if self.kind == JurisdictionKind.MUNICIPALITY and self.county_name:
            return f"{self.name} ({self.county_name}), {self.state_abbr}"
        return f"{self.name}, {self.state_abbr}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Signs in with email; others see only `display_name`
    and role badges unless the person chooses to show more."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    verified_until = models.DateField(
        _("verified as an election official until"),
        null=True,
        blank=True,
        help_text=_("Empty or past: the person has member rights only."),
    )
    # A moderator suspended the person's posting until then (issue 15): they may read, not
    # ask, answer or comment.
    posting_suspended_until = models.DateTimeField(null=True, blank=True)
    office_phone = models.CharField(
        _("office phone"),
        max_length=32,
        blank=True,
        help_text=_("Never shown to other members; reviewers may use it to confirm your office."),
    )
    bio = models.TextField(
        _("short bio"),
        max_length=600,
        blank=True,
        help_text=_("Shown to signed-in members on your profile. Up to 600 characters."),
    )
    show_job_title = models.BooleanField(_("show my job title to signed-in members"), default=True)
    show_jurisdiction = models.BooleanField(
        _("show my office to signed-in members"),
        default=True,
        help_text=_(
            "Beside your posts and on your profile. Visitors who are not signed in only "
            "ever see your display name and role."
        ),
    )
    contact_by_peers = models.BooleanField(
        _("let verified officials of offices like mine contact me"),
        default=False,
        help_text=_(
            "Lists your name, job title and office under “Offices like mine” for verified "
            "officials of offices of your size. Off unless you turn it on."
        ),
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The person deleted their account; what identified them is erased."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_verified_official(self) -> bool:
        return self.verified_until is not None and self.verified_until >= timezone.localdate()


class VerificationReminder(models.Model):
    """A reminder sent before a verification ends, so each is sent once per period even when
    the daily command runs twice or skips a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    verified_until = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "verified_until", "days_before"], name="one_reminder_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder to {self.user} ({self.verified_until})"


class DotGovDomain(models.Model):
    """One domain of the .gov registry (CISA's dotgov-data, CC0; see data/LICENSES.md),
    loaded by `load_dotgov`. A verification request compares the member's email domain
    with it."""

    domain = models.CharField(max_length=253, unique=True)
    domain_type = models.CharField(max_length=80)
    organization = models.CharField(max_length=300, blank=True)
    suborganization = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state_abbr = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _(".gov domain")

    def __str__(self) -> str:
        return self.domain

    @property
    def is_election_office(self) -> bool:
        """The registrant said the domain belongs to an election office (self-declared)."""
        return self.domain_type.endswith("- Election")


class OfficialRole(models.TextChoices):
    CHIEF = "chief", _("Chief election official")
    DEPUTY = "deputy", _("Deputy")
    STAFF = "staff", _("Election office staff")
    STATE = "state", _("State election office")
    BOARD = "board", _("Board of elections member")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a reviewer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class VerificationRequest(models.Model):
    """A member asks to be verified as an election official; a moderator decides."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_requests")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("your role"), max_length=16, choices=OfficialRole.choices)
    how_to_confirm = models.TextField(
        _("how a reviewer can confirm it"),
        max_length=1000,
        help_text=_(
            "For example: the office's public staff page that lists you, or the main "
            "office phone number a reviewer can call."
        ),
    )
    email = models.EmailField(help_text=_("The address the request was made from."))
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        _("reason"),
        max_length=1000,
        blank=True,
        help_text=_("The member sees this reason."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_verification_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.jurisdiction}"
