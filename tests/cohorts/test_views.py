"""The cohort pages: who sees what, and the coordinators' forms."""

import pytest
from django.urls import reverse
from wagtail import hooks

from accounts.services import update_profile
from cohorts import services
from cohorts.hooks import COHORT_PANELS
from cohorts.models import Cohort, CohortOffice, JoinRequest, RequestStatus
from tests import factories
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_list_shows_unlisted_cohorts_only_to_their_members(client, cohort, official, moderator):
    unlisted = make_cohort(name="Quiet circle", is_listed=False, offices=[official.jurisdiction])
    assert "Centers of Practice" in page(client, reverse("cohorts:list"))
    assert unlisted.name not in page(client, reverse("cohorts:list"))
    client.force_login(factories.make_official(state="OH"))
    assert unlisted.name not in page(client, reverse("cohorts:list"))
    for person in (official, moderator):
        client.force_login(person)
        assert unlisted.name in page(client, reverse("cohorts:list"))


def test_an_unlisted_cohort_answers_like_a_missing_one(client, official, other_official):
    unlisted = make_cohort(is_listed=False, offices=[official.jurisdiction])
    for who in (None, other_official):
        if who:
            client.force_login(who)
        for name in ("cohorts:cohort", "cohorts:members", "cohorts:documents"):
            found = client.get(reverse(name, args=[unlisted.slug]))
            missing = client.get(reverse(name, args=["no-such-cohort"]))
            assert found.status_code == missing.status_code == 404
            assert found.content == missing.content
    client.force_login(official)
    assert unlisted.name in page(client, unlisted.get_absolute_url())


def test_a_listed_space_for_outsiders_and_members(client, cohort, official, other_official):
    def panel(request, shown):
        return "<p>PANEL-MARKER</p>" if shown == cohort else ""

    with hooks.register_temporarily(COHORT_PANELS, panel):
        outside = page(client, cohort.get_absolute_url())
        assert "Maricopa County, AZ" in outside
        assert "PANEL-MARKER" not in outside and "Ask to join" not in outside
        assert reverse("cohorts:members", args=[cohort.slug]) not in outside
        client.force_login(other_official)
        assert "Ask to join" in page(client, cohort.get_absolute_url())
        client.force_login(official)
        inside = page(client, cohort.get_absolute_url())
    assert "PANEL-MARKER" in inside
    assert reverse("cohorts:members", args=[cohort.slug]) in inside
    assert "Ask to join" not in inside
    assert reverse("cohorts:manage", args=[cohort.slug]) not in inside


def test_asking_to_join_through_the_page(client, cohort, other_official):
    client.force_login(other_official)
    response = client.post(reverse("cohorts:join", args=[cohort.slug]), {"note": "We run one."})
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.jurisdiction, request.note) == (other_official.jurisdiction, "We run one.")
    shown = page(client, cohort.get_absolute_url())
    assert "Waiting for a coordinator" in shown and "Ask to join</h2>" not in shown


def test_the_member_list_shows_people_as_they_chose(
    client, cohort, official, coordinator, expert, django_assert_num_queries
):
    services.add_expert(cohort=cohort, user=expert, by=coordinator)
    colleague = factories.make_official(display_name="Quinn Colleague", job_title="Deputy")
    update_profile(user=colleague, show_job_title=False)
    hidden = factories.make_official(display_name="Hana Hidden", job_title="Clerk")
    update_profile(user=hidden, show_jurisdiction=False)
    client.force_login(official)
    url = reverse("cohorts:members", args=[cohort.slug])
    page(client, url)  # the navigation and the unread count are cached after the first page
    with django_assert_num_queries(9):
        text = page(client, url).split("<h1>")[1]
    maricopa = text.index("Maricopa County, AZ")
    not_shown = text.index("Office not shown")
    assert maricopa < text.index("Maria Official") < not_shown
    assert maricopa < text.index("Quinn Colleague") < not_shown
    assert "Deputy" not in text
    assert not_shown < text.index("Hana Hidden")
    assert "Pima County" in text  # the coordinator's own office
    assert text.count("Coordinator</span>") == 1 and text.count("Expert</span>") == 1
    factories.make_official(display_name="Another One")
    with django_assert_num_queries(9):
        page(client, url)


def test_coordinators_manage_others_do_not(client, cohort, coordinator, official, admin):
    url = reverse("cohorts:manage", args=[cohort.slug])
    client.force_login(official)
    assert client.get(url).status_code == 403
    for person in (coordinator, admin):
        client.force_login(person)
        assert "Add an office" in page(client, url)


def test_finding_and_adding_an_office_without_javascript(client, cohort, coordinator):
    client.force_login(coordinator)
    url = reverse("cohorts:manage", args=[cohort.slug])
    found = page(client, url + "?state=OH&q=frank")
    office = factories.find_jurisdiction("oh-franklin-county")
    assert f'<option value="{office.pk}">Franklin County, OH</option>' in found
    response = client.post(
        reverse("cohorts:office_add", args=[cohort.slug]), {"jurisdiction": office.pk}
    )
    assert response.status_code == 302
    assert CohortOffice.objects.filter(cohort=cohort, jurisdiction=office).exists()
    again = client.post(
        reverse("cohorts:office_add", args=[cohort.slug]), {"jurisdiction": office.pk}
    )
    assert again.status_code == 400
    assert "is in the cohort already" in again.content.decode()


def test_removing_an_office_asks_first(client, cohort, coordinator, official):
    client.force_login(coordinator)
    url = reverse("cohorts:office_remove", args=[cohort.slug, official.jurisdiction_id])
    assert "Remove Maricopa County, AZ" in page(client, url)
    assert CohortOffice.objects.filter(cohort=cohort).exists()
    assert client.post(url).status_code == 302
    assert not CohortOffice.objects.filter(cohort=cohort).exists()
    assert "Removed" in page(client, reverse("cohorts:manage", args=[cohort.slug]))


def test_deciding_a_request_and_a_decline_needs_a_reason(
    client, cohort, coordinator, other_official
):
    request = services.request_join(cohort=cohort, by=other_official)
    client.force_login(coordinator)
    url = reverse("cohorts:decide", args=[cohort.slug, request.pk])
    prefix = f"request-{request.pk}"
    refused = client.post(url, {f"{prefix}-decision": "decline", f"{prefix}-reason": ""})
    assert refused.status_code == 400
    assert "Say why, so the office knows." in refused.content.decode()
    done = client.post(
        url, {f"{prefix}-decision": "decline", f"{prefix}-reason": "Full this year."}
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    client.force_login(other_official)
    assert "Full this year." in page(client, cohort.get_absolute_url())


def test_adding_an_expert_by_address(client, cohort, coordinator, expert, other_official):
    client.force_login(coordinator)
    url = reverse("cohorts:expert_add", args=[cohort.slug])
    refused = client.post(url, {"email": other_official.email})
    assert (
        refused.status_code == 400
        and "No expert has this email address" in refused.content.decode()
    )
    assert client.post(url, {"email": expert.email}).status_code == 302
    assert cohort.experts.filter(user=expert).exists()
    remove = reverse("cohorts:expert_remove", args=[cohort.slug, expert.pk])
    assert client.post(remove).status_code == 302
    assert not cohort.experts.exists()


def test_the_badge_form(client, cohort, coordinator):
    client.force_login(coordinator)
    url = reverse("cohorts:badge", args=[cohort.slug])
    refused = client.post(url, {"show_badge": "on", "badge_label": ""})
    assert refused.status_code == 400
    assert client.post(url, {"show_badge": "on", "badge_label": "Center"}).status_code == 302
    cohort.refresh_from_db()
    assert (cohort.show_badge, cohort.badge_label) == (True, "Center")


def test_the_admin_creates_cohorts_and_grants_coordinators(client, admin, coordinator, moderator):
    client.force_login(moderator)
    assert client.get(reverse("cohorts_admin_list")).status_code == 302  # admin home
    client.force_login(admin)
    assert page(client, reverse("cohorts_admin_list"))
    response = client.post(
        reverse("cohorts_admin_add"),
        {"name": "Large offices", "slug": "large", "description": "", "is_listed": "on"},
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(slug="large")
    grant = reverse("cohorts_admin_coordinator_grant", args=[cohort.pk])
    assert client.post(grant, {"email": "nobody@nowhere.example"}).status_code == 400
    assert client.post(grant, {"email": coordinator.email}).status_code == 302
    edit = page(client, reverse("cohorts_admin_edit", args=[cohort.pk]))
    assert "Coordinator granted" in edit and coordinator.display_name in edit
    revoke = reverse("cohorts_admin_coordinator_revoke", args=[cohort.pk, coordinator.pk])
    assert client.post(revoke).status_code == 302
    assert not cohort.coordinators.exists()
