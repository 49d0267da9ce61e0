"""Verification of election officials: the evidence a reviewer weighs, requesting, and the
moderators' decisions with their audit log and email."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import verification
from accounts.models import DotGovDomain, OfficialRole, VerificationRequest, VerificationStatus
from tests.factories import (
    find_jurisdiction,
    make_member,
    make_moderator,
    make_official,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def maricopa():
    return find_jurisdiction("az-maricopa-county")


@pytest.fixture
def registry():
    DotGovDomain.objects.create(
        domain="maricopa-test.gov",
        domain_type="County - Election",
        organization="Maricopa County Elections Department",
        state_abbr="AZ",
    )


def _ask(user, jurisdiction, **overrides):
    return verification.request_verification(
        user=user,
        jurisdiction=jurisdiction,
        role=overrides.get("role", OfficialRole.DEPUTY),
        how_to_confirm=overrides.get("how", "Call the main office line listed on the county site."),
    )


def _weights(request) -> dict[str, str]:
    return {fact.label: fact.weight for fact in verification.evidence(request)}


def test_a_gov_address_of_the_claimed_office_is_a_strong_match(registry, maricopa):
    member = make_member(email="clerk@elections.maricopa-test.gov")
    request = _ask(member, maricopa)
    weights = _weights(request)
    assert weights["Email domain on the .gov registry"] == "strong"
    assert weights["Registry organisation matches the office"] == "strong"
    assert weights["Registered as an election office"] == "supports"
    assert verification.is_strong_match(request)
    assert request.status == VerificationStatus.PENDING  # auto-approval is off by default


def test_a_gov_address_of_another_office_is_a_caution(registry):
    member = make_member(email="clerk@maricopa-test.gov")
    request = _ask(member, find_jurisdiction("nh-hanover"))
    assert _weights(request)["Registry organisation differs from the office"] == "caution"
    assert not verification.is_strong_match(request)


def test_free_mail_and_earlier_rejections_are_cautions(maricopa):
    member = make_member(email="smalltownclerk@gmail.com")
    first = _ask(member, maricopa)
    verification.reject_verification(request_id=first.pk, by=make_moderator(), reason="No match.")
    second = _ask(member, maricopa)
    weights = _weights(second)
    assert weights["Free mail address"] == "caution"
    assert weights["Earlier request"] == "caution"
    assert weights["Email domain not on the .gov registry"] == "neutral"


def test_strong_matches_are_approved_automatically_only_when_the_setting_says(
    registry, maricopa, settings
):
    settings.CANVASS_AUTO_APPROVE_GOV_MATCH = True
    member = make_member(email="clerk@maricopa-test.gov")
    request = _ask(member, maricopa)
    member.refresh_from_db()
    assert request.status == VerificationStatus.APPROVED
    assert request.decided_by is None
    assert member.is_verified_official


def test_approval_verifies_for_the_configured_period_logs_and_emails(
    maricopa, settings, django_capture_on_commit_callbacks
):
    member = make_member(display_name="Pat O'Brien & Co")
    moderator = make_moderator()
    request = _ask(member, maricopa)
    with pytest.raises(PermissionDenied):
        verification.approve_verification(request_id=request.pk, by=make_official())
    with django_capture_on_commit_callbacks(execute=True):
        verification.approve_verification(
            request_id=request.pk, by=moderator, reason="Called the clerk's line."
        )
    member.refresh_from_db()
    assert member.jurisdiction == maricopa
    assert member.verified_until == timezone.localdate() + datetime.timedelta(
        days=settings.VERIFICATION_DAYS
    )
    entry = ModelLogEntry.objects.get(
        action="canvass.verification.approve", object_id=str(request.pk)
    )
    assert entry.user == moderator and entry.object_id == str(request.pk)
    assert entry.data["reason"] == "Called the clerk's line."
    assert [m.to for m in mail.outbox] == [[member.email]]
    body = mail.outbox[0].body
    assert "verified you as an election official at Maricopa County" in body
    # Plain-text mail: nothing HTML-escaped.
    assert "Hello Pat O'Brien & Co," in body and "Called the clerk's line." in body


def test_rejection_needs_a_reason_and_the_member_reads_it(
    maricopa, django_capture_on_commit_callbacks
):
    member = make_member()
    request = _ask(member, maricopa)
    with pytest.raises(verification.VerificationError):
        verification.reject_verification(request_id=request.pk, by=make_moderator(), reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        verification.reject_verification(
            request_id=request.pk, by=make_moderator(), reason="The office line had no record."
        )
    member.refresh_from_db()
    assert not member.is_verified_official
    assert "The office line had no record." in mail.outbox[0].body


def test_a_decided_request_cannot_be_decided_again_nor_reviewed_by_its_author(maricopa):
    moderator = make_moderator()
    own = _ask(moderator, maricopa)
    with pytest.raises(PermissionDenied):
        verification.approve_verification(request_id=own.pk, by=moderator)
    request = _ask(make_member(), maricopa)
    verification.approve_verification(request_id=request.pk, by=moderator)
    with pytest.raises(verification.VerificationError):
        verification.reject_verification(request_id=request.pk, by=moderator, reason="Oops.")


def test_one_pending_request_at_a_time_and_only_from_a_confirmed_address(maricopa):
    member = make_member()
    _ask(member, maricopa)
    with pytest.raises(verification.VerificationError, match="already have a request"):
        _ask(member, maricopa)
    unconfirmed = make_member()
    unconfirmed.emailaddress_set.update(verified=False)
    with pytest.raises(verification.VerificationError, match="Confirm your email"):
        _ask(unconfirmed, maricopa)
    assert VerificationRequest.objects.filter(user=unconfirmed).count() == 0


def test_officials_can_renew_only_close_to_the_end(maricopa):
    official = make_official()
    assert not verification.can_request(official)
    official.verified_until = timezone.localdate() + datetime.timedelta(days=20)
    assert verification.can_request(official)


def test_the_request_page_finds_offices_and_keeps_a_refused_form(client, maricopa):
    member = make_member()
    client.force_login(member)
    url = reverse("accounts:verification")
    found = client.get(url, {"state": "AZ", "q": "maricopa"}).content.decode()
    assert f'<option value="{maricopa.pk}">Maricopa County, AZ</option>' in found
    refused = client.post(
        url, {"jurisdiction": maricopa.pk, "role": "deputy", "how_to_confirm": ""}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This field is required." in html
    assert f'<option value="{maricopa.pk}" selected>' in html
    for forged_office in (99999999, "abc"):
        forged = client.post(
            url, {"jurisdiction": forged_office, "role": "deputy", "how_to_confirm": "x"}
        )
        assert forged.status_code == 400
        assert "Select a valid choice" in forged.content.decode()
    sent = client.post(
        url, {"jurisdiction": maricopa.pk, "role": "deputy", "how_to_confirm": "Call us."}
    )
    assert sent.status_code == 302
    assert VerificationRequest.objects.get(user=member).jurisdiction == maricopa


def test_moderators_decide_in_the_admin_queue(client, maricopa):
    member = make_member(display_name="Quinn Applicant")
    request = _ask(member, maricopa)
    client.force_login(make_official())
    assert client.get(reverse("verification_queue")).status_code in (302, 403)
    client.force_login(make_moderator())
    assert "Quinn Applicant" in client.get(reverse("verification_queue")).content.decode()
    review = reverse("verification_review", args=[request.pk])
    refused = client.post(review, {"decision": "reject", "reason": ""})
    assert "Say why, so the member knows what to do next." in refused.content.decode()
    assert client.post(review, {"decision": "approve", "reason": ""}).status_code == 302
    member.refresh_from_db()
    assert member.is_verified_official
