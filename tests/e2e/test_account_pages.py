"""The account pages in a real browser: axe-core finds nothing on each page a visitor or a
signed-in member meets, nothing is refused by the Content-Security-Policy (the authenticator
QR code is a data: image), and the sign-in form works from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from demo.people import DEMO_TOTP_SECRET

from .conftest import (
    DEMO_PASSWORD,
    assert_no_accessibility_violations,
    sign_in,
    two_factor_code,
)

MEMBER = "maria.alvarez@demo.example"
STAFF = "sam.ortiz@demo.example"  # a moderator, with the demo authenticator secret


def watch_csp(page) -> list[str]:
    """Collect the browser's reports of anything the Content-Security-Policy refused."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture(scope="module")
def member_session(browser, live_site):
    """Maria signs in once for the module; each test gets a fresh tab with her cookies, so
    the server's sign-in rate limit is not spent on every page."""
    context = browser.new_context(base_url=live_site)
    sign_in(context.new_page(), MEMBER)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def member_page(browser, live_site, member_session):
    context = browser.new_context(base_url=live_site, storage_state=member_session)
    page = context.new_page()
    yield page
    context.close()


VISITOR_PAGES = [
    ("/accounts/login/", "Sign In"),
    ("/accounts/signup/", "Create an account"),
    ("/accounts/confirm-email/", "Check your email"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your email"),
    ("/accounts/password/reset/key/1-not-a-real-key/", "This link no longer works"),
]


@pytest.mark.parametrize(("path", "heading"), VISITOR_PAGES)
def test_visitor_account_page_has_no_accessibility_violations(page, path, heading):
    refused = watch_csp(page)
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    assert_no_accessibility_violations(page)
    assert refused == []


def test_sign_up_mistake_is_shown_beside_the_field(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("new.clerk@county.example")
    page.get_by_label("Display name").fill("Pat Rivera")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#id_password1_error")).to_contain_text("too short")
    expect(page.get_by_label("Email")).to_have_value("new.clerk@county.example")
    expect(page.get_by_label("Display name")).to_have_value("Pat Rivera")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert_no_accessibility_violations(page)


MEMBER_PAGES = [
    ("/accounts/email/", "Email address"),
    ("/accounts/password/change/", "Change your password"),
    ("/accounts/2fa/", "Two-factor sign-in"),
    ("/accounts/sessions/", "Where you are signed in"),
    ("/accounts/logout/", "Sign out"),
]


@pytest.mark.parametrize(("path", "heading"), MEMBER_PAGES)
def test_member_account_page_has_no_accessibility_violations(member_page, path, heading):
    page = member_page
    refused = watch_csp(page)
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    navigation = page.get_by_role("navigation", name="Your account")
    expect(navigation.locator('[aria-current="page"]')).to_have_attribute("href", path)
    assert_no_accessibility_violations(page)
    assert refused == []


def test_sessions_page_marks_this_browser(member_page):
    page = member_page
    page.goto("/accounts/sessions/")
    expect(page.get_by_text("This browser")).to_be_visible()


def test_authenticator_set_up_shows_the_qr_code_after_the_password_again(member_page):
    page = member_page
    refused = watch_csp(page)
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Set up an authenticator app").click()

    expect(page.locator("h1")).to_have_text("Confirm it is you")
    assert_no_accessibility_violations(page)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    qr_code = page.get_by_role("img", name=re.compile("^QR code"))
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(page.locator("main code")).to_have_text(re.compile(r"^[A-Z2-7]{32}$"))
    assert_no_accessibility_violations(page)
    assert refused == []


def test_sign_in_by_keyboard_alone(page):
    page.goto("/accounts/login/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_login":
            break
    else:
        pytest.fail("The email field could not be reached with the Tab key.")
    page.keyboard.type("dana.whitfield@demo.example")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_password":
            break
    else:
        pytest.fail("The password field did not follow the email field in the Tab order.")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Sign out Dana Whitfield")).to_be_visible()


def test_two_factor_sign_in_step(page):
    refused = watch_csp(page)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(STAFF)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.locator("h1")).to_have_text("Enter your sign-in code")
    assert_no_accessibility_violations(page)
    page.get_by_label("Code").fill("12")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    assert_no_accessibility_violations(page)

    page.get_by_label("Code").fill(two_factor_code(DEMO_TOTP_SECRET, key=STAFF))
    page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("link", name="Sign out Sam Ortiz")).to_be_visible()

    page.goto("/accounts/2fa/")
    expect(page.get_by_text("You sign in with a code from your authenticator app.")).to_be_visible()
    assert_no_accessibility_violations(page)
    assert refused == []
