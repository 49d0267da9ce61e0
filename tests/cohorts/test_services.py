"""The cohort services: who may do what, what they refuse, the records and audit log
they write, and the caches they move on."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from cohorts import badges, services
from cohorts.models import (
    ChangeKind,
    CohortOffice,
    JoinRequest,
    MembershipChange,
    RequestStatus,
    Source,
)
from core import caching
from tests import factories
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def actions(cohort) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(cohort).order_by("pk").values_list("action", flat=True)
    )


def test_only_administrators_create_and_edit_cohorts(admin, moderator, coordinator):
    for person in (moderator, coordinator):
        with pytest.raises(PermissionDenied):
            services.create_cohort(by=person, name="Nope", slug="nope")
    cohort = services.create_cohort(by=admin, name="Large offices", slug="large")
    with pytest.raises(PermissionDenied):
        services.edit_cohort(cohort=cohort, by=moderator, description="x")
    services.edit_cohort(cohort=cohort, by=admin, description="Offices of every size.")
    assert actions(cohort) == ["canvass.cohorts.create", "canvass.cohorts.edit"]
    entry = ModelLogEntry.objects.for_instance(cohort).get(action="canvass.cohorts.edit")
    assert entry.user == admin
    assert entry.data["changed"] == {"description": ["", "Offices of every size."]}


def test_an_edit_that_changes_nothing_logs_nothing(admin, cohort):
    services.edit_cohort(cohort=cohort, by=admin, name=cohort.name)
    assert "canvass.cohorts.edit" not in actions(cohort)


def test_unlisting_takes_the_badge_off(admin, cohort, coordinator):
    services.set_badge(cohort=cohort, by=coordinator, show_badge=True, badge_label="Center")
    services.edit_cohort(cohort=cohort, by=admin, is_listed=False)
    cohort.refresh_from_db()
    assert not cohort.show_badge


def test_coordinators_are_granted_and_revoked_by_administrators_only(admin, cohort, expert, member):
    with pytest.raises(PermissionDenied):
        services.grant_coordinator(cohort=cohort, user=expert, by=cohort.coordinators.get().user)
    with pytest.raises(services.CohortError):
        services.grant_coordinator(cohort=cohort, user=member, by=admin)
    services.grant_coordinator(cohort=cohort, user=expert, by=admin)
    services.revoke_coordinator(cohort=cohort, user=expert, by=admin)
    assert actions(cohort)[-2:] == [
        "canvass.cohorts.coordinator_grant",
        "canvass.cohorts.coordinator_revoke",
    ]
    assert not cohort.coordinators.filter(user=expert).exists()


def test_coordinators_add_and_remove_offices(cohort, coordinator, official, committed):
    office = factories.find_jurisdiction("oh-franklin-county")
    content, badge_generation = caching.generation(caching.CONTENT), badges.generation()
    with committed():
        services.add_office(cohort=cohort, office=office, by=coordinator)
    assert caching.generation(caching.CONTENT) > content
    assert badges.generation() > badge_generation
    with pytest.raises(services.CohortError, match="already"):
        services.add_office(cohort=cohort, office=office, by=coordinator)
    services.remove_office(cohort=cohort, office=office, by=coordinator)
    changes = MembershipChange.objects.filter(cohort=cohort, jurisdiction=office)
    assert sorted(changes.values_list("change", "source", "by")) == [
        (ChangeKind.ADDED, Source.COORDINATOR, coordinator.pk),
        (ChangeKind.REMOVED, Source.COORDINATOR, coordinator.pk),
    ]
    assert actions(cohort)[-2:] == ["canvass.cohorts.office_add", "canvass.cohorts.office_remove"]


def test_members_who_do_not_coordinate_cannot_change_the_cohort(cohort, official, expert):
    office = factories.find_jurisdiction("oh-franklin-county")
    with pytest.raises(PermissionDenied):
        services.add_office(cohort=cohort, office=office, by=official)
    with pytest.raises(PermissionDenied):
        services.remove_office(cohort=cohort, office=official.jurisdiction, by=official)
    with pytest.raises(PermissionDenied):
        services.add_expert(cohort=cohort, user=expert, by=official)
    with pytest.raises(PermissionDenied):
        services.set_badge(cohort=cohort, by=official, show_badge=True, badge_label="X")


def test_administrators_coordinate_every_cohort(cohort, admin):
    office = factories.find_jurisdiction("oh-franklin-county")
    services.add_office(cohort=cohort, office=office, by=admin)
    assert CohortOffice.objects.filter(cohort=cohort, jurisdiction=office).exists()


def test_a_rule_cohort_refuses_offices_by_hand(admin):
    cohort = make_cohort(rule_min_population=1_000_000)
    office = factories.find_jurisdiction("oh-franklin-county")
    with pytest.raises(services.CohortError, match="rule"):
        services.add_office(cohort=cohort, office=office, by=admin)
    with pytest.raises(services.CohortError, match="rule"):
        services.remove_office(cohort=cohort, office=office, by=admin)


def test_only_experts_are_added_as_experts(cohort, coordinator, expert, other_official):
    with pytest.raises(services.CohortError):
        services.add_expert(cohort=cohort, user=other_official, by=coordinator)
    with pytest.raises(services.CohortError):
        services.find_expert(other_official.email)
    assert services.find_expert(expert.email.upper()) == expert
    services.add_expert(cohort=cohort, user=expert, by=coordinator)
    with pytest.raises(services.CohortError, match="already"):
        services.add_expert(cohort=cohort, user=expert, by=coordinator)
    services.remove_expert(cohort=cohort, user=expert, by=coordinator)
    assert actions(cohort)[-2:] == ["canvass.cohorts.expert_add", "canvass.cohorts.expert_remove"]


def test_badge_needs_a_label_and_a_listed_cohort(cohort, coordinator, official, committed):
    with pytest.raises(services.CohortError):
        services.set_badge(cohort=cohort, by=coordinator, show_badge=True, badge_label=" ")
    with committed():
        services.set_badge(cohort=cohort, by=coordinator, show_badge=True, badge_label="Center")
    assert [b.label for b in badges.badges_of(official.jurisdiction_id)] == ["Center"]
    unlisted = make_cohort(is_listed=False, coordinators=[coordinator])
    with pytest.raises(services.CohortError, match="unlisted"):
        services.set_badge(cohort=unlisted, by=coordinator, show_badge=True, badge_label="Hidden")


# ---- joining ----


def test_an_official_asks_once_and_a_coordinator_approves(cohort, coordinator, other_official):
    request = services.request_join(cohort=cohort, by=other_official, note="We run a center.")
    with pytest.raises(services.CohortError, match="already"):
        services.request_join(cohort=cohort, by=other_official)
    with pytest.raises(PermissionDenied):
        services.decide_join(join_request=request, by=other_official, approve=True)
    services.decide_join(join_request=request, by=coordinator, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == coordinator
    change = MembershipChange.objects.get(cohort=cohort, jurisdiction=other_official.jurisdiction)
    assert (change.change, change.source) == (ChangeKind.ADDED, Source.REQUEST)
    with pytest.raises(services.CohortError):
        services.request_join(cohort=cohort, by=other_official)  # a member office now
    assert "canvass.cohorts.join_approve" in actions(cohort)


def test_declining_needs_a_reason(cohort, coordinator, other_official):
    request = services.request_join(cohort=cohort, by=other_official)
    with pytest.raises(services.CohortError, match="why"):
        services.decide_join(join_request=request, by=coordinator, approve=False, reason=" ")
    services.decide_join(join_request=request, by=coordinator, approve=False, reason="Full.")
    request.refresh_from_db()
    assert (request.status, request.reason) == (RequestStatus.DECLINED, "Full.")
    assert not CohortOffice.objects.filter(jurisdiction=other_official.jurisdiction).exists()
    with pytest.raises(services.CohortError, match="decided"):
        services.decide_join(join_request=request, by=coordinator, approve=True)
    # Declined, the office may ask again.
    services.request_join(cohort=cohort, by=other_official)
    assert JoinRequest.objects.filter(cohort=cohort, status=RequestStatus.PENDING).count() == 1


def test_who_may_ask_to_join(cohort, official, member, expert):
    for person in (official, member, expert):  # a member office; not verified officials
        with pytest.raises(services.CohortError):
            services.request_join(cohort=cohort, by=person)
    rule_cohort = make_cohort(rule_min_population=10)
    asker = factories.make_official(state="OH")
    with pytest.raises(services.CohortError, match="rule"):
        services.request_join(cohort=rule_cohort, by=asker)
    unlisted = make_cohort(is_listed=False)
    with pytest.raises(PermissionDenied):
        services.request_join(cohort=unlisted, by=asker)


def test_adding_an_office_settles_its_request(cohort, coordinator, other_official):
    request = services.request_join(cohort=cohort, by=other_official)
    services.add_office(cohort=cohort, office=other_official.jurisdiction, by=coordinator)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
