"""Following a thread from its page, and the settings page: each action walks visitor →
member who may not read → allowed."""

import json

import pytest
from django.urls import reverse

from forum.models import Visibility
from notifications import services
from notifications.models import Digest, EmailSettings, Follow, Level
from notifications.services import email_settings
from tests import factories

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


def follow_url(question) -> str:
    return reverse("notifications:follow", args=[question.pk])


def test_the_follow_panel_follows_and_unfollows(client, asker, official):
    question = factories.ask(asker, visibility=Visibility.PUBLIC)
    assert (
        "Notifications for this thread"
        not in client.get(question.get_absolute_url()).content.decode()
    )
    assert client.post(follow_url(question), {"level": "watching"}).status_code == 302  # to sign in
    client.force_login(official)
    html = client.get(question.get_absolute_url()).content.decode()
    assert ">Follow</button>" in html
    response = client.post(follow_url(question), {"level": "watching"}, follow=True)
    assert "You follow this thread" in response.content.decode()
    assert ">Unfollow</button>" in response.content.decode()
    assert Follow.objects.get(user=official, question=question).level == Level.WATCHING
    client.post(follow_url(question), {"level": "normal"})
    assert Follow.objects.get(user=official, question=question).level == Level.NORMAL


def test_a_thread_one_may_not_read_cannot_be_followed_and_looks_missing(client, asker, member):
    question = factories.ask(asker, visibility=Visibility.MEMBERS)
    client.force_login(member)
    missing = client.post(
        reverse("notifications:follow", args=[question.pk + 1000]), {"level": "watching"}
    )
    response = client.post(follow_url(question), {"level": "watching"})
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert not Follow.objects.exists()


def test_an_unknown_level_is_refused_with_a_message(client, asker, official):
    question = factories.ask(asker, visibility=Visibility.PUBLIC)
    client.force_login(official)
    response = client.post(follow_url(question), {"level": "loud"}, follow=True)
    assert "Choose watching, normal or muted." in response.content.decode()
    assert not Follow.objects.filter(user=official).exists()


def test_settings_save_email_choices_and_topic_follows(client, official):
    first, second = factories.topics(2)
    client.force_login(official)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert EmailSettings.objects.filter(user=official).count() == 0  # the defaults, unsaved
    response = client.post(
        SETTINGS,
        {
            "own_posts": "on",
            "watched": "on",
            "digest": Digest.DAILY,
            f"topic_{first.slug}": Level.WATCHING,
            f"topic_{second.slug}": Level.MUTED,
        },
    )
    assert response.status_code == 302
    chosen = email_settings(official)
    assert (chosen.own_posts, chosen.mentions, chosen.watched, chosen.digest) == (
        True,
        False,
        True,
        Digest.DAILY,
    )
    assert dict(Follow.objects.filter(user=official).values_list("topic", "level")) == {
        first.pk: Level.WATCHING,
        second.pk: Level.MUTED,
    }
    client.post(
        SETTINGS, {"own_posts": "on", "digest": Digest.DAILY, f"topic_{second.slug}": Level.MUTED}
    )
    assert list(Follow.objects.filter(user=official).values_list("topic", flat=True)) == [second.pk]


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(client, official):
    first = factories.topics(1)[0]
    client.force_login(official)
    response = client.post(
        SETTINGS, {"own_posts": "on", "digest": "hourly", f"topic_{first.slug}": Level.WATCHING}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert f'value="{Level.WATCHING}" selected' in html
    assert not Follow.objects.exists()


def test_the_unsubscribe_page_asks_before_it_acts(client, official):
    from notifications.emails import unsubscribe_token

    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(official.pk, "own_posts")])
    page = client.get(url)
    assert "Stop email about answers and comments" in page.content.decode()
    assert email_settings(official).own_posts
    done = client.post(url)
    assert "You will no longer get email about answers" in done.content.decode()
    assert not email_settings(official).own_posts


def test_a_topic_is_followed_from_its_list_of_questions(client, official):
    topic = factories.topics(1)[0]
    page = reverse("forum:topic", args=[topic.slug])
    assert "Follow this topic" not in client.get(page).content.decode()
    client.force_login(official)
    assert "Follow this topic" in client.get(page).content.decode()
    url = reverse("notifications:follow_topic", args=[topic.slug])
    response = client.post(url, {"level": Level.WATCHING}, follow=True)
    assert "Your choice for this topic is saved." in response.content.decode()
    assert f'value="{Level.WATCHING}" selected' in response.content.decode()
    assert Follow.objects.get(user=official, topic=topic).level == Level.WATCHING
    client.post(url, {"level": ""})
    assert not Follow.objects.filter(user=official).exists()
    response = client.post(url, {"level": "loudly"}, follow=True)
    assert "Choose how to follow this topic." in response.content.decode()


def test_the_topic_page_has_the_box_and_the_box_leads_back_to_it(client, official):
    topic = factories.topics(1)[0]
    page = topic.get_absolute_url()  # the CMS topic page
    client.force_login(official)
    assert "Follow this topic" in client.get(page).content.decode()
    url = reverse("notifications:follow_topic", args=[topic.slug])
    response = client.post(url, {"level": Level.NORMAL, "next": page})
    assert response["Location"] == page
    elsewhere = client.post(url, {"level": Level.NORMAL, "next": "https://example.com/"})
    assert elsewhere["Location"] == reverse("forum:topic", args=[topic.slug])


def test_the_export_holds_what_one_follows_and_names_only_threads_still_readable(client, asker):
    lapsing = factories.make_official(display_name="Lapsing Official")
    members_only = factories.ask(asker, visibility=Visibility.MEMBERS)
    topic = factories.topics(1)[0]
    services.follow_question(user=lapsing, question=members_only, level=Level.WATCHING)
    services.follow_topic(user=lapsing, topic=topic, level=Level.NORMAL)
    client.force_login(lapsing)

    def exported() -> dict:
        return json.loads(client.get(reverse("accounts:export", args=["json"])).content)

    data = exported()
    assert [(row["kind"], row["title"], row["level"]) for row in data["follows"]] == [
        ("question", members_only.title, Level.WATCHING),
        ("topic", topic.name, Level.NORMAL),
    ]
    assert data["email_settings"] == [
        {"own_posts": True, "mentions": True, "watched": False, "digest": Digest.WEEKLY}
    ]
    lapsing.verified_until = factories.verified_until_yesterday()
    lapsing.save(update_fields=["verified_until"])
    assert exported()["follows"][0]["title"] == ""
