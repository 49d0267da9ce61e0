"""A member's verification request waits in the queue; a moderator approves it in the
Wagtail admin; the member can now ask. axe-core passes on the member's pages."""

from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in, sign_out


def test_moderator_approves_a_waiting_request_and_the_member_can_ask(page):
    sign_in(page, "jordan.lee@demo.example")
    page.goto("/accounts/verification/")
    expect(page.locator("h1")).to_have_text("Verification as an election official")
    expect(page.get_by_text("Waiting for a reviewer")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto("/questions/ask/")
    expect(page.locator("h1")).not_to_have_text("Ask a question")
    sign_out(page)

    sign_in(page, "sam.ortiz@demo.example")
    page.goto("/admin/verification/")
    page.get_by_role("link", name="Jordan Lee").click()
    expect(page.get_by_text("Email domain not on the .gov registry")).to_be_visible()
    page.get_by_label("Approve").check()
    page.get_by_label("Reason the member sees").fill("Confirmed with the county office by phone.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()
    sign_out(page)

    sign_in(page, "jordan.lee@demo.example")
    page.goto("/accounts/verification/")
    expect(page.get_by_text("You are verified as an official of Boulder County")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto("/questions/ask/")
    expect(page.locator("h1")).to_have_text("Ask a question")
