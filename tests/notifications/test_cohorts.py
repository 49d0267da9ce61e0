"""Following a cohort (issue 16): the box in its space, the settings page, the fan-out of
its new cohort-only questions to its watchers, digests and the export; members only, and a
former member (their office removed from the cohort) hears of nothing more."""

import datetime
import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from accounts.services import set_verified_until
from cohorts import services as cohort_services
from cohorts.hooks import COHORT_PANELS
from cohorts.models import Cohort
from forum.models import Question, Visibility
from notifications import inbox, services, views
from notifications.digests import send_digests
from notifications.fanout import deliver
from notifications.models import Digest, EmailSettings, Follow, Kind, Level, Notification
from tests import factories
from tests.notifications.smtp import MailServer

pytestmark = pytest.mark.django_db

MARICOPA, PIMA = "az-maricopa-county", "az-pima-county"


def make_cohort(*offices: str, name: str = "Centers 2026", is_listed: bool = True) -> Cohort:
    return factories.make_cohort(
        name, offices=[factories.find_jurisdiction(slug) for slug in offices], is_listed=is_listed
    )


def ask_in(cohort: Cohort, author, **fields) -> Question:
    """A cohort-only question, asked through the forum's service."""
    return factories.ask(author, visibility=Visibility.COHORT, cohort=cohort, **fields)


def announce(question: Question) -> int:
    """What the background task does once the question commits."""
    return deliver(
        activity="asked", question_id=question.pk, actor_id=question.author_id, post_id=None
    )


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.NEW_QUESTION))


def leave(cohort: Cohort, slug: str) -> None:
    factories.remove_office(cohort, factories.find_jurisdiction(slug))


@pytest.fixture
def cohort():
    return make_cohort(MARICOPA, PIMA)


@pytest.fixture
def member_of_pima():
    return factories.make_official(
        jurisdiction=factories.find_jurisdiction(PIMA), display_name="Pima Member"
    )


# ---- following ---------------------------------------------------------------------------


def test_only_members_follow_a_cohort_and_a_former_member_may_stop(cohort, official, member):
    services.follow_cohort(user=official, cohort=cohort, level=Level.WATCHING)
    assert Follow.objects.get(user=official, cohort=cohort).level == Level.WATCHING
    assert EmailSettings.objects.filter(user=official).exists()  # digests from now on
    outsider = factories.make_official(state="OH")
    for person in (outsider, member, factories.make_moderator()):
        with pytest.raises(services.NotificationError):
            services.follow_cohort(user=person, cohort=cohort, level=Level.NORMAL)
    leave(cohort, MARICOPA)
    with pytest.raises(services.NotificationError):
        services.follow_cohort(user=official, cohort=cohort, level=Level.NORMAL)
    services.follow_cohort(user=official, cohort=cohort, level=None)
    assert not Follow.objects.filter(user=official).exists()


def test_the_box_in_the_space_is_for_members_and_follows(client, cohort, official):
    assert views.cohort_panel in hooks.get_hooks(COHORT_PANELS)
    request = RequestFactory().get("/cohorts/centers-2026/")
    request.user = factories.make_official(state="OH")
    assert views.cohort_panel(request, cohort) == ""
    request.user = official
    box = views.cohort_panel(request, cohort)
    assert "Follow this cohort" in box
    assert reverse("notifications:follow_cohort", args=[cohort.slug]) in box

    client.force_login(official)
    url = reverse("notifications:follow_cohort", args=[cohort.slug])
    response = client.post(url, {"level": Level.WATCHING, "next": "/cohorts/centers-2026/"})
    assert response.status_code == 302 and response["Location"] == "/cohorts/centers-2026/"
    assert Follow.objects.get(user=official, cohort=cohort).level == Level.WATCHING
    response = client.post(url, {"level": "often"})
    assert response["Location"] == reverse("notifications:settings")
    assert Follow.objects.get(user=official, cohort=cohort).level == Level.WATCHING
    client.post(url, {"level": ""})
    assert not Follow.objects.filter(user=official).exists()


def test_a_cohort_answers_non_members_as_if_it_did_not_exist(client, cohort):
    hidden = make_cohort(PIMA, name="Quiet Network", is_listed=False)
    client.force_login(factories.make_official(state="OH"))
    for slug in (cohort.slug, hidden.slug, "no-such-cohort"):
        url = reverse("notifications:follow_cohort", args=[slug])
        response = client.post(url, {"level": Level.WATCHING})
        assert response.status_code == 404
    assert not Follow.objects.exists()


def test_the_settings_page_lists_followed_cohorts_and_a_former_member_may_only_stop(
    client, cohort, official
):
    services.follow_cohort(user=official, cohort=cohort, level=Level.WATCHING)
    client.force_login(official)
    settings_url = reverse("notifications:settings")
    page = client.get(settings_url).content.decode()
    assert "Cohorts you follow" in page and "Centers 2026" in page
    field = f"cohort_{cohort.slug}"
    choices = {"own_posts": "on", "digest": Digest.WEEKLY}
    assert client.post(settings_url, {**choices, field: Level.NORMAL}).status_code == 302
    assert Follow.objects.get(user=official, cohort=cohort).level == Level.NORMAL

    leave(cohort, MARICOPA)
    refused = client.post(settings_url, {**choices, "digest": Digest.DAILY, field: Level.WATCHING})
    assert refused.status_code == 200
    assert "Only the cohort&#x27;s members can follow it." in refused.content.decode()
    assert Follow.objects.get(user=official, cohort=cohort).level == Level.NORMAL
    assert services.email_settings(official).digest == Digest.WEEKLY  # nothing saved
    assert client.post(settings_url, {**choices, field: ""}).status_code == 302
    assert not Follow.objects.filter(user=official).exists()


# ---- fan-out -----------------------------------------------------------------------------


def test_a_cohort_question_reaches_its_watching_members_alone(cohort, official, member_of_pima):
    topic = factories.topics(1)[0]
    normal = factories.make_official(display_name="Normal Follower")
    former = factories.make_official(state="TX", display_name="Former Member")
    lapsed = factories.make_official(display_name="Lapsed Member")
    outsider = factories.make_official(state="OH", display_name="Outside Topic Watcher")
    member_topic_watcher = factories.make_official(display_name="Member Topic Watcher")
    cohort_services.add_office(
        cohort=cohort, office=factories.find_jurisdiction("tx-harris-county"), by=None
    )
    for person, level in (
        (official, Level.WATCHING),
        (normal, Level.NORMAL),
        (former, Level.WATCHING),
        (lapsed, Level.WATCHING),
    ):
        services.follow_cohort(user=person, cohort=cohort, level=level)
    for person in (outsider, member_topic_watcher):
        services.follow_topic(user=person, topic=topic, level=Level.WATCHING)
    leave(cohort, "tx-harris-county")  # the former member's office left the cohort
    set_verified_until(user=lapsed, until=factories.verified_until_yesterday())

    question = ask_in(cohort, member_of_pima, topics=[topic])
    assert announce(question) == 2
    [item] = told(official)
    assert item.topic is None
    description = inbox.describe(inbox.for_inbox(Notification.objects).get(pk=item.pk), official)
    assert description.summary == f"New question in Centers 2026: “{question.title}”."
    [by_topic] = told(member_topic_watcher)
    assert by_topic.topic == topic
    for person in (normal, former, lapsed, outsider, member_of_pima):
        assert told(person) == []


def test_a_muted_cohort_or_topic_silences_a_cohort_question(cohort, official, member_of_pima):
    first, second = factories.topics(2)
    services.follow_topic(user=official, topic=first, level=Level.WATCHING)
    services.follow_cohort(user=official, cohort=cohort, level=Level.MUTED)
    assert announce(ask_in(cohort, member_of_pima, topics=[first])) == 0
    services.follow_cohort(user=official, cohort=cohort, level=Level.WATCHING)
    services.follow_topic(user=official, topic=second, level=Level.MUTED)
    assert announce(ask_in(cohort, member_of_pima, topics=[first, second])) == 0


def test_the_fan_out_to_cohort_watchers_costs_the_same_for_ten_or_fifty(cohort, member_of_pima):
    def watchers(count: int) -> None:
        for number in range(count):
            person = factories.make_official(display_name=f"Watcher {count}-{number}")
            services.follow_cohort(user=person, cohort=cohort, level=Level.WATCHING)

    def fan_out(expected: int) -> int:
        question = ask_in(cohort, member_of_pima)
        with CaptureQueriesContext(connection) as queries:
            assert announce(question) == expected
        return len(queries.captured_queries)

    watchers(10)
    ten = fan_out(10)
    watchers(40)
    assert fan_out(50) == ten


# ---- digests -----------------------------------------------------------------------------


def test_a_digest_lists_cohort_questions_under_the_cohorts_name_to_members_alone(
    cohort, official, member_of_pima, mail_server: MailServer, committed
):
    """Sent for real, through the outbox and SMTP."""
    topic = factories.topics(1)[0]
    former = factories.make_official(state="TX", display_name="Former Member")
    cohort_services.add_office(
        cohort=cohort, office=factories.find_jurisdiction("tx-harris-county"), by=None
    )
    for person in (official, former):
        services.follow_cohort(user=person, cohort=cohort, level=Level.NORMAL)
        services.follow_topic(user=person, topic=topic, level=Level.NORMAL)
        services.update_email_settings(
            user=person, own_posts=True, mentions=True, watched=False, digest=Digest.DAILY
        )
    leave(cohort, "tx-harris-county")
    in_cohort = ask_in(cohort, member_of_pima, topics=[topic])
    in_topic = factories.ask(member_of_pima, topics=[topic], visibility=Visibility.PUBLIC)
    with committed():
        assert send_digests(now=timezone.now() + datetime.timedelta(days=1)) == 2

    [digest] = mail_server.to(official.email)
    assert (
        digest.header("Subject") == "[Canvass] 2 new questions in the topics and cohorts you follow"
    )
    text = digest.text
    assert text.index("Centers 2026") < text.index(in_cohort.title)
    assert text.index(topic.name) < text.index(in_topic.title)
    assert in_cohort.body not in text  # a title and a link, never the body
    [theirs] = mail_server.to(former.email)
    assert in_topic.title in theirs.text
    assert in_cohort.title not in theirs.text + theirs.html
    assert "Centers 2026" not in theirs.text + theirs.html


# ---- export ------------------------------------------------------------------------------


def test_the_export_holds_cohort_follows(client, cohort, official):
    services.follow_cohort(user=official, cohort=cohort, level=Level.WATCHING)
    client.force_login(official)
    data = json.loads(b"".join(client.get(reverse("accounts:export", args=["json"]))))
    [follow] = data["follows"]
    assert (follow["kind"], follow["id"], follow["title"], follow["level"]) == (
        "cohort",
        cohort.pk,
        "Centers 2026",
        Level.WATCHING,
    )
