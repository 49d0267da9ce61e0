"""Who belongs to a cohort (`cohorts.membership`), as every change to it takes effect."""

import pytest

from accounts.services import revoke_role, set_verified_until
from cohorts import membership, permissions, services
from tests import factories
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def fresh(user):
    """The person as the next request loads them: nothing remembered about their roles."""
    return type(user).objects.get(pk=user.pk)


def test_an_official_of_a_member_office_belongs(cohort, official, other_official, member):
    assert membership.belongs(official, cohort)
    assert cohort.pk in membership.cohort_ids(official)
    assert not membership.belongs(other_official, cohort)
    assert not membership.belongs(member, cohort)
    assert official in membership.members(cohort)
    assert other_official not in membership.members(cohort)


def test_the_office_leaving_ends_belonging(cohort, official, coordinator):
    services.remove_office(cohort=cohort, office=official.jurisdiction, by=coordinator)
    assert not membership.belongs(fresh(official), cohort)
    assert not permissions.can_enter(fresh(official), cohort)
    assert official not in membership.members(cohort)


def test_verification_ending_ends_belonging(cohort, official):
    set_verified_until(user=official, until=factories.verified_until_yesterday())
    assert not membership.belongs(fresh(official), cohort)
    assert official not in membership.members(cohort)


def test_an_expert_belongs_while_holding_the_role(cohort, expert, coordinator):
    assert not membership.belongs(expert, cohort)
    services.add_expert(cohort=cohort, user=expert, by=coordinator)
    assert membership.belongs(fresh(expert), cohort)
    assert expert in membership.members(cohort)
    revoke_role(user=expert, role="Experts")
    assert not membership.belongs(fresh(expert), cohort)
    assert expert not in membership.members(cohort)


def test_a_coordinator_belongs_while_verified(cohort, coordinator):
    assert membership.belongs(coordinator, cohort)
    assert membership.is_coordinator(coordinator, cohort)
    assert coordinator in membership.members(cohort)
    set_verified_until(user=coordinator, until=factories.verified_until_yesterday())
    assert not membership.belongs(fresh(coordinator), cohort)
    assert not permissions.can_coordinate(fresh(coordinator), cohort)


def test_moderators_enter_every_cohort_without_belonging(moderator):
    unlisted = make_cohort(is_listed=False)
    assert permissions.can_enter(moderator, unlisted)
    assert not membership.belongs(moderator, unlisted)


def test_an_unlisted_cohort_is_seen_only_from_inside(official, other_official):
    unlisted = make_cohort(is_listed=False, offices=[official.jurisdiction])
    assert permissions.can_see(official, unlisted)
    assert not permissions.can_see(other_official, unlisted)
