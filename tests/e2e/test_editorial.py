"""The editorial workflow end to end: the demo editor promotes a solved public thread to a
draft guide, edits the draft in the Wagtail admin and submits it for review; the demo
moderator approves it, which publishes it; a visitor finds the guide in the library by
topic, and the thread shows "Featured in <guide>". axe-core passes on the site's pages
(the Wagtail admin is Wagtail's). The workflow is the one `load_demo` sets up
(`manage.py setup_editorial`)."""

import re

from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in, sign_out

EDITOR = "evelyn.chen@demo.example"
MODERATOR = "sam.ortiz@demo.example"
# Its topics' names have no commas: the admin's tag field splits such names (see the report).
THREAD = "Do we need Spanish ballots if we're not on the Section 203 list?"
SUMMARY = (
    "Offer translated ballots and materials where your community needs them, even when "
    "Section 203 does not require it: what offices told each other in the forum."
)


def _open_thread(page) -> str:
    """Find the thread in the question list, page by page. Each page is loaded with goto
    (the "Next" link's address), which waits for it: counting links right after clicking
    "Next" could still count the page being left."""
    link = page.get_by_role("link", name=THREAD, exact=True)
    page.goto("/questions/")
    for _ in range(5):
        if link.count():
            break
        pages = page.get_by_role("navigation", name="Pages of questions")
        page.goto("/questions/" + pages.get_by_role("link", name="Next").get_attribute("href"))
    link.click()
    expect(page.locator("h1")).to_have_text(THREAD)
    return page.url


def test_editor_promotes_moderator_publishes_visitor_finds_it(page):
    sign_in(page, EDITOR)
    thread_url = _open_thread(page)
    expect(page.locator("#question").get_by_text("Solved", exact=True)).to_be_visible()
    thread_topics = sorted(page.locator(".canvass-topics a").all_inner_texts())
    topic_href = page.locator(".canvass-topics a").first.get_attribute("href")
    topic_slug = topic_href.rstrip("/").rsplit("/", 1)[-1]
    assert_no_accessibility_violations(page)

    page.get_by_role("button", name="Promote to guide").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(page.get_by_text("A draft guide was made from")).to_be_visible()
    edit_url = page.url
    summary = page.locator("#id_summary")
    expect(summary).not_to_be_empty()
    summary.fill(SUMMARY)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Editorial review").click()
    expect(page.get_by_text("submitted for moderation")).to_be_visible()
    sign_out(page)

    sign_in(page, MODERATOR)
    page.goto(edit_url)
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_text(re.compile("has been (approved|published|updated)"))).to_be_visible()
    sign_out(page)

    page.goto(f"/guides/?topic={topic_slug}")
    guide_link = page.locator("main").get_by_role("link", name=THREAD, exact=True)
    expect(guide_link).to_be_visible()
    assert_no_accessibility_violations(page)
    guide_link.click()
    expect(page.locator("h1")).to_have_text(THREAD)
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    # The draft kept the thread's topics through the admin's edit form.
    assert sorted(page.locator(".canvass-topics a").all_inner_texts()) == thread_topics
    expect(page.locator(".canvass-qa")).to_be_visible()
    guide_path = "/" + page.url.split("://", 1)[1].split("/", 1)[1]
    assert guide_path.startswith("/guides/")
    assert_no_accessibility_violations(page)

    page.goto(thread_url)
    featured = page.locator(".canvass-featured-in")
    expect(featured).to_contain_text("Featured in")
    expect(featured.get_by_role("link", name=THREAD)).to_have_attribute("href", guide_path)
    expect(page.get_by_role("button", name="Promote to guide")).to_have_count(0)
    assert_no_accessibility_violations(page)
