"""Redaction (issue 15): a moderator removes text from a post and from every revision that
held it. Afterwards the text is in no row the post's redaction reaches (the post, its
revisions, email waiting to go, the audit log, flags), in no search result or suggestion,
in no page a reader is served (cached ones included) and in no export; the record says who
redacted, when and why, never what."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from core.email import queue_email
from core.models import OutgoingEmail
from forum import services
from forum.export import posts
from forum.models import Flag, FlagReason, Redaction, Visibility
from forum.rendering import render_inline_markdown, render_markdown
from forum.services import REDACTED, RedactionError
from search import queue
from search.models import SimilarList
from search.queries import Filters, search
from tests.factories import answer, ask, comment
from tests.forum.stored import reload
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

# A poll worker's home address: the apostrophe is escaped in HTML, the word is in no other
# document.
SECRET = "417 O'Quillfeather Lane"
WORD = "quillfeather"
MISSPELT = "quillfeathr"
REASON = "A poll worker's home address"


def holds_secret(*texts: str) -> bool:
    return any(WORD in text.lower() for text in texts)


def thread_with_secret(author, **fields):
    """A public question naming the address in its title and body, edited once (so two
    revisions hold it)."""
    question = ask(
        author,
        title=f"Letters sent to {SECRET}: what now?",
        body=f"A poll worker at {SECRET} got a threatening letter. The sheriff has a copy.",
        visibility=Visibility.PUBLIC,
        **fields,
    )
    return services.edit_question(
        question=question,
        editor=author,
        title=question.title,
        body=question.body + f"\n\nUpdate: a second letter reached {SECRET} today.",
        topics=list(question.topics.all()),
        states=[],
        reason="Added the second letter",
    )


def redact(post, by, text=SECRET, reason=REASON):
    return services.redact_post(post=post, text=text, reason=reason, by=by)


# The service ------------------------------------------------------------------------------


def test_a_question_loses_the_text_in_title_body_and_every_revision(asker, moderator):
    question = thread_with_secret(asker)
    before = reload(question)
    redaction = redact(question, moderator)
    stored = reload(question)
    assert not holds_secret(stored.title, stored.body, stored.body_html)
    assert stored.title == f"Letters sent to {REDACTED}: what now?"
    assert stored.body.count(REDACTED) == 2
    assert stored.body_html == render_markdown(stored.body)
    revisions = list(stored.revisions.all())
    assert len(revisions) == 2
    for revision in revisions:
        assert not holds_secret(revision.title, revision.body, revision.reason)
        assert REDACTED in revision.title and REDACTED in revision.body
    assert stored.version == before.version + 1
    assert (redaction.question, redaction.moderator, redaction.reason) == (
        stored,
        moderator,
        REASON,
    )
    assert redaction.moderator_name == "Sam Moderator"


def test_text_edited_out_long_ago_goes_from_the_history(asker, moderator):
    """The case the issue opens with: the post no longer shows it, its first revision does."""
    question = ask(
        asker,
        body=f"Our warehouse door code is {SECRET} until we change it.",
        visibility=Visibility.PUBLIC,
    )
    services.edit_question(
        question=question,
        editor=asker,
        title=question.title,
        body="Our warehouse door code changes every month; how do you share it?",
        topics=list(question.topics.all()),
        states=[],
        reason="Removed the code",
    )
    body_before = reload(question).body
    redact(question, moderator)
    assert reload(question).body == body_before
    first, second = reload(question).revisions.all()
    assert first.body == f"Our warehouse door code is {REDACTED} until we change it."
    assert not holds_secret(first.body, second.body)


def test_an_answer_loses_the_text_and_its_fragments_are_renewed(asker, other_official, moderator):
    question = ask(asker, visibility=Visibility.PUBLIC)
    reply = answer(question, other_official, body=f"Write to the sheriff about {SECRET}.")
    services.edit_answer(
        answer=reply,
        editor=other_official,
        body=reply.body + " And keep copies.",
        reason=f"Mentioned {SECRET} again",
    )
    before, thread_before = reload(reply), reload(question)
    redaction = redact(reply, moderator)
    stored = reload(reply)
    assert stored.body == f"Write to the sheriff about {REDACTED}. And keep copies."
    assert stored.body_html == render_markdown(stored.body)
    assert [r.body.count(REDACTED) for r in stored.revisions.all()] == [1, 1]
    assert not any(holds_secret(r.body, r.reason) for r in stored.revisions.all())
    assert stored.version == before.version + 1
    assert reload(question).version == thread_before.version + 1
    assert redaction.answer == stored


def test_a_comment_on_an_answer_loses_the_text(asker, other_official, expert, moderator):
    question = ask(asker, visibility=Visibility.PUBLIC)
    reply = answer(question, other_official)
    remark = comment(expert, answer=reply, body=f"I know them, they live at **{SECRET}**.")
    before, thread_before = reload(reply), reload(question)
    redaction = redact(remark, moderator)
    stored = reload(remark)
    assert stored.body == f"I know them, they live at **{REDACTED}**."
    assert stored.body_html == render_inline_markdown(stored.body)
    assert reload(reply).version == before.version + 1
    assert reload(question).version == thread_before.version + 1
    assert redaction.comment == stored


def test_email_waiting_in_the_outbox_loses_the_text(asker, moderator):
    question = thread_with_secret(asker)
    # Queued outside any on-commit run: the messages wait, as they do until a worker sends.
    about = queue_email(
        to=["someone@example.com"],
        subject=f"New question: Letters sent to {SECRET}",
        text=f"Letters sent to {SECRET}: what now?",
        html=f"<p>Letters sent to {escape(SECRET)}: what now?</p>",
    )
    other = queue_email(to=["else@example.com"], subject="Your digest", text="Nothing new.")
    redact(question, moderator)
    stored = reload(about)
    assert not holds_secret(stored.subject, stored.text, stored.html)
    assert stored.html == f"<p>Letters sent to {REDACTED}: what now?</p>"
    assert (reload(other).subject, reload(other).text) == ("Your digest", "Nothing new.")
    assert OutgoingEmail.objects.count() == 2


def test_the_audit_log_records_it_without_the_text_and_forgets_earlier_labels(asker, moderator):
    question = thread_with_secret(asker)
    # An earlier entry about the thread: its label is the title as it was.
    log(instance=question, action="canvass.forum.lock", user=moderator, data={"why": SECRET})
    flag = Flag.objects.create(
        flagger=asker, question=question, reason=FlagReason.PERSONAL, note=f"Shows {SECRET}"
    )
    redact(question, moderator)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(question), object_id=str(question.pk)
    )
    assert not any(holds_secret(e.label, json.dumps(e.data)) for e in entries)
    entry = entries.get(action="canvass.forum.redact")
    assert entry.user_id == moderator.pk
    assert entry.data == {"kind": "question", "post": question.pk, "reason": REASON}
    assert reload(flag).note == f"Shows {REDACTED}"


def test_the_export_no_longer_holds_the_text(asker, moderator):
    question = thread_with_secret(asker)
    assert holds_secret(json.dumps(posts(asker)["posts"].rows))
    redact(question, moderator)
    assert not holds_secret(json.dumps(posts(asker)["posts"].rows))


def _unchanged(question, before) -> None:
    stored = reload(question)
    assert (stored.title, stored.body, stored.version) == (
        before.title,
        before.body,
        before.version,
    )
    assert [r.body for r in stored.revisions.all()] == [r.body for r in before.revisions.all()]
    assert not Redaction.objects.exists()
    assert not ModelLogEntry.objects.filter(action="canvass.forum.redact").exists()


@pytest.mark.parametrize("who", ["asker", "expert", "editor"])
def test_only_moderators_redact(request, asker, who):
    question = thread_with_secret(asker)
    before = reload(question)
    with pytest.raises(PermissionDenied):
        redact(question, request.getfixturevalue(who))
    _unchanged(question, before)


@pytest.mark.parametrize(
    ("text", "reason", "field"),
    [
        ("an address nobody wrote", REASON, "text"),
        ("   ", REASON, "text"),
        ("redact", REASON, "text"),  # would still be found in the mark itself
        (SECRET, "  ", "reason"),
        (SECRET, f"The address {SECRET}", "reason"),  # the reason is shown to readers
        ("a", REASON, "text"),  # "[redacted]" for every "a" would overflow the title
    ],
)
def test_a_refused_redaction_changes_nothing(asker, moderator, text, reason, field):
    question = thread_with_secret(asker)
    before = reload(question)
    with pytest.raises(RedactionError) as refused:
        redact(question, moderator, text=text, reason=reason)
    assert refused.value.field == field
    _unchanged(question, before)


# Search -----------------------------------------------------------------------------------


def test_search_no_longer_finds_or_suggests_the_text(
    asker, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = thread_with_secret(asker)
    with fresh_index():
        assert [hit.obj.pk for hit in search(moderator, WORD, Filters()).hits] == [question.pk]
        assert search(AnonymousUser(), MISSPELT, Filters()).suggestion == WORD
        with django_capture_on_commit_callbacks(execute=True):
            redact(question, moderator)
        queue.drain()
        for reader in (AnonymousUser(), moderator):
            assert search(reader, WORD, Filters()).hits == []
            assert search(reader, MISSPELT, Filters()).suggestion == ""
        assert [hit.obj.pk for hit in search(moderator, "letters", Filters()).hits] == [question.pk]
        assert not SimilarList.objects.filter(title__icontains=WORD).exists()


# Pages ------------------------------------------------------------------------------------


def test_pages_served_before_are_not_served_again(
    client, asker, other_official, moderator, django_capture_on_commit_callbacks
):
    question = thread_with_secret(asker)
    reply = answer(question, other_official, body=f"Tell the sheriff about {SECRET} now.")
    page = question.get_absolute_url()
    assert holds_secret(client.get(page).content.decode())  # now in the visitors' cache
    client.force_login(other_official)
    assert holds_secret(client.get(page).content.decode())  # and in the thread's layers
    with django_capture_on_commit_callbacks(execute=True):
        redact(question, moderator)
        redact(reply, moderator)
    for reader in (other_official, None):
        if reader is None:
            client.logout()
        content = client.get(page).content.decode()
        assert not holds_secret(content)
        assert REDACTED in content


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_revision_history_says_who_redacted_and_why_not_what(
    client, asker, other_official, moderator, kind
):
    question = ask(
        asker, body=f"A poll worker at {SECRET} got a letter.", visibility=Visibility.PUBLIC
    )
    reply = answer(question, other_official, body=f"Tell the sheriff about {SECRET} now.")
    post = question if kind == "question" else reply
    redact(post, moderator)
    response = client.get(reverse(f"forum:{kind}_revisions", args=[post.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sam Moderator redacted text from this post and its revisions" in content
    assert escape(REASON) in content
    assert not holds_secret(content)


def test_revision_history_names_a_comments_redaction_unless_the_comment_is_hidden(
    client, asker, other_official, moderator
):
    question = ask(asker, visibility=Visibility.PUBLIC)
    remark = comment(other_official, question=question, body=f"They live at {SECRET}.")
    redact(remark, moderator)
    history = reverse("forum:question_revisions", args=[question.pk])
    assert "redacted text from a comment on this post" in client.get(history).content.decode()
    type(remark).objects.filter(pk=remark.pk).update(is_hidden=True)
    assert "redacted text from a comment" not in client.get(history).content.decode()
    client.force_login(moderator)
    assert "redacted text from a comment on this post" in client.get(history).content.decode()


# The view ---------------------------------------------------------------------------------


def test_moderator_redacts_through_the_form(client, asker, moderator):
    question = thread_with_secret(asker)
    url = reverse("forum:redact", args=["question", question.pk])
    client.force_login(moderator)
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="text"' in form.content.decode()
    response = client.post(url, {"text": SECRET, "reason": REASON})
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert not holds_secret(reload(question).body)


@pytest.mark.parametrize(
    ("text", "reason", "field", "message"),
    [
        ("nobody wrote this", REASON, "text", "That text is not in this post"),
        (SECRET, f"It was {SECRET}", "reason", "it must not repeat the text"),
        (SECRET, "", "reason", "This field is required."),
    ],
)
def test_a_refusal_is_shown_next_to_its_field_with_what_was_typed(
    client, asker, moderator, text, reason, field, message
):
    question = thread_with_secret(asker)
    client.force_login(moderator)
    response = client.post(
        reverse("forum:redact", args=["question", question.pk]), {"text": text, "reason": reason}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert escape(text) in content
    assert not Redaction.objects.exists()


def test_comment_doors(client, asker, other_official, member, moderator):
    """The access matrix's world has no comments: a comment's redaction page answers like
    its post's."""
    public = ask(asker, visibility=Visibility.PUBLIC)
    members_only = ask(asker, visibility=Visibility.MEMBERS)
    hidden_answer = answer(public, other_official)
    on_public = comment(other_official, question=public)
    on_members_only = comment(other_official, question=members_only)
    on_hidden_answer = comment(asker, answer=hidden_answer)
    services.hide_post(post=hidden_answer, by=moderator)

    def status(person, target) -> int:
        client.logout()
        if person is not None:
            client.force_login(person)
        return client.get(reverse("forum:redact", args=["comment", target.pk])).status_code

    assert status(None, on_public) == 302  # to sign in
    assert status(other_official, on_public) == 403
    assert status(member, on_public) == 403
    assert status(member, on_members_only) == 404
    assert status(other_official, on_members_only) == 403
    assert status(other_official, on_hidden_answer) == 404
    for target in (on_public, on_members_only, on_hidden_answer):
        assert status(moderator, target) == 200
