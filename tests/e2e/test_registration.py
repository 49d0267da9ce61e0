"""The whole registration journey of a new election official, in the browser: sign up,
confirm the address from the email, turn on two-factor sign-in, ask to be verified, a
moderator approves in the Wagtail admin, then the official signs in with a code and asks
a question. Along the way: a mismatched password keeps what was typed and says why, and a
wrong sign-in code is refused. axe-core passes on every page the person sees."""

import re

from playwright.sync_api import expect

from .conftest import (
    assert_no_accessibility_violations,
    emails_to,
    sign_in,
    sign_out,
    text_of,
    two_factor_code,
)

CASEY_NAME = "Casey Clerk"
CASEY_EMAIL = "casey.clerk@county.example"
CASEY_PASSWORD = "tabulator-seal-log-2026"
MODERATOR = "sam.ortiz@demo.example"
APPROVAL_REASON = "Confirmed with the Denver clerk's office by phone."
QUESTION_TITLE = "How do you staff a vote centre on the first day of early voting?"
# Django's file-based email backend ends every message with a line of 79 dashes.


def test_a_new_official_signs_up_is_verified_and_asks(page, live_site, mail_dir):
    # 1. Sign up. A mismatched password is refused beside the field, keeping the rest.
    page.goto("/accounts/signup/")
    expect(page.locator("h1")).to_have_text("Create an account")
    assert_no_accessibility_violations(page)
    page.get_by_label("Display name").fill(CASEY_NAME)
    page.get_by_label("Email").fill(CASEY_EMAIL)
    page.get_by_label("Password", exact=True).fill(CASEY_PASSWORD)
    page.get_by_label("Password (again)").fill(CASEY_PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#id_password2_error")).to_have_text(
        "You must type the same password each time."
    )
    expect(page.get_by_label("Password (again)")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_password2_error\b")
    )
    expect(page.get_by_label("Display name")).to_have_value(CASEY_NAME)
    expect(page.get_by_label("Email")).to_have_value(CASEY_EMAIL)
    assert_no_accessibility_violations(page)
    page.get_by_label("Password", exact=True).fill(CASEY_PASSWORD)
    page.get_by_label("Password (again)").fill(CASEY_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_no_accessibility_violations(page)

    # 2. Follow the link in the confirmation email.
    sent = emails_to(mail_dir, CASEY_EMAIL)
    assert len(sent) == 1, [message["Subject"] for message in sent]
    assert sent[0]["Subject"].startswith("[Canvass] ")
    link = re.search(re.escape(live_site) + r"/accounts/confirm-email/[^/\s]+/", text_of(sent[0]))
    assert link, text_of(sent[0])
    page.goto(link.group())
    expect(page.locator("h1")).to_have_text("Confirm your email address")
    expect(page.locator("main")).to_contain_text(f"Confirm that {CASEY_EMAIL} is your email")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Confirm").click()
    # Confirming does not sign in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off): the person
    # lands on the sign-in page, told the address is confirmed.
    expect(page.locator("h1")).to_have_text("Sign In")
    expect(page.get_by_text(f"You have confirmed {CASEY_EMAIL}.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Email").fill(CASEY_EMAIL)
    page.get_by_label("Password").fill(CASEY_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=f"Sign out {CASEY_NAME}")).to_be_visible()

    # 3. Turn on two-factor sign-in from the account page.
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.get_by_text("You are not verified as an election official.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    expect(page.get_by_text("You sign in with your password only.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    # allauth asks for the password again when the last sign-in is over 5 minutes old.
    heading = page.locator("h1")
    expect(heading).to_have_text(re.compile("^(Confirm it is you|Set up an authenticator app)$"))
    if heading.inner_text() == "Confirm it is you":
        assert_no_accessibility_violations(page)
        page.get_by_label("Password").fill(CASEY_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name=re.compile("^QR code"))).to_be_visible()
    assert_no_accessibility_violations(page)
    secret = page.locator("main code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.get_by_label("Authenticator code").fill(two_factor_code(secret, key="casey"))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("h1")).to_have_text("Recovery codes")
    expect(page.get_by_role("heading", name="Your unused codes")).to_be_visible()
    codes = page.locator("h2:text-is('Your unused codes') + ul > li")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^\w{6,}$"))
    expect(page.get_by_role("link", name="Download codes")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto("/accounts/2fa/")
    expect(page.get_by_text("You sign in with a code from your authenticator app.")).to_be_visible()

    # 4. Ask to be verified as staff of Denver County, CO. The office field is the
    # type-ahead combobox (the <select> without JavaScript is test_office_picker.py's).
    page.goto("/accounts/verification/")
    expect(page.locator("h1")).to_have_text("Verification as an election official")
    expect(page.get_by_role("heading", name="Ask to be verified")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("State or territory").select_option("CO")
    office = page.get_by_role("combobox", name="Your election office")
    office.fill("Denver")
    page.get_by_role("listbox", name="Your election office").get_by_role(
        "option", name=re.compile(r"^Denver County, CO\b")
    ).click()
    expect(office).to_have_value("Denver County, CO")
    page.get_by_label("Your role").select_option(label="Election office staff")
    page.get_by_label("How a reviewer can confirm it").fill(
        "Call the Denver Clerk and Recorder's elections division main line and ask for me."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(
        page.get_by_text("Your request is with the reviewers. We will email you.")
    ).to_be_visible()
    expect(page.locator("main li")).to_contain_text(
        ["Denver County, CO, Election office staff. Waiting for a reviewer"]
    )
    assert_no_accessibility_violations(page)
    page.goto("/questions/ask/")
    expect(page.locator("h1")).not_to_have_text("Ask a question")
    sign_out(page)

    # 5. The moderator approves it in the Wagtail admin.
    sign_in(page, MODERATOR)
    page.goto("/admin/verification/")
    expect(page.locator("h1")).to_contain_text("Verification requests")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name=CASEY_NAME, exact=True).click()
    expect(page.locator("h1")).to_contain_text("Review a verification request")
    expect(page.get_by_text(f"{CASEY_NAME} ({CASEY_EMAIL})")).to_be_visible()
    expect(page.get_by_text("Denver County, CO", exact=True)).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Approve").check()
    page.get_by_label("Reason the member sees").fill(APPROVAL_REASON)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded; the member has been emailed.")).to_be_visible()
    decided = page.get_by_role("row").filter(has_text=CASEY_NAME)
    expect(decided).to_contain_text("Approved")
    expect(decided).to_contain_text(APPROVAL_REASON)
    expect(page.get_by_role("link", name=CASEY_NAME, exact=True)).to_have_count(0)
    sign_out(page)

    # 6. Casey signs in with a code: a wrong one is refused, the right one lets them in.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(CASEY_EMAIL)
    page.get_by_label("Password").fill(CASEY_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("h1")).to_have_text("Enter your sign-in code")
    assert_no_accessibility_violations(page)
    right_now = two_factor_code(secret, key="casey-wrong-code")
    wrong = "".join(str((int(digit) + 1) % 10) for digit in right_now)
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Enter your sign-in code")
    expect(page.locator("#id_code_error")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Sign out"))).to_have_count(0)
    assert_no_accessibility_violations(page)
    page.get_by_label("Code").fill(two_factor_code(secret, key="casey"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=f"Sign out {CASEY_NAME}")).to_be_visible()

    approved = [m for m in emails_to(mail_dir, CASEY_EMAIL) if "verified" in m["Subject"]]
    assert [m["Subject"] for m in approved] == [
        "[Canvass] You are verified as an election official"
    ]
    assert "Denver County, CO" in text_of(approved[0])

    page.goto("/accounts/verification/")
    expect(
        page.get_by_text("You are verified as an official of Denver County, CO until")
    ).to_be_visible()

    page.goto("/questions/ask/")
    expect(page.locator("h1")).to_have_text("Ask a question")
    page.get_by_label("Question", exact=True).fill(QUESTION_TITLE)
    page.get_by_label("Details").fill(
        "Our first early-voting day always has a line at opening. How many check-in "
        "stations and greeters do you plan per expected voter, and who covers breaks?"
    )
    page.get_by_text("Early in-person voting", exact=True).click()
    # USWDS draws its own radio button; a person clicks the label.
    page.get_by_text("Public: anyone can read it", exact=True).click()
    expect(page.get_by_label("Public: anyone can read it")).to_be_checked()
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_have_text(QUESTION_TITLE)
    expect(page.locator(".canvass-byline").first).to_contain_text(
        re.compile(rf"Asked by {CASEY_NAME} · .+ · Denver County, CO")
    )
    expect(page.get_by_text("Members only", exact=True)).to_have_count(0)
    assert_no_accessibility_violations(page)
    question_url = page.url

    sign_out(page)
    page.goto(question_url)
    expect(page.locator("h1")).to_have_text(QUESTION_TITLE)

    # Checked last, so that a failure here does not hide the rest of the journey: the
    # moderator's note reaches the member as typed, apostrophe and all, in a plain-text
    # email (not HTML-escaped to "clerk&#x27;s").
    assert f"Their note: {APPROVAL_REASON}" in text_of(approved[0])
