"""The member's account: profile and what others see of it, the export of their own
data, and deleting the account while their posts stay."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks

from accounts import services, signals
from accounts.export import EXPORT_PARTS, Section
from accounts.models import User
from forum.models import Question, Visibility
from notifications.models import Level
from notifications.services import follow_question, follow_topic
from tests.factories import PASSWORD, answer, ask, comment, make_member, make_official, topics

pytestmark = pytest.mark.django_db


def test_the_profile_form_saves_and_keeps_what_was_typed_when_refused(client):
    member = make_member(display_name="Pat Doe")
    client.force_login(member)
    refused = client.post(
        reverse("accounts:profile"),
        {"display_name": "   ", "job_title": "Deputy clerk", "bio": "x" * 601},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Enter the name others will see." in page
    assert "Ensure this value has at most 600 characters" in page
    assert 'value="Deputy clerk"' in page
    member.refresh_from_db()
    assert member.display_name == "Pat Doe" and member.job_title != "Deputy clerk"

    saved = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "  Pat   Q. Doe ",
            "job_title": "Deputy clerk",
            "office_phone": "555-0100",
            "bio": "Twenty years in the office.",
            "show_jurisdiction": "on",
        },
    )
    assert saved.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.job_title, member.office_phone) == (
        "Pat Q. Doe",
        "Deputy clerk",
        "555-0100",
    )
    assert member.show_jurisdiction and not member.show_job_title


def test_a_new_name_and_a_hidden_office_reach_earlier_posts(client):
    official = make_official(display_name="Old Name")
    question = ask(official, visibility=Visibility.PUBLIC)
    reply = answer(question, official)
    remark = comment(official, question=question)
    assert question.author_office == "Maricopa County, AZ"

    services.update_profile(user=official, display_name="New Name", show_jurisdiction=False)

    for post in (question, reply, remark):
        post.refresh_from_db()
        assert post.author_name == "New Name"
    assert question.author_office == reply.author_office == ""
    assert ask(official).author_office == ""  # and later posts

    client.force_login(make_official())
    page = client.get(question.get_absolute_url()).content.decode()
    assert "New Name" in page and "Old Name" not in page
    assert "Maricopa County, AZ" not in page


class Refused(Exception):
    pass


def refuse(sender, **kwargs):
    """A step after the forum's, failing: the change must roll back with the bylines."""
    raise Refused


def test_a_rename_and_its_bylines_are_one_write():
    official = make_official(display_name="Old Name")
    question = ask(official)
    signals.byline_changed.connect(refuse)
    try:
        with pytest.raises(Refused):
            services.update_profile(user=official, display_name="New Name")
    finally:
        signals.byline_changed.disconnect(refuse)
    assert User.objects.get(pk=official.pk).display_name == "Old Name"
    assert Question.objects.get(pk=question.pk).author_name == "Old Name"


def test_a_deletion_and_the_detaching_of_posts_are_one_write():
    official = make_official(display_name="Casey Clerk")
    question = ask(official)
    signals.account_deleted.connect(refuse)
    try:
        with pytest.raises(Refused):
            services.delete_account(user=official)
    finally:
        signals.account_deleted.disconnect(refuse)
    official.refresh_from_db()
    assert official.is_active and official.display_name == "Casey Clerk"
    stored = Question.objects.get(pk=question.pk)
    assert (stored.author_id, stored.author_name) == (official.pk, "Casey Clerk")


def test_update_profile_refuses_other_fields_and_bad_values():
    member = make_member()
    with pytest.raises(ValueError):
        services.update_profile(user=member, verified_until="2099-01-01")
    with pytest.raises(ValidationError):
        services.update_profile(user=member, display_name="x" * 81)


def test_members_see_what_the_person_chose_visitors_see_no_profile(client):
    official = make_official(job_title="Elections Director", bio="I run the count.")
    services.update_profile(user=official, show_job_title=False, office_phone="555-0199")
    url = reverse("people:person", args=[official.pk])

    assert client.get(url).status_code == 302  # visitors: sign in first

    client.force_login(make_member())
    page = client.get(url).content.decode()
    assert official.display_name in page and "Verified official" in page
    assert "Maricopa County, AZ" in page and "I run the count." in page
    assert "Elections Director" not in page
    assert "555-0199" not in page and official.email not in page


def test_bylines_link_to_profiles_only_for_signed_in_readers(client):
    official = make_official()
    question = ask(official, visibility=Visibility.PUBLIC)
    profile_url = reverse("people:person", args=[official.pk])
    assert profile_url not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(make_member())
    assert profile_url in client.get(question.get_absolute_url()).content.decode()


def _export(client, fmt):
    response = client.get(reverse("accounts:export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="canvass-export.{fmt}"'
    return response.content


def test_the_export_holds_the_members_own_posts_and_profile_only(client):
    official, other = make_official(office_phone="555-0123"), make_official()
    mine = ask(official, title="Who keeps the ballot envelopes, and for how long?")
    their_answer = answer(mine, other, body="Ours stay 22 months, sealed, with the clerk.")
    my_answer = answer(ask(other), official, body="We keep a chain-of-custody log for it.")
    comment(official, answer=their_answer, body="Thanks, that matches our counsel.")
    client.force_login(official)

    data = json.loads(_export(client, "json"))
    assert data["profile"]["email"] == official.email
    assert data["profile"]["office_phone"] == "555-0123"
    assert [(row["kind"], row["id"]) for row in data["posts"]] == [
        ("question", mine.pk),
        ("answer", my_answer.pk),
        ("comment", data["posts"][2]["id"]),
    ]
    assert "22 months" not in json.dumps(data)  # someone else's answer

    archive = zipfile.ZipFile(io.BytesIO(_export(client, "zip")))
    assert sorted(archive.namelist()) == [
        "email_settings.csv",
        "follows.csv",
        "posts.csv",
        "profile.csv",
        "verification_requests.csv",
    ]
    posts = archive.read("posts.csv").decode()
    assert "chain-of-custody log" in posts and "22 months" not in posts
    assert "555-0123" in archive.read("profile.csv").decode()

    assert client.get(reverse("accounts:export", args=["xml"])).status_code == 404


def test_the_export_is_composed_of_the_parts_apps_register(client):
    """An app adds a section with a function registered for EXPORT_PARTS: it is a list in
    the JSON and a CSV file (with its header, even when empty) in the ZIP."""

    def notes(user):
        return {"notes": Section(("written_for", "text"), [])}

    client.force_login(make_member())
    with hooks.register_temporarily(EXPORT_PARTS, notes):
        assert json.loads(_export(client, "json"))["notes"] == []
        archive = zipfile.ZipFile(io.BytesIO(_export(client, "zip")))
        assert archive.read("notes.csv").decode().splitlines() == ["written_for,text"]

    def clashing(user):
        return {"posts": Section(("text",), [])}

    with hooks.register_temporarily(EXPORT_PARTS, clashing), pytest.raises(ValueError):
        client.get(reverse("accounts:export", args=["json"]))


def test_the_export_costs_the_same_queries_however_much_was_written(client):
    official = make_official()
    client.force_login(official)

    def count():
        with CaptureQueriesContext(connection) as queries:
            _export(client, "json")
        return len(queries)

    def write(number: int) -> None:
        question = ask(official)
        comment(official, answer=answer(question, make_official()))
        follow_question(user=official, question=question, level=Level.WATCHING)
        follow_topic(user=official, topic=topics(4)[number], level=Level.NORMAL)

    write(0)
    _export(client, "json")  # the first request of a session also refreshes the session
    few = count()
    # Session, user, questions, answers, comments, office, requests, follows, email choices,
    # and the person's groups and cohorts (who may read the threads followed).
    assert few == 11
    for number in range(1, 4):
        write(number)
    assert count() == few


def test_deleting_the_account_erases_the_person_and_keeps_their_posts(client):
    official = make_official(display_name="Casey Clerk", bio="Bio", office_phone="555-0142")
    question = ask(official, visibility=Visibility.PUBLIC)
    reply = answer(ask(make_official()), official)
    client.force_login(official)

    refused = client.post(reverse("accounts:delete"), {"password": "not my password"})
    assert refused.status_code == 400
    assert "That is not your password." in refused.content.decode()

    deleted = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert deleted.status_code == 302
    assert "_auth_user_id" not in client.session

    official.refresh_from_db()
    assert not official.is_active and official.deleted_at is not None
    assert official.display_name == "A former member"
    assert (official.bio, official.office_phone, official.jurisdiction) == ("", "", None)
    assert official.verified_until is None and not official.has_usable_password()
    assert "Casey" not in official.email
    assert not EmailAddress.objects.filter(user=official).exists()

    for post in (question, reply):
        post.refresh_from_db()
        assert (post.author_name, post.author_id, post.author_office) == (
            "A former member",
            None,
            "",
        )
    page = client.get(question.get_absolute_url()).content.decode()
    assert "A former member" in page and "Casey Clerk" not in page

    assert not client.login(email="casey@test.example", password=PASSWORD)
    client.force_login(make_member())
    assert client.get(reverse("people:person", args=[official.pk])).status_code == 404
    # The address is free for a new account.
    assert User.objects.filter(email__startswith="deleted-").count() == 1
