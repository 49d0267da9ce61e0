"""What each editorial page shows: guides, toolkits, events and their index, topics, the
home page; the shell around every page (skip link, navigation, footer, security policy);
an unpublished page is not served."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cms.models import EventPage, HomeFeaturedGuide, HomePage, StandardPage
from forum.models import Question, Topic, Visibility
from tests.cms.page_tree import DAY, PageTreeTestCase
from tests.factories import ask, make_event, make_guide, make_member, make_official, publish

pytestmark = pytest.mark.django_db


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


# The shell, and a page taken down --------------------------------------------------------


def test_unpublished_guide_is_not_served(client):
    guide = make_guide("Risk-limiting audits in brief")
    url = guide.url
    guide.unpublish()
    assert client.get(url).status_code == 404


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
