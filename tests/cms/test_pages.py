import pytest
from django.utils.html import escape

from cms.models import GuidePage, ResourceIndexPage
from forum.models import Topic
from tests.queries import cold_and_warm

pytestmark = pytest.mark.django_db


def test_home_page_says_what_canvass_is_and_lists_latest_guides(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Canvass is where U.S. local election officials ask each other" in html
    latest = GuidePage.objects.live().order_by("-first_published_at")[:6]
    for guide in latest:
        assert escape(guide.title) in html


def test_guide_page_shows_summary_body_topics_and_source(client):
    guide = GuidePage.objects.get(slug="chain-of-custody")
    response = client.get(guide.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert escape(guide.summary) in html
    assert "Write the procedure down" in html
    assert "Chain of custody &amp; ballot accounting" in html or "Chain of custody" in html
    assert 'href="https://www.eac.gov"' in html


def test_unpublished_guide_is_not_served(client):
    guide = GuidePage.objects.get(slug="rla")
    url = guide.url
    guide.unpublish()
    assert client.get(url).status_code == 404


def test_resource_library_lists_every_published_guide(client):
    response = client.get("/guides/")
    html = response.content.decode()
    for title in GuidePage.objects.live().values_list("title", flat=True):
        assert escape(title) in html


def test_shell_has_skip_link_navigation_and_footer_links(client):
    html = client.get("/guides/").content.decode()
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert '<html lang="en"' in html
    assert 'aria-current="page"' in html
    for slug in ("accessibility", "privacy"):
        assert f'href="/{slug}/"' in html


def test_pages_send_a_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_library_query_count_does_not_grow_with_guides(client):
    before = {url: cold_and_warm(client, url) for url in ("/", "/guides/")}
    library = ResourceIndexPage.objects.get()
    topic = Topic.objects.first()
    for number in range(10):
        guide = GuidePage(title=f"Extra guide {number}", slug=f"extra-{number}", summary="S.")
        guide.topics.set([topic])
        library.add_child(instance=guide)
        guide.save_revision().publish()
    after = {url: cold_and_warm(client, url) for url in ("/", "/guides/")}
    assert after == before == {"/": (17, 12), "/guides/": (14, 9)}
