"""The resource library: its items, its filters (topic, type, state) and its pages."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils.html import escape

from cms.models import GuidePage, ResourceIndexPage, ToolkitPage
from tests.cms.page_tree import PageTreeTestCase
from tests.factories import make_guide, make_toolkit

pytestmark = pytest.mark.django_db


# The resource library ---------------------------------------------------------------------


class LibraryTests(PageTreeTestCase):
    def titles(self, **filters) -> list[str]:
        """The items of the library's answer to these filters, in order."""
        html = self.html(self.tree.library.url, **filters)
        return re.findall(r'class="usa-collection__heading"><a[^>]*>([^<]*)</a>', html)

    def test_unfiltered_library_shows_type_summary_topics_and_states(self):
        html = self.html(self.tree.library.url)
        items = {
            re.search(r"<h2[^>]*><a[^>]*>([^<]*)</a>", item)[1]: item
            for item in html.split('<li class="usa-collection__item')[1:]
        }
        toolkit = items["Alpha toolkit for Ohio"]
        self.assertIn('<p class="canvass-eyebrow">Toolkit</p>', toolkit)
        self.assertIn(f'href="{self.tree.toolkit.url}"', toolkit)
        self.assertIn("Summary of Alpha toolkit for Ohio.", toolkit)
        self.assertIn('href="/topics/test-alpha/"', toolkit)
        self.assertIn("Applies in:</span> Ohio", toolkit)
        guide = items["Beta guide for every state"]
        self.assertIn('<p class="canvass-eyebrow">Guide</p>', guide)
        self.assertIn("Applies in:</span> All states", guide)
        self.assertIn('<button class="usa-button" type="submit">Apply filters</button>', html)

    def test_filter_by_topic(self):
        self.assertEqual(
            self.titles(topic="test-alpha"), ["Alpha sealing guide", "Alpha toolkit for Ohio"]
        )
        self.assertEqual(self.titles(topic="test-beta"), ["Beta guide for every state"])

    def test_filter_by_type(self):
        self.assertEqual(
            self.titles(kind="guide"), ["Alpha sealing guide", "Beta guide for every state"]
        )
        self.assertEqual(self.titles(kind="toolkit"), ["Alpha toolkit for Ohio"])
        html = self.html(self.tree.library.url, kind="toolkit")
        self.assertNotIn("Guide</p>", html)

    def test_filter_by_state_keeps_pages_for_every_state(self):
        self.assertEqual(
            self.titles(state="AZ"), ["Alpha sealing guide", "Beta guide for every state"]
        )
        self.assertEqual(
            self.titles(state="OH"), ["Alpha toolkit for Ohio", "Beta guide for every state"]
        )
        self.assertEqual(self.titles(state="WY"), ["Beta guide for every state"])

    def test_filters_combine_and_count_results(self):
        html = self.html(self.tree.library.url, topic="test-alpha", kind="guide", state="AZ")
        self.assertIn("1 guide or toolkit", html)
        self.assertIn("Alpha sealing guide", html)
        self.assertNotIn("Alpha toolkit for Ohio", html)
        html = self.html(self.tree.library.url, topic="test-alpha", state="WY")
        self.assertIn("0 guides and toolkits", html)
        self.assertIn("Nothing matches these filters", html)
        self.assertIn("Clear filters", html)

    def test_unknown_filter_values_are_reported_not_a_crash(self):
        html = self.html(self.tree.library.url, topic="no-such-topic")
        self.assertIn("usa-error-message", html)

    def test_pages_keep_the_filters(self):
        make_guide("Alpha third guide", topics=[self.tree.alpha])
        with mock.patch("cms.models.LIBRARY_PAGE_SIZE", 2):
            first = self.html(self.tree.library.url, topic="test-alpha")
            self.assertIn('href="?topic=test-alpha&amp;page=2"', first)
            self.assertIn("Page 1 of 2", first)
            second = self.html(self.tree.library.url, topic="test-alpha", page=2)
        cache.clear()  # the visitors' pages cached while the page size was patched
        self.assertEqual(
            self.titles(topic="test-alpha"),
            ["Alpha sealing guide", "Alpha third guide", "Alpha toolkit for Ohio"],
        )
        self.assertIn("Alpha toolkit for Ohio", second)
        self.assertNotIn("Alpha sealing guide", second)
        self.assertIn('href="?topic=test-alpha&amp;page=1"', second)


def test_resource_library_lists_every_published_guide_and_toolkit(client):
    for number in range(3):
        make_guide(f"Library guide {number}")
        make_toolkit(f"Library toolkit {number}")
    library = ResourceIndexPage.objects.get()
    html, url, pages = "", library.url, 0
    with mock.patch("cms.models.LIBRARY_PAGE_SIZE", 2):
        while url:
            page = client.get(url).content.decode()
            html += page
            pages += 1
            following = re.search(r'href="(\?[^"]*page=\d+)" class="[^"]*next-page', page)
            url = following and library.url + following[1].replace("&amp;", "&")
    assert pages == 3
    for model in (GuidePage, ToolkitPage):
        for title in model.objects.live().values_list("title", flat=True):
            assert escape(title) in html
