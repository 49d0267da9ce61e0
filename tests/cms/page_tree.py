"""The small page tree the editorial pages' class tests share, built once per class
(`build_tree`) under the home page, library and indexes every test database holds
(tests/content.py)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    EventIndexPage,
    HomePage,
    ResourceIndexPage,
    StandardPage,
    TopicIndexPage,
    TopicPage,
)
from cms.services import sync_topic_pages
from forum import services as forum_services
from forum.models import Topic
from tests.factories import (
    make_document,
    make_event,
    make_guide,
    make_official,
    make_toolkit,
    publish,
    solved_thread,
)

DAY = datetime.timedelta(days=1)


def add_topic(slug: str, name: str, group: str = "Test topics") -> Topic:
    """A topic added the way the taxonomy adds them, with its topic page."""
    entry = {
        "slug": slug,
        "name": name,
        "group": group,
        "group_slug": "test",
        "description": f"What offices do about {name.lower()}.",
        "basis": "",
    }
    forum_services.sync_topics(taxonomy={"tags": [entry]})
    sync_topic_pages()
    return Topic.objects.get(slug=slug)


def build_tree() -> SimpleNamespace:
    """Two topics of our own, two guides and a toolkit in the library, an upcoming, a
    running and a past event, and a solved public thread quoted by a guide."""
    alpha = add_topic("test-alpha", "Alpha procedures")
    beta = add_topic("test-beta", "Beta procedures")
    asker, expert = make_official(state="AZ"), make_official(state="OH")
    question, reply = solved_thread(
        asker,
        expert,
        title="How do you seal ballot boxes between shifts?",
        body="We want to know how other offices seal and log ballot boxes between shifts.",
        topics=[alpha],
    )
    handbook = make_document("Seal log template", "seal-log.docx", size=3 * 1024)
    guide = make_guide(
        "Alpha sealing guide",
        topics=[alpha],
        states=["AZ"],
        authors="Pat Rivera, Maricopa County Elections",
        last_reviewed=datetime.date(2026, 2, 1),
        next_review_due=datetime.date(2027, 2, 1),
        source_title="Chain of Custody Best Practices",
        source_url="https://www.eac.gov/chain-of-custody",
        publisher="U.S. Election Assistance Commission",
        source_license="Public domain (U.S. government work)",
        body=[
            ("checklist", {"title": "Before the shift", "items": ["Count the seals", "Sign"]}),
            ("heading", "Sealing the box"),
            ("paragraph", "<p>Seal every box in front of two people.</p>"),
            ("callout", {"kind": "legal", "title": "What the law says", "text": "<p>Law.</p>"}),
            ("callout", {"kind": "warning", "title": "", "text": "<p>Never alone.</p>"}),
            (
                "steps",
                {
                    "title": "How to seal",
                    "steps": [
                        {"title": "Close the lid", "text": "<p>Press down.</p>"},
                        {"title": "Record the seal number", "text": ""},
                    ],
                },
            ),
            ("document", {"document": handbook, "description": "Print one per box."}),
            ("quote", {"quote": "Two people, always.", "attribution": "A county clerk"}),
            ("qa_excerpt", {"question": question.pk, "note": "A tested routine."}),
        ],
    )
    every_state = make_guide(
        "Beta guide for every state", topics=[beta], summary="Applies everywhere."
    )
    toolkit = make_toolkit(
        "Alpha toolkit for Ohio", document=handbook, topics=[alpha], states=["OH"]
    )
    now = timezone.now()
    upcoming = make_event(
        "Alpha webinar ahead",
        start=now + 10 * DAY,
        end=now + 10 * DAY + datetime.timedelta(hours=1),
        topics=[alpha],
        registration_url="https://events.example.org/register",
        time_zone="America/Los_Angeles",
    )
    running = make_event(
        "Alpha convening under way",
        kind="convening",
        start=now - DAY,
        end=now + DAY,
        online_url="",
        place="Columbus, OH",
    )
    past = make_event(
        "Alpha webinar gone by",
        start=now - 30 * DAY,
        end=now - 30 * DAY + datetime.timedelta(hours=1),
        registration_url="https://events.example.org/old-register",
        recording_url="https://video.example.org/recording",
        materials=[("document", {"document": handbook, "description": "The slides"})],
        topics=[alpha],
    )
    plain = publish(
        HomePage.objects.get(),
        StandardPage(
            title="Shared standards",
            slug="shared-standards",
            intro="What members agree on.",
            body=[("heading", "Nonpartisan"), ("paragraph", "<p>Always.</p>")],
        ),
    )
    return SimpleNamespace(
        alpha=alpha,
        beta=beta,
        asker=asker,
        expert=expert,
        question=question,
        reply=reply,
        handbook=handbook,
        guide=guide,
        every_state=every_state,
        toolkit=toolkit,
        upcoming=upcoming,
        running=running,
        past=past,
        plain=plain,
        home=HomePage.objects.get(),
        library=ResourceIndexPage.objects.get(),
        events=EventIndexPage.objects.get(),
        topics=TopicIndexPage.objects.get(),
        alpha_page=TopicPage.objects.get(topic=alpha),
    )


class PageTreeTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()

    def html(self, url: str, **params) -> str:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()
