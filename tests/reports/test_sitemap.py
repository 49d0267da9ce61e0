"""/sitemap.xml and /robots.txt (reports/sitemaps.py, reports/views.py): read with an XML
parser, the sitemap lists public threads and unrestricted live pages only."""

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from core.sites import base_url
from forum.models import Visibility
from reports.sitemaps import QuestionSitemap
from tests.factories import ask
from tests.queries import page_queries
from tests.reports.conftest import leaks

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(client) -> dict[str, str | None]:
    """Every URL the sitemap's sections list, with its lastmod."""
    index = parse(client, reverse("reports:sitemap"))
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    found = {}
    for section in index.findall("s:sitemap/s:loc", NS):
        path = section.text.removeprefix("http://testserver")
        for url in parse(client, path).findall("s:url", NS):
            found[url.findtext("s:loc", namespaces=NS)] = url.findtext("s:lastmod", namespaces=NS)
    return found


def test_the_sitemap_lists_public_threads_and_unrestricted_live_pages(client, web):
    found = locations(client)
    threads = {url for url in found if "/questions/" in url}
    assert threads == {
        base_url() + web.public_q.get_absolute_url(),
        base_url() + web.anonymous_q.get_absolute_url(),
    }
    lastmod = found[base_url() + web.public_q.get_absolute_url()]
    assert lastmod == web.public_q.last_activity_at.date().isoformat()
    for page in (web.guide, web.toolkit, web.event):
        assert page.get_full_url() in found
    topic_page = web.guide.topics.first().page
    assert topic_page.get_full_url() in found
    assert not leaks(" ".join(found))
    for page in (web.draft_guide, web.private_guide, web.private_event):
        assert page.get_full_url() not in found
    for question in web.secret.values():
        assert base_url() + question.get_absolute_url() not in found


def test_sections_are_paged_past_their_limit(client, web, monkeypatch):
    """The real limit is 50,000 URLs a page; with 1 each public thread is a page."""
    monkeypatch.setattr(QuestionSitemap, "limit", 1)
    index = parse(client, reverse("reports:sitemap"))
    pages = [loc.text for loc in index.findall("s:sitemap/s:loc", NS) if "questions" in loc.text]
    assert len(pages) == 2
    second = parse(client, pages[1].removeprefix("http://testserver"))
    assert len(second.findall("s:url", NS)) == 1


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_forms(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {base_url()}/sitemap.xml" in lines
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    for prefix in (
        "/search/", "/accounts/", "/admin/", "/notifications/", "/cohorts/", "/questions/ask/",
        "/questions/*/answer/", "/questions/*/edit/",
    ):  # fmt: skip
        assert prefix in disallowed
    # The threads, their lists, the library and the feeds stay open.
    assert not any(p in disallowed for p in ("/questions/", "/guides/", "/feeds/", "/"))


def test_the_threads_section_costs_two_queries_whatever_its_size(client, web, asker):
    """The count (for the pages) and the page's rows."""
    url = reverse("reports:sitemap_section", args=["questions"])
    assert len(page_queries(client, url)) == 2
    for _ in range(5):
        ask(asker, visibility=Visibility.PUBLIC)
    assert len(page_queries(client, url)) == 2
