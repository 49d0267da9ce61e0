"""Staff roles: administrators grant and revoke them in the admin, every change logged;
moderators, editors and administrators hold their powers only with two-factor sign-in."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import permissions, roles, services, verification
from tests.factories import (
    TOTP_SECRET,
    make_admin,
    make_editor,
    make_expert,
    make_member,
    make_moderator,
    make_official,
)

pytestmark = pytest.mark.django_db


def _group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_an_administrator_grants_and_revokes_roles_in_the_admin_and_it_is_logged(client):
    admin, member = make_admin(), make_member()
    client.force_login(admin)
    url = reverse("role_edit", args=[member.pk])

    granted = client.post(url, {"roles": [roles.EXPERTS, roles.MODERATORS]})
    assert granted.status_code == 302
    assert _group_names(member) == {roles.EXPERTS, roles.MODERATORS}

    revoked = client.post(url, {"roles": [roles.EXPERTS]})
    assert revoked.status_code == 302
    assert _group_names(member) == {roles.EXPERTS}

    log = ModelLogEntry.objects.for_instance(member).order_by("pk")
    assert [(e.action, e.data["role"], e.user) for e in log] == [
        ("canvass.role.grant", roles.EXPERTS, admin),
        ("canvass.role.grant", roles.MODERATORS, admin),
        ("canvass.role.revoke", roles.MODERATORS, admin),
    ]
    history = client.get(url).content.decode()
    assert "Role revoked" in history and admin.display_name in history


def test_a_forged_role_is_refused_beside_the_field_and_logged(client, caplog):
    admin, member = make_admin(), make_member()
    client.force_login(admin)
    with caplog.at_level("WARNING", logger="canvass.security"):
        response = client.post(
            reverse("role_edit", args=[member.pk]), {"roles": ["Administrators"]}
        )
    assert response.status_code == 400
    assert "Refused role change" in caplog.text and "Administrators" in caplog.text
    assert "Select a valid choice" in response.content.decode()
    assert _group_names(member) == set()
    with pytest.raises(ValueError):
        services.grant_role(user=member, role="Administrators", by=admin)


@pytest.mark.parametrize("maker", [make_member, make_official, make_moderator, make_editor])
def test_only_administrators_manage_roles(client, maker):
    person, member = maker(), make_member()
    client.force_login(person)
    assert client.get(reverse("role_list")).status_code in (302, 403)
    response = client.post(reverse("role_edit", args=[member.pk]), {"roles": [roles.EDITORS]})
    assert response.status_code in (302, 403)
    assert _group_names(member) == set()
    with pytest.raises(PermissionDenied):
        services.grant_role(user=member, role=roles.EDITORS, by=person)


def test_the_role_list_finds_people_and_lists_role_holders(client):
    client.force_login(make_admin())
    expert = make_expert(display_name="Quinn Expert")
    make_member(display_name="Robin Member", email="robin@county.example")
    listed = client.get(reverse("role_list")).content.decode()
    assert "Quinn Expert" in listed and "Robin Member" not in listed
    found = client.get(reverse("role_list"), {"q": "robin@county"}).content.decode()
    assert "Robin Member" in found and expert.display_name not in found


@pytest.mark.parametrize("maker", [make_moderator, make_editor, make_admin])
def test_staff_without_two_factor_are_members_until_they_set_it_up(client, maker):
    person = maker(two_factor=False)
    assert permissions.needs_two_factor(person)
    assert not permissions.is_moderator(person) and not permissions.is_editor(person)
    assert not permissions.can_manage_roles(person)
    client.force_login(person)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert "two-factor" in client.get(reverse("accounts:profile")).content.decode()

    services.activate_totp(user=person, secret=TOTP_SECRET)
    person = type(person).objects.get(pk=person.pk)
    assert not permissions.needs_two_factor(person)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_moderator_without_two_factor_cannot_review_verifications():
    moderator = make_moderator(two_factor=False)
    request = verification.request_verification(
        user=make_member(),
        jurisdiction=make_official().jurisdiction,
        role="staff",
        how_to_confirm="Call the office line.",
    )
    with pytest.raises(PermissionDenied):
        verification.approve_verification(request_id=request.pk, by=moderator)


def test_experts_and_members_need_no_two_factor():
    assert not permissions.needs_two_factor(make_expert())
    assert not permissions.needs_two_factor(make_official())


@pytest.fixture
def reminded(django_capture_on_commit_callbacks):
    """Who the reminders sent on ``today`` went to (mail goes out after commit)."""

    def send(today):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            verification.send_renewal_reminders(today=today)
        return sorted(m.to[0] for m in mail.outbox)

    return send


def test_renewal_reminders_go_out_30_and_7_days_before_once_each(reminded):
    today = timezone.localdate()
    soon = make_official(verified_until=today + datetime.timedelta(days=30))
    later = make_official(verified_until=today + datetime.timedelta(days=31))
    lapsed = make_official(verified_until=today - datetime.timedelta(days=1))

    assert reminded(today) == [soon.email]
    assert "ends on" in mail.outbox[0].body and "/accounts/verification/" in mail.outbox[0].body
    assert reminded(today) == []  # run twice the same day: nothing sent twice
    assert reminded(today + datetime.timedelta(days=1)) == [later.email]
    # A missed week: the 7-day reminder still goes out, once.
    assert soon.email in reminded(today + datetime.timedelta(days=25))
    assert soon.email not in reminded(today + datetime.timedelta(days=26))
    assert lapsed.email not in reminded(today)


def test_a_renewed_verification_gets_its_own_reminders(reminded):
    today = timezone.localdate()
    official = make_official(verified_until=today + datetime.timedelta(days=5))
    assert official.email in reminded(today)
    services.set_verified_until(user=official, until=today + datetime.timedelta(days=20))
    assert official.email in reminded(today)


def test_the_reminder_command_reports_what_it_sent(capsys):
    make_official(verified_until=timezone.localdate() + datetime.timedelta(days=3))
    call_command("send_verification_reminders")
    assert "reminder(s) queued" in capsys.readouterr().out
