"""A visitor finds their way around the page shell by keyboard, with and without
JavaScript, and axe-core finds no accessibility violations on the first pages they see."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations

PAGES = [
    ("/", "Canvass"),
    ("/guides/chain-of-custody/", "Building written chain-of-custody procedures"),
    ("/accounts/login/", "Sign In"),
    ("/guides/", "Guides & toolkits"),
    ("/search/?q=audit", "Search"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_has_one_heading_and_no_accessibility_violations(page, path, heading):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(heading)
    assert_no_accessibility_violations(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_home_page_has_no_violations_at_narrow_and_wide_widths(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    assert_no_accessibility_violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, "the page scrolls sideways"


def test_skip_link_is_first_and_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("el => el.closest('main') !== null")


def test_keyboard_reaches_a_guide_from_the_home_page(page):
    page.goto("/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.usa-card') !== null"):
            break
    else:
        pytest.fail("No guide link could be reached with the Tab key.")
    title = page.locator(":focus").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)
    assert_no_accessibility_violations(page)


def test_keyboard_search_from_the_header(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.locator("#header-search").focus()
    page.keyboard.type("poll workers")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_contain_text("result")
    expect(page.locator("main")).to_contain_text("Recruiting, training and retaining poll workers")


def test_sign_in_by_keyboard(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type("maria.alvarez@demo.example")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type === 'password'"):
            break
    page.keyboard.type("canvass-demo-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Sign out Maria Alvarez")).to_be_visible()


def test_sign_in_mistake_is_explained_and_email_kept(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("maria.alvarez@demo.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value("maria.alvarez@demo.example")
    assert_no_accessibility_violations(page)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_navigation_works_without_javascript(page_without_javascript, width):
    page = page_without_javascript
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    library = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Guides & toolkits"
    )
    expect(library).to_be_visible()
    library.click()
    expect(page.locator("h1")).to_have_text("Guides & toolkits")
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.locator("h1")).to_have_text("Accessibility statement")
