"""Cohorts end to end (issue 16): a coordinator adds an office with the office picker, that
office's official asks a cohort-only question and shares a document, and a non-member
official and a visitor find neither, by URL, search or document link, while a member reads
and downloads both; axe-core passes on every cohort page; a cohort is followed and the
picker used with the keyboard alone; the picker, the space, the cohort's ask form and the
upload work without JavaScript.

Every demo office is in the demo's hand-managed cohort (the Centers), so no demo official
could be added to it: the administrator first sets up another cohort in the Wagtail admin
(`hand_cohort`) and makes Grace Okafor its coordinator. Tom Becker's office is added to it
in the journey; Lin Hayes's never is, so she is the non-member official throughout. The
other demo cohorts' membership is left as the demo made it, for the tests that follow."""

import re
import secrets
import string
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in

ADMINISTRATOR = "admin@demo.example"
COORDINATOR = "grace.okafor@demo.example"  # coordinates the Centers and `hand_cohort`
NEW_MEMBER, NEW_MEMBER_OFFICE = "tom.becker@demo.example", "Petroleum County, MT"
OUTSIDER, OUTSIDER_OFFICE = "lin.hayes@demo.example", "Hanover, NH"  # never in `hand_cohort`
FOLLOWER = "maria.alvarez@demo.example"  # in the Centers, follows it by keyboard

HAND_COHORT = "Rural Clerks Roundtable"
HAND_COHORT_SLUG = "rural-clerks-roundtable"
CENTERS = "Centers for Election Excellence 2026"
CENTERS_SLUG = "centers-for-election-excellence-2026"
CENTERS_THREAD = "Plain-language notices: can the cohort share one glossary of election terms?"
CENTERS_DOCUMENT = "After-action review: cohort template"
MAX_TABS = 200


def _unique_word() -> str:
    """A made-up word that is in no demo content and in no other test's posts."""
    return "qz" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


@contextmanager
def _browser_of(browser, live_site, email: str | None = None, *, javascript: bool = True):
    """Another person's browser (a context with cookies of its own), signed in as ``email``
    or a visitor's."""
    context = browser.new_context(base_url=live_site, java_script_enabled=javascript)
    try:
        page = context.new_page()
        if email:
            sign_in(page, email)
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def hand_cohort(browser, live_site) -> str:
    """A listed cohort without a rule, set up by the administrator in the Wagtail admin,
    with Grace Okafor as its coordinator and no offices yet; its slug."""
    with _browser_of(browser, live_site, ADMINISTRATOR) as admin:
        admin.goto("/admin/cohorts/add/")
        admin.get_by_label("Name").fill(HAND_COHORT)
        admin.get_by_label("Slug").fill(HAND_COHORT_SLUG)
        admin.get_by_label("Description").fill(
            "Small and mid-sized offices comparing notes on running elections with few staff."
        )
        expect(admin.get_by_label("Listed publicly")).to_be_checked()
        admin.get_by_role("button", name="Create the cohort").click()
        expect(admin.get_by_text(f"Cohort “{HAND_COHORT}” created.")).to_be_visible()
        admin.get_by_label("Email address of the new coordinator").fill(COORDINATOR)
        admin.get_by_role("button", name="Grant").click()
        expect(admin.get_by_text("Grace Okafor coordinates the cohort.")).to_be_visible()
    return HAND_COHORT_SLUG


def _status(page):
    return page.get_by_role("status").filter(has_text=re.compile(r"\S"))


def _tab_to(page, locator) -> None:
    """Press Tab until ``locator`` has the focus; fail if it never gets it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} was not reached in {MAX_TABS} presses of Tab")


def _not_found(page, url: str) -> str:
    """The 404 page ``url`` answers ``page``'s person, with the address taken out so that
    two addresses' pages compare. The e2e server runs with DEBUG, whose 404 page also prints
    the exception's message ("No Question matches the given query." from a lookup that
    found nothing, none from a permission check): that is taken out too, as the production
    404 page never shows it."""
    response = page.request.get(url)
    assert response.status == 404, f"{url} answered {response.status}"
    path = urlsplit(url).path
    text = response.text().replace(path, "<path>").replace(path.lstrip("/"), "<path>")
    return re.sub(r'<pre class="exception_value">.*?</pre>', "", text, flags=re.DOTALL)


def _search_finds(page, word: str, title: str) -> bool:
    page.goto(f"/search/?q={word}")
    expect(page.locator("#results-heading")).to_be_visible()
    return page.get_by_role("link", name=title, exact=True).count() > 0


def _ask_in_cohort(page, cohort: str, title: str, details: str) -> str:
    """From the cohort's space: "Ask in this cohort", the cohort already chosen as the
    audience; returns the new thread's address."""
    page.get_by_role("link", name="Ask in this cohort").click()
    expect(page.locator("h1")).to_have_text("Ask a question")
    expect(page.get_by_label(f"Only {cohort}")).to_be_checked()
    page.get_by_label("Question", exact=True).fill(title)
    page.get_by_label("Details").fill(details)
    page.get_by_text("Office administration & management", exact=True).click()
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_text(f"Only {cohort}", exact=True)).to_be_visible()
    return page.url


def _share_document(page, title: str, path) -> str:
    """From the cohort's space: share a file; returns its download address."""
    page.get_by_role("link", name="All documents, and share one").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("File").set_input_files(path)
    page.get_by_label("Note (optional)").fill("Our draft, for the cohort's comments.")
    page.get_by_role("button", name="Share with the cohort").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(_status(page)).to_have_text("The document is shared with the cohort.")
    return page.get_by_role("link", name=path.name, exact=True).get_attribute("href")


def test_a_coordinator_adds_an_office_whose_official_shares_with_the_cohort_alone(
    page, browser, live_site, hand_cohort, tmp_path
):
    sign_in(page, COORDINATOR)
    page.goto("/cohorts/")
    page.get_by_role("link", name=HAND_COHORT, exact=True).click()
    page.get_by_role("link", name="Manage").click()
    expect(page.locator("h1")).to_have_text(f"Manage {HAND_COHORT}")
    page.get_by_label("State or territory").select_option(label="Montana")
    page.get_by_role("combobox", name="Office to add").fill("petrol")
    listbox = page.get_by_role("listbox", name="Office to add")
    listbox.get_by_role("option", name=re.compile(f"^{NEW_MEMBER_OFFICE}")).click()
    expect(page.get_by_role("combobox", name="Office to add")).to_have_value(NEW_MEMBER_OFFICE)
    page.get_by_role("button", name="Add the office").click()
    expect(_status(page)).to_have_text(f"{NEW_MEMBER_OFFICE} is in the cohort.")
    offices = page.get_by_role("table").filter(has_text="in the cohort")
    expect(offices.get_by_role("cell", name=NEW_MEMBER_OFFICE, exact=True)).to_be_visible()

    word = _unique_word()
    title = f"How do two-person offices staff the {word} count on election night?"
    document = tmp_path / f"night-staffing-{word}.txt"
    document.write_bytes(f"Election night staffing, {word}: two people, one runner.\n".encode())
    with _browser_of(browser, live_site, NEW_MEMBER) as member:
        member.goto("/cohorts/")
        member.get_by_role("link", name=HAND_COHORT, exact=True).click()
        expect(member.get_by_role("heading", name="Threads")).to_be_visible()
        thread_url = _ask_in_cohort(
            member,
            HAND_COHORT,
            title,
            "We are two people on election night: one counts, one answers the phone. "
            "How do other small offices split the work?",
        )
        member.goto(f"/cohorts/{hand_cohort}/")
        file_url = _share_document(member, f"Night staffing plan {word}", document)
        # The question is in the search index within seconds, for those who may read it.
        for _ in range(40):
            if _search_finds(member, word, title):
                break
            member.wait_for_timeout(250)
        else:
            pytest.fail("The member never found their own cohort-only question by search")

    # Another member (the coordinator) reads the thread in the space and downloads the file.
    page.goto(f"/cohorts/{hand_cohort}/")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    page.goto(f"/cohorts/{hand_cohort}/")
    page.get_by_role("link", name="All documents, and share one").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=document.name, exact=True).click()
    assert download.value.suggested_filename == document.name
    assert download.value.path().read_bytes() == document.read_bytes()

    missing_thread = re.sub(r"/(\d+)/$", lambda m: f"/{int(m[1]) + 100000}/", thread_url)
    missing_file = re.sub(r"/v(\d+)/", lambda m: f"/v{int(m[1]) + 100000}/", file_url)
    document_page = file_url.rsplit("/v", 1)[0] + "/"
    for outsider in (OUTSIDER, None):
        with _browser_of(browser, live_site, outsider) as other:
            other.goto(f"/cohorts/{hand_cohort}/")
            expect(other.locator("h1")).to_have_text(HAND_COHORT)
            expect(other.get_by_role("heading", name="Threads")).to_have_count(0)
            expect(other.get_by_role("link", name=title)).to_have_count(0)
            expect(other.get_by_role("link", name="Members")).to_have_count(0)
            expect(other.get_by_role("heading", name="Shared documents")).to_have_count(0)
            assert _not_found(other, thread_url) == _not_found(other, missing_thread)
            assert _not_found(other, file_url) == _not_found(other, missing_file)
            _not_found(other, document_page)
            assert _not_found(other, f"/cohorts/{hand_cohort}/members/") == _not_found(
                other, "/cohorts/no-such-cohort/members/"
            )
            assert not _search_finds(other, word, title)
            expect(other.locator("#results-heading")).to_have_text("No results")
            similar = other.request.get("/search/similar/?title=" + quote(title)).json()
            assert title not in [question["title"] for question in similar["questions"]]


def test_every_cohort_page_passes_axe(page, browser, live_site, hand_cohort):
    page.goto("/cohorts/")
    expect(page.locator("h1")).to_have_text("Cohorts")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name=CENTERS, exact=True).click()
    expect(page.locator("h1")).to_have_text(CENTERS)
    expect(page.get_by_role("heading", name="Offices in the cohort")).to_be_visible()
    assert_no_accessibility_violations(page)

    sign_in(page, COORDINATOR)
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    expect(page.get_by_role("link", name=CENTERS_THREAD)).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Members").click()
    expect(page.locator("h1")).to_have_text(f"Members of {CENTERS}")
    assert_no_accessibility_violations(page)
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    page.get_by_role("link", name="Manage").click()
    expect(page.locator("h1")).to_have_text(f"Manage {CENTERS}")
    assert_no_accessibility_violations(page)
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    page.get_by_role("link", name="Shared documents").first.click()
    expect(page.locator("h1")).to_have_text(f"Shared documents of {CENTERS}")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name=CENTERS_DOCUMENT, exact=True).click()
    expect(page.locator("h1")).to_have_text(CENTERS_DOCUMENT)
    assert_no_accessibility_violations(page)
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    page.get_by_role("link", name="Ask in this cohort").click()
    expect(page.get_by_label(f"Only {CENTERS}")).to_be_checked()
    assert_no_accessibility_violations(page)

    with _browser_of(browser, live_site, OUTSIDER) as official:
        official.goto(f"/cohorts/{hand_cohort}/")
        join = official.get_by_role("region", name="Ask to join")
        expect(join).to_contain_text(f"Ask that {OUTSIDER_OFFICE} join the cohort.")
        assert_no_accessibility_violations(official)
        join.get_by_role("textbox").fill("We would like to compare notes with other towns.")
        join.get_by_role("button", name="Ask to join").click()
        expect(_status(official)).to_have_text("Your request is with the cohort's coordinators.")
        expect(
            official.get_by_text(
                re.compile("Your office asked to join on .*: Waiting for a coordinator")
            )
        ).to_be_visible()
        assert_no_accessibility_violations(official)

        official.goto("/offices/like-mine/")
        expect(official.locator("h1")).to_have_text("Offices like mine")
        assert_no_accessibility_violations(official)

    # The coordinator's page with the request waiting and its decision form.
    page.goto(f"/cohorts/{hand_cohort}/manage/")
    expect(page.get_by_role("heading", name=OUTSIDER_OFFICE)).to_be_visible()
    assert_no_accessibility_violations(page)


def test_follow_a_cohort_by_keyboard(page):
    sign_in(page, FOLLOWER)
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    box = page.get_by_role("region", name="Follow this cohort")
    level = box.get_by_label("Tell me of questions in this cohort")
    expect(level).to_have_value("")
    _tab_to(page, level)
    page.keyboard.press("ArrowDown")
    expect(level).to_have_value(re.compile(r"\S"))
    chosen = level.evaluate("select => select.selectedOptions[0].textContent")
    assert chosen == "Every new question"
    page.keyboard.press("Tab")
    expect(box.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(_status(page)).to_have_text("Your choice for this cohort is saved.")
    expect(page).to_have_url(re.compile(f"/cohorts/{CENTERS_SLUG}/$"))
    expect(level.locator("option:checked")).to_have_text("Every new question")

    page.goto("/notifications/settings/")
    expect(page.get_by_role("heading", name="Cohorts you follow")).to_be_visible()
    expect(page.get_by_label(CENTERS).locator("option:checked")).to_have_text("Every new question")
    assert_no_accessibility_violations(page)


def test_the_office_picker_by_keyboard(page, hand_cohort):
    sign_in(page, COORDINATOR)
    page.goto(f"/cohorts/{hand_cohort}/manage/")
    office = page.get_by_role("combobox", name="Office to add")
    _tab_to(page, office)
    page.keyboard.type("yellowstone")
    listbox = page.get_by_role("listbox", name="Office to add")
    chosen = listbox.get_by_role("option", name=re.compile("^Yellowstone County, MT"))
    expect(chosen).to_be_visible()
    expect(office).to_have_attribute("aria-expanded", "true")
    while chosen.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
    expect(office).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
    assert_no_accessibility_violations(page)
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(office).to_have_value("Yellowstone County, MT")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add the office")).to_be_focused()
    page.keyboard.press("Enter")
    expect(_status(page)).to_have_text("Yellowstone County, MT is in the cohort.")


def test_without_javascript_a_coordinator_finds_and_adds_an_office(
    page_without_javascript, hand_cohort
):
    page = page_without_javascript
    sign_in(page, COORDINATOR)
    page.goto(f"/cohorts/{hand_cohort}/manage/")
    page.get_by_label("State or territory").select_option(label="Montana")
    page.get_by_label("Part of the office's name").fill("gallatin")
    page.get_by_role("button", name="Find offices").click()
    page.get_by_label("Office to add").select_option(label="Gallatin County, MT")
    page.get_by_role("button", name="Add the office").click()
    expect(_status(page)).to_have_text("Gallatin County, MT is in the cohort.")
    offices = page.get_by_role("table").filter(has_text="in the cohort")
    expect(offices.get_by_role("cell", name="Gallatin County, MT", exact=True)).to_be_visible()


def test_without_javascript_a_member_asks_in_the_cohort_and_shares_a_file(
    page_without_javascript, tmp_path
):
    page = page_without_javascript
    sign_in(page, OUTSIDER)  # outside `hand_cohort`, but a member of the Centers
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    expect(page.get_by_role("link", name=CENTERS_THREAD)).to_be_visible()
    word = _unique_word()
    title = f"Which {word} records does a town clerk keep after a recount?"
    thread_url = _ask_in_cohort(
        page,
        CENTERS,
        title,
        "Our recount boxes fill a closet. Which of them must we keep, and for how long?",
    )
    page.goto(f"/cohorts/{CENTERS_SLUG}/")
    expect(page.get_by_role("link", name=title, exact=True)).to_have_attribute(
        "href", urlsplit(thread_url).path
    )

    document = tmp_path / f"recount-records-{word}.txt"
    document.write_bytes(f"Recount records kept, {word}: tally sheets, seal logs.\n".encode())
    file_url = _share_document(page, f"Recount records list {word}", document)
    response = page.request.get(file_url)
    assert response.status == 200
    assert response.body() == document.read_bytes()
