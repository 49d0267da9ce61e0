"""Offices like mine: offices of the same kind and size band as a verified official's own,
in their state and across the country, with the people there who agreed to be contacted
by peers (`User.contact_by_peers`).

Only verified officials see it (`permissions.can_find_peers`). The people listed are
verified officials now (an expired verification leaves the list at once), active, not
deleted, and opted in; the list shows what their own page shows of them and links there,
never an email address. Populations are the Census Bureau's public estimates, so the page
shows them; bylines show only the band."""

from dataclasses import dataclass, field

from django.db.models import F, Value
from django.db.models.functions import Abs
from django.utils import timezone

from .models import Jurisdiction, User

# Offices listed, in the state and from other states: the nearest in population to one's
# own (a Wisconsin town clerk has over a thousand peers in the state).
SHOWN = 50


@dataclass
class Peer:
    office: Jurisdiction
    people: list[User] = field(default_factory=list)


@dataclass
class Peers:
    in_state: list[Peer]
    national: list[Peer]
    more_in_state: bool  # offices beyond the SHOWN listed
    more_nationally: bool


def find_peers(user) -> Peers | None:
    """The offices like ``user``'s, nearest in population first (at most `SHOWN` in the
    state and as many elsewhere), in three queries whatever their number; None when the
    office has no size band (no population figure)."""
    office = user.jurisdiction
    if office is None or not office.size_band:
        return None
    like = (
        Jurisdiction.objects.filter(size_band=office.size_band, kind=office.kind)
        .exclude(pk=office.pk)
        .annotate(distance=Abs(F("population") - Value(office.population)))
        .order_by("distance", "name", "pk")
    )
    in_state, more_in_state = _nearest(like.filter(state_abbr=office.state_abbr))
    national, more_nationally = _nearest(like.exclude(state_abbr=office.state_abbr))
    by_office = {peer.office.pk: peer for peer in [*in_state, *national]}
    for person in _contacts(by_office).exclude(pk=user.pk):
        by_office[person.jurisdiction_id].people.append(person)
    return Peers(in_state, national, more_in_state, more_nationally)


def _nearest(offices) -> tuple[list[Peer], bool]:
    """The first `SHOWN` offices, and whether more follow (one more is read to know)."""
    found = [Peer(office) for office in offices[: SHOWN + 1]]
    return found[:SHOWN], len(found) > SHOWN


def _contacts(office_ids):
    """The people of these offices whom verified officials of offices like theirs may
    contact: verified officials now, who opted in, with accounts in use."""
    return (
        User.objects.filter(
            jurisdiction_id__in=office_ids,
            contact_by_peers=True,
            verified_until__gte=timezone.localdate(),
            is_active=True,
            deleted_at=None,
        )
        .only("pk", "display_name", "job_title", "show_job_title", "jurisdiction_id")
        .order_by("display_name", "pk")
    )
