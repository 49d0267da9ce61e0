"""Cohorts defined by a rule over office populations (`cohorts.rules`), on the test
directory with populations set here."""

import pytest
from django.core.management import call_command

from accounts.models import Jurisdiction
from accounts.signals import offices_changed
from cohorts import rules, services
from cohorts.models import ChangeKind, CohortOffice, MembershipChange, Source
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db

POPULATIONS = {
    # Arizona: a state office (never counted), then counties; Pima and Pinal tie for third.
    "az-state-election-office": 7_500_000,
    "az-maricopa-county": 4_600_000,
    "az-pima-county": 1_060_000,
    "az-pinal-county": 450_000,
    "az-yavapai-county": 450_000,
    "az-yuma-county": 210_000,
    "az-greenlee-county": 9_500,
    # Ohio
    "oh-cuyahoga-county": 1_230_000,
    "oh-franklin-county": 1_330_000,
    "oh-marion-county": 65_000,
    # Wisconsin: a city office and small towns
    "wi-city-of-madison-dane-county": 280_000,
    "wi-town-of-amberg-marinette-county": 800,
}


@pytest.fixture(autouse=True)
def populations():
    """Only these offices have a population (not the figures `tests/content.py` loads)."""
    Jurisdiction.objects.update(population=None)
    for slug, population in POPULATIONS.items():
        Jurisdiction.objects.filter(slug=slug).update(population=population)


def offices(cohort) -> set[str]:
    return set(
        CohortOffice.objects.filter(cohort=cohort).values_list("jurisdiction__slug", flat=True)
    )


def ids(*slugs) -> frozenset[int]:
    return frozenset(Jurisdiction.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def test_population_at_least():
    cohort = make_cohort(rule_min_population=1_000_000)
    assert offices(cohort) == {
        "az-maricopa-county",
        "az-pima-county",
        "oh-cuyahoga-county",
        "oh-franklin-county",
    }


def test_most_populous_in_state_includes_ties_and_leaves_state_offices_out():
    cohort = make_cohort(rule_top_in_state=3)
    assert offices(cohort) == {
        "az-maricopa-county",
        "az-pima-county",
        "az-pinal-county",  # tied third
        "az-yavapai-county",  # tied third
        "oh-franklin-county",
        "oh-cuyahoga-county",
        "oh-marion-county",
        "wi-city-of-madison-dane-county",
        "wi-town-of-amberg-marinette-county",
    }


def test_either_condition_the_plej_rule():
    cohort = make_cohort(rule_min_population=250_000, rule_top_in_state=1)
    assert offices(cohort) == {
        "az-maricopa-county",
        "az-pima-county",
        "az-pinal-county",
        "az-yavapai-county",
        "oh-franklin-county",
        "oh-cuyahoga-county",
        "wi-city-of-madison-dane-county",
    }


def test_evaluation_adds_and_removes_and_records_it():
    cohort = make_cohort(rule_min_population=1_000_000)
    Jurisdiction.objects.filter(slug="az-pima-county").update(population=990_000)
    Jurisdiction.objects.filter(slug="az-pinal-county").update(population=1_100_000)
    added, removed = rules.evaluate(cohort)
    assert (added, removed) == (ids("az-pinal-county"), ids("az-pima-county"))
    rows = MembershipChange.objects.filter(cohort=cohort, source=Source.RULE)
    assert rows.filter(change=ChangeKind.ADDED).count() == 5  # four at first, then Pinal
    assert rows.get(change=ChangeKind.REMOVED).jurisdiction.slug == "az-pima-county"
    assert rules.evaluate(cohort) == (frozenset(), frozenset())


def test_saving_a_rule_evaluates_it(admin):
    cohort = make_cohort()
    services.edit_cohort(cohort=cohort, by=admin, rule_min_population=4_000_000)
    assert offices(cohort) == {"az-maricopa-county"}
    assert set(CohortOffice.objects.filter(cohort=cohort).values_list("source", flat=True)) == {
        Source.RULE
    }


def test_office_data_changing_evaluates_every_rule_cohort():
    cohort = make_cohort(rule_min_population=4_000_000)
    by_hand = make_cohort()
    Jurisdiction.objects.filter(slug="oh-franklin-county").update(population=4_100_000)
    offices_changed.send(sender=Jurisdiction)
    assert offices(cohort) == {"az-maricopa-county", "oh-franklin-county"}
    assert offices(by_hand) == set()


def test_the_command(capsys):
    cohort = make_cohort(rule_min_population=4_000_000)
    Jurisdiction.objects.filter(slug="oh-franklin-county").update(population=4_100_000)
    call_command("evaluate_cohort_rules")
    assert f"{cohort.slug}: 1 added, 0 removed" in capsys.readouterr().out
