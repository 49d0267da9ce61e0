import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from cms.models import GuidePage, HomePage
from demo.pages import (
    CHECK,
    FEATURED_GUIDES,
    FURTHER_SOURCES,
    GUIDE_SHAPES,
    PROMOTED_INTRO,
    PROMOTED_THREAD,
    REVIEW_OVERDUE,
    P,
    list_items,
    read_guides,
    shape_guide,
    thread_numbers,
)
from demo.threads import DemoDataError
from forum.models import Question, Visibility

pytestmark = pytest.mark.django_db

LAID_OUT = {"heading", "callout", "checklist", "steps"}


def data_guides() -> dict[str, dict]:
    return {row["id"].removeprefix("g-"): row for row in read_guides()}


def texts(block) -> list[str]:
    """The words of a block that come from the guide's data (not headings or titles)."""
    if block.block_type == "paragraph":
        source = block.value.source
        return [html.unescape(t) for t in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", source)]
    if block.block_type == "callout":
        return [html.unescape(t) for t in re.findall(r"<p>(.*?)</p>", block.value["text"].source)]
    if block.block_type == "checklist":
        return list(block.value["items"])
    if block.block_type == "steps":
        return [step["title"] for step in block.value["steps"]]
    return []


def test_every_demo_guide_is_laid_out_in_blocks_beyond_paragraphs():
    guides = GuidePage.objects.filter(slug__in=data_guides())
    assert guides.count() == 14
    used = set()
    for guide in guides:
        types = {block.block_type for block in guide.body}
        used |= types
        assert "heading" in types, guide.slug
        assert types & {"callout", "checklist", "steps"} or "<ul>" in str(guide.body), guide.slug
    assert {"heading", "paragraph", "callout", "checklist", "steps"} <= used
    assert {"qa_excerpt", "document"} <= used


def test_legal_callouts_carry_what_the_law_requires_or_leaves_to_states():
    legal = [
        block.value["text"].source
        for guide in GuidePage.objects.filter(slug__in=data_guides())
        for block in guide.body
        if block.block_type == "callout" and block.value["kind"] == "legal"
    ]
    assert len(legal) >= 8
    for text in legal:
        assert re.search(r"requir|must|law|HAVA|NVRA|state|guarantees|crime", text), text


def test_guide_text_is_the_data():
    """Only headings and list titles are written by the loader; `shape_guide` makes sure
    each sentence is used (next test)."""
    rows = data_guides()
    for guide in GuidePage.objects.filter(slug__in=rows):
        body = rows[guide.slug]["body"].lower()
        found = [
            text
            for block in guide.body
            for text in texts(block)
            if not text.startswith(FURTHER_SOURCES)
        ]
        assert len(" ".join(found)) > 0.8 * len(body), guide.slug
        for text in found:
            assert text.strip().rstrip(".:").lower() in body, (guide.slug, text)


def test_the_blocks_pass_their_own_validation():
    guides = list(GuidePage.objects.live())
    assert len(guides) >= 14
    refused = {}
    for guide in guides:
        try:
            guide.body.stream_block.clean(guide.body)
        except ValidationError as error:
            refused[guide.slug] = error
    assert refused == {}


def test_a_shape_that_drops_a_sentence_or_invents_an_item_is_refused():
    body = "First sentence here. Second one: a, b and c."
    with pytest.raises(DemoDataError, match="uses sentences"):
        shape_guide("x", body, [P(0)])
    with pytest.raises(DemoDataError, match="not in its text"):
        shape_guide("x", body, [P(0), CHECK(1, items=("an invented item",))])
    blocks = shape_guide("x", body, [P(0), CHECK(1, lead=":", lead_as="title")])
    assert blocks[1] == ("checklist", {"title": "Second one", "items": ["A", "B", "C"]})


def test_every_data_guide_has_a_shape():
    assert set(GUIDE_SHAPES) == set(data_guides())


@pytest.mark.parametrize(
    ("text", "separator", "items"),
    [
        ("a, b and c", ",", ["a", "b", "c"]),
        ("a, b and c, and d.", ",", ["a", "b and c", "d"]),
        ("residency, age (x and y) and party", ",", ["residency", "age (x and y)", "party"]),
        ("tell (911, FBI), and go", ",", ["tell (911, FBI)", "go"]),
        ("do this, then that; and more", ";", ["do this, then that", "and more"]),
    ],
)
def test_lists_written_as_sentences_split_into_items(text, separator, items):
    assert list_items(text, separator) == items


def test_guides_keep_topics_sources_authors_and_review_dates():
    rows = data_guides()
    today = timezone.localdate()
    overdue = set()
    for guide in GuidePage.objects.filter(slug__in=rows):
        row = rows[guide.slug]
        assert set(guide.topics.values_list("slug", flat=True)) == set(row["tags"])
        assert guide.publisher == row["publisher"]
        assert guide.source_url.startswith("https://")
        assert guide.source_license == row["source_license"]
        assert guide.authors.startswith("Canvass editors, summarising ")
        assert row["publisher"].split(";")[0].strip() in guide.authors
        assert guide.last_reviewed < today
        assert guide.next_review_due > guide.last_reviewed
        # The data names no state a guide is limited to: every guide applies everywhere.
        assert guide.state_codes == []
        if guide.next_review_due < today:
            overdue.add(guide.slug)
    assert overdue == REVIEW_OVERDUE


def test_a_guide_with_two_sources_links_the_second_one():
    guide = GuidePage.objects.get(slug="accessibility")
    assert guide.source_url == "https://www.eac.gov"
    assert guide.source_title == "Quick Start Management Guide: Accessibility, 2010"
    last = list(guide.body)[-1]
    assert last.block_type == "paragraph"
    assert last.value.source == (
        f'<p>{FURTHER_SOURCES} <a href="https://archive.ada.gov/votingck.htm">'
        "U.S. Department of Justice</a>.</p>"
    )
    safety = GuidePage.objects.get(slug="personal-safety")
    assert safety.source_url == "https://www.cisa.gov/topics/election-security/protect-yourself"


def test_qa_excerpts_quote_public_demo_threads_with_accepted_answers():
    numbers = [
        block.value["question"]
        for guide in GuidePage.objects.filter(slug__in=data_guides())
        for block in guide.body
        if block.block_type == "qa_excerpt"
    ]
    assert len(numbers) >= 10
    questions = Question.objects.filter(pk__in=numbers)
    assert questions.count() == len(set(numbers))
    for question in questions:
        assert question.visibility == Visibility.PUBLIC
        assert question.accepted_answer_id is not None


def test_guides_offer_the_toolkit_documents():
    for slug, title in [
        ("chain-of-custody", "Chain-of-custody log (Excel)"),
        ("poll-workers", "Polling place opening and closing checklist (Word)"),
    ]:
        [document] = [
            b.value["document"]
            for b in GuidePage.objects.get(slug=slug).body
            if b.block_type == "document"
        ]
        assert document.title == title


def test_the_home_page_features_four_guides_in_order():
    home = HomePage.objects.get()
    featured = [row.guide.slug for row in home.featured.order_by("sort_order")]
    assert featured == FEATURED_GUIDES
    assert not home.has_unpublished_changes


def test_a_guide_is_promoted_from_a_demo_thread_and_published():
    question = Question.objects.get(pk=thread_numbers()[PROMOTED_THREAD])
    [guide] = question.guides.all()
    assert guide.live and not guide.has_unpublished_changes
    assert guide.title == question.title
    intro, excerpt = list(guide.body)
    assert intro.block_type == "paragraph" and intro.value.source == PROMOTED_INTRO
    assert excerpt.block_type == "qa_excerpt" and excerpt.value["question"] == question.pk
    assert guide.owner.email == "evelyn.chen@demo.example"
    assert guide.get_latest_revision().user == guide.owner
    assert guide.state_codes == question.state_codes
    assert guide.get_parent().slug == "guides"


def test_guide_page_shows_summary_body_topics_and_source(client):
    guide = GuidePage.objects.get(slug="chain-of-custody")
    response = client.get(guide.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert escape(guide.summary) in html
    assert "Write the procedure down" in html
    assert 'href="/topics/chain-of-custody/"' in html
    assert 'href="https://www.eac.gov"' in html
