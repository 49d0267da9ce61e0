"""The feeds (reports/feeds.py), parsed as a feed reader would (feedparser): each holds what
a visitor may read, and nothing members-only, cohort-only, hidden, held, merged, draft or
restricted; an anonymous asker is not named."""

import feedparser
import pytest
from django.urls import reverse

from core.sites import base_url
from forum.models import Visibility
from tests.factories import ask, make_event, make_guide
from tests.queries import page_queries
from tests.reports.conftest import leaks

pytestmark = pytest.mark.django_db

FORMATS = {"rss": "rss20", "atom": "atom10"}


def read(client, name: str, kind: str, *args):
    response = client.get(reverse(f"reports:{name}_{kind}", args=args))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == FORMATS[kind]
    assert not leaks(response.content.decode())
    assert b"<script" not in response.content
    assert b"<strong" not in response.content
    return feed


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("name", "args"),
    [("questions_feed", []), ("topic_feed", ["topic"]), ("state_feed", ["az"])],
)
def test_question_feeds_hold_public_threads_only(client, web, kind, name, args):
    if args == ["topic"]:
        args = [web.public_q.topics.first().slug]
    feed = read(client, name, kind, *args)
    links = [entry.link for entry in feed.entries]
    assert links == [
        base_url() + web.anonymous_q.get_absolute_url(),
        base_url() + web.public_q.get_absolute_url(),
    ]
    public = feed.entries[1]
    assert public.title == web.public_q.title
    # A plain-text excerpt of the body: no markup of its own, and what was typed as markup
    # is text (feedparser drops it as a reader would).
    assert public.summary.startswith("We print on demand.")
    assert "**" not in public.summary
    assert public.author == "Avery Asker"


@pytest.mark.parametrize("kind", FORMATS)
def test_an_anonymous_asker_is_not_named(client, web, kind):
    feed = read(client, "questions_feed", kind)
    anonymous = next(e for e in feed.entries if e.title == web.anonymous_q.title)
    assert anonymous.author == "A verified official in Arizona"
    assert "Avery" not in str(anonymous)


def test_a_state_or_topic_no_one_knows_is_404(client, web):
    assert client.get(reverse("reports:state_feed_rss", args=["zz"])).status_code == 404
    assert client.get(reverse("reports:topic_feed_rss", args=["no-such-topic"])).status_code == 404


@pytest.mark.parametrize("kind", FORMATS)
def test_library_and_events_feeds_hold_live_unrestricted_pages(client, web, kind):
    library = read(client, "library_feed", kind)
    assert {e.title for e in library.entries} == {web.guide.title, web.toolkit.title}
    assert library.entries[0].summary in {web.guide.summary, web.toolkit.summary}
    events = read(client, "events_feed", kind)
    assert [e.title for e in events.entries] == [web.event.title]
    assert events.entries[0].link == web.event.get_full_url()


@pytest.mark.parametrize(
    ("path", "feeds"),
    [
        ("/questions/", ["questions_feed"]),
        ("/guides/", ["library_feed"]),
        ("/events/", ["events_feed"]),
    ],
)
def test_pages_link_the_feeds_they_mirror(client, web, path, feeds):
    html = client.get(path).content.decode()
    for name in feeds:
        for kind, mime in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
            assert f'type="{mime}"' in html
            assert f'href="{reverse(f"reports:{name}_{kind}")}"' in html


def test_topic_and_state_lists_link_their_feeds(client, web):
    topic = web.public_q.topics.first()
    for path in (topic.get_absolute_url(), reverse("forum:topic", args=[topic.slug])):
        html = client.get(path).content.decode()
        assert reverse("reports:topic_feed_atom", args=[topic.slug]) in html, path
    html = client.get("/questions/?state=AZ").content.decode()
    assert reverse("reports:state_feed_rss", args=["AZ"]) in html


@pytest.mark.parametrize(
    ("name", "expected"),
    [("questions_feed", 2), ("library_feed", 6), ("events_feed", 5)],
)
def test_a_feeds_queries_do_not_grow_with_its_items(client, web, asker, name, expected):
    """Questions: the threads and their topics. Pages: the view restrictions (`public()`),
    the index page the feed links to, the pages, each kind's specific rows (with their
    restrictions), once Wagtail's site paths are cached by a first request."""
    url = reverse(f"reports:{name}_rss")
    client.get(url)
    small = page_queries(client, url)
    for number in range(5):
        ask(asker, visibility=Visibility.PUBLIC)
        make_guide(f"Another guide {number}")
        make_event(f"Another event {number}", start=web.event.start, end=web.event.end)
    assert len(page_queries(client, url)) == len(small) == expected, small
