"""Creating the editorial pages: each type through the Wagtail admin's create form with
its blocks and inlines, where each type may live, and the topic pages the sync command
adds."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    EventIndexPage,
    EventPage,
    GuidePage,
    HomePage,
    ResourceIndexPage,
    StandardPage,
    ToolkitPage,
    TopicIndexPage,
    TopicPage,
)
from forum import services as forum_services
from forum.models import Topic, Visibility
from tests.cms.page_tree import PageTreeTestCase, add_topic
from tests.factories import ask, make_admin

pytestmark = pytest.mark.django_db


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


def test_the_sync_command_adds_a_page_for_a_new_topic(capsys):
    Topic.objects.create(name="Ballot design", slug="ballot-design-test", group="Ballots")
    call_command("sync_topic_pages")
    assert "Topic pages: 1 added." in capsys.readouterr().out
    assert TopicPage.objects.get(topic__slug="ballot-design-test").live
