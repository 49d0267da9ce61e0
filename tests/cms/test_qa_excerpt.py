"""The Q&A excerpt block quotes a thread's accepted answer on a guide, only to people
who may read that thread now: hiding the thread or its answer, or making it members-only,
removes every trace of it (title, answer, attribution, note) for everyone else."""

import pytest
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from cms.models import HomePage, QuotedThread, StandardPage
from core.caching import CONTENT, bump
from forum import services
from forum.models import Question, Visibility
from tests.factories import (
    answer,
    ask,
    make_guide,
    make_member,
    make_moderator,
    make_official,
    publish,
    solved_thread,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NOTE = "Why this answer matters to offices like yours."


def quote(thread, **fields):
    question, _ = thread
    body = [
        ("paragraph", "<p>What the guide says first.</p>"),
        ("qa_excerpt", {"question": question.pk, "note": NOTE}),
    ]
    return make_guide("Guide quoting a thread", body=body, **fields)


def traces(thread) -> list[str]:
    question, reply = thread
    return [
        escape(question.title),
        question.get_absolute_url(),
        reply.body_html,
        "Answered by",
        NOTE,
        'class="canvass-qa"',
    ]


def page(client, guide) -> str:
    response = client.get(guide.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What the guide says first." in html
    return html


def assert_shown(html: str, thread) -> None:
    for trace in traces(thread):
        assert trace in html


def assert_absent(html: str, thread) -> None:
    for trace in traces(thread):
        assert trace not in html


def test_a_visitor_reads_the_accepted_answer_with_attribution_date_and_link(
    client, official, other_official
):
    thread = solved_thread(
        official, other_official, title="How do you seal ballot boxes between shifts?"
    )
    guide = quote(thread)
    question, reply = thread
    html = page(client, guide)
    assert_shown(html, thread)
    excerpt = html.split('class="canvass-qa"')[1].split('class="canvass-qa__note"')[0]
    assert f'<a class="usa-link" href="{question.get_absolute_url()}">' in excerpt
    assert "Answered by Dana Other · Verified official" in excerpt
    assert timezone.localtime(reply.created_at).strftime("%B %-d, %Y") in excerpt
    assert reply.body_html in excerpt.split("<blockquote")[1]


def test_hiding_the_thread_removes_the_excerpt_except_for_moderators(
    client, official, other_official
):
    thread = solved_thread(official, other_official, visibility=Visibility.PUBLIC)
    guide = quote(thread)
    moderator = make_moderator()
    services.hide_post(post=thread[0], by=moderator)
    assert_absent(page(client, guide), thread)
    client.force_login(make_official())
    assert_absent(page(client, guide), thread)
    client.force_login(moderator)
    assert_shown(page(client, guide), thread)


def test_hiding_the_accepted_answer_removes_the_excerpt(client, official, other_official):
    thread = solved_thread(official, other_official)
    guide = quote(thread)
    services.hide_post(post=thread[1], by=make_moderator())
    assert_absent(page(client, guide), thread)


def test_a_members_only_thread_shows_to_verified_officials_only(client, official, other_official):
    thread = solved_thread(official, other_official, visibility=Visibility.MEMBERS)
    guide = quote(thread)
    assert_absent(page(client, guide), thread)
    client.force_login(make_member())
    assert_absent(page(client, guide), thread)
    client.force_login(make_official(state="WI"))
    assert_shown(page(client, guide), thread)


def test_a_thread_made_members_only_disappears_for_visitors(client, official, other_official):
    thread = solved_thread(official, other_official, visibility=Visibility.PUBLIC)
    guide = quote(thread)
    assert_shown(page(client, guide), thread)
    # forum.services has no service that changes a thread's visibility yet; this is the
    # change such a service would store.
    Question.objects.filter(pk=thread[0].pk).update(visibility=Visibility.MEMBERS)
    bump(CONTENT)  # what the service's thread change would do (forum.signals)
    assert_absent(page(client, guide), thread)
    client.force_login(make_official())
    assert_shown(page(client, guide), thread)


def test_an_excerpt_of_a_deleted_question_renders_nothing(client, official, other_official):
    thread = solved_thread(official, other_official)
    guide = quote(thread)
    Question.objects.filter(pk=thread[0].pk).delete()
    assert 'class="canvass-qa"' not in page(client, guide)


def test_a_plain_page_quotes_a_thread_the_same_way(
    client, official, other_official, django_capture_on_commit_callbacks
):
    thread = solved_thread(official, other_official)
    plain = publish(
        HomePage.objects.get(),
        StandardPage(
            title="Shared standards",
            slug="shared-standards",
            body=[
                ("paragraph", "<p>What the guide says first.</p>"),
                ("qa_excerpt", {"question": thread[0].pk, "note": NOTE}),
            ],
        ),
    )
    assert_shown(page(client, plain), thread)
    with django_capture_on_commit_callbacks(execute=True):  # the thread's change is announced
        services.hide_post(post=thread[0], by=make_moderator())
    assert_absent(page(client, plain), thread)


def test_a_change_to_a_quoted_thread_reaches_the_visitors_cached_page(
    client, official, other_official, django_capture_on_commit_callbacks
):
    """The page is cached whole for visitors; a change to the thread it quotes empties it
    once committed (`cms.promotion.threads_changed`), a change to any other thread does not."""
    thread = solved_thread(official, other_official)
    other = ask(official, visibility=Visibility.PUBLIC)
    guide = quote(thread)
    page(client, guide)
    with django_capture_on_commit_callbacks(execute=True):
        answer(other, make_official(state="OH"))
    assert len(page_queries(client, guide.url)) == 0  # still the cached page

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_answer(
            answer=thread[1],
            editor=other_official,
            body="We seal every box in front of two poll workers, and log it.",
            reason="Clearer",
        )
    assert "We seal every box in front of two poll workers" in page(client, guide)


def test_the_record_of_quoted_threads_follows_publishing(official, other_official):
    thread = solved_thread(official, other_official)
    guide = quote(thread)
    quoted = QuotedThread.objects.filter(page=guide)
    assert list(quoted.values_list("question", flat=True)) == [thread[0].pk]
    guide.body = [("paragraph", "<p>No longer quoting.</p>")]
    guide.save_revision().publish()
    assert not quoted.exists()
    guide.body = [("qa_excerpt", {"question": thread[0].pk, "note": ""})]
    guide.save_revision().publish()
    assert quoted.exists()
    guide.unpublish()
    assert not quoted.exists()
    guide.save_revision().publish()
    Page.objects.get(pk=guide.pk).delete()  # a live page is unpublished, then deleted
    assert not QuotedThread.objects.exists()
