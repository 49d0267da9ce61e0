""" "Ask without my name": the asker is "a verified official in <state>" at every door but
the moderators' and their own. One test per door: the name is absent for a visitor and for
a peer official, and present for a moderator (where the door shows bylines at all).

The asker's name is unique to these tests, so finding it in a response proves a leak."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import Comment, Visibility
from notifications.fanout import deliver
from notifications.models import Level
from notifications.services import follow_question, update_email_settings
from tests.factories import (
    answer,
    ask,
    comment,
    make_guide,
    make_moderator,
    make_official,
    topics,
)
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

ASKER = "Harper Quillfeather"
WORDING = "A verified official in Wisconsin"
TITLE = "Who may observe the tabulation of zephyrine ballots in our county?"
READERS = ("visitor", "peer", "moderator")


@pytest.fixture
def thread():
    """An anonymous public question whose asker also answers, comments on the question and
    on a peer's answer, and edits the question; and a peer's answer."""
    asker = make_official(state="WI", display_name=ASKER)
    question = ask(asker, title=TITLE, is_anonymous=True, visibility=Visibility.PUBLIC)
    peer_answer = answer(question, make_official(state="OH"))
    own_answer = answer(question, asker, body="Following up: our clerk said the public may.")
    comment(asker, question=question, body="To add: we use central count.")
    comment(asker, answer=peer_answer, body="Thanks, that matches our counsel.")
    services.edit_question(
        question=question,
        editor=asker,
        title=TITLE,
        body=question.body + "\n\nAdded: our county's size.",
        topics=list(question.topics.all()),
        states=["WI"],
        reason="More detail",
    )
    question.refresh_from_db()
    return question, own_answer


def reader(role: str) -> Client:
    client = Client()
    if role == "peer":
        client.force_login(make_official(state="OH"))
    elif role == "moderator":
        client.force_login(make_moderator())
    return client


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_named_only_for_moderators(role: str, html: str, asker_pk: int) -> None:
    profile = reverse("people:person", args=[asker_pk])
    if role == "moderator":
        assert ASKER in html
    else:
        assert ASKER not in html
        assert profile not in html


@pytest.mark.parametrize("role", READERS)
def test_the_question_page_signs_the_question_answers_and_comments_anonymously(thread, role):
    question, _ = thread
    html = get(reader(role), question.get_absolute_url())
    assert_named_only_for_moderators(role, html, question.author_id)
    # The question, the asker's answer (its label too) and both of their comments.
    assert html.count(WORDING) >= 4
    assert f'aria-label="Answer by {WORDING}' in html


def test_the_cached_answer_of_the_asker_is_not_shared_with_a_peer(thread):
    """On a locked thread the asker and a peer have the same controls on the asker's answer
    (no vote, edit, comment or accept); only what they may see of the byline differs."""
    question, _ = thread
    services.lock_question(question=question, by=make_moderator())
    asker = Client()
    asker.force_login(question.author)
    own_label = f'aria-label="Answer by {WORDING} ({ASKER}, asked anonymously)"'
    assert own_label in get(asker, question.get_absolute_url())
    assert ASKER not in get(reader("peer"), question.get_absolute_url())


@pytest.mark.parametrize("role", READERS)
def test_the_revision_history_signs_the_askers_edits_anonymously(thread, role):
    question, own_answer = thread
    client = reader(role)
    html = get(client, reverse("forum:question_revisions", args=[question.pk]))
    assert_named_only_for_moderators(role, html, question.author_id)
    assert f"Revision 1 by {WORDING}" in html and f"Revision 2 by {WORDING}" in html
    html = get(client, reverse("forum:answer_revisions", args=[own_answer.pk]))
    assert_named_only_for_moderators(role, html, question.author_id)
    assert f"Revision 1 by {WORDING}" in html


@pytest.mark.parametrize("role", READERS)
def test_lists_sign_the_question_anonymously(thread, role):
    question, _ = thread
    topic = question.topics.order_by("position", "pk").first()
    client = reader(role)
    for url in (
        reverse("forum:questions"),
        reverse("forum:topic", args=[topic.slug]),
        "/",  # the home page's latest questions
        topic.get_absolute_url(),  # the topic page's latest questions
    ):
        html = get(client, url)
        assert TITLE in html, url
        assert_named_only_for_moderators(role, html, question.author_id)


def test_the_askers_page_lists_the_question_only_for_moderators_and_themselves(thread):
    question, _ = thread
    url = reverse("people:person", args=[question.author_id])
    assert reader("visitor").get(url).status_code == 302  # sign in first: no public profile
    # Not the question, nor (by its title) their answer and comments in its thread.
    assert TITLE not in get(reader("peer"), url)
    assert TITLE in get(reader("moderator"), url)
    asker = Client()
    asker.force_login(question.author)
    assert "asked anonymously: listed here only for moderators and the asker" in get(asker, url)


@pytest.mark.parametrize("role", READERS)
def test_search_shows_no_byline_and_does_not_find_the_question_by_the_name(thread, role):
    """Search results carry no bylines for anyone, moderators included, and names are not
    indexed: the asker's name never finds what they asked without it."""
    client = reader(role)
    with fresh_index():
        html = get(client, reverse("search:search") + "?q=zephyrine")
        assert TITLE in html
        assert ASKER not in html
        assert TITLE not in get(client, reverse("search:search") + "?q=Quillfeather")


@pytest.mark.parametrize("role", READERS)
def test_a_guide_quoting_the_askers_accepted_answer_signs_it_anonymously(thread, role):
    question, own_answer = thread
    services.accept_answer(question=question, answer=own_answer, by=question.author)
    guide = make_guide(
        "Guide quoting an anonymous thread",
        body=[("qa_excerpt", {"question": question.pk, "note": ""})],
        topics=topics(1),
    )
    html = get(reader(role), guide.url)
    assert own_answer.body_html in html
    assert_named_only_for_moderators(role, html, question.author_id)
    assert f"Answered by {WORDING}" in html


def export(client: Client, fmt: str) -> bytes:
    response = client.get(reverse("accounts:export", args=[fmt]))
    assert response.status_code == 200
    return response.content


def test_the_export_marks_what_the_member_wrote_anonymously_and_names_no_one_else(thread):
    """The export goes to its member alone, so theirs shows everything they wrote, marked;
    a peer's export of their answer in the thread does not name the asker. (There is no
    export of someone else's posts yet: a public-records export must sign them as the
    byline does.)"""
    question, _ = thread
    asker = Client()
    asker.force_login(question.author)
    mine = json.loads(export(asker, "json"))
    in_thread = [row for row in mine["posts"] if row["question_id"] == question.pk]
    assert len(in_thread) == 4  # the question, the answer, two comments
    assert all(row["asked_anonymously"] for row in in_thread)

    peer = question.answers.exclude(author=question.author).get().author
    client = Client()
    client.force_login(peer)
    theirs = json.loads(export(client, "json"))
    assert [row["question_title"] for row in theirs["posts"]] == [TITLE]
    assert ASKER not in json.dumps(theirs)
    archive = zipfile.ZipFile(io.BytesIO(export(client, "zip")))
    assert ASKER not in archive.read("posts.csv").decode()


@pytest.mark.parametrize("role", ("peer", "moderator"))
def test_notifications_and_their_email_sign_the_asker_anonymously(
    thread, role, django_capture_on_commit_callbacks
):
    """Someone watching the thread hears of the asker's answer and comments: in the inbox
    and by email, signed as the thread signs them for that reader."""
    question, own_answer = thread
    watcher = make_official(state="OH") if role == "peer" else make_moderator()
    follow_question(user=watcher, question=question, level=Level.WATCHING)
    update_email_settings(user=watcher, own_posts=True, mentions=True, watched=True, digest="never")
    asker_id = question.author_id
    with django_capture_on_commit_callbacks(execute=True):  # the email is sent
        deliver(
            activity="answered", question_id=question.pk, actor_id=asker_id, post_id=own_answer.pk
        )
        for written in Comment.objects.filter(author_id=asker_id):
            deliver(
                activity="commented", question_id=question.pk, actor_id=asker_id, post_id=written.pk
            )
    client = Client()
    client.force_login(watcher)
    inbox = get(client, reverse("notifications:inbox"))
    sent = "".join(
        message.subject + message.body + message.alternatives[0][0]
        for message in mail.outbox
        if message.to == [watcher.email]
    )
    assert inbox.count(WORDING) == 3
    assert sent.count(WORDING) == 9  # in each message's subject, text and HTML
    for shown in (inbox, sent):
        assert_named_only_for_moderators(role, shown, asker_id)
