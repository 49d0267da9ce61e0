"""Query counts of the editorial pages, cold and warm in the visitors' page cache: they do
not grow with content, and only known query parameters are stored."""

import pytest
from django.utils import timezone

from cms.models import GuidePage, HomeFeaturedGuide, HomePage, ResourceIndexPage
from forum.models import Topic
from tests.cms.page_tree import DAY
from tests.factories import (
    ask,
    make_document,
    make_event,
    make_guide,
    make_official,
    make_toolkit,
    solved_thread,
)
from tests.queries import cold_and_warm

pytestmark = pytest.mark.django_db


def _add_content(label: str, count: int, topic: Topic) -> None:
    """`count` more of each thing the home page and the library list: guides (featured on
    the home page, six at most), toolkits, upcoming events and public questions."""
    document = make_document(f"{label} template", f"{label}.docx")
    official = make_official()
    now = timezone.now()
    for number in range(count):
        make_guide(f"{label} guide {number}", topics=[topic], states=["AZ", "OH"])
        make_toolkit(
            f"{label} toolkit {number}", document=document, topics=[topic], states=["AZ", "NM"]
        )
        make_event(f"{label} webinar {number}", start=now + DAY, end=now + 2 * DAY, topics=[topic])
        ask(official, title=f"{label} public question, number {number}", visibility="public")
    home = HomePage.objects.get()
    home.featured = [
        HomeFeaturedGuide(guide=guide) for guide in GuidePage.objects.live().order_by("pk")[:6]
    ]
    home.save_revision().publish()


# A visitor's (cold cache, warm cache). Cold: the page is built, with the navigation, and
# stored (one query asks whether the page has view restrictions). Warm: the stored page is
# served before URL routing (`core.caching.VisitorPageCacheMiddleware`), with no query.
HOME_QUERIES = (30, 0)
LIBRARY_QUERIES = (26, 0)
FILTERED_LIBRARY_QUERIES = (26, 0)
GUIDE_WITH_EXCERPTS_QUERIES = (22, 0)


def test_home_and_library_query_counts_do_not_grow_with_content(client):
    topic = Topic.objects.get(slug="chain-of-custody")
    filtered = "/guides/?topic=chain-of-custody&kind=&state=AZ"
    urls = ("/", "/guides/", filtered)
    _add_content("First", 1, topic)
    before = {url: cold_and_warm(client, url) for url in urls}
    _add_content("More", 5, topic)
    after = {url: cold_and_warm(client, url) for url in urls}
    assert (
        after
        == before
        == {
            "/": HOME_QUERIES,
            "/guides/": LIBRARY_QUERIES,
            filtered: FILTERED_LIBRARY_QUERIES,
        }
    )


def test_guide_query_count_does_not_grow_with_its_qa_excerpts(client):
    asker, expert = make_official(), make_official(state="OH")
    threads = [
        solved_thread(asker, expert, title=f"Excerpted public question number {number}")
        for number in range(10)
    ]

    def guide_with(count: int) -> GuidePage:
        return make_guide(
            f"Guide with {count} excerpts",
            body=[("qa_excerpt", {"question": q.pk, "note": ""}) for q, _ in threads[:count]],
        )

    one, ten = guide_with(1), guide_with(10)
    assert cold_and_warm(client, one.url) == cold_and_warm(client, ten.url)
    assert cold_and_warm(client, ten.url) == GUIDE_WITH_EXCERPTS_QUERIES
    html = client.get(ten.url).content.decode()
    assert html.count('class="canvass-qa"') == 10
    for _, reply in threads:
        assert reply.body_html in html


def test_visitors_pages_are_stored_only_for_known_parameters(client):
    """Made-up query parameters are served but never stored: they cannot fill the cache."""
    library = ResourceIndexPage.objects.get()
    assert cold_and_warm(client, f"{library.url}?topic=chain-of-custody")[1] == 0
    _, warm = cold_and_warm(client, f"{library.url}?utm_source=x")
    assert warm > 0  # built again: nothing was stored
