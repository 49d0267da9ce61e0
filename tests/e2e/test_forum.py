"""A verified official asks, a second official answers, the asker accepts; a visitor
cannot see the members-only thread; hostile Markdown runs no script; axe-core passes."""

from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in, sign_out

HOSTILE_BODY = "\n\n".join(
    [
        "Hostile inputs that must stay inert:",
        "<script>window.__xss = 1</script>",
        '<img src=x onerror="window.__xss = 2">',
        "[click](javascript:window.__xss=3)",
        '<svg onload="window.__xss=4"></svg>',
        "[tab](https://example.org){target=_blank}",
        '"><script>window.__xss=5</script>',
    ]
)


def test_ask_answer_accept_and_members_only(page):
    sign_in(page, "maria.alvarez@demo.example")
    page.goto("/questions/")
    expect(page.locator("h1")).to_have_text("Questions")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Ask a question").click()
    expect(page.locator("h1")).to_have_text("Ask a question")
    assert_no_accessibility_violations(page)

    page.get_by_label("Question", exact=True).fill("Too short")
    page.get_by_label("Details").fill("We have 212 ballot styles. Do we test them all?")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    expect(page.get_by_label("Details")).to_have_value(
        "We have 212 ballot styles. Do we test them all?"
    )
    assert_no_accessibility_violations(page)

    title = "Is sampling ballot styles for L&A testing ever acceptable?"
    page.get_by_label("Question", exact=True).fill(title)
    page.get_by_text("Logic & accuracy (pre-election) testing", exact=True).click()
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_text("Members only", exact=True)).to_be_visible()
    question_url = page.url
    assert_no_accessibility_violations(page)

    sign_out(page)
    response = page.goto(question_url)
    assert response.status == 404

    sign_in(page, "dana.whitfield@demo.example")
    page.goto(question_url)
    page.get_by_role("textbox", name="Your answer").fill(
        "Test every style on every device type; script it."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".canvass-answer")).to_contain_text("Test every style")
    expect(page.locator(".canvass-answer")).to_contain_text("another state")

    sign_out(page)
    sign_in(page, "maria.alvarez@demo.example")
    page.goto(question_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Accepted answer")).to_be_visible()
    assert_no_accessibility_violations(page)


def test_hostile_posts_run_no_script(page):
    fired = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    sign_in(page, "grace.okafor@demo.example")
    page.goto("/questions/ask/")
    page.get_by_label("Question", exact=True).fill("Hostile markdown must never execute here")
    page.get_by_label("Details").fill(HOSTILE_BODY)
    page.get_by_text("Cybersecurity", exact=True).click()
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_have_text("Hostile markdown must never execute here")
    assert page.evaluate("window.__xss === undefined")
    assert fired == []
    expect(page.locator(".canvass-post-body script")).to_have_count(0)
    expect(page.locator(".canvass-post-body img")).to_have_count(0)
