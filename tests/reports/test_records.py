"""The public-records export (issue 17, `reports.records`): an administrator exports what
the people of one office (or one person) wrote in a date range as a ZIP of JSON, CSV and
HTML; the export is logged and each person whose posts are in it is told, in the inbox and
by email (a real SMTP server, `tests/notifications/smtp.py`)."""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import Jurisdiction, User
from core.sites import base_url
from forum import services
from forum.models import Answer, Comment, Question, Redaction, Revision, Visibility
from notifications import inbox
from notifications.models import Kind, Notification
from reports import records
from tests import factories
from tests.notifications import conftest as notification_fixtures
from tests.notifications.smtp import MailServer

pytestmark = pytest.mark.django_db

# The notifications tests' real SMTP server, a fixture here too.
mail_server = notification_fixtures.mail_server

START, END = datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)
SCRIPT = "<script>alert('records')</script>"


def at(day: int, hour: int = 10, month: int = 3) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, month, day, hour))


def iso(day: int) -> str:
    """How the export writes a moment of the range: in UTC, as stored."""
    return at(day).astimezone(datetime.UTC).isoformat()


def dated(post, when: datetime.datetime) -> None:
    """Move a post (and the revisions it has so far) into the past, as the demo does."""
    type(post).objects.filter(pk=post.pk).update(created_at=when)
    if not isinstance(post, Comment):
        post.revisions.update(created_at=when)


@dataclass
class Office:
    """Maricopa County's two officials and what they, and others, wrote."""

    office: Jurisdiction
    maria: User
    jo: User
    other: User
    admin: User
    moderator: User
    question: Question  # Maria's, public, with a script in it, edited once
    hidden_answer: Answer  # Jo's, in Maria's thread, hidden by a moderator
    others_question: Question  # from Ohio, members-only: context only
    maria_answer: Answer  # in the Ohio thread, redacted
    expert_answer: Answer  # in the Ohio thread: context for Jo's comment
    jo_comment: Comment
    anonymous: Question  # Maria's, in the cohort, asked without her name
    cohort_name: str


@pytest.fixture
def world(moderator, expert) -> Office:
    office = factories.find_jurisdiction()
    maria = factories.make_official(display_name="Maria Official")
    jo = factories.make_official(display_name="Jo Deputy")
    other = factories.make_official(state="OH", display_name="Dana Other")
    admin = factories.make_admin(display_name="Ada Admin")
    cohort = factories.make_cohort("Centers of Excellence", offices=[office])

    question = factories.ask(
        maria,
        title=f"Drop boxes {SCRIPT} at night?",
        body=f"Who watches the drop box at night? {SCRIPT}",
        visibility=Visibility.PUBLIC,
    )
    dated(question, at(2))
    question = services.edit_question(
        question=question,
        editor=maria,
        title=question.title,
        body=question.body + "\n\nWe have two boxes.",
        topics=list(question.topics.all()),
        states=[],
        reason="Said how many",
    )
    Revision.objects.filter(question=question, number=2).update(created_at=at(3))
    hidden_answer = factories.answer(question, jo, body="A deputy drives past every hour.")
    dated(hidden_answer, at(4))
    services.hide_post(post=hidden_answer, by=moderator)

    others_question = factories.ask(
        other,
        title="Poll book printing vendors in Ohio?",
        body="Which vendors print poll books for counties our size?",
    )
    dated(others_question, at(20, month=2))
    maria_answer = factories.answer(
        others_question, maria, body="We use a vendor at 12 Elm Street, Phoenix; ask for Lee."
    )
    dated(maria_answer, at(5))
    services.redact_post(
        post=maria_answer, text="12 Elm Street", reason="A private address", by=moderator
    )
    Redaction.objects.filter(answer=maria_answer).update(created_at=at(6))
    expert_answer = factories.answer(others_question, expert, body="Any certified printer will do.")
    dated(expert_answer, at(6))
    jo_comment = factories.comment(jo, answer=expert_answer, body="Certified by whom, though?")
    dated(jo_comment, at(7))

    anonymous = factories.ask(
        maria,
        title="How do we handle a threatening voter?",
        body="A voter threatened our staff at the counter. What do others do?",
        visibility=Visibility.COHORT,
        cohort=cohort,
        is_anonymous=True,
    )
    dated(anonymous, at(8))

    # Out of the range: February and April.
    dated(factories.ask(maria, title="An older question from February?"), at(28, month=2))
    dated(factories.comment(jo, question=question, body="Written in April."), at(1, month=4))
    # Another office's own posts.
    dated(factories.answer(question, other, body="In Ohio we lock them at 7 pm."), at(9))
    return Office(
        office,
        maria,
        jo,
        other,
        admin,
        moderator,
        Question.objects.get(pk=question.pk),
        Answer.objects.get(pk=hidden_answer.pk),
        others_question,
        Answer.objects.get(pk=maria_answer.pk),
        expert_answer,
        jo_comment,
        anonymous,
        cohort.name,
    )


def export(world: Office, capture, **subject) -> records.Export:
    subject = subject or {"office": world.office}
    with capture(execute=True):
        return records.export_records(by=world.admin, start=START, end=END, **subject)


def unzip(made: records.Export) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def url(question, anchor: str = "") -> str:
    return base_url() + question.get_absolute_url() + anchor


def expected_rows(w: Office) -> list[dict]:
    q, ans, anon = w.question, w.maria_answer, w.anonymous
    revisions = list(Revision.objects.filter(question=q).order_by("number"))
    thread = {
        "thread_id": q.pk,
        "thread_title": q.title,
        "audience": "Public",
        "signed_anonymously": False,
        "redactions": [],
        "edit_reason": "",
        "revision_number": "",
        "on_kind": "",
        "on_id": "",
        "title": "",
    }
    ohio = {**thread, "thread_id": w.others_question.pk, "audience": "Members only"}
    ohio["thread_title"] = w.others_question.title
    first, second = revisions
    return [
        {
            **thread,
            "kind": "question",
            "id": q.pk,
            "created_at": iso(2),
            "author": "Maria Official",
            "status": "shown",
            "title": q.title,
            "body": q.body,
            "url": url(q),
        },
        {
            **thread,
            "kind": "revision",
            "id": first.pk,
            "on_kind": "question",
            "on_id": q.pk,
            "revision_number": 1,
            "created_at": iso(2),
            "author": "Maria Official",
            "status": "shown",
            "title": q.title,
            "body": f"Who watches the drop box at night? {SCRIPT}",
            "edit_reason": first.reason,
            "url": url(q),
        },
        {
            **thread,
            "kind": "revision",
            "id": second.pk,
            "on_kind": "question",
            "on_id": q.pk,
            "revision_number": 2,
            "created_at": iso(3),
            "author": "Maria Official",
            "status": "shown",
            "title": q.title,
            "body": q.body,
            "edit_reason": "Said how many",
            "url": url(q),
        },
        {
            **thread,
            "kind": "answer",
            "id": w.hidden_answer.pk,
            "created_at": iso(4),
            "author": "Jo Deputy",
            "status": "hidden by moderators",
            "body": "A deputy drives past every hour.",
            "url": url(q, f"#answer-{w.hidden_answer.pk}"),
        },
        {
            **thread,
            "kind": "revision",
            "id": w.hidden_answer.revisions.get().pk,
            "on_kind": "answer",
            "on_id": w.hidden_answer.pk,
            "revision_number": 1,
            "created_at": iso(4),
            "author": "Jo Deputy",
            "status": "hidden by moderators",
            "body": "A deputy drives past every hour.",
            "edit_reason": w.hidden_answer.revisions.get().reason,
            "url": url(q, f"#answer-{w.hidden_answer.pk}"),
        },
        {
            **ohio,
            "kind": "answer",
            "id": ans.pk,
            "created_at": iso(5),
            "author": "Maria Official",
            "status": "shown",
            "body": "We use a vendor at [redacted], Phoenix; ask for Lee.",
            "redactions": [{"at": iso(6), "reason": "A private address"}],
            "url": url(w.others_question, f"#answer-{ans.pk}"),
        },
        {
            **ohio,
            "kind": "revision",
            "id": ans.revisions.get().pk,
            "on_kind": "answer",
            "on_id": ans.pk,
            "revision_number": 1,
            "created_at": iso(5),
            "author": "Maria Official",
            "status": "shown",
            "body": "We use a vendor at [redacted], Phoenix; ask for Lee.",
            "edit_reason": ans.revisions.get().reason,
            "redactions": [{"at": iso(6), "reason": "A private address"}],
            "url": url(w.others_question, f"#answer-{ans.pk}"),
        },
        {
            **ohio,
            "kind": "comment",
            "id": w.jo_comment.pk,
            "on_kind": "answer",
            "on_id": w.expert_answer.pk,
            "created_at": iso(7),
            "author": "Jo Deputy",
            "status": "shown",
            "body": "Certified by whom, though?",
            "url": url(w.others_question, f"#comment-{w.jo_comment.pk}"),
        },
        {
            **thread,
            "thread_id": anon.pk,
            "thread_title": anon.title,
            "audience": f"Only {w.cohort_name}",
            "kind": "question",
            "id": anon.pk,
            "created_at": iso(8),
            "author": "A verified official in Arizona (Maria Official, asked anonymously)",
            "signed_anonymously": True,
            "status": "shown",
            "title": anon.title,
            "body": anon.body,
            "url": url(anon),
        },
        {
            **thread,
            "thread_id": anon.pk,
            "thread_title": anon.title,
            "audience": f"Only {w.cohort_name}",
            "kind": "revision",
            "id": anon.revisions.get().pk,
            "on_kind": "question",
            "on_id": anon.pk,
            "revision_number": 1,
            "created_at": iso(8),
            "author": "A verified official in Arizona (Maria Official, asked anonymously)",
            "signed_anonymously": True,
            "status": "shown",
            "title": anon.title,
            "body": anon.body,
            "edit_reason": anon.revisions.get().reason,
            "url": url(anon),
        },
    ]


# The ZIP ------------------------------------------------------------------------------------


def test_the_zip_holds_every_post_and_revision_of_the_office_in_the_range(
    world, django_capture_on_commit_callbacks
):
    made = export(world, django_capture_on_commit_callbacks)
    files = unzip(made)
    assert sorted(files) == ["index.html", "posts.csv", "posts.json"]
    assert made.filename == f"public-records-{world.office.slug}-2024-03-01-2024-03-31.zip"
    found = json.loads(files["posts.json"])
    counts = {"question": 2, "answer": 2, "comment": 1, "revision": 5, "people": 2}
    assert found["export"] == {
        "office": {"id": world.office.pk, "name": str(world.office)},
        "person": None,
        "start": "2024-03-01",
        "end": "2024-03-31",
        "made_at": found["export"]["made_at"],
        "counts": counts,
    }
    assert made.counts == counts
    assert found["posts"] == expected_rows(world)


def test_the_csv_has_one_flat_row_per_post_and_revision(world, django_capture_on_commit_callbacks):
    files = unzip(export(world, django_capture_on_commit_callbacks))
    rows = list(csv.DictReader(io.StringIO(files["posts.csv"])))
    assert list(rows[0]) == list(records.COLUMNS)
    flat = []
    for expected in expected_rows(world):
        redactions = "; ".join(f"{r['at']}: {r['reason']}" for r in expected["redactions"])
        flat.append(
            {key: str(value) for key, value in {**expected, "redactions": redactions}.items()}
        )
    for got, want in zip(rows, flat, strict=True):
        assert {k: v for k, v in got.items() if v != want[k]} == {}


def test_the_html_shows_each_thread_with_its_context_escaped(
    world, django_capture_on_commit_callbacks
):
    files = unzip(export(world, django_capture_on_commit_callbacks))
    html = files["index.html"]
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#x27;records&#x27;)&lt;/script&gt;" in html
    # Each thread with who may read it, in the order of its first post.
    order = [world.question.title[:10], world.others_question.title, world.anonymous.title]
    assert [html.index(title) for title in order] == sorted(html.index(title) for title in order)
    assert "Who may read it: Public" in html
    assert "Who may read it: Members only" in html
    assert f"Who may read it: Only {world.cohort_name}" in html
    # Context: the Ohio question an answer is in, the expert's answer a comment is on.
    assert "Which vendors print poll books for counties our size?" in html
    assert "Any certified printer will do." in html
    assert "Dana Other" in html
    # Marks: hidden, anonymous, redacted with when and why (never by whom).
    assert "hidden by moderators" in html
    assert "asked without their name" in html
    assert "[redacted]" in html and "12 Elm Street" not in html
    assert "Redacted by a moderator on Mar 6, 2024 10:00 EST: A private address" in html
    assert "Sam Moderator" not in html
    # Nothing from outside the range, nor Ohio's own answer.
    for absent in ("An older question from February?", "Written in April.", "lock them at 7 pm"):
        assert all(absent not in text for text in files.values())


def test_a_hidden_post_by_someone_else_is_context_without_its_text(
    world, moderator, django_capture_on_commit_callbacks
):
    services.hide_post(post=world.expert_answer, by=moderator)
    html = unzip(export(world, django_capture_on_commit_callbacks))["index.html"]
    assert "Any certified printer will do." not in html
    assert "Not included: moderators hid it." in html
    assert "Certified by whom, though?" in html


def test_one_person_by_email_and_a_former_member_of_the_office(
    world, django_capture_on_commit_callbacks
):
    made = export(world, django_capture_on_commit_callbacks, person=world.jo)
    found = json.loads(unzip(made)["posts.json"])
    assert [(row["kind"], row["id"]) for row in found["posts"]] == [
        ("answer", world.hidden_answer.pk),
        ("revision", world.hidden_answer.revisions.get().pk),
        ("comment", world.jo_comment.pk),
    ]
    assert found["export"]["person"] == {"id": world.jo.pk, "name": "Jo Deputy"}
    # Jo leaves the office: the office's export no longer holds Jo's posts.
    User.objects.filter(pk=world.jo.pk).update(jurisdiction=None)
    found = json.loads(unzip(export(world, django_capture_on_commit_callbacks))["posts.json"])
    assert {row["author"] for row in found["posts"]} == {
        "Maria Official",
        "A verified official in Arizona (Maria Official, asked anonymously)",
    }


def test_the_service_refuses_a_range_that_ends_before_it_starts(world):
    with pytest.raises(records.RecordsError):
        records.export_records(by=world.admin, start=END, end=START, office=world.office)


# Logged and told -----------------------------------------------------------------------------


def test_the_export_is_logged(world, django_capture_on_commit_callbacks):
    export(world, django_capture_on_commit_callbacks)
    [entry] = ModelLogEntry.objects.filter(action="canvass.records.export")
    assert entry.user_id == world.admin.pk
    assert entry.object_id == str(world.office.pk)
    assert entry.data == {
        "office": {"id": world.office.pk, "name": str(world.office)},
        "person": None,
        "start": "2024-03-01",
        "end": "2024-03-31",
        "counts": {"question": 2, "answer": 2, "comment": 1, "revision": 5, "people": 2},
    }
    assert entry.message == "Public records exported"


def test_each_person_in_it_is_told_in_the_inbox_and_by_email(
    world, mail_server: MailServer, django_capture_on_commit_callbacks
):
    export(world, django_capture_on_commit_callbacks)
    for person in (world.maria, world.jo):
        [item] = Notification.objects.filter(recipient=person)
        assert item.kind == Kind.RECORDS_EXPORTED
        described = inbox.describe(item, person)
        assert described.summary == (
            "The site's administrators exported your posts from March 1, 2024 to "
            "March 31, 2024 to answer a public-records request."
        )
        [message] = mail_server.to(person.email)
        assert message.header("Subject").endswith(
            "Your posts were exported for a public-records request"
        )
        # Plain text, as the other notices about a person's account are.
        assert message.message.get_content_type() == "text/plain"
        assert "the site's administrators exported what you wrote" in message.text
        assert "from March 1, 2024 to March 31, 2024" in message.text
        assert "Ada Admin" not in message.text and "Drop boxes" not in message.text
    # Nobody else: not the Ohio official whose question is context, not the moderator.
    assert Notification.objects.filter(kind=Kind.RECORDS_EXPORTED).count() == 2
    assert mail_server.to(world.other.email) == []


def test_inbox_page_shows_the_item(world, django_capture_on_commit_callbacks):
    export(world, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(world.jo)
    page = client.get(reverse("notifications:inbox"))
    assert "exported your posts from March 1, 2024 to March 31, 2024" in page.content.decode()


# The admin page -------------------------------------------------------------------------------

PAGE = "/admin/records/"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_finds_offices_without_javascript_and_downloads_the_zip(
    world, django_capture_on_commit_callbacks
):
    client = admin_client(world.admin)
    page = client.get(PAGE, {"state": "AZ", "q": "Maricopa"})
    assert page.status_code == 200
    assert f'<option value="{world.office.pk}">{world.office}</option>' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE + "?state=AZ&q=Maricopa",
            {"jurisdiction": world.office.pk, "start": "2024-03-01", "end": "2024-03-31"},
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="public-records-{world.office.slug}-2024-03-01-2024-03-31.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(json.loads(archive.read("posts.json"))["posts"]) == 10
    assert "2024-03-01 \N{EN DASH} 2024-03-31" in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2024-03-01", "end": "2024-03-31"}, "jurisdiction", "Choose an office, or"),
        (
            {"start": "2024-03-31", "end": "2024-03-01", "email": "jo@example.test"},
            "end",
            "must not end before it starts",
        ),
        ({"start": "", "end": "2024-03-01", "email": "nobody@x.test"}, "email", "No one has"),
        ({"start": "", "end": "2024-03-01", "email": "nobody@x.test"}, "start", "required"),
    ],
)
def test_bad_input_is_told_next_to_its_field_and_kept(world, data, field, message):
    User.objects.filter(pk=world.jo.pk).update(email="jo@example.test")
    page = admin_client(world.admin).post(PAGE, data)
    assert page.status_code == 400
    assert message in str(page.context["form"].errors[field])
    html = page.content.decode()
    for value in data.values():
        assert f'value="{value}"' in html or not value
    assert not ModelLogEntry.objects.filter(action="canvass.records.export").exists()


def test_both_an_office_and_a_person_is_refused(world):
    page = admin_client(world.admin).post(
        PAGE,
        {
            "jurisdiction": world.office.pk,
            "email": world.jo.email,
            "start": "2024-03-01",
            "end": "2024-03-31",
        },
    )
    assert page.status_code == 400
    assert "not both" in str(page.context["form"].errors["email"])


@pytest.mark.parametrize("role", ["moderator", "editor", "official", "member"])
def test_only_administrators_may_export(world, role, request):
    person = request.getfixturevalue(role)
    client = admin_client(person)
    data = {"jurisdiction": world.office.pk, "start": "2024-03-01", "end": "2024-03-31"}
    for response in (client.get(PAGE), client.post(PAGE, data)):
        assert response.status_code == 302
        where = urlsplit(response["Location"]).path
        assert where in (reverse("wagtailadmin_home"), reverse("account_login"))
    assert not ModelLogEntry.objects.filter(action="canvass.records.export").exists()
    assert not Notification.objects.filter(kind=Kind.RECORDS_EXPORTED).exists()
    with pytest.raises(records.PermissionDenied):
        records.export_records(by=person, start=START, end=END, office=world.office)


def test_the_menu_item_is_for_administrators(world, moderator):
    assert "Public-records export" in admin_client(world.admin).get("/admin/").content.decode()
    assert "Public-records export" not in admin_client(moderator).get("/admin/").content.decode()


# Cost ---------------------------------------------------------------------------------------


def more_posts(world: Office, count: int) -> None:
    """``count`` more of each kind in the range, each thread with its own context."""
    for number in range(count):
        question = factories.ask(world.other, title=f"Another Ohio question, number {number}?")
        reply = factories.answer(question, world.maria, body=f"Our answer, number {number}.")
        theirs = factories.answer(
            question, world.other, body=f"Ohio's own answer, number {number}."
        )
        remark = factories.comment(world.jo, answer=theirs, body=f"Remark {number}.")
        for post in (question, reply, theirs, remark):
            dated(post, at(10 + number))
        services.redact_post(post=reply, text="number", reason="Test", by=world.moderator)


QUERIES = 20


@pytest.mark.parametrize("count", [1, 6])
def test_the_export_costs_the_same_number_of_queries_whatever_its_size(
    world, count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    more_posts(world, count)
    with django_assert_num_queries(QUERIES):
        export(world, django_capture_on_commit_callbacks)
