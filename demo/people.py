"""The demo people `make run` creates. All share one password, printed by `load_demo` and
listed in the README; the addresses use the reserved `.example` domain."""

from dataclasses import dataclass

from django.db import transaction

from accounts import roles
from accounts.models import Jurisdiction, OfficialRole, User
from accounts.services import create_member, grant_role, make_administrator, set_verified_until
from accounts.verification import request_verification, verification_ends

DEMO_PASSWORD = "canvass-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


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
        return "verified official" if self.verified else "member (not verified)"


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


@transaction.atomic
def load_people() -> list[tuple[DemoPerson, bool]]:
    """Create any demo person who does not exist yet; returns each person and whether
    they were created. Existing accounts are left exactly as they are."""
    offices = Jurisdiction.objects.in_bulk(
        [p.jurisdiction_slug for p in DEMO_PEOPLE if p.jurisdiction_slug], field_name="slug"
    )
    results = []
    for person in DEMO_PEOPLE:
        if User.objects.filter(email=person.email).exists():
            results.append((person, False))
            continue
        user = create_member(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            job_title=person.job_title,
            jurisdiction=offices.get(person.jurisdiction_slug),
            email_confirmed=True,
        )
        if person.verified:
            set_verified_until(user=user, until=verification_ends())
        elif person.jurisdiction_slug:
            # An office but no verification yet: their request waits in the moderators' queue.
            request_verification(
                user=user,
                jurisdiction=offices[person.jurisdiction_slug],
                role=OfficialRole.STAFF,
                how_to_confirm="Demo request: the county's elections page lists me as a clerk; "
                "call the main office line to confirm.",
            )
        if person.role:
            grant_role(user=user, role=person.role)
        if person.superuser:
            make_administrator(user=user)
        results.append((person, True))
    return results
