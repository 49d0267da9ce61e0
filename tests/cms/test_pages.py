"""The editorial pages: each type created through the Wagtail admin with its blocks and
inlines, where each may live, what each page shows, the resource library's filters and
pages, the events' upcoming/past split, and query counts that do not grow with content.

The class tests share a small page tree built once per class (`build_tree`) under the
home page, library and indexes every test database holds (tests/content.py)."""

import datetime
import re
import zoneinfo
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    EventIndexPage,
    EventPage,
    GuidePage,
    HomeFeaturedGuide,
    HomePage,
    ResourceIndexPage,
    StandardPage,
    ToolkitPage,
    TopicIndexPage,
    TopicPage,
)
from cms.services import sync_topic_pages
from forum import services as forum_services
from forum.models import Question, Topic, Visibility
from tests.factories import (
    ask,
    make_admin,
    make_document,
    make_event,
    make_guide,
    make_member,
    make_official,
    make_toolkit,
    publish,
    solved_thread,
)
from tests.queries import cold_and_warm

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# Building blocks ------------------------------------------------------------------------


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


def form_data(data: dict) -> dict:
    """Wagtail's nested_form_data, keeping top-level lists (the topic checkboxes) as lists
    of values for one field, as a browser posts them."""
    lists = {name: value for name, value in data.items() if isinstance(value, list)}
    return {**nested_form_data({k: v for k, v in data.items() if k not in lists}), **lists}


def listblock(values: list) -> dict:
    """Form data for a ListBlock, the way the admin's editor posts it."""
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


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


# Creating pages in the admin --------------------------------------------------------------


class CreatingPagesTests(PageTreeTestCase):
    """Every page type through the admin's create form, with its blocks and inlines."""

    def setUp(self):
        self.client.force_login(make_admin())

    def test_guide_with_every_block_and_inline(self):
        tree = self.tree
        # Topics are checkboxes: a name with a comma is one topic, not two new ones.
        comma = add_topic("test-comma", "Recruitment, training & pay")
        self.assertCanCreate(
            tree.library,
            GuidePage,
            form_data(
                {
                    "title": "Admin-made guide",
                    "slug": "admin-made-guide",
                    "summary": "Made in the admin.",
                    "topics": [tree.alpha.pk, comma.pk],
                    "authors": "An editor",
                    "last_reviewed": "2026-03-01",
                    "next_review_due": "2027-03-01",
                    "source_title": "A source",
                    "source_url": "https://www.eac.gov/",
                    "publisher": "EAC",
                    "source_license": "Public domain",
                    "applies_to": inline_formset([{"state": "AZ"}, {"state": "NM"}]),
                    "body": streamfield(
                        [
                            ("heading", "First section"),
                            ("paragraph", rich_text("<p>Some advice.</p>")),
                            (
                                "callout",
                                {
                                    "kind": "warning",
                                    "title": "Careful",
                                    "text": rich_text("<p>Check the law.</p>"),
                                },
                            ),
                            ("checklist", {"title": "Tick", "items": listblock(["A", "B"])}),
                            (
                                "steps",
                                {
                                    "title": "Do",
                                    "steps": listblock(
                                        [
                                            {"title": "One", "text": rich_text("<p>1</p>")},
                                            {"title": "Two", "text": rich_text("<p>2</p>")},
                                        ]
                                    ),
                                },
                            ),
                            ("document", {"document": tree.handbook.pk, "description": "D"}),
                            ("quote", {"quote": "Q", "attribution": "A"}),
                            ("qa_excerpt", {"question": tree.question.pk, "note": ""}),
                        ]
                    ),
                }
            ),
        )
        guide = GuidePage.objects.get(slug="admin-made-guide")
        self.assertEqual(
            [block.block_type for block in guide.body],
            [
                "heading",
                "paragraph",
                "callout",
                "checklist",
                "steps",
                "document",
                "quote",
                "qa_excerpt",
            ],
        )
        self.assertEqual(guide.state_codes, ["AZ", "NM"])
        self.assertEqual(set(guide.topics.all()), {tree.alpha, comma})
        self.assertEqual(guide.body[4].value["steps"][1]["title"], "Two")
        html = self.html(guide.url)
        self.assertIn("Arizona, New Mexico", html)
        self.assertIn(escape(tree.question.title), html)

    def test_an_excerpt_of_a_question_without_accepted_answer_is_refused(self):
        unsolved = ask(self.tree.asker, visibility=Visibility.PUBLIC)
        data = form_data(
            {
                "title": "Refused guide",
                "slug": "refused-guide",
                "summary": "S.",
                "applies_to": inline_formset([]),
                "body": streamfield([("qa_excerpt", {"question": unsolved.pk, "note": ""})]),
            }
        )
        with self.assertRaisesRegex(AssertionError, "Validation errors"):
            self.assertCanCreate(self.tree.library, GuidePage, data)
        self.assertFalse(GuidePage.objects.filter(slug="refused-guide").exists())

    def test_toolkit_with_templates(self):
        self.assertCanCreate(
            self.tree.library,
            ToolkitPage,
            form_data(
                {
                    "title": "Admin-made toolkit",
                    "slug": "admin-made-toolkit",
                    "summary": "Templates.",
                    "intro": rich_text("<p>How to use them.</p>"),
                    "topics": [self.tree.beta.pk],
                    "templates": inline_formset(
                        [{"document": self.tree.handbook.pk, "note": "Change the dates."}],
                        min=1,
                    ),
                    "applies_to": inline_formset([]),
                }
            ),
        )
        toolkit = ToolkitPage.objects.get(slug="admin-made-toolkit")
        self.assertEqual([row.note for row in toolkit.templates.all()], ["Change the dates."])
        self.assertEqual(toolkit.state_codes, [])
        self.assertIn("All states", self.html(toolkit.url))

    def test_event_with_materials(self):
        self.assertCanCreate(
            self.tree.events,
            EventPage,
            form_data(
                {
                    "title": "Admin-made webinar",
                    "slug": "admin-made-webinar",
                    "kind": "webinar",
                    "summary": "A webinar.",
                    "description": rich_text("<p>Agenda.</p>"),
                    "start": "2026-04-01 14:00",
                    "end": "2026-04-01 15:30",
                    "time_zone": "America/Chicago",
                    "online_url": "https://meet.example.org/w",
                    "place": "",
                    "registration_url": "",
                    "recording_url": "https://video.example.org/w",
                    "materials": streamfield(
                        [("document", {"document": self.tree.handbook.pk, "description": "S"})]
                    ),
                    "topics": [self.tree.alpha.pk],
                }
            ),
        )
        event = EventPage.objects.get(slug="admin-made-webinar")
        self.assertEqual(event.end - event.start, datetime.timedelta(minutes=90))
        # The times were typed in the event's zone (Central), not the editor's (Eastern),
        # and the edit form shows them back the same way.
        central = datetime.datetime(2026, 4, 1, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
        self.assertEqual(event.start, central)
        form_class = EventPage.get_edit_handler().get_form_class()
        form = form_class(instance=event, for_user=event.owner)
        self.assertEqual(form.initial["start"], datetime.datetime(2026, 4, 1, 14, 0))
        self.assertEqual(event.materials[0].value["document"], self.tree.handbook)

    def test_event_needs_a_link_or_a_place_and_to_end_after_it_starts(self):
        data = {
            "title": "Nowhere webinar",
            "slug": "nowhere-webinar",
            "kind": "webinar",
            "summary": "S.",
            "start": "2026-04-01 14:00",
            "end": "2026-04-01 13:00",
            "time_zone": "America/Chicago",
            "materials": streamfield([]),
        }
        with self.assertRaisesRegex(AssertionError, "Validation errors"):
            self.assertCanCreate(self.tree.events, EventPage, form_data(data))
        self.assertFalse(EventPage.objects.filter(slug="nowhere-webinar").exists())

    def test_topic_page(self):
        entry = {"slug": "test-gamma", "name": "Gamma", "group": "Test topics"}
        forum_services.sync_topics(
            taxonomy={"tags": [{**entry, "group_slug": "test", "description": "", "basis": ""}]}
        )
        topic = Topic.objects.get(slug="test-gamma")
        self.assertEqual(self.client.get(topic.get_absolute_url()).status_code, 404)
        self.assertCanCreate(
            self.tree.topics,
            TopicPage,
            form_data(
                {
                    "title": "Gamma",
                    "slug": "test-gamma",
                    "topic": topic.pk,
                    "intro": rich_text("<p>About gamma.</p>"),
                }
            ),
        )
        self.assertEqual(TopicPage.objects.get(slug="test-gamma").topic, topic)
        self.assertEqual(self.client.get(topic.get_absolute_url()).status_code, 200)

    def test_standard_page(self):
        self.assertCanCreate(
            self.tree.home,
            StandardPage,
            form_data(
                {
                    "title": "Accessibility help",
                    "slug": "accessibility-help",
                    "intro": "How to reach us.",
                    "body": streamfield(
                        [("heading", "Contact"), ("paragraph", rich_text("<p>Email us.</p>"))]
                    ),
                }
            ),
        )
        self.assertIn("Email us.", self.html("/accessibility-help/"))

    def test_one_of_each_index_and_the_home_page(self):
        """The home page and the indexes exist once; their forms (intro, featured guides)
        are tried with the limit raised for the length of the test."""
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))
        for model in (ResourceIndexPage, EventIndexPage, TopicIndexPage):
            self.assertFalse(model.can_create_at(self.tree.home))
        with mock.patch.object(HomePage, "max_count", 2):
            self.assertCanCreate(
                root,
                HomePage,
                form_data(
                    {
                        "title": "Second home",
                        "slug": "second-home",
                        "intro": "Another site.",
                        "featured": inline_formset([{"guide": self.tree.guide.pk}], max=6),
                    }
                ),
            )
        second = HomePage.objects.get(slug="second-home")
        self.assertEqual([row.guide for row in second.featured.all()], [self.tree.guide])
        for number, model in enumerate((ResourceIndexPage, EventIndexPage, TopicIndexPage)):
            with mock.patch.object(model, "max_count", 2):
                self.assertCanCreate(
                    self.tree.home,
                    model,
                    form_data(
                        {"title": f"Index {number}", "slug": f"index-{number}", "intro": "I."}
                    ),
                )


class PageTypeRulesTests(WagtailPageTestCase):
    def test_where_each_page_type_may_live(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # HomePage and StandardPage leave subpage_types open, so Wagtail's base Page (which
        # editors cannot create) counts as allowed; what editors may add is what matters.
        self.assertEqual(
            set(HomePage.creatable_subpage_models()),
            {ResourceIndexPage, EventIndexPage, TopicIndexPage, StandardPage},
        )
        self.assertAllowedParentPageTypes(ResourceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceIndexPage, {GuidePage, ToolkitPage})
        for model in (GuidePage, ToolkitPage):
            self.assertAllowedParentPageTypes(model, {ResourceIndexPage})
            self.assertAllowedSubpageTypes(model, {})
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, {})
        self.assertAllowedParentPageTypes(TopicIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicIndexPage, {TopicPage})
        self.assertAllowedParentPageTypes(TopicPage, {TopicIndexPage})
        self.assertAllowedSubpageTypes(TopicPage, {})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertEqual(set(StandardPage.creatable_subpage_models()), {StandardPage})


# What each page shows ---------------------------------------------------------------------


class RenderingTests(PageTreeTestCase):
    def test_every_page_type_renders_with_one_h1(self):
        tree = self.tree
        for page in (
            tree.home,
            tree.library,
            tree.guide,
            tree.toolkit,
            tree.events,
            tree.upcoming,
            tree.past,
            tree.topics,
            tree.alpha_page,
            tree.plain,
        ):
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsRenderable(page)
                html = self.html(page.url)
                self.assertEqual(html.count("<h1"), 1)
                self.assertIn(escape(page.title), html)

    def test_guide_shows_blocks_states_authors_review_dates_and_source(self):
        html = self.html(self.tree.guide.url)
        for text in (
            "Summary of Alpha sealing guide.",
            "Applies in",
            "Arizona",
            "Pat Rivera, Maricopa County Elections",
            '<time datetime="2026-02-01">February 1, 2026</time>',
            '<time datetime="2027-02-01">February 1, 2027</time>',
            'href="https://www.eac.gov/chain-of-custody"',
            "U.S. Election Assistance Commission",
            "License: Public domain (U.S. government work).",
            # blocks
            "Count the seals",
            'class="canvass-checklist__list"',
            "<h2>Sealing the box</h2>",
            "usa-summary-box",
            '<span class="canvass-callout__label">Legal',
            "usa-alert--warning",
            '<span class="canvass-callout__label">Warning</span>',
            '<ol class="usa-process-list">',
            "Record the seal number",
            "Seal log template",
            "(DOCX, 3.0\xa0KB)",
            "Print one per box.",
            "Two people, always.",
            "— A county clerk",
        ):
            self.assertIn(text, html)
        # The checklist comes before the first section heading, so its title is an h2;
        # the steps come after it, so theirs is an h3 and each step an h4.
        self.assertIn("<h2>Before the shift</h2>", html)
        self.assertIn("<h3>How to seal</h3>", html)
        self.assertIn('<h4 class="usa-process-list__heading">Close the lid</h4>', html)

    def test_topic_chips_lead_to_topic_pages_and_the_forum_list_stays(self):
        html = self.html(self.tree.guide.url)
        self.assertIn('href="/topics/test-alpha/"', html)
        self.assertEqual(self.tree.alpha.get_absolute_url(), self.tree.alpha_page.url)
        forum_list = reverse("forum:topic", args=["test-alpha"])
        self.assertIn(escape(self.tree.question.title), self.html(forum_list))

    def test_toolkit_lists_each_template_with_type_size_and_note(self):
        html = self.html(self.tree.toolkit.url)
        self.assertIn(f'href="{self.tree.handbook.url}"', html)
        self.assertIn("(DOCX, 3.0\xa0KB)", html)
        self.assertIn("Put your county&#x27;s name in.", html)
        self.assertIn("Adapt the templates to your office.", html)
        self.assertIn("Ohio", html)

    def test_upcoming_event_shows_its_zone_registration_and_calendar_link(self):
        event = self.tree.upcoming
        html = self.html(event.url)
        local = timezone.localtime(event.start, event.zone)
        self.assertIn(local.strftime("%A, %B %-d, %Y, %-I:%M %p"), html)
        self.assertIn(local.tzname(), html)  # PST or PDT
        self.assertIn("Times are in Pacific time.", html)
        self.assertIn('href="https://events.example.org/register"', html)
        self.assertIn(f'href="{event.url}calendar/"', html)
        self.assertIn("Add to calendar (.ics)", html)
        self.assertIn('href="https://meet.example.org/canvass"', html)
        self.assertNotIn("Recording and materials", html)

    def test_past_event_shows_recording_and_materials_not_registration(self):
        html = self.html(self.tree.past.url)
        self.assertIn("Past event", html)
        self.assertIn("Recording and materials", html)
        self.assertIn('href="https://video.example.org/recording"', html)
        self.assertIn("The slides", html)
        self.assertIn(f'href="{self.tree.handbook.url}"', html)
        self.assertNotIn("old-register", html)
        self.assertNotIn('href="https://meet.example.org/canvass"', html)

    def test_event_index_splits_upcoming_from_past_and_pages_the_past(self):
        html = self.html(self.tree.events.url)
        upcoming, past = html.split('id="events-past"')
        self.assertIn("Alpha webinar ahead", upcoming)
        self.assertIn("Alpha convening under way", upcoming)  # not over yet
        self.assertNotIn("Alpha webinar gone by", upcoming)
        self.assertIn("Alpha webinar gone by", past)
        self.assertNotIn("Alpha webinar ahead", past)
        # Older than the tree's events, so the oldest of all is on the last page.
        long_ago = timezone.now() - 3650 * DAY
        for number in range(3):
            make_event(
                f"Older webinar {number}",
                start=long_ago - number * DAY,
                end=long_ago - number * DAY + datetime.timedelta(hours=1),
            )
        past = EventPage.objects.live().past().count()
        pages = (past + 1) // 2
        with mock.patch("cms.models.EVENTS_PAGE_SIZE", 2):
            first = self.html(self.tree.events.url)
            last = self.html(self.tree.events.url, page=pages)
        self.assertIn(f"Page 1 of {pages}", first)
        self.assertIn('href="?page=2"', first)
        self.assertNotIn("Older webinar 2", first)
        self.assertIn("Older webinar 2", last)
        self.assertIn(f"Page {pages} of {pages}", last)
        self.assertEqual(last.count('class="usa-collection__item'), 2 - past % 2)
        # The upcoming list heads the first page only.
        self.assertNotIn("Alpha webinar ahead", last)

    def test_topic_index_groups_topics(self):
        html = self.html(self.tree.topics.url)
        group = html.split(">Test topics</h2>")[1].split("</section>")[0]
        self.assertIn('href="/topics/test-alpha/"', group)
        self.assertIn('href="/topics/test-beta/"', group)
        self.assertNotIn('href="/topics/chain-of-custody/"', group)
        for topic in Topic.objects.exclude(group="Test topics"):
            self.assertIn(f'href="/topics/{topic.slug}/"', html)
            self.assertEqual(html.count(f">{escape(topic.group)}</h2>"), 1)

    def test_topic_page_lists_its_guides_toolkits_events_and_public_questions(self):
        members_only = ask(
            self.tree.asker,
            title="Alpha members-only question about seals",
            topics=[self.tree.alpha],
            visibility=Visibility.MEMBERS,
        )
        html = self.html(self.tree.alpha_page.url)
        for title in (
            "Alpha sealing guide",
            "Alpha toolkit for Ohio",
            "Alpha webinar ahead",
            "Alpha webinar gone by",
            escape(self.tree.question.title),
        ):
            self.assertIn(title, html)
        self.assertNotIn("Beta guide for every state", html)
        self.assertNotIn(members_only.title, html)
        self.assertIn(f'href="{reverse("forum:topic", args=["test-alpha"])}"', html)

    def test_home_features_guides_and_lists_events_topics_and_public_questions(self):
        home = self.tree.home
        home.featured = [HomeFeaturedGuide(guide=self.tree.every_state)]
        home.save_revision().publish()
        hidden = ask(self.tree.asker, title="Alpha members-only thread on the home page")
        html = self.html("/")
        self.assertIn(escape(home.intro), html)
        featured = html.split('id="featured-guides"')[1].split("</section>")[0]
        self.assertIn("Beta guide for every state", featured)
        self.assertNotIn("Alpha sealing guide", featured)
        self.assertIn(escape(self.tree.question.title), html)
        self.assertNotIn(hidden.title, html)
        self.assertIn("Alpha webinar ahead", html)
        self.assertNotIn("Alpha webinar gone by", html)
        for page in (self.tree.library, self.tree.events, self.tree.topics, self.tree.alpha_page):
            self.assertIn(f'href="{page.url}"', html)
        self.assertNotIn("?sort=unanswered", html)

    def test_home_tells_a_signed_in_official_how_many_questions_wait_for_an_answer(self):
        official = make_official()
        ask(official, title="An Alpha question nobody has answered yet")
        self.client.force_login(official)
        html = self.html("/")
        waiting = Question.objects.visible_to(official).unanswered().count()
        self.assertGreater(waiting, 0)
        link = f'href="{reverse("forum:questions")}?sort=unanswered"'
        self.assertRegex(html, rf"{re.escape(link)}>{waiting} questions? (is|are) waiting")
        listing = self.html(reverse("forum:questions"), sort="unanswered")
        self.assertIn("An Alpha question nobody has answered yet", listing)

    def test_home_counts_only_public_questions_for_a_member(self):
        ask(self.tree.asker, title="A members-only Alpha question, unanswered")
        member = make_member()
        self.client.force_login(member)
        waiting = Question.objects.public().unanswered().count()
        self.assertIn(f">{waiting} question", self.html("/"))


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


# The shell, the library as a whole and query counts ----------------------------------------


def test_unpublished_guide_is_not_served(client):
    guide = make_guide("Risk-limiting audits in brief")
    url = guide.url
    guide.unpublish()
    assert client.get(url).status_code == 404


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


def test_shell_has_skip_link_navigation_and_footer_links(client):
    home = HomePage.objects.get()
    for slug in ("accessibility", "privacy"):
        page = StandardPage(title=slug.title(), slug=slug, intro="Intro.", show_in_menus=True)
        publish(home, page)
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


def test_the_sync_command_adds_a_page_for_a_new_topic(capsys):
    from django.core.management import call_command

    Topic.objects.create(name="Ballot design", slug="ballot-design-test", group="Ballots")
    call_command("sync_topic_pages")
    assert "Topic pages: 1 added." in capsys.readouterr().out
    assert TopicPage.objects.get(topic__slug="ballot-design-test").live
