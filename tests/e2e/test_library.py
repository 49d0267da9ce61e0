"""The editorial pages in a browser: every public page type, reached by following links
from the home page, passes axe-core; a visitor finds a guide in the resource library by
filtering by topic, with and without JavaScript, and with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations

TOPIC = "Chain of custody"
TOPIC_SLUG = "chain-of-custody"
GUIDE = "Building written chain-of-custody procedures"


def _follow(page, link) -> None:
    """Click a link and wait for the page it leads to."""
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_count(1)


def _library(page) -> None:
    page.goto("/")
    _follow(page, page.get_by_role("link", name="All guides and toolkits"))


def _library_item(page, kind: str) -> None:
    """From the home page to the first guide or toolkit of the library."""
    _library(page)
    items = page.locator("li.usa-collection__item").filter(
        has=page.locator(".canvass-eyebrow", has_text=re.compile(f"^{kind}$"))
    )
    if items.count() == 0:
        pytest.fail(f"The library lists no {kind.lower()}: the demo content should have one.")
    _follow(page, items.first.locator("h2 a"))
    expect(page.locator(".canvass-eyebrow").first).to_have_text(kind)


def _event_index(page) -> None:
    page.goto("/")
    _follow(page, page.get_by_role("link", name="All events, with past recordings"))


def _event(page) -> None:
    _event_index(page)
    events = page.locator(".canvass-event-item h3 a")
    if events.count() == 0:
        pytest.fail("The events page lists no event: the demo content should have some.")
    _follow(page, events.first)
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()


def _topic_index(page) -> None:
    page.goto("/")
    _follow(page, page.get_by_role("link", name="All topics, by area"))


def _topic(page) -> None:
    page.goto("/")
    topics = page.locator('section[aria-labelledby="home-topics"] a.canvass-topic')
    name = topics.first.inner_text()
    _follow(page, topics.first)
    expect(page.locator("h1")).to_have_text(name)


def _plain(page) -> None:
    page.goto("/")
    _follow(page, page.get_by_role("contentinfo").get_by_role("link").first)


JOURNEYS = {
    "home": lambda page: page.goto("/"),
    "library": _library,
    "guide": lambda page: _library_item(page, "Guide"),
    "toolkit": lambda page: _library_item(page, "Toolkit"),
    "event index": _event_index,
    "event": _event,
    "topic index": _topic_index,
    "topic": _topic,
    "plain page": _plain,
}


@pytest.mark.parametrize("kind", list(JOURNEYS))
def test_every_page_type_has_no_accessibility_violations(page, kind):
    JOURNEYS[kind](page)
    expect(page.locator("h1")).to_have_count(1)
    assert_no_accessibility_violations(page)


@pytest.mark.parametrize("browser_page", ["page", "page_without_javascript"])
def test_a_visitor_finds_a_guide_by_filtering_the_library_by_topic(request, browser_page):
    page = request.getfixturevalue(browser_page)
    _library(page)
    every = page.locator("li.usa-collection__item").count()
    page.get_by_label("Topic", exact=True).select_option(label=TOPIC)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(rf"[?&]topic={TOPIC_SLUG}(&|$)"))
    expect(page.get_by_label("Topic", exact=True)).to_have_value(TOPIC_SLUG)
    items = page.locator("li.usa-collection__item")
    assert 0 < items.count() < every
    for number in range(items.count()):
        expect(items.nth(number).locator("a.canvass-topic", has_text=TOPIC)).to_have_count(1)
    _follow(page, page.get_by_role("link", name=GUIDE))
    expect(page.locator("h1")).to_have_text(GUIDE)
    if browser_page == "page":
        assert_no_accessibility_violations(page)


def test_the_library_filters_work_from_the_keyboard(page):
    _library(page)
    topic = page.get_by_label("Topic", exact=True)
    for _ in range(40):
        page.keyboard.press("Tab")
        if topic.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("The topic filter could not be reached with the Tab key.")
    page.keyboard.type(TOPIC)  # a focused select picks the option typed
    expect(topic).to_have_value(TOPIC_SLUG)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Type", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Guides"
    expect(page.get_by_label("Type", exact=True)).to_have_value("guide")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Applies in", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Apply filters")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(rf"topic={TOPIC_SLUG}&kind=guide"))
    expect(page.get_by_role("link", name=GUIDE)).to_be_visible()
    expect(page.locator(".canvass-eyebrow", has_text=re.compile("^Toolkit$"))).to_have_count(0)
