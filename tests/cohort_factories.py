"""Cohorts for tests, written directly: their services (`cohorts.services`) are another
part of issue 16, and these tests are about what the forum shows of cohorts."""

from cohorts import badges
from cohorts.models import Cohort, CohortExpert, CohortOffice, Source


def make_cohort(name: str, *, offices=(), experts=(), badge: str = "", **fields) -> Cohort:
    """A listed cohort of ``offices`` (Jurisdictions) with ``experts`` added; ``badge``
    shows that badge on its members' posts."""
    slug = name.lower().replace(" ", "-")
    cohort = Cohort.objects.create(
        name=name, slug=slug, show_badge=bool(badge), badge_label=badge, **fields
    )
    for office in offices:
        CohortOffice.objects.create(cohort=cohort, jurisdiction=office, source=Source.COORDINATOR)
    for expert in experts:
        CohortExpert.objects.create(cohort=cohort, user=expert)
    badges.changed()
    return cohort


def remove_office(cohort: Cohort, office) -> None:
    """The office leaves the cohort: its officials stop belonging at once."""
    CohortOffice.objects.filter(cohort=cohort, jurisdiction=office).delete()
    badges.changed()
