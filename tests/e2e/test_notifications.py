"""Notifications end to end: an official follows a thread, another answers it, the header
counts the unread item and the inbox leads to the answer; a reader stops one kind of email
from the link in a message without signing in; axe-core passes on the inbox, the settings
and the unsubscribe page; the inbox works without JavaScript, and Follow by keyboard.

The demo threads' askers and answerers are those `load_demo` picks (`demo/threads.py`);
each test uses people no other end-to-end test reads the inbox or email settings of."""

import email
import email.policy
import re
from contextlib import contextmanager

from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, open_thread, post_answer, sign_in

FOLLOWER = "lin.hayes@demo.example"
ANSWERER = "tom.becker@demo.example"
ANSWERER_NAME = "Tom Becker"
# Asked by Grace Okafor, answered by Maria Alvarez and Tom Becker: Lin Hayes has no part in it.
FOLLOWED_THREAD = (
    "public-records-retention",
    "How long do we have to keep poll books and absentee envelopes after a federal election?",
)
# Asked by Tom Becker, answered by the expert.
TOM_BECKERS_THREAD = (
    "chain-of-custody",
    "How do we write a chain-of-custody procedure from scratch?",
)
# Asked by Tom Becker, answered by Dana Whitfield and Lin Hayes: Grace Okafor has no part in it.
THREAD_GRACE_FOLLOWS_BY_KEYBOARD = (
    "la-testing",
    "Do we have to do L&A testing on every ballot style or is a sample OK?",
)
WATCHING = "You follow this thread: you hear of every new answer and comment."
OWN_POSTS_SETTING = "Answers and comments on my questions and posts, and my answers accepted"
OWN_POSTS_EMAIL = "email about answers and comments on your questions and posts"
MAX_TABS_TO_FOLLOW = 200


def _unread_count(page):
    """The count on the header's "Notifications" link (absent when nothing is unread)."""
    return (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name=re.compile(r"^Notifications"))
        .locator(".canvass-unread-count")
    )


def _follow_panel(page):
    return page.get_by_role("region", name="Notifications for this thread")


@contextmanager
def _second_browser(browser, live_site):
    """Another person's browser: a context with cookies of its own."""
    context = browser.new_context(base_url=live_site)
    try:
        yield context.new_page()
    finally:
        context.close()


def _mail(mail_dir) -> list:
    """Every message the server's file backend wrote. A file holds the messages one backend
    instance sent, each followed by a line of 79 dashes."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in re.split(rb"^-{79}$", path.read_bytes(), flags=re.MULTILINE):
            if raw.strip():
                messages.append(
                    email.message_from_bytes(raw.lstrip(b"\n"), policy=email.policy.default)
                )
    return messages


def test_follow_a_thread_and_hear_of_another_officials_answer(page, browser, live_site):
    sign_in(page, FOLLOWER)
    # Start from an empty count: the demo's own history left items in the inbox.
    page.goto("/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(_unread_count(page)).to_have_count(0)

    thread_url = open_thread(page, *FOLLOWED_THREAD)
    _follow_panel(page).get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(WATCHING)
    expect(_follow_panel(page).get_by_role("button", name="Unfollow")).to_be_visible()

    with _second_browser(browser, live_site) as answerer:
        sign_in(answerer, ANSWERER)
        open_thread(answerer, *FOLLOWED_THREAD)
        answer_id = post_answer(
            answerer,
            "Our counsel reads the 22 months as starting on election day, not certification; "
            "we put a destroy-after date on every box when it goes into the warehouse.",
        )

    page.reload()
    expect(_unread_count(page)).to_have_text("1 unread")
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    item = page.locator(".canvass-inbox li").filter(
        has=page.get_by_role("link", name=f"{ANSWERER_NAME} answered “{FOLLOWED_THREAD[1]}”.")
    )
    expect(item.get_by_text("Unread", exact=True)).to_be_visible()

    item.get_by_role("link").click()
    expect(page).to_have_url(f"{thread_url}#{answer_id}")
    expect(_unread_count(page)).to_have_count(0)
    page.goto("/notifications/")
    expect(item).to_be_visible()
    expect(item.get_by_text("Unread", exact=True)).to_have_count(0)


def test_unsubscribe_from_an_emails_link_without_signing_in(page, browser, live_site, mail_dir):
    asker = ANSWERER  # answers on one's own question are emailed unless one said otherwise
    sent_before = {message["Message-ID"] for message in _mail(mail_dir)}
    with _second_browser(browser, live_site) as answerer:
        sign_in(answerer, FOLLOWER)
        open_thread(answerer, *TOM_BECKERS_THREAD)
        post_answer(
            answerer,
            "We number every seal and log it on a two-signature form at each hand-off; "
            "the form travels with the container and is scanned into the canvass file.",
        )
    messages = [
        message
        for message in _mail(mail_dir)
        if message["To"] == asker and message["Message-ID"] not in sent_before
    ]
    assert len(messages) == 1, [message["Subject"] for message in messages]
    message = messages[0]
    assert TOM_BECKERS_THREAD[1] in message["Subject"]
    unsubscribe_url = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url.startswith(f"{live_site}/notifications/unsubscribe/")
    assert unsubscribe_url in message.get_body(preferencelist=("plain",)).get_content()

    # `page` has never signed in.
    page.goto(unsubscribe_url)
    expect(page.locator("h1")).to_have_text("Unsubscribe")
    expect(page.get_by_text(f"Stop {OWN_POSTS_EMAIL}?")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text(f"You will no longer get {OWN_POSTS_EMAIL}.")).to_be_visible()
    assert_no_accessibility_violations(page)

    sign_in(page, asker)
    page.goto("/notifications/settings/")
    expect(page.get_by_label(OWN_POSTS_SETTING)).not_to_be_checked()
    expect(page.get_by_label("When someone mentions me")).to_be_checked()


def test_inbox_and_settings_pass_axe(page):
    sign_in(page, "dana.whitfield@demo.example")
    page.goto("/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")
    expect(page.locator(".canvass-inbox__unread").first).to_be_visible()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Notification and email settings").click()
    expect(page.locator("h1")).to_have_text("Notification settings")
    assert_no_accessibility_violations(page)


def test_inbox_without_javascript_and_follow_by_keyboard(page_without_javascript):
    page = page_without_javascript
    sign_in(page, "grace.okafor@demo.example")
    page.goto("/notifications/")
    unread_items = page.locator(".canvass-inbox__unread")
    expect(unread_items.first).to_be_visible()
    expect(_unread_count(page)).to_be_visible()

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_have_text("Everything in your inbox is marked as read.")
    expect(page.locator(".canvass-inbox li").first).to_be_visible()
    expect(unread_items).to_have_count(0)
    expect(page.get_by_text("Unread", exact=True)).to_have_count(0)
    expect(_unread_count(page)).to_have_count(0)

    open_thread(page, *THREAD_GRACE_FOLLOWS_BY_KEYBOARD)
    follow = _follow_panel(page).get_by_role("button", name="Follow", exact=True)
    for _ in range(MAX_TABS_TO_FOLLOW):
        page.keyboard.press("Tab")
        if follow.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError(f"Follow was not reached in {MAX_TABS_TO_FOLLOW} presses of Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(WATCHING)
    expect(_follow_panel(page).get_by_role("button", name="Unfollow")).to_be_visible()
