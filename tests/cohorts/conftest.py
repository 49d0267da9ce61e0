"""Cohorts for the tests: made through `cohorts.services` as an administrator would, with
the offices, experts and coordinators each test names."""

import pytest

from cohorts import services
from tests import factories


def make_cohort(*, offices=(), coordinators=(), experts=(), **fields):
    """A cohort made by the site (``by=None``), listed unless told, with these members."""
    number = make_cohort.count = getattr(make_cohort, "count", 0) + 1
    fields.setdefault("name", f"Test cohort {number}")
    fields.setdefault("slug", f"test-cohort-{number}")
    cohort = services.create_cohort(by=None, **fields)
    for office in offices:
        services.add_office(cohort=cohort, office=office, by=None)
    for person in coordinators:
        services.grant_coordinator(cohort=cohort, user=person, by=None)
    for person in experts:
        services.add_expert(cohort=cohort, user=person, by=None)
    return cohort


@pytest.fixture
def admin():
    return factories.make_admin(display_name="Ada Admin")


@pytest.fixture
def coordinator():
    """A verified official of Pima County, AZ, who coordinates `cohort`."""
    return factories.make_official(
        jurisdiction=factories.find_jurisdiction("az-pima-county"), display_name="Cora Coordinator"
    )


@pytest.fixture
def cohort(official, coordinator):
    """A listed cohort holding `official`'s office (Maricopa County), coordinated by
    `coordinator` (whose office is not in it)."""
    return make_cohort(
        name="Centers of Practice",
        slug="centers",
        offices=[official.jurisdiction],
        coordinators=[coordinator],
    )
