"""Cohorts for the tests: made through `cohorts.services` as an administrator would, with
the offices, experts and coordinators each test names."""

import pytest

from tests import factories


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
    return factories.make_cohort(
        name="Centers of Practice",
        slug="centers",
        offices=[official.jurisdiction],
        coordinators=[coordinator],
    )
