"""Issue 15 in the browser: an official reports an answer with a home phone number and it
is gone for visitors at once; the moderator finds it under "Flags" in the Wagtail admin,
redacts the number from the thread's moderation page and shows the answer again, whose
revision history says who redacted and why, never what. A newly verified official and an
established one are refused a post too soon after their last, told when they may post
again, with what they typed kept. axe-core passes on the new forum pages."""

import datetime
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .conftest import (
    assert_no_accessibility_violations,
    emails_to,
    open_thread,
    post_answer,
    sign_in,
    sign_out,
    text_of,
)

# Asked and answered by demo officials; no other end-to-end test posts in it.
THREAD = ("poll-workers", "Recruiting high school poll workers - any gotchas?")
AUTHOR, AUTHOR_NAME = "maria.alvarez@demo.example", "Maria Alvarez"
REPORTER = "grace.okafor@demo.example"
MODERATOR, MODERATOR_NAME = "sam.ortiz@demo.example", "Sam Ortiz"
PERSONAL_DETAIL = "Pat Kim, at home on 555-0142"
DOXXING_ANSWER = (
    "Our student coordinator handles the permission slips; if you need a hand call "
    f"{PERSONAL_DETAIL} any evening."
)
REDACTION_REASON = "A poll worker's home phone number."
DECISION_NOTE = "The home phone number is removed; the rest of the answer helps."

NEW_OFFICIAL_NAME = "Robin Registrar"
NEW_OFFICIAL_EMAIL = "robin.registrar@county.example"
NEW_OFFICIAL_PASSWORD = "canvass-ballot-box-2026"
SITE_TIME_ZONE = ZoneInfo("America/New_York")  # config/settings/base.py TIME_ZONE
POST_AGAIN = re.compile(r"You can post again at (\d{1,2}:\d{2}:\d{2} [AP]M)\.")


def _visitor_page(browser, live_site):
    """A browser context that has never signed in."""
    return browser.new_context(base_url=live_site).new_page()


def test_a_reported_answer_is_held_redacted_and_shown_again(page, browser, live_site):
    visitor = _visitor_page(browser, live_site)
    try:
        # 1. An answer gives a poll worker's home phone number; a visitor sees it.
        sign_in(page, AUTHOR)
        thread_url = open_thread(page, *THREAD)
        answer_id = post_answer(page, DOXXING_ANSWER)
        visitor.goto(thread_url)
        expect(visitor.locator(f"#{answer_id}")).to_contain_text(PERSONAL_DETAIL)
        sign_out(page)

        # 2. Another official reports it as personal information: it is gone at once.
        sign_in(page, REPORTER)
        page.goto(thread_url)
        page.locator(f"#{answer_id}").get_by_role("link", name="Report", exact=True).click()
        expect(page.locator("h1")).to_have_text("Report a post to the moderators")
        assert_no_accessibility_violations(page)
        page.get_by_text("Personal information (doxxing)", exact=True).click()
        expect(page.get_by_label("Personal information (doxxing)")).to_be_checked()
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_text("Thank you: your report is received.")).to_be_visible()
        visitor.goto(thread_url)
        expect(visitor.locator("h1")).to_have_text(THREAD[1])
        expect(visitor.locator(f"#{answer_id}")).to_have_count(0)
        expect(visitor.get_by_text(PERSONAL_DETAIL)).to_have_count(0)
        sign_out(page)

        # 3. The moderator finds it under "Flags", whose label counts the waiting posts.
        sign_in(page, MODERATOR)
        page.goto("/admin/")
        page.get_by_role("link", name="Flags (1)").click()
        expect(page.locator("h1")).to_contain_text("Flags")
        assert_no_accessibility_violations(page)
        page.get_by_role("link", name=f"Answer: {THREAD[1]}").click()
        expect(page.locator("h1")).to_contain_text("Review a flagged post")
        expect(
            page.get_by_text("Held for review: only its author and moderators see it")
        ).to_be_visible()
        expect(page.get_by_role("row").filter(has_text="Personal information")).to_contain_text(
            "Grace Okafor"
        )
        assert_no_accessibility_violations(page)
        review_url = page.url

        # 4. The redaction, from the thread's moderation page.
        page.get_by_role("link", name="See it in its thread").click()
        expect(page.locator(f"#{answer_id}")).to_contain_text(
            "Hidden while a moderator reviews a report"
        )
        page.get_by_role("link", name="Moderate", exact=True).click()
        expect(page.locator("h1")).to_have_text(f"Moderate “{THREAD[1]}”")
        assert_no_accessibility_violations(page)
        page.get_by_role("link", name="Redact text from this thread").click()
        expect(page.locator("h1")).to_have_text("Redact text from the question")
        assert_no_accessibility_violations(page)
        page.get_by_role("link", name=f"Answer by {AUTHOR_NAME}").filter(
            has_text=AUTHOR_NAME
        ).last.click()
        expect(page.locator("h1")).to_have_text(f"Redact text from the answer by {AUTHOR_NAME}")
        expect(page.locator("pre.canvass-diff")).to_have_text(DOXXING_ANSWER)
        assert_no_accessibility_violations(page)
        page.get_by_label("Text to remove").fill(PERSONAL_DETAIL)
        page.get_by_label("Reason").fill(REDACTION_REASON)
        page.get_by_role("button", name="Redact", exact=True).click()
        expect(page.get_by_text("The text is redacted.")).to_be_visible()
        expect(page.locator(f"#{answer_id}")).not_to_contain_text(PERSONAL_DETAIL)

        # 5. The decision: upheld, the answer shown again.
        page.goto(review_url)
        page.get_by_label("Uphold: I edited or redacted it; show it again").check()
        page.get_by_label("Note the author and the reporters see").fill(DECISION_NOTE)
        page.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_text("Decision recorded")).to_be_visible()
        expect(page.get_by_text("No flags are waiting.")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile(r"^Flags \(\d+\)$"))).to_have_count(0)

        # 6. A visitor sees the answer again, without the number; its history says who
        # redacted and why, never what.
        visitor.goto(thread_url)
        shown = visitor.locator(f"#{answer_id}")
        expect(shown).to_contain_text("Our student coordinator handles the permission slips")
        expect(shown).to_contain_text("[redacted]")
        expect(shown).not_to_contain_text("555-0142")
        shown.get_by_role("link", name="Revisions").click()
        expect(visitor.locator("h1")).to_have_text("Revision history")
        expect(visitor.locator(".canvass-redaction")).to_have_text(
            re.compile(
                rf"^\s*{MODERATOR_NAME} redacted text from this post and its revisions,\s+"
                rf".+: {re.escape(REDACTION_REASON)}\s*$"
            )
        )
        expect(visitor.locator("main")).not_to_contain_text("555-0142")
        expect(visitor.locator("main")).not_to_contain_text("Pat Kim")
        assert_no_accessibility_violations(visitor)
    finally:
        visitor.context.close()


def _refused_until(page) -> datetime.datetime:
    """The refusal shown beside the form; returns the time it says to post again (today)."""
    alert = page.locator(".usa-alert--error")
    expect(alert).to_contain_text(POST_AGAIN)
    shown = POST_AGAIN.search(alert.inner_text()).group(1)
    now = datetime.datetime.now(SITE_TIME_ZONE)
    clock = datetime.datetime.strptime(shown, "%I:%M:%S %p").time()
    return datetime.datetime.combine(now.date(), clock, tzinfo=SITE_TIME_ZONE)


def _sign_up_and_ask_to_be_verified(page, live_site, mail_dir) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Display name").fill(NEW_OFFICIAL_NAME)
    page.get_by_label("Email").fill(NEW_OFFICIAL_EMAIL)
    page.get_by_label("Password", exact=True).fill(NEW_OFFICIAL_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_OFFICIAL_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(
        re.escape(live_site) + r"/accounts/confirm-email/[^/\s]+/",
        text_of(emails_to(mail_dir, NEW_OFFICIAL_EMAIL)[0]),
    )
    page.goto(link.group())
    page.get_by_role("button", name="Confirm").click()
    sign_in(page, NEW_OFFICIAL_EMAIL, password=NEW_OFFICIAL_PASSWORD)
    page.goto("/accounts/verification/")
    page.get_by_label("State or territory").select_option("CO")
    office = page.get_by_role("combobox", name="Your election office")
    office.fill("Denver")
    page.get_by_role("listbox", name="Your election office").get_by_role(
        "option", name=re.compile(r"^Denver County, CO\b")
    ).click()
    page.get_by_label("Your role").select_option(label="Election office staff")
    page.get_by_label("How a reviewer can confirm it").fill(
        "Call the Denver elections division's main line and ask for me."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is with the reviewers.")).to_be_visible()
    sign_out(page)


def _ask(page, title: str, details: str) -> None:
    page.goto("/questions/ask/")
    page.get_by_label("Question", exact=True).fill(title)
    page.get_by_label("Details").fill(details)
    page.get_by_text("Poll worker recruitment, training & management", exact=True).click()
    page.get_by_role("button", name="Post your question").click()


def test_a_new_official_posting_again_within_the_minute_is_refused(page, live_site, mail_dir):
    _sign_up_and_ask_to_be_verified(page, live_site, mail_dir)
    # Approved now, so the limits for new officials apply to them.
    sign_in(page, MODERATOR)
    page.goto("/admin/verification/")
    page.get_by_role("link", name=NEW_OFFICIAL_NAME, exact=True).click()
    page.get_by_label("Approve").check()
    page.get_by_label("Reason the member sees").fill("Confirmed with the Denver office by phone.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded; the member has been emailed.")).to_be_visible()
    sign_out(page)

    sign_in(page, NEW_OFFICIAL_EMAIL, password=NEW_OFFICIAL_PASSWORD)
    first_title = "How early do your poll workers arrive to set up a vote centre?"
    _ask(page, first_title, "We ask for 6 a.m.; is an hour before opening enough?")
    expect(page.locator("h1")).to_have_text(first_title)
    posted_at = datetime.datetime.now(SITE_TIME_ZONE)

    second_title = "Do you pay poll workers for the training session as well?"
    second_details = "Our county pays for election day only; trainees ask about the class."
    _ask(page, second_title, second_details)
    expect(page.locator("h1")).to_have_text("Ask a question")
    expect(page.locator(".usa-alert--error")).to_contain_text(
        "In your first 7 days as a verified official, you can post once every 60 seconds."
    )
    until = _refused_until(page)
    # A minute after the first question, to the second (the clock's second may have ticked).
    assert posted_at + datetime.timedelta(seconds=55) <= until, (posted_at, until)
    assert until <= posted_at + datetime.timedelta(seconds=61), (posted_at, until)
    expect(page.get_by_label("Question", exact=True)).to_have_value(second_title)
    expect(page.get_by_label("Details")).to_have_value(second_details)
    assert_no_accessibility_violations(page)


def test_anyone_answering_again_within_ten_seconds_is_refused(page):
    # The expert: no other test posts as her, so her refused post delays no one else's.
    sign_in(page, "priya.raman@demo.example")
    open_thread(page, *THREAD)
    post_answer(page, "Ask the high school's civics teacher to recruit the whole class at once.")
    posted_at = datetime.datetime.now(SITE_TIME_ZONE)
    second = "And give them a certificate: colleges like to see civic service."
    page.get_by_role("textbox", name="Your answer").fill(second)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("You can post once every 10 seconds.")
    until = _refused_until(page)
    assert posted_at + datetime.timedelta(seconds=5) <= until, (posted_at, until)
    assert until <= posted_at + datetime.timedelta(seconds=11), (posted_at, until)
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value(second)
    expect(page.locator("article.canvass-answer", has_text=second)).to_have_count(0)
    assert_no_accessibility_violations(page)
