"""Verification of election officials: the evidence a reviewer weighs, and the services that
request, approve and reject. Each decision is written to Wagtail's audit log and the
member gets an email."""

import datetime
import difflib
import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import events

from . import permissions, signals
from .emails import send_after_commit
from .models import (
    DotGovDomain,
    Jurisdiction,
    User,
    VerificationReminder,
    VerificationRequest,
    VerificationStatus,
)

# Reminders go out this many days before a verification ends, latest first.
REMINDER_DAYS = (30, 7)

# Well-known free mail providers. Many small offices use them (at least 31 % of published
# local election officials' addresses in 2020), so this is a caution, not a refusal.
FREE_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "comcast.net",
        "gmail.com",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "yahoo.com",
        "ymail.com",
    }
)
NAME_MATCH = 0.8
# Words that say what kind of office it is, not which one.
_GENERIC_WORDS = re.compile(
    r"\b(county|city|town|township|village|borough|parish|of|the|clerk|clerks|office|"
    r"elections?|board|registrar|voters?|government|state|and|municipal|department|dept|"
    r"division|services|registration|recorder|commission|administration|supervisor)\b"
)


class VerificationError(Exception):
    """A request that cannot be made or decided; the message is for the person."""


@dataclass(frozen=True)
class Evidence:
    """One fact a reviewer weighs about a verification request, with what it means."""

    label: str
    weight: str  # "strong", "supports", "caution" or "neutral"
    explanation: str


def _registry_entry(email: str) -> DotGovDomain | None:
    """The registry entry for the address's domain or the nearest parent domain."""
    parts = email.rsplit("@", 1)[-1].lower().split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    found = {d.domain: d for d in DotGovDomain.objects.filter(domain__in=candidates)}
    return next((found[c] for c in candidates if c in found), None)


def _core_name(name: str) -> str:
    return " ".join(_GENERIC_WORDS.sub(" ", name.lower().replace("&", " ")).split())


def names_match(registry_name: str, jurisdiction: Jurisdiction) -> bool:
    """Whether a registry organisation plausibly names the claimed office: the distinctive
    words of the office's name (or its county's) all appear, or the names are close."""
    theirs = _core_name(registry_name)
    for name in {jurisdiction.name, jurisdiction.county_name} - {""}:
        ours = _core_name(name)
        if ours and set(ours.split()) <= set(theirs.split()):
            return True
        if ours and difflib.SequenceMatcher(None, ours, theirs).ratio() >= NAME_MATCH:
            return True
    return False


def evidence(request: VerificationRequest) -> list[Evidence]:
    """What a reviewer should weigh, each explained."""
    found = []
    entry = _registry_entry(request.email)
    domain = request.email.rsplit("@", 1)[-1].lower()
    jurisdiction = request.jurisdiction
    if entry is None:
        found.append(
            Evidence(
                _("Email domain not on the .gov registry"),
                "neutral",
                _(
                    "%(domain)s is not a registered .gov domain. Many offices use a county or "
                    "state domain instead; confirm another way."
                )
                % {"domain": domain},
            )
        )
    else:
        found.append(
            Evidence(
                _("Email domain on the .gov registry"),
                "strong",
                _("%(domain)s is registered to %(org)s (%(state)s), a %(type)s domain.")
                % {
                    "domain": entry.domain,
                    "org": entry.organization or _("an unnamed organisation"),
                    "state": entry.state_abbr or "?",
                    "type": entry.domain_type,
                },
            )
        )
        same_state = entry.state_abbr == jurisdiction.state_abbr
        if same_state and names_match(entry.organization, jurisdiction):
            found.append(
                Evidence(
                    _("Registry organisation matches the office"),
                    "strong",
                    _("%(org)s in %(state)s matches the claimed office, %(office)s.")
                    % {
                        "org": entry.organization,
                        "state": entry.state_abbr,
                        "office": jurisdiction,
                    },
                )
            )
        else:
            found.append(
                Evidence(
                    _("Registry organisation differs from the office"),
                    "caution",
                    _(
                        "The domain belongs to %(org)s (%(state)s), but the claimed office is "
                        "%(office)s. A state or county domain can still be right for a town "
                        "clerk; check."
                    )
                    % {
                        "org": entry.organization,
                        "state": entry.state_abbr,
                        "office": jurisdiction,
                    },
                )
            )
        if entry.is_election_office:
            found.append(
                Evidence(
                    _("Registered as an election office"),
                    "supports",
                    _("The registrant said this domain belongs to an election office."),
                )
            )
    if domain in FREE_MAIL_DOMAINS:
        found.append(
            Evidence(
                _("Free mail address"),
                "caution",
                _(
                    "Anyone can open an address at %(domain)s. Many small offices use one, so "
                    "confirm through the office's published phone number or web page."
                )
                % {"domain": domain},
            )
        )
    earlier = request.user.verification_requests.exclude(pk=request.pk).order_by("-created_at")
    for previous in earlier[:3]:
        found.append(
            Evidence(
                _("Earlier request"),
                "caution" if previous.status == VerificationStatus.REJECTED else "neutral",
                _("%(date)s, for %(office)s: %(status)s. %(reason)s")
                % {
                    "date": previous.created_at.date().isoformat(),
                    "office": previous.jurisdiction,
                    "status": previous.get_status_display(),
                    "reason": previous.reason,
                },
            )
        )
    return found


def is_strong_match(request: VerificationRequest) -> bool:
    """A .gov address whose registry entry names the claimed office in its state."""
    return sum(item.weight == "strong" for item in evidence(request)) >= 2


def verification_ends() -> datetime.date:
    """When a verification granted today ends."""
    return timezone.localdate() + datetime.timedelta(days=settings.VERIFICATION_DAYS)


def verified_since(user: User) -> datetime.datetime | None:
    """When ``user`` first became a verified official: the decision on their first approved
    request (one query). None for someone never approved through a request, such as people
    staff verified directly (`services.set_verified_until`)."""
    return (
        VerificationRequest.objects.filter(user=user, status=VerificationStatus.APPROVED)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def has_confirmed_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def can_request(user: User) -> bool:
    """Signed in with a confirmed address, and not already verified for more than the
    reminder period (so an official can renew before their verification lapses)."""
    if not user.is_authenticated or not has_confirmed_email(user):
        return False
    renew_from = timezone.localdate() + datetime.timedelta(days=settings.VERIFICATION_RENEWAL_DAYS)
    return user.verified_until is None or user.verified_until <= renew_from


@transaction.atomic
def request_verification(
    *, user: User, jurisdiction: Jurisdiction, role: str, how_to_confirm: str
) -> VerificationRequest:
    if not can_request(user):
        raise VerificationError(
            _(
                "Confirm your email address first, or wait until your verification is due "
                "for renewal."
            )
        )
    request = VerificationRequest(
        user=user,
        jurisdiction=jurisdiction,
        role=role,
        how_to_confirm=how_to_confirm.strip(),
        email=user.email,
    )
    request.full_clean(validate_constraints=False)  # the database enforces one pending
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        raise VerificationError(_("You already have a request waiting for a reviewer.")) from error
    log(instance=request, action="canvass.verification.request", user=user)
    if settings.CANVASS_AUTO_APPROVE_GOV_MATCH and is_strong_match(request):
        _decide(
            request,
            approved=True,
            by=None,
            reason=_("Approved automatically: a .gov address of this office."),
        )
    return request


def _decide(request: VerificationRequest, *, approved: bool, by: User | None, reason: str) -> None:
    request.status = VerificationStatus.APPROVED if approved else VerificationStatus.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    user = request.user
    if approved:
        user.jurisdiction = request.jurisdiction
        user.verified_until = verification_ends()
        user.save(update_fields=["jurisdiction", "verified_until"])
    log(
        instance=request,
        action=f"canvass.verification.{'approve' if approved else 'reject'}",
        user=by,
        data={"reason": reason, "member": user.pk},
    )
    send_after_commit(
        user=user,
        template="verification_approved" if approved else "verification_rejected",
        context={"request": request},
    )
    events.send_after_commit(
        signals.verification_decided, VerificationRequest, request_id=request.pk, approved=approved
    )


def _pending_for_review(request_id: int, by: User) -> VerificationRequest:
    if not permissions.can_review_verifications(by):
        raise PermissionDenied(_("Only moderators review verification requests."))
    request = (
        VerificationRequest.objects.select_for_update().select_related("user").get(pk=request_id)
    )
    if request.status != VerificationStatus.PENDING:
        raise VerificationError(_("This request has been decided already."))
    if request.user_id == by.pk:
        raise PermissionDenied(_("No one reviews their own request."))
    return request


@transaction.atomic
def approve_verification(*, request_id: int, by: User, reason: str = "") -> VerificationRequest:
    request = _pending_for_review(request_id, by)
    _decide(request, approved=True, by=by, reason=reason.strip())
    return request


@transaction.atomic
def reject_verification(*, request_id: int, by: User, reason: str) -> VerificationRequest:
    if not reason.strip():
        raise VerificationError(_("Say why, so the member knows what to do next."))
    request = _pending_for_review(request_id, by)
    _decide(request, approved=False, by=by, reason=reason.strip())
    return request


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """Email each official whose verification ends within 30 (then 7) days, once per
    period: a member verified with 12 days left gets the 30-day reminder now and the 7-day
    one later. Run daily (`manage.py send_verification_reminders`); running twice, or after
    a missed day, sends nothing twice and nothing late is skipped. Returns the number sent."""
    today = today or timezone.localdate()
    due = User.objects.filter(
        is_active=True,
        verified_until__gte=today,
        verified_until__lte=today + datetime.timedelta(days=max(REMINDER_DAYS)),
    )
    sent = 0
    for user in due:
        days_left = (user.verified_until - today).days
        period = min(days for days in REMINDER_DAYS if days >= days_left)
        with transaction.atomic():
            _, created = VerificationReminder.objects.get_or_create(
                user=user, verified_until=user.verified_until, days_before=period
            )
            if created:
                send_after_commit(
                    user=user, template="verification_reminder", context={"days_left": days_left}
                )
                sent += 1
    return sent
