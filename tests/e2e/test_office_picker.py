"""The office type-ahead on the verification page, used with the keyboard only, and the same
page without JavaScript. Jordan Lee already has a request waiting, so the server accepts
the form's office and then refuses a second request: the form comes back with the office
chosen, and the queue keeps the one request test_verification.py approves."""

import re

from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in

JORDAN = "jordan.lee@demo.example"


def test_a_member_picks_an_office_with_the_keyboard(page):
    sign_in(page, JORDAN)
    page.goto("/accounts/verification/")
    expect(page.get_by_role("button", name="Find offices")).to_be_hidden()
    maricopa = page.request.get("/accounts/offices/?state=AZ&q=maricopa").json()["results"][0]

    office = page.get_by_role("combobox", name="Your election office")
    office.focus()
    page.keyboard.type("mari")
    listbox = page.get_by_role("listbox", name="Your election office")
    expect(listbox).to_be_visible()
    expect(office).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(20)
    expect(page.get_by_role("status")).to_have_text(re.compile("^Offices found: 20."))
    chosen = listbox.get_by_role("option").nth(1)  # after "Mariaville, ME"
    expect(chosen).to_contain_text("Maricopa County, AZ")

    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(office).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
    assert_no_accessibility_violations(page)
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(office).to_have_attribute("aria-expanded", "false")
    expect(office).to_have_value("Maricopa County, AZ")

    page.get_by_label("Your role").select_option(label="Deputy")
    page.get_by_label("How a reviewer can confirm it").fill("Call the county office.")
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.get_by_role("button", name="Send the request").click()
    assert f"jurisdiction={maricopa['id']}" in sent.value.post_data
    expect(page.get_by_text("You already have a request waiting for a reviewer.")).to_be_visible()
    expect(office).to_have_value("Maricopa County, AZ")


def test_the_state_narrows_the_list_and_escape_closes_it(page):
    sign_in(page, JORDAN)
    page.goto("/accounts/verification/")
    page.get_by_label("State or territory").select_option("OH")
    office = page.get_by_role("combobox", name="Your election office")
    office.focus()
    page.keyboard.type("marion")
    listbox = page.get_by_role("listbox", name="Your election office")
    expect(listbox.get_by_role("option")).to_have_text(["Marion County, OH County"])
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Escape")
    expect(office).to_have_value("")


def test_without_javascript_the_search_form_and_list_still_work(page_without_javascript):
    page = page_without_javascript
    sign_in(page, JORDAN)
    page.goto("/accounts/verification/")
    page.get_by_label("State or territory").select_option("AZ")
    page.get_by_label("Part of the office's name").fill("mari")
    page.get_by_role("button", name="Find offices").click()
    office = page.locator("select[name=jurisdiction]")
    expect(office).to_have_accessible_name("Your election office")
    office.select_option(label="Maricopa County, AZ")
    expect(office).to_have_value(re.compile(r"^\d+$"))
