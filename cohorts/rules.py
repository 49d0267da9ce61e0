"""Cohorts defined by a rule over the directory's office data (issue 16): "local offices
serving at least N people, or among the K most populous local offices in their state", as
PLEJ defines its network of large jurisdictions.

Only local offices count (counties, towns and city election authorities), never a state's
own election office. Ties at the K-th place are all included. Offices without a population
figure never match. `evaluate` brings a cohort's offices to what its rule says and records
each office added or removed (`MembershipChange`, source "rule"), so coordinators see who
the rule added and removed. It runs when an administrator saves a rule
(`services.create_cohort`/`edit_cohort`), when the directory's data changes
(`accounts.signals.offices_changed`, `receivers.py`) and from `manage.py
evaluate_cohort_rules`."""

from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import Rank
from wagtail.log_actions import log

from accounts.models import Jurisdiction, JurisdictionKind

from . import membership
from .models import ChangeKind, Cohort, CohortOffice, MembershipChange, Source

LOCAL_KINDS = (
    JurisdictionKind.COUNTY,
    JurisdictionKind.MUNICIPALITY,
    JurisdictionKind.CITY_ELECTION_AUTHORITY,
)


def matching_offices(cohort: Cohort) -> set[int]:
    """The offices ``cohort``'s rule names now (none for a cohort without a rule)."""
    local = Jurisdiction.objects.filter(kind__in=LOCAL_KINDS, population__isnull=False)
    found: set[int] = set()
    if cohort.rule_min_population is not None:
        large = local.filter(population__gte=cohort.rule_min_population)
        found |= set(large.values_list("pk", flat=True))
    if cohort.rule_top_in_state:
        # RANK gives tied offices the same place, so "rank <= K" keeps every tie at K.
        ranked = local.annotate(
            place=Window(Rank(), partition_by=F("state_abbr"), order_by=F("population").desc())
        )
        found |= set(
            ranked.filter(place__lte=cohort.rule_top_in_state).values_list("pk", flat=True)
        )
    return found


@transaction.atomic
def evaluate(cohort: Cohort) -> tuple[frozenset[int], frozenset[int]]:
    """Bring a rule cohort's offices to what its rule names; returns the offices (ids)
    (added, removed). A cohort without a rule is left alone."""
    if not cohort.has_rule:
        return frozenset(), frozenset()
    wanted = matching_offices(cohort)
    current = set(
        CohortOffice.objects.filter(cohort=cohort).values_list("jurisdiction_id", flat=True)
    )
    added, removed = frozenset(wanted - current), frozenset(current - wanted)
    CohortOffice.objects.filter(cohort=cohort, jurisdiction_id__in=removed).delete()
    CohortOffice.objects.bulk_create(
        CohortOffice(cohort=cohort, jurisdiction_id=office, source=Source.RULE)
        for office in sorted(added)
    )
    MembershipChange.objects.bulk_create(
        [
            *(
                MembershipChange(
                    cohort=cohort, jurisdiction_id=o, change=ChangeKind.ADDED, source=Source.RULE
                )
                for o in sorted(added)
            ),
            *(
                MembershipChange(
                    cohort=cohort, jurisdiction_id=o, change=ChangeKind.REMOVED, source=Source.RULE
                )
                for o in sorted(removed)
            ),
        ]
    )
    if added or removed:
        membership.changed()
        log(
            instance=cohort,
            action="canvass.cohorts.rule",
            user=None,
            data={"added": len(added), "removed": len(removed)},
        )
    return added, removed


def evaluate_all() -> dict[Cohort, tuple[frozenset[int], frozenset[int]]]:
    """Evaluate every rule cohort, each in its own transaction."""
    rules = Q(rule_min_population__isnull=False) | Q(rule_top_in_state__isnull=False)
    return {cohort: evaluate(cohort) for cohort in Cohort.objects.filter(rules)}
