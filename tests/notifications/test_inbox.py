"""The inbox at /notifications/ and the header's unread count: newest first, paged without
counting, each item linking to what it is about, and never more than the reader may see now."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts import verification
from accounts.models import OfficialRole
from forum import services as forum_services
from forum.models import Question, Visibility
from notifications import inbox, unread
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


@pytest.fixture
def answered(asker, expert, committed):
    """A public thread by ``asker`` with ``expert``'s answer: one item in the asker's inbox."""
    with committed():
        question = factories.ask(asker, visibility=Visibility.PUBLIC)
    with committed():
        answer = factories.answer(question, expert)
    return question, answer


def test_the_inbox_lists_an_item_that_links_to_the_answer_and_marks_it_read(
    client, asker, answered
):
    question, answer = answered
    client.force_login(asker)
    html = client.get(INBOX).content.decode()
    assert "Priya Expert answered your question" in html
    assert ">Unread<" in html
    assert 'canvass-unread-count">1<' in html  # the header's count
    notification = Notification.objects.get(recipient=asker)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    html = client.get(INBOX).content.decode()
    assert ">Unread<" not in html
    assert "canvass-unread-count" not in html


def test_mark_all_as_read(client, asker, answered, committed, other_official):
    question, _ = answered
    with committed():
        factories.comment(other_official, question=question)
    assert unread.count(asker) == 2
    client.force_login(asker)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=asker).unread().count() == 0
    assert unread.count(asker) == 0


def test_someone_elses_item_is_not_found(client, official, answered):
    client.force_login(official)
    notification = Notification.objects.get()
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404


def test_an_item_about_a_thread_made_unreadable_is_dropped_and_not_counted(
    client, asker, answered, moderator, committed
):
    question, _ = answered
    recipient = factories.make_official(display_name="Watcher")
    Notification.objects.create(recipient=recipient, kind=Kind.ANSWER, question=question)
    assert unread.count(recipient) == 1
    # Hiding moves the forum's content generation on, so the cached count is counted again.
    with committed():
        forum_services.hide_post(post=question, by=moderator)
    assert unread.count(recipient) == 0
    client.force_login(recipient)
    html = client.get(INBOX).content.decode()
    assert question.title not in html
    assert "Nothing yet" in html


def test_an_item_about_a_hidden_answer_says_only_that_there_was_activity(
    client, asker, answered, moderator
):
    question, answer = answered
    forum_services.hide_post(post=answer, by=moderator)
    client.force_login(asker)
    html = client.get(INBOX).content.decode()
    assert f"There was new activity in “{question.title}”" in html
    assert "Priya Expert" not in html


def test_a_thread_made_members_only_leaves_a_visitor_turned_member(client, answered):
    question, answer = answered
    member = factories.make_member(display_name="Plain Member")
    Notification.objects.create(
        recipient=member, kind=Kind.ANSWER, question=question, answer=answer
    )
    client.force_login(member)
    assert question.title in client.get(INBOX).content.decode()
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.MEMBERS)
    assert question.title not in client.get(INBOX).content.decode()


def test_an_anonymous_asker_is_not_named_to_others(client, expert, other_official, committed):
    asker = factories.make_official(display_name="Hidden Asker")
    with committed():
        question = factories.ask(asker, visibility=Visibility.PUBLIC, is_anonymous=True)
    with committed():
        answer = factories.answer(question, expert)
    with committed():
        factories.comment(asker, answer=answer, body="Thank you, that is what we needed.")
    client.force_login(expert)
    html = client.get(INBOX).content.decode()
    assert "A verified official in Arizona commented on your answer" in html
    assert "Hidden Asker" not in html


def test_a_verification_decision_reaches_the_inbox(
    client, moderator, django_capture_on_commit_callbacks
):
    member = factories.make_member(display_name="New Clerk")
    request = verification.request_verification(
        user=member,
        jurisdiction=factories.find_jurisdiction("az-maricopa-county"),
        role=OfficialRole.DEPUTY,
        how_to_confirm="Call the main office line listed on the county site.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        verification.approve_verification(request_id=request.pk, by=moderator)
    client.force_login(member)
    html = client.get(INBOX).content.decode()
    assert "Your verification was approved" in html
    notification = Notification.objects.get(recipient=member)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("accounts:verification")


def test_pages_go_back_in_time_and_cost_the_same_queries_however_long(
    client, asker, answered, django_assert_num_queries
):
    question, answer = answered
    Notification.objects.bulk_create(
        Notification(recipient=asker, kind=Kind.ANSWER, question=question, answer=answer)
        for _ in range(inbox.PER_PAGE * 2)
    )
    client.force_login(asker)
    client.get(INBOX)  # the session saved, the unread count cached
    # The session, the person, the page of items with their threads and posts, and the
    # person's groups and cohorts (who may read what).
    with django_assert_num_queries(5):
        first = client.get(INBOX)
    older = first.context["next_before"]
    assert len(first.context["items"]) == inbox.PER_PAGE
    second = client.get(INBOX, {"before": older})
    third = client.get(INBOX, {"before": second.context["next_before"]})
    assert len(second.context["items"]) == inbox.PER_PAGE
    assert len(third.context["items"]) == 1
    assert third.context["next_before"] is None
    shown = [
        item.notification.pk for page in (first, second, third) for item in page.context["items"]
    ]
    assert shown == sorted(shown, reverse=True)
    assert len(set(shown)) == inbox.PER_PAGE * 2 + 1


def test_visitors_are_sent_to_sign_in_and_pay_no_query_for_the_count(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_deleting_an_account_leaves_nothing_here(asker, answered):
    account_services.delete_account(user=asker)
    assert not Notification.objects.filter(recipient=asker).exists()
