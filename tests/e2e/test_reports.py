"""The staff's reports and the public-records export in the Wagtail admin, and the open web
(feeds, sitemap, robots.txt) on the demo content: every report page passes axe-core and
exports CSV; an administrator exports one person's posts as a ZIP, which is logged and
told to that person; the question list names its feeds and they parse."""

import re
import zipfile

import feedparser
import pytest
from playwright.sync_api import expect

from .conftest import assert_no_accessibility_violations, sign_in, sign_out

MODERATOR = "sam.ortiz@demo.example"
ADMINISTRATOR = "admin@demo.example"
EXPORTED = "maria.alvarez@demo.example"
REPORTS = (
    "questions-by-topic",
    "waiting-by-topic",
    "waiting-threads",
    "answer-times-by-month",
    "answer-times-by-topic",
    "topics-without-guide",
    "fruitless-searches",
    "verification-queue",
    "flags-by-reason",
)


def test_every_report_page_passes_axe_and_exports_csv(page):
    sign_in(page, MODERATOR)
    for name in REPORTS:
        page.goto(f"/admin/staff-reports/{name}/")
        expect(page.locator("h1")).to_be_visible()
        assert_no_accessibility_violations(page)
    page.goto("/admin/staff-reports/questions-by-topic/")
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
    exported = page.request.get("/admin/staff-reports/questions-by-topic/?export=csv")
    assert exported.ok and exported.headers["content-type"].startswith("text/csv")
    assert "Topic" in exported.text().splitlines()[0]
    sign_out(page)


def test_an_administrator_exports_one_persons_records(page, live_site):
    sign_in(page, ADMINISTRATOR)
    page.goto("/admin/records/")
    expect(page.locator("h1")).to_contain_text("Public-records export")
    assert_no_accessibility_violations(page)
    page.get_by_label("Or one person's email address").fill(EXPORTED)
    page.get_by_label("From").fill("2020-01-01")
    page.get_by_label("To (included)").fill("2030-12-31")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Export", re.I)).click()
    archive = zipfile.ZipFile(download.value.path())
    assert {"posts.json", "posts.csv", "index.html"} <= set(archive.namelist())
    assert "Maria Alvarez" in archive.read("index.html").decode()
    sign_out(page)
    sign_in(page, EXPORTED)
    page.goto("/notifications/")
    expect(page.get_by_text(re.compile("public-records request", re.I)).first).to_be_visible()
    sign_out(page)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_question_list_names_its_feeds_and_they_parse(page, live_site, kind):
    page.goto("/questions/")
    kinds = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
    link = page.locator(f'link[rel=alternate][type="{kinds[kind]}"]').first
    feed = feedparser.parse(page.request.get(link.get_attribute("href")).body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries, "the demo's public questions"
    for entry in feed.entries:
        page.goto(entry.link.replace(re.match(r"https?://[^/]+", entry.link).group(0), ""))
        expect(page.locator("h1")).to_be_visible()
        break


def test_robots_txt_names_the_sitemap(page):
    robots = page.request.get("/robots.txt").text()
    sitemap = re.search(r"^Sitemap: (\S+)$", robots, re.M).group(1)
    assert "Disallow: /search/" in robots
    assert sitemap.endswith("/sitemap.xml")
    assert "<sitemapindex" in page.request.get("/sitemap.xml").text()
