"""The public "what officials are asking" page (/pulse/) on the demo content: reached from
the footer, with and without JavaScript, and no accessibility violations at narrow and wide
widths (its chart is an SVG image with a title and description beside a table)."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations


def test_reached_from_the_footer_without_javascript(page_without_javascript):
    page = page_without_javascript
    page.goto("/")
    page.locator("footer").get_by_role("link", name="What officials are asking").click()
    expect(page.locator("h1")).to_have_text("What officials are asking")
    expect(page.get_by_role("table").first).to_contain_text("This year")


@pytest.mark.parametrize("width", [320, 1280])
def test_no_violations_at_narrow_and_wide_widths(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/pulse/")
    expect(page.locator("h1")).to_have_text("What officials are asking")
    assert_no_accessibility_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
