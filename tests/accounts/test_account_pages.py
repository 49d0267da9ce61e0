"""The account pages (django-allauth: sign in and up, email confirmation, password reset and
change, email change, sign out, two-factor sign-in, sessions) in the site's design: one
heading, errors beside their fields with what was typed kept, no sign of whether an address
has an account, and a plain page when a rate limit trips."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, TOTP_SECRET, make_member, make_moderator

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-for-tests"
LINK = re.compile(r"https?://[^\s]+")


def valid_codes(secret: str) -> set[str]:
    """The authenticator codes accepted right now (allauth allows one period either side)."""
    return {
        format_hotp_value(hotp_value(secret, counter))
        for counter in yield_hotp_counters_from_time()
    }


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    accepted = valid_codes(secret)
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def sign_in(client, user, *, password: str = PASSWORD):
    """Sign in through the real form (and the two-factor step when the person has it), so
    allauth records the session and the time of authentication."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(TOTP_SECRET)})
        assert response.status_code == 302
    assert response.url == "/"
    return response


def assert_site_page(response, *, heading: str, status: int = 200) -> str:
    """The page's HTML, after checking it is a page of the site: header, main content and
    footer, exactly one h1 with the given text, and nothing the Content-Security-Policy
    would block (inline style attributes or inline scripts)."""
    html = response.content.decode()
    assert response.status_code == status
    assert '<header class="usa-header' in html
    assert '<main id="main-content"' in html
    assert '<footer class="usa-footer' in html
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert [" ".join(text.split()) for text in headings] == [heading]
    assert " style=" not in html
    for script in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in script, script
    return html


def form_group(html: str, field_id: str) -> str:
    """The USWDS form group (label, hint, errors, control) of one field."""
    match = re.search(
        rf'<div class="usa-form-group[^"]*">\s*<label[^>]*for="{field_id}".*?</div>'
        r'\s*(?=<div class="usa-form-group|<button)',
        html,
        flags=re.S,
    )
    assert match, f"no form group for {field_id}"
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


VISITOR_PAGES = [
    ("/accounts/login/", "Sign In"),
    ("/accounts/signup/", "Create an account"),
    ("/accounts/confirm-email/", "Check your email"),
    ("/accounts/confirm-email/not-a-real-key/", "This link no longer works"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your email"),
    ("/accounts/password/reset/key/1-not-a-real-key/", "This link no longer works"),
    ("/accounts/password/reset/key/done/", "Your password is changed"),
]


@pytest.mark.parametrize(("path", "heading"), VISITOR_PAGES)
def test_visitor_account_pages_are_in_the_site_design(client, path, heading):
    html = assert_site_page(client.get(path), heading=heading)
    # The header offers a visitor the way in, not an account.
    assert f'href="{reverse("account_login")}"' in html
    assert reverse("accounts:profile") not in html


MEMBER_PAGES = [
    ("account_email", "Email address"),
    ("account_change_password", "Change your password"),
    ("account_logout", "Sign out"),
    ("mfa_index", "Two-factor sign-in"),
    ("usersessions_list", "Where you are signed in"),
]


@pytest.mark.parametrize(("url_name", "heading"), MEMBER_PAGES)
def test_member_account_pages_are_in_the_site_design_with_account_navigation(
    client, url_name, heading
):
    sign_in(client, make_member())
    html = assert_site_page(client.get(reverse(url_name)), heading=heading)
    navigation = re.search(r'<nav aria-label="Your account">.*?</nav>', html, flags=re.S).group(0)
    current = re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', navigation)
    assert current == [reverse(url_name)]


def reauthenticate(client, *, password: str = PASSWORD) -> None:
    """allauth asks for the password again before two-factor settings change, even just
    after signing in."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_two_factor_set_up_first_asks_for_the_password_again(client):
    sign_in(client, make_member())
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    html = assert_site_page(client.get(response.url), heading="Confirm it is you")
    assert '<label class="usa-label" for="id_password">Password</label>' in html

    response = client.post(response.url, {"password": "not my password"})
    html = assert_site_page(response, heading="Confirm it is you")
    assert "usa-error-message" in form_group(html, "id_password")

    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"),
        {"password": PASSWORD, "next": reverse("mfa_activate_totp")},
    )
    assert response.url == reverse("mfa_activate_totp")
    assert_site_page(client.get(response.url), heading="Set up an authenticator app")


def test_staff_two_factor_pages_are_in_the_site_design(client):
    sign_in(client, make_moderator())
    reauthenticate(client)

    html = assert_site_page(client.get(reverse("mfa_index")), heading="Two-factor sign-in")
    assert "You sign in with a code from your authenticator app." in text(html)
    assert f'href="{reverse("mfa_deactivate_totp")}"' in html
    assert "You have 10 unused codes out of 10." in text(html)

    html = assert_site_page(
        client.get(reverse("mfa_view_recovery_codes")), heading="Recovery codes"
    )
    codes = re.findall(r"<li>([0-9a-z]{8})</li>", html)
    assert len(codes) == 10

    assert_site_page(
        client.get(reverse("mfa_generate_recovery_codes")), heading="Make new recovery codes"
    )
    assert_site_page(
        client.get(reverse("mfa_deactivate_totp")), heading="Turn off two-factor sign-in"
    )
    html = assert_site_page(client.get(reverse("mfa_reauthenticate")), heading="Confirm it is you")
    assert '<label class="usa-label" for="id_code">Code</label>' in html


def test_sign_up_mistakes_are_shown_beside_the_field_and_what_was_typed_is_kept(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.clerk@county.example",
            "display_name": "Pat Rivera",
            "password1": "short",
            "password2": "short",
        },
    )
    html = assert_site_page(response, heading="Create an account")
    assert 'value="new.clerk@county.example"' in form_group(html, "id_email")
    assert 'value="Pat Rivera"' in form_group(html, "id_display_name")
    password = form_group(html, "id_password1")
    assert "usa-form-group--error" in password
    assert '<span class="usa-error-message" id="id_password1_error">' in password
    assert "This password is too short." in password
    assert re.search(r'aria-describedby="[^"]*id_password1_error', password)
    assert 'value="short"' not in html  # passwords are never sent back
    assert not User.objects.filter(email="new.clerk@county.example").exists()


def test_sign_up_sends_a_link_that_confirms_the_address(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.clerk@county.example",
            "display_name": "Pat Rivera",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert_site_page(client.get(response.url), heading="Check your email")
    assert User.objects.get(email="new.clerk@county.example").display_name == "Pat Rivera"

    (message,) = mail.outbox
    assert message.to == ["new.clerk@county.example"]
    link = next(url for url in LINK.findall(message.body) if "/confirm-email/" in url)
    html = assert_site_page(client.get(link), heading="Confirm your email address")
    assert "Confirm that <strong>new.clerk@county.example</strong> is your email address" in html

    client.post(link)
    assert EmailAddress.objects.get(email="new.clerk@county.example").verified


def test_sign_up_with_a_taken_address_does_not_reveal_the_account(client):
    member = make_member(email="taken@county.example")
    users_before = User.objects.count()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "taken@county.example",
            "display_name": "Someone Else",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    # The same answer as a new address gets: go and check your email.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    html = assert_site_page(client.get(response.url), heading="Check your email")
    assert "already" not in text(html).lower()
    assert User.objects.count() == users_before
    # Only the address's owner learns, by email, that it already has an account.
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "already" in message.subject.lower()
    assert "/confirm-email/" not in message.body


def test_password_reset_by_email_link(client):
    member = make_member()
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.url == reverse("account_reset_password_done")
    (message,) = mail.outbox
    link = next(url for url in LINK.findall(message.body) if "/password/reset/key/" in url)

    response = client.get(link)  # allauth moves the key into the session, then redirects
    assert response.status_code == 302
    set_password_url = response.url
    html = assert_site_page(client.get(set_password_url), heading="Choose a new password")
    assert 'type="password" name="password1"' in html

    response = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": "not-the-same-password"}
    )
    html = assert_site_page(response, heading="Choose a new password")
    assert "usa-form-group--error" in form_group(html, "id_password2")
    assert NEW_PASSWORD not in html

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == reverse("account_reset_password_from_key_done")
    assert_site_page(client.get(response.url), heading="Your password is changed")
    sign_in(client, member, password=NEW_PASSWORD)

    html = assert_site_page(client.get(link), heading="This link no longer works")
    assert f'href="{reverse("account_reset_password")}"' in html


def test_password_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@county.example"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    # The address's owner is told by email that there is no account; no reset link is made.
    (message,) = mail.outbox
    assert message.to == ["nobody@county.example"]
    assert "There is no Canvass account with this address." in message.body
    assert "/password/reset/key/" not in message.body


def test_password_change_explains_a_wrong_current_password(client):
    member = make_member()
    sign_in(client, member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    html = assert_site_page(response, heading="Change your password")
    current = form_group(html, "id_oldpassword")
    assert "usa-form-group--error" in current
    assert "usa-error-message" in current
    assert "not my password" not in html
    assert NEW_PASSWORD not in html


def test_email_change_waits_for_the_new_address_to_be_confirmed(client):
    member = make_member()
    sign_in(client, member)

    response = client.post(reverse("account_email"), {"email": "not an address", "action_add": ""})
    html = assert_site_page(response, heading="Email address")
    field = form_group(html, "id_email")
    assert "usa-error-message" in field
    assert 'value="not an address"' in field

    response = client.post(
        reverse("account_email"), {"email": "moved@county.example", "action_add": ""}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["moved@county.example"]
    html = assert_site_page(client.get(reverse("account_email")), heading="Email address")
    assert f"Your email address is <strong>{member.email}</strong>" in html
    assert "You asked to change it to <strong>moved@county.example</strong>" in html
    assert 'name="action_send"' in html
    assert 'name="action_remove"' in html
    member.refresh_from_db()
    assert member.email != "moved@county.example"


def test_two_factor_sign_in_asks_for_the_code_and_explains_a_wrong_one(client):
    moderator = make_moderator()
    response = client.post(
        reverse("account_login"), {"login": moderator.email, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    html = assert_site_page(client.get(response.url), heading="Enter your sign-in code")
    assert '<label class="usa-label" for="id_code">Code</label>' in html

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(TOTP_SECRET)})
    html = assert_site_page(response, heading="Enter your sign-in code")
    assert "usa-error-message" in form_group(html, "id_code")
    assert client.get(reverse("mfa_index")).status_code == 302  # still signed out

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(reverse("mfa_index")).status_code == 200


def test_authenticator_set_up_shows_the_qr_code_and_the_key_as_text(client):
    member = make_member()
    sign_in(client, member)
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    html = assert_site_page(response, heading="Set up an authenticator app")
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert re.search(r'<img [^>]*alt="QR code [^"]+"', html)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    secret = re.search(r"<code[^>]*>([A-Z2-7]{16,})</code>", html).group(1)

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_code(secret)})
    html = assert_site_page(response, heading="Set up an authenticator app")
    assert "usa-error-message" in form_group(html, "id_code")
    assert f">{secret}</code>" in html  # the same key, so the app need not be set up again

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def test_sign_out_everywhere_else_ends_the_other_sessions(client):
    member = make_member()
    elsewhere = Client()
    sign_in(elsewhere, member)
    sign_in(client, member)
    assert UserSession.objects.filter(user=member).count() == 2

    html = assert_site_page(
        client.get(reverse("usersessions_list")), heading="Where you are signed in"
    )
    assert len(re.findall(r"<tr>\s*<td", html)) == 2
    assert html.count(">This browser</span>") == 1
    assert "Sign out everywhere else</button>" in html

    response = client.post(reverse("usersessions_list"))
    assert response.status_code == 302
    html = assert_site_page(
        client.get(reverse("usersessions_list")), heading="Where you are signed in"
    )
    assert "You are now signed out everywhere else." in html
    assert "You are not signed in anywhere else." in html
    assert elsewhere.get(reverse("account_email")).status_code == 302  # sent to sign in


def test_sign_out_confirms_then_signs_out(client):
    sign_in(client, make_member())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("account_email")).status_code == 302


def test_repeated_failed_sign_ins_pause_that_address(client):
    """ACCOUNT_RATE_LIMITS "login_failed": 5 failures per address in 5 minutes. allauth
    answers the sixth try with an error on the form, even with the right password."""
    member = make_member()
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "wrong password"}
        )
        assert "not correct" in text(response.content.decode())

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    html = assert_site_page(response, heading="Sign In")
    assert "Too many failed login attempts" in html
    assert f'value="{member.email}"' in form_group(html, "id_login")
    assert f'href="{reverse("account_reset_password")}"' in html
    assert client.get(reverse("account_email")).status_code == 302  # not signed in


def _assert_rate_limit_page(response) -> None:
    html = assert_site_page(response, heading="Too many tries in a short time", status=429)
    assert "Wait a few minutes, then try again." in html
    assert f'href="{reverse("account_reset_password")}"' in html


def test_too_many_sign_in_attempts_get_the_plain_429_page(client):
    """ACCOUNT_RATE_LIMITS "login": 30 a minute from one address."""
    for number in range(30):
        response = client.post(
            reverse("account_login"),
            {"login": f"someone{number}@county.example", "password": "wrong password"},
        )
        assert response.status_code == 200
    _assert_rate_limit_page(
        client.post(reverse("account_login"), {"login": "x@county.example", "password": "x"})
    )


def test_too_many_password_reset_requests_get_the_plain_429_page(client):
    """ACCOUNT_RATE_LIMITS "reset_password": 5 a minute for one address."""
    member = make_member()
    for _ in range(5):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
        assert response.status_code == 302
    _assert_rate_limit_page(client.post(reverse("account_reset_password"), {"email": member.email}))
    assert len(mail.outbox) == 5
