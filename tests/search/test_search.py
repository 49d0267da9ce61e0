import pytest
from django.utils.html import escape

from cms.models import GuidePage

pytestmark = pytest.mark.django_db


def test_search_finds_demo_guides(client):
    response = client.get("/search/", {"q": "risk-limiting audit"})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(GuidePage.objects.get(slug="rla").title) in html


def test_search_filters_by_topic(client):
    response = client.get("/search/", {"topic": "physical-security"})
    titles = set(
        GuidePage.objects.filter(tagged_topics__tag__slug="physical-security").values_list(
            "title", flat=True
        )
    )
    html = response.content.decode()
    assert titles
    for title in titles:
        assert escape(title) in html
    assert escape(GuidePage.objects.get(slug="dotgov").title) not in html


def test_search_without_terms_shows_only_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'id="results-heading"' not in response.content.decode()


def test_search_keeps_what_was_typed_and_reports_bad_input(client):
    response = client.get("/search/", {"q": "ballot", "topic": "not-a-topic"})
    html = response.content.decode()
    assert 'value="ballot"' in html
    assert 'class="usa-error-message"' in html
    assert "Select a valid choice" in html


def test_only_published_public_guides_are_indexed():
    from cms.search_indexes import GuidePageIndex

    guide = GuidePage.objects.get(slug="rla")
    guide.unpublish()
    indexed = set(GuidePageIndex().index_queryset().values_list("slug", flat=True))
    assert "rla" not in indexed
    assert "chain-of-custody" in indexed
