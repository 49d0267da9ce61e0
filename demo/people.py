"""The demo people `make run` creates. All share one password, printed by `load_demo` and
listed in the README; the addresses use the reserved `.example` domain."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import Jurisdiction, OfficialRole, User, VerificationRequest
from accounts.services import (
    activate_totp,
    create_member,
    grant_role,
    make_administrator,
    set_verified_until,
)
from accounts.verification import approve_verification, request_verification

DEMO_PASSWORD = "canvass-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only
# The moderators', editors' and administrator's authenticator-app secret (two-factor sign-in
# is required for them): add it to an app, or run `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "CANVASSDEMOSTAFFTOTPSECRETONLY23"  # noqa: S105 - demo accounts only
DEMO_REVIEWER = "sam.ortiz@demo.example"
DEMO_EXPIRING = "tom.becker@demo.example"
EXPIRING_IN_DAYS = 12
MEMBERS_SINCE = datetime.timedelta(days=2 * 365)
DEMO_CONFIRMATION = (
    "Demo: my office's public staff page lists me; the main office line can confirm."
)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    job_title: str
    jurisdiction_slug: str | None
    verified: bool
    role: str | None = None
    superuser: bool = False

    @property
    def description(self) -> str:
        if self.superuser:
            return "administrator"
        if self.role:
            return {"Experts": "expert", "Moderators": "moderator", "Editors": "editor"}[self.role]
        if not self.verified:
            return "member, request waiting" if self.jurisdiction_slug else "member"
        return "official, ends soon" if self.email == DEMO_EXPIRING else "verified official"


DEMO_PEOPLE = [
    DemoPerson(
        "maria.alvarez@demo.example",
        "Maria Alvarez",
        "Elections Director",
        "az-maricopa-county",
        verified=True,
    ),
    DemoPerson(
        "dana.whitfield@demo.example",
        "Dana Whitfield",
        "Deputy Director of Elections",
        "oh-franklin-county",
        verified=True,
    ),
    DemoPerson(
        "grace.okafor@demo.example",
        "Grace Okafor",
        "City Clerk",
        "wi-city-of-madison-dane-county",
        verified=True,
    ),
    DemoPerson(
        "tom.becker@demo.example",
        "Tom Becker",
        "Clerk and Recorder",
        "mt-petroleum-county",
        verified=True,
    ),
    DemoPerson("lin.hayes@demo.example", "Lin Hayes", "Town Clerk", "nh-hanover", verified=True),
    DemoPerson(
        "priya.raman@demo.example",
        "Dr. Priya Raman",
        "Election security researcher",
        None,
        verified=False,
        role=roles.EXPERTS,
    ),
    DemoPerson(
        "sam.ortiz@demo.example",
        "Sam Ortiz",
        "Community moderator",
        None,
        verified=False,
        role=roles.MODERATORS,
    ),
    DemoPerson(
        "evelyn.chen@demo.example",
        "Evelyn Chen",
        "Guides editor",
        None,
        verified=False,
        role=roles.EDITORS,
    ),
    DemoPerson(
        "jordan.lee@demo.example",
        "Jordan Lee",
        "Elections clerk (awaiting verification)",
        "co-boulder-county",
        verified=False,
    ),
    DemoPerson(
        "admin@demo.example",
        "Site administrator",
        "Administrator",
        None,
        verified=False,
        superuser=True,
    ),
]


def _verify(user: User, office: Jurisdiction, *, reviewer: User) -> None:
    """Verified the way a member is: a request with how to confirm it, approved by a
    moderator (which records the decision in the audit log and emails the person)."""
    request = request_verification(
        user=user,
        jurisdiction=office,
        role=OfficialRole.CHIEF if "Director" in user.job_title else OfficialRole.STAFF,
        how_to_confirm=DEMO_CONFIRMATION,
    )
    approve_verification(request_id=request.pk, by=reviewer, reason="Demo: confirmed by phone.")
    # Members for years, as their threads' history says: verified then, so the posting limits
    # for new officials (forum.limits) do not apply to them. Only the demo writes the past.
    long_ago = timezone.now() - MEMBERS_SINCE
    VerificationRequest.objects.filter(pk=request.pk).update(
        created_at=long_ago, decided_at=long_ago
    )


@transaction.atomic
def load_people() -> list[tuple[DemoPerson, bool]]:
    """Create any demo person who does not exist yet; returns each person and whether
    they were created. Existing accounts are left exactly as they are.

    Staff sign in with two factors (the demo authenticator secret is printed by
    `load_demo`). The officials are verified through the workflow by the demo moderator;
    one verification ends in EXPIRING_IN_DAYS, and Jordan Lee's request waits in the queue.
    """
    offices = Jurisdiction.objects.in_bulk(
        [p.jurisdiction_slug for p in DEMO_PEOPLE if p.jurisdiction_slug], field_name="slug"
    )
    results, created = [], {}
    for person in DEMO_PEOPLE:
        if User.objects.filter(email=person.email).exists():
            results.append((person, False))
            continue
        user = create_member(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            job_title=person.job_title,
            email_confirmed=True,
        )
        if person.role:
            grant_role(user=user, role=person.role)
        if person.superuser:
            make_administrator(user=user)
        if person.role in roles.TWO_FACTOR_ROLES or person.superuser:
            activate_totp(user=user, secret=DEMO_TOTP_SECRET)
        created[person.email] = user
        results.append((person, True))
    reviewer = User.objects.get(email=DEMO_REVIEWER)
    for person in DEMO_PEOPLE:
        user = created.get(person.email)
        if user is None or not person.jurisdiction_slug:
            continue
        office = offices[person.jurisdiction_slug]
        if not person.verified:
            request_verification(
                user=user,
                jurisdiction=office,
                role=OfficialRole.STAFF,
                how_to_confirm="Demo request: the county's elections page lists me as a "
                "clerk; call the main office line to confirm.",
            )
            continue
        _verify(user, office, reviewer=reviewer)
        if person.email == DEMO_EXPIRING:
            # Verified nearly two years ago: the renewal reminders are due.
            set_verified_until(
                user=user, until=timezone.localdate() + datetime.timedelta(days=EXPIRING_IN_DAYS)
            )
    return results
