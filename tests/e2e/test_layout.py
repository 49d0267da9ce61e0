"""The page shell's layout at a phone's, a tablet's and a desktop's width, for a visitor and
for a member with a long display name: at 1280 px the header's sections share one line and
the account links another; the search filters sit in the page; at 320 px no page is wider
than the screen; the account links work by keyboard and without JavaScript; axe-core finds
nothing on these pages."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, emails_to, sign_in, text_of

# Written out in full, "Sign out <name>" would not fit beside the logo.
LONG_NAME = "Maria Guadalupe Fernández-Castellanos de la Cruz"
PASSWORD = "canvass-layout-check-2026"
PAGES = ["/", "/questions/", "a question", "/search/?q=ballot", "/guides/"]


@pytest.fixture(scope="module")
def long_name_session(browser, live_site, mail_dir):
    """A new member with a long display name signs up, confirms their address and signs in
    once for the module; each test gets a fresh tab with their cookies."""
    address = f"long.name.{secrets.token_hex(4)}@county.example"
    context = browser.new_context(base_url=live_site)
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.get_by_label("Display name").fill(LONG_NAME)
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    [message] = emails_to(mail_dir, address)
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", text_of(message))
    page.goto(link.group())
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("Sign In")
    sign_in(page, address, password=PASSWORD)
    state = context.storage_state()
    context.close()
    return state


def _tab(browser, live_site, state, *, javascript: bool = True):
    context = browser.new_context(
        base_url=live_site, storage_state=state, java_script_enabled=javascript
    )
    return context, context.new_page()


@pytest.fixture
def member_page(browser, live_site, long_name_session):
    context, page = _tab(browser, live_site, long_name_session)
    yield page
    context.close()


@pytest.fixture(params=["visitor", "member"])
def any_page(request, browser, live_site):
    """A tab for a visitor, then one for the member with the long name."""
    state = request.getfixturevalue("long_name_session") if request.param == "member" else None
    context, page = _tab(browser, live_site, state)
    yield page
    context.close()


def _visit(page, where: str) -> None:
    if where == "a question":
        page.goto("/questions/?sort=top")
        page.locator(".canvass-question-title a").first.click()
        expect(page.locator("#answers-heading")).to_be_visible()
    else:
        page.goto(where)


def _tops(locator) -> set[int]:
    """The distinct top edges of the elements: one when they share a line."""
    return {round(item.bounding_box()["y"]) for item in locator.all()}


# How many lines an element's text runs over: each text node gives one rectangle per line
# it is on; rectangles less than half a letter apart in height are on the same line.
TEXT_LINES = """element => {
    const tops = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        for (const rect of range.getClientRects()) if (rect.width) tops.push(rect.top);
    }
    const half = parseFloat(getComputedStyle(element).fontSize) / 2;
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > half).length;
}"""


def test_header_sections_and_account_links_each_keep_to_one_line_at_1280(any_page):
    page = any_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/questions/")
    sections = page.locator(".usa-nav__primary > .usa-nav__primary-item > a")
    expect(sections.filter(has_text="Guides & toolkits")).to_be_visible()
    account = page.locator(".usa-nav__secondary-item > a")
    for links in (sections, account):
        assert len(_tops(links)) == 1, f"{links.all_inner_texts()} are on more than one line"
        for link in links.all():
            assert link.evaluate(TEXT_LINES) == 1, f"{link.inner_text()!r} wraps"
    logo = page.locator(".usa-logo").bounding_box()
    links = page.locator(".usa-nav__secondary-links").bounding_box()
    assert logo["x"] + logo["width"] < links["x"], "the account links run into the logo"
    assert_no_accessibility_violations(page)


def test_a_long_name_is_cut_short_on_screen_but_whole_in_the_link(member_page):
    page = member_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.get_by_role("link", name=f"Sign out {LONG_NAME}", exact=True)).to_be_visible()
    name = page.locator(".canvass-account-name")
    assert name.evaluate("el => el.scrollWidth > el.clientWidth"), "the name is not cut short"


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_search_filters_sit_in_the_page_below_the_search_terms(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/search/?q=ballot")
    terms = page.get_by_label("Search terms").bounding_box()
    main = page.locator("main").bounding_box()
    selects = page.locator(".canvass-filters select")
    expect(selects).to_have_count(5)
    for select in selects.all():
        box = select.bounding_box()
        assert main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
        assert box["x"] + box["width"] <= width
    first = selects.first.bounding_box()
    assert 0 < first["y"] - (terms["y"] + terms["height"]) < 100, "a blank band above the filters"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1280:
        assert_no_accessibility_violations(page)


@pytest.mark.parametrize("where", PAGES)
def test_nothing_is_wider_than_a_320_px_screen(any_page, where):
    page = any_page
    page.set_viewport_size({"width": 320, "height": 800})
    _visit(page, where)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{where} scrolls sideways at 320 px"
    )
    assert_no_accessibility_violations(page)


def test_keyboard_reaches_the_sections_then_the_account_links_then_search(member_page):
    page = member_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    reached = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert focused.is_visible()
        reached.append(focused.get_attribute("id") or focused.inner_text().strip())
        if reached[-1] == "header-search":
            break
    assert reached[-1] == "header-search", reached
    assert reached.index("Guides & toolkits") < reached.index("Your account")
    assert reached.index("Your account") + 1 == reached.index(f"Sign out {LONG_NAME}")


@pytest.mark.parametrize("width", [320, 768])
def test_account_links_work_without_javascript(browser, live_site, long_name_session, width):
    context, page = _tab(browser, live_site, long_name_session, javascript=False)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/guides/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search guides and questions")).to_be_visible()
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("h1")).to_have_text("Your account")
    page.get_by_role("link", name=f"Sign out {LONG_NAME}").click()
    expect(page.locator("h1")).to_have_text("Sign out")
    context.close()
