"""The forum's pages and actions through HTTP: who gets what, forms that keep what was
typed, and query counts that do not grow with the thread."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from forum import services
from forum.models import Question, Visibility
from tests.factories import (
    answer,
    ask,
    comment,
    make_expert,
    make_member,
    make_moderator,
    make_official,
)
from tests.queries import cold_and_warm
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db


def test_members_only_thread_is_404_to_visitors_and_members(client, members_thread):
    url = members_thread.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(make_member())
    assert client.get(url).status_code == 404
    client.force_login(make_expert())
    assert client.get(url).status_code == 200


def test_members_only_titles_never_reach_visitors_lists(client, members_thread, public_thread):
    for url in (
        "/questions/",
        "/",
        reverse("forum:topic", args=[members_thread.topics.first().slug]),
    ):
        html = client.get(url).content.decode()
        assert escape(members_thread.title) not in html
    assert escape(public_thread.title) in client.get("/questions/").content.decode()


def test_asking_walks_visitor_member_expert_official(client):
    url = reverse("forum:ask")
    assert client.get(url).status_code == 302  # visitor: to sign in
    client.force_login(make_member())
    assert client.get(url).status_code == 403
    client.force_login(make_expert())
    assert client.get(url).status_code == 403
    client.force_login(make_official())
    assert client.get(url).status_code == 200


def test_refused_question_keeps_what_was_typed_with_errors_beside_fields(client):
    client.force_login(make_official())
    response = client.post(
        reverse("forum:ask"),
        {
            "title": "Too short",
            "body": "Keep this text please",
            "visibility": "public",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Too short"' in html
    assert "Keep this text please" in html
    assert 'id="id_title_error"' in html
    assert 'id="id_topics_error"' in html
    assert not Question.objects.filter(title="Too short").exists()


def test_preview_button_renders_markdown_without_javascript(client):
    client.force_login(make_official())
    response = client.post(
        reverse("forum:ask"),
        {
            "title": "A question long enough",
            "body": "Some **bold** text here",
            "preview": "1",
        },
    )
    assert "<strong>bold</strong>" in response.content.decode()
    assert not Question.objects.filter(title="A question long enough").exists()


def test_answer_accept_and_vote_through_the_pages(client, asker, public_thread):
    responder = make_official(state="OH")
    client.force_login(responder)
    response = client.post(
        reverse("forum:answer", args=[public_thread.pk]),
        {"body": "We test every style on every device type."},
    )
    assert response.status_code == 302
    reply = public_thread.answers.get()
    html = client.get(public_thread.get_absolute_url()).content.decode()
    assert "Answered from Ohio, another state" in html
    assert "Accept this answer" not in html

    client.force_login(asker)
    assert (
        client.post(
            reverse("forum:vote", args=[public_thread.pk]), {"answer": reply.pk, "vote": "up"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("forum:accept", args=[public_thread.pk]), {"answer": reply.pk}
        ).status_code
        == 302
    )
    public_thread.refresh_from_db()
    reply.refresh_from_db()
    assert public_thread.accepted_answer == reply
    assert reply.score == 1


def test_votes_on_own_post_are_refused(client, asker, public_thread):
    client.force_login(asker)
    response = client.post(reverse("forum:vote", args=[public_thread.pk]), {"vote": "up"})
    assert response.status_code == 403


def test_anonymous_question_hides_the_asker_from_peers_not_moderators(client):
    asker = make_official(state="WI")
    thread = ask(asker, is_anonymous=True, visibility=Visibility.PUBLIC)
    client.force_login(make_official())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "A verified official in Wisconsin" in html
    assert asker.display_name not in html
    client.force_login(make_moderator())
    assert asker.display_name in client.get(thread.get_absolute_url()).content.decode()


def test_list_rows_count_votes_and_answers_in_the_singular_and_the_plural(
    client, asker, public_thread
):
    answer(public_thread, make_expert())
    services.cast_vote(user=make_official(), post=public_thread, value=1)
    quiet = ask(
        asker, title="Who else tests ballot printers in July?", visibility=Visibility.PUBLIC
    )
    html = client.get(reverse("forum:questions")).content.decode()
    rows = html.split('<li class="canvass-question-row">')

    [row] = [row for row in rows if escape(public_thread.title) in row]
    assert "1 vote</span>" in row and "1 answer</span>" in row
    [row] = [row for row in rows if escape(quiet.title) in row]
    assert "0 votes</span>" in row and "0 answers</span>" in row


def test_anonymous_page_cache_is_invalidated_by_changes(client, public_thread):
    first = client.get(public_thread.get_absolute_url()).content.decode()
    assert "0 answers" in first
    answer(public_thread, make_expert(), body="A fresh answer that must appear at once.")
    second = client.get(public_thread.get_absolute_url()).content.decode()
    assert "A fresh answer that must appear at once." in second


def test_revision_history_shows_each_edit_as_a_diff(client, asker, public_thread):
    services.edit_question(
        question=public_thread,
        editor=asker,
        title=public_thread.title,
        body=public_thread.body + "\n\nAdded: our state statute.",
        topics=list(public_thread.topics.all()),
        states=["AZ"],
        reason="Added the statute",
    )
    html = client.get(reverse("forum:question_revisions", args=[public_thread.pk])).content
    html = html.decode()
    assert "Revision 2 by" in html
    assert "Added the statute" in html
    assert "<ins>+Added: our state statute.</ins>" in html


def test_moderator_closes_as_duplicate_and_page_links_canonical(client, asker, public_thread):
    other = ask(asker, title="Another question about L&A staffing", visibility="public")
    client.force_login(make_moderator())
    response = client.post(
        reverse("forum:close", args=[other.pk]),
        {
            "reason": "duplicate",
            "duplicate_of": public_thread.pk,
        },
    )
    assert response.status_code == 302
    html = client.get(other.get_absolute_url()).content.decode()
    assert "Closed: Duplicate of another question." in html
    assert public_thread.get_absolute_url() in html


# Warm: the question, and the similar questions read back (filled in on every request);
# signed in, also the session, the person, their groups, the cohorts they belong to (which
# cohort-only threads they may read, the similar questions included:
# `cohorts.membership.cohort_ids`) and how they follow the thread
# (the notifications panel; the header's unread count is read from the cache, counted
# once when cold). Cold counts add the offices' cohort badges (`cohorts.badges`, cached
# whole until they change), the thread's
# outline (states, answers), the person's votes in it, the question's body, states and
# topics, its comments, the answers and their comments, the guides the thread is featured
# in (all read only to render the cached layers) and the navigation's nine (the library,
# events and topics indexes and the footer pages with their restrictions and the site,
# cached until a page changes).
@pytest.mark.parametrize(("signed_in", "expected"), [(False, (20, 2)), (True, (28, 7))])
def test_question_page_queries_do_not_grow_with_answers_and_comments(
    client, asker, public_thread, signed_in, expected
):
    """`?fresh=1` skips the visitors' whole-page cache, so this counts the page as built."""
    ask(asker, title="Who staffs the L&A tests in other counties?", visibility=Visibility.PUBLIC)
    answerers = [make_official(state="OH"), make_expert()]
    first = answer(public_thread, answerers[0])
    if signed_in:
        client.force_login(make_official(state="TX"))
    url = public_thread.get_absolute_url() + "?fresh=1"
    with fresh_index():  # the similar question searchable
        client.get(url)  # a new session is saved once; later pages within minutes are not
        small = cold_and_warm(client, url)
        for number in range(49):
            reply = answer(public_thread, answerers[number % 2])
            for _ in range(5):
                comment(asker, answer=reply)
        for _ in range(5):
            comment(asker, answer=first)
        large = cold_and_warm(client, url)
    assert small == large == expected


def test_question_list_queries_do_not_grow_with_questions(client, asker):
    ask(asker, visibility="public")
    small = cold_and_warm(client, "/questions/")
    for _ in range(49):
        ask(asker, visibility="public")
    assert cold_and_warm(client, "/questions/") == small


def test_hidden_answer_history_is_404_to_all_but_moderators(client, asker, public_thread):
    reply = answer(public_thread, make_expert())
    moderator = make_moderator()
    services.hide_post(post=reply, by=moderator)
    url = reverse("forum:answer_revisions", args=[reply.pk])
    client.force_login(asker)
    assert client.get(url).status_code == 404
    client.force_login(moderator)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("door", "data"),
    [
        ("forum:accept", {}),
        ("forum:vote", {"vote": "up"}),
        ("forum:comment", {"body": "A comment on the answer."}),
    ],
)
def test_a_hidden_answer_answers_like_one_that_does_not_exist(
    client, asker, public_thread, door, data
):
    """Its id in a form gets the same status and body as an id nobody has, for the asker
    and for another official, so nobody learns that it exists."""
    reply = answer(public_thread, make_expert())
    services.hide_post(post=reply, by=make_moderator())
    url = reverse(door, args=[public_thread.pk])
    for person in (asker, make_official()):
        client.force_login(person)
        hidden = client.post(url, {**data, "answer": reply.pk})
        missing = client.post(url, {**data, "answer": 999_999})
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
    assert not reply.comments.exists() and not reply.votes.exists()


def test_a_vote_that_is_neither_up_nor_down_is_a_bad_request(client, public_thread):
    reply = answer(public_thread, make_expert())
    client.force_login(make_official(state="OH"))
    response = client.post(
        reverse("forum:vote", args=[public_thread.pk]), {"answer": reply.pk, "vote": "sideways"}
    )
    assert response.status_code == 400


def _vote_form_for(html: str, answer_pk: int) -> dict:
    """The hidden fields of the vote form on one answer, as the browser would send them."""
    article = html[html.index(f'id="answer-{answer_pk}"') :]
    form = article[: article.index("</form>")]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    return {"csrfmiddlewaretoken": token, "answer": answer_pk, "vote": "up"}


def test_shared_cached_answers_carry_each_persons_own_token_and_vote(public_thread):
    """Two officials get the same cached answer; each sees their own vote, and each form
    carries that person's CSRF token, which the site accepts."""
    reply = answer(public_thread, make_expert())
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_official(state="OH"))
    second.force_login(make_official(state="TX"))
    url = public_thread.get_absolute_url()

    vote_url = reverse("forum:vote", args=[public_thread.pk])
    html = first.get(url).content.decode()
    assert first.post(vote_url, _vote_form_for(html, reply.pk)).status_code == 302

    mine = first.get(url).content.decode()
    theirs = second.get(url).content.decode()
    assert 'value="withdraw" aria-pressed="true"' in mine
    assert 'value="withdraw" aria-pressed="true"' not in theirs
    assert "csrf-" not in theirs  # the marker never reaches a page
    assert second.post(vote_url, _vote_form_for(theirs, reply.pk)).status_code == 302
    reply.refresh_from_db()
    assert reply.score == 2


def test_refusals_from_the_services_answer_400_not_500(client, asker, public_thread):
    """A moderator, who sees hidden answers, is refused accepting one by the service."""
    reply = answer(public_thread, make_official(state="OH"))
    moderator = make_moderator()
    services.hide_post(post=reply, by=moderator)
    client.force_login(moderator)
    response = client.post(reverse("forum:accept", args=[public_thread.pk]), {"answer": reply.pk})
    assert response.status_code == 400
    public_thread.refresh_from_db()
    assert public_thread.accepted_answer is None


def test_closing_as_a_duplicate_of_itself_is_explained_beside_the_field(client, public_thread):
    client.force_login(make_moderator())
    url = reverse("forum:close", args=[public_thread.pk])
    response = client.post(url, {"reason": "duplicate", "duplicate_of": public_thread.pk})
    assert response.status_code == 400
    assert 'id="id_duplicate_of_error"' in response.content.decode()
    assert "Say which other question this one duplicates." in response.content.decode()
    assert client.post(url, {"reason": "shred"}).status_code == 400
    public_thread.refresh_from_db()
    assert public_thread.status == "open"


def test_only_public_threads_may_be_indexed_by_search_engines(
    client, public_thread, members_thread, official, moderator
):
    noindex = '<meta name="robots" content="noindex, nofollow">'
    assert noindex not in client.get(public_thread.get_absolute_url()).content.decode()
    client.force_login(official)
    assert noindex in client.get(members_thread.get_absolute_url()).content.decode()
    services.hide_post(post=public_thread, by=moderator)
    client.force_login(moderator)
    assert noindex in client.get(public_thread.get_absolute_url()).content.decode()
