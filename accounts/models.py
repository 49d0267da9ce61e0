from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JurisdictionKind(models.TextChoices):
    STATE = "state", _("State or territory election office")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Town or municipal clerk")
    CITY_ELECTION_AUTHORITY = "city_election_authority", _("City election authority")


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

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["state_abbr", "name"]
        indexes = [models.Index(fields=["state_abbr", "name"])]

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
