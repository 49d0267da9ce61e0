"""Structured data and link previews (issue 17): schema.org JSON-LD on public question
pages (`QAPage`), guides (`Article`) and events (`Event`), validated against the properties
the types require; OpenGraph and canonical tags; and none of it about a thread a visitor
may not read."""

import json
import re

import pytest
from django.test import Client

from core.sites import base_url
from core.templatetags.open_web import json_ld
from tests.factories import make_official
from tests.reports.conftest import leaks

pytestmark = pytest.mark.django_db

# What each type needs for search engines to use it (Google's structured-data rules):
# required, then recommended, as (property, ...) paths.
REQUIRED = {
    "QAPage": ["mainEntity"],
    "Question": ["name", "answerCount"],  # and acceptedAnswer or suggestedAnswer, below
    "Answer": ["text"],
    "Article": ["headline"],
    "Event": ["name", "startDate", "location"],
    "VirtualLocation": ["url"],
    "Place": ["address"],
}
RECOMMENDED = {
    "Question": ["text", "dateCreated"],
    "Answer": ["dateCreated", "upvoteCount", "url"],
    "Article": ["datePublished", "dateModified", "author", "publisher"],
    "Event": ["endDate", "eventAttendanceMode", "organizer", "description"],
}
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def json_ld_of(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


def validate(thing: dict) -> None:
    """``thing`` and every schema.org object in it have what their type requires."""
    kind = thing["@type"]
    for name in (*REQUIRED.get(kind, ()), *RECOMMENDED.get(kind, ())):
        assert thing.get(name) not in (None, "", []), f"{kind} lacks {name}"
    if kind == "Question":
        assert "acceptedAnswer" in thing or "suggestedAnswer" in thing
    for name, value in thing.items():
        if name.startswith("date") or name.endswith("Date"):
            assert ISO_DATE.match(value), (name, value)
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, dict):
                validate(part)


def meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta property="{name}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_a_public_question_page_is_a_qa_page_of_the_answers_everyone_sees(client, web):
    html = client.get(web.public_q.get_absolute_url()).content.decode()
    [data] = json_ld_of(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    validate(data)
    question = data["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == web.public_q.title
    assert question["author"] == {"@type": "Person", "name": "Avery Asker"}
    # The merged thread's body is the canonical's no more than its answers are.
    assert question["answerCount"] == 2 == web.public_q.answer_count
    assert question["acceptedAnswer"]["text"] == "We test each printer before early voting."
    assert question["acceptedAnswer"]["url"] == base_url() + web.accepted.get_absolute_url()
    assert [a["url"] for a in question["suggestedAnswer"]] == [
        base_url() + web.suggested.get_absolute_url()
    ]
    assert not leaks(json.dumps(data))  # the hidden answer is not in it


def test_json_ld_cannot_end_its_script_element(client, web):
    """The body holds "</script><script>": in the JSON it is escaped, as json_script does."""
    html = client.get(web.public_q.get_absolute_url()).content.decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    text = json_ld_of(html)[0]["mainEntity"]["text"]
    assert "</script><script>alert(1)</script>" in text
    assert str(json_ld({"a": "</script>&"})) == (
        '<script type="application/ld+json">{"a": "\\u003C/script\\u003E\\u0026"}</script>'
    )


def test_an_anonymous_asker_has_no_author(client, web):
    html = client.get(web.anonymous_q.get_absolute_url()).content.decode()
    [data] = json_ld_of(html)
    assert "author" not in data["mainEntity"]
    assert "Avery" not in json.dumps(data)


def test_a_question_page_has_open_graph_and_a_canonical_address(client, web):
    html = client.get(web.public_q.get_absolute_url() + "?fresh=1").content.decode()
    url = base_url() + web.public_q.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == web.public_q.title
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:site_name") == "Canvass"
    assert meta(html, "og:description").startswith("We print on demand.")


@pytest.mark.parametrize("why", ["members", "cohort", "hidden", "held"])
def test_a_thread_a_visitor_may_not_read_has_no_structured_data_or_description(
    client, web, asker, moderator, why
):
    """Read by those who may (its asker; a moderator for a hidden one), the page carries
    neither JSON-LD nor an OpenGraph description of the body, however it was cached."""
    question = web.secret[why]
    assert client.get(question.get_absolute_url()).status_code == 404
    reader = moderator if why == "hidden" else asker
    signed_in = Client()
    signed_in.force_login(reader)
    for _ in range(2):  # built, then from the cached layers
        html = signed_in.get(question.get_absolute_url()).content.decode()
        assert question.title in html
        assert json_ld_of(html) == []
        assert meta(html, "og:description") is None


def test_a_thread_made_members_only_loses_its_structured_data(client, web, moderator):
    from forum import services

    url = web.public_q.get_absolute_url()
    assert json_ld_of(client.get(url).content.decode())
    services.change_audience(
        question=web.public_q, visibility="members", by=moderator, reason="Names a warehouse."
    )
    official = Client()
    official.force_login(make_official())
    html = official.get(url).content.decode()
    assert json_ld_of(html) == [] and meta(html, "og:description") is None


def test_a_guide_is_an_article(client, web):
    html = client.get(web.guide.url).content.decode()
    [data] = json_ld_of(html)
    assert data["@type"] == "Article"
    validate(data)
    assert data["headline"] == web.guide.title
    assert data["publisher"]["@type"] == data["author"]["@type"] == "Organization"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:description") == web.guide.summary
    assert f'<link rel="canonical" href="{web.guide.get_full_url()}">' in html


def test_an_event_is_an_event(client, web):
    html = client.get(web.event.url).content.decode()
    [data] = json_ld_of(html)
    assert data["@type"] == "Event"
    validate(data)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["VirtualLocation", "Place"]
    assert data["organizer"]["@type"] == "Organization"
    assert data["startDate"] == web.event.start.astimezone(web.event.zone).isoformat()


def test_every_page_has_a_canonical_address_and_open_graph_defaults(client, web):
    for path in ("/", "/questions/", "/guides/", "/events/", "/topics/"):
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="{base_url()}{path}">' in html, path
        assert meta(html, "og:site_name") == "Canvass"
        assert meta(html, "og:title"), path
