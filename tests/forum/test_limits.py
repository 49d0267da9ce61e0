"""Posting limits (forum/limits.py) and posting suspensions (forum/permissions.py).

The test settings turn the limits off; here they are the shipped ones (config/settings/base).
Time passes by moving a person's posts (and their verification's approval) into the past,
as the demo dates its history: the limits read nothing but those rows."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts import services as account_services
from accounts.models import OfficialRole, User, VerificationRequest
from accounts.verification import approve_verification, request_verification, verified_since
from config.settings.base import CANVASS_POSTING_LIMITS
from forum import limits, permissions, services
from forum.models import Answer, Comment, Question, Visibility
from tests.factories import answer, ask, comment, find_jurisdiction, make_member, make_official

SHIPPED = CANVASS_POSTING_LIMITS
EVERYONE_WAIT = datetime.timedelta(seconds=SHIPPED["seconds_between_posts"])
NEW_WAIT = datetime.timedelta(seconds=SHIPPED["new_official_seconds_between_posts"])
NEW_DAYS = datetime.timedelta(days=SHIPPED["new_official_days"])

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped_limits(settings):
    settings.CANVASS_POSTING_LIMITS = SHIPPED


def make_new_official(moderator) -> User:
    """A member verified through a request a moderator approved just now."""
    person = make_member()
    request = request_verification(
        user=person,
        jurisdiction=find_jurisdiction(),
        role=OfficialRole.STAFF,
        how_to_confirm="The county's staff page lists me.",
    )
    approve_verification(request_id=request.pk, by=moderator)
    person.refresh_from_db()
    return person


def age(person: User, by: datetime.timedelta) -> None:
    """Move everything ``person`` posted ``by`` into the past."""
    for model in (Question, Answer, Comment):
        model.objects.filter(author=person).update(created_at=F("created_at") - by)


def verified_ago(person: User, by: datetime.timedelta) -> None:
    VerificationRequest.objects.filter(user=person).update(decided_at=F("decided_at") - by)


def expected_local(until: datetime.datetime, fmt: str) -> str:
    return dateformat.format(until.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)), fmt)


def latest_post_time(person: User) -> datetime.datetime:
    return max(
        model.objects.filter(author=person).latest("created_at").created_at
        for model in (Question, Answer, Comment)
        if model.objects.filter(author=person).exists()
    )


# Everyone ------------------------------------------------------------------------------------


def test_everyone_waits_between_posts_and_is_told_until_when(official, other_official):
    question = ask(other_official, visibility=Visibility.PUBLIC)
    comment(official, question=question)
    with pytest.raises(services.PostingTooSoon) as refused:
        answer(question, official)
    until = latest_post_time(official) + EVERYONE_WAIT
    assert refused.value.until == until
    # The site's zone, to the second: it is a matter of seconds.
    assert str(refused.value) == (
        f"You can post once every {EVERYONE_WAIT.seconds} seconds. "
        f"You can post again at {expected_local(until, 'g:i:s A')}."
    )
    assert not Answer.objects.filter(author=official).exists()

    age(official, EVERYONE_WAIT)
    assert answer(question, official).author == official


def test_an_established_official_has_no_daily_cap(official):
    # Verified without a request (staff), so not in a first week.
    assert verified_since(official) is None
    for _ in range(SHIPPED["new_official_questions_per_day"] + 1):
        ask(official)
        age(official, EVERYONE_WAIT)
    assert Question.objects.filter(author=official).count() == 4


def test_moderators_are_exempt(moderator):
    question = ask(moderator, visibility=Visibility.PUBLIC)
    reply = answer(question, moderator)
    comment(moderator, answer=reply)
    ask(moderator)
    assert Question.objects.filter(author=moderator).count() == 2


def test_limits_are_off_without_the_setting_and_inside_lifted(settings, official):
    with limits.lifted():
        ask(official)
        ask(official)
    settings.CANVASS_POSTING_LIMITS = None
    ask(official)
    assert Question.objects.filter(author=official).count() == 3


# New officials ---------------------------------------------------------------------------------


def test_a_new_official_waits_a_minute_between_posts(moderator, official):
    newcomer = make_new_official(moderator)
    question = ask(official, visibility=Visibility.PUBLIC)
    comment(newcomer, question=question)
    age(newcomer, EVERYONE_WAIT)  # enough for everyone else, not for a newcomer
    with pytest.raises(services.PostingTooSoon) as refused:
        answer(question, newcomer)
    assert str(refused.value).startswith(
        f"In your first {NEW_DAYS.days} days as a verified official, you can post once every "
        f"{NEW_WAIT.seconds} seconds. You can post again at "
    )
    assert refused.value.until == latest_post_time(newcomer) + NEW_WAIT

    age(newcomer, NEW_WAIT - EVERYONE_WAIT)
    answer(question, newcomer)


def test_a_new_official_asks_three_questions_a_day(moderator):
    newcomer = make_new_official(moderator)
    cap = SHIPPED["new_official_questions_per_day"]
    for _ in range(cap):
        ask(newcomer)
        age(newcomer, NEW_WAIT)
    first = Question.objects.filter(author=newcomer).earliest("created_at")
    with pytest.raises(services.PostingTooSoon) as refused:
        ask(newcomer)
    until = first.created_at + datetime.timedelta(days=1)
    assert refused.value.until == until
    # Another day: the day and the minute, rounded up so it is never too early.
    shown = until.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    assert str(refused.value) == (
        f"In your first {NEW_DAYS.days} days as a verified official, you can ask {cap} "
        f"questions a day. You can post again on {expected_local(shown, 'l, F j')} at "
        f"{expected_local(shown, 'g:i A')}."
    )
    # Answers have a cap of their own.
    answer(ask(make_official(), visibility=Visibility.PUBLIC), newcomer)

    age(newcomer, datetime.timedelta(days=1) - cap * NEW_WAIT)
    ask(newcomer)
    assert Question.objects.filter(author=newcomer).count() == cap + 1


def test_a_new_official_posts_ten_answers_a_day(moderator, official):
    newcomer = make_new_official(moderator)
    cap = SHIPPED["new_official_answers_per_day"]
    question = ask(official, visibility=Visibility.PUBLIC)
    for _ in range(cap):
        answer(question, newcomer)
        age(newcomer, NEW_WAIT)
    with pytest.raises(services.PostingTooSoon, match=f"you can post {cap} answers a day"):
        answer(question, newcomer)
    comment(newcomer, question=question)  # comments have no daily cap
    assert Answer.objects.filter(author=newcomer).count() == cap


def test_the_first_week_counts_from_the_first_approval(moderator):
    newcomer = make_new_official(moderator)
    verified_ago(newcomer, NEW_DAYS)
    for _ in range(SHIPPED["new_official_questions_per_day"] + 1):
        ask(newcomer)
        age(newcomer, EVERYONE_WAIT)
    assert Question.objects.filter(author=newcomer).count() == 4


def test_a_check_costs_the_same_few_queries_however_many_posts(
    moderator, official, django_assert_num_queries
):
    newcomer = make_new_official(moderator)
    question = ask(official, visibility=Visibility.PUBLIC)
    for posts in (1, 8):
        for _ in range(posts):
            answer(question, newcomer)
            age(newcomer, NEW_WAIT)
        # The lock, the first approval, the latest post, the day's answers.
        with django_assert_num_queries(4):
            assert limits.refusal(newcomer, limits.ANSWER) is None


# Through the pages: the refusal beside the form, the text kept --------------------------------


def test_a_refused_question_keeps_what_was_typed(client, official):
    ask(official)
    client.force_login(official)
    response = client.post(
        reverse("forum:ask"),
        {
            "title": "How do you staff early voting sites?",
            "body": "We run four sites and keep this text.",
            "topics": [t.pk for t in Question.objects.get(author=official).topics.all()],
            "visibility": "public",
        },
    )
    html = response.content.decode()
    assert "You can post again at" in html
    assert 'value="How do you staff early voting sites?"' in html
    assert "We run four sites and keep this text." in html
    assert Question.objects.filter(author=official).count() == 1


def test_a_refused_answer_keeps_what_was_typed(client, official, other_official):
    question = ask(other_official, visibility=Visibility.PUBLIC)
    comment(official, question=question)
    client.force_login(official)
    response = client.post(
        reverse("forum:answer", args=[question.pk]),
        {"body": "We rotate poll workers; keep this answer."},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "You can post again at" in html
    assert "We rotate poll workers; keep this answer." in html
    assert not question.answers.exists()


def test_a_refused_comment_keeps_what_was_typed(client, official, other_official):
    question = ask(other_official, visibility=Visibility.PUBLIC)
    reply = answer(question, official)
    client.force_login(official)
    response = client.post(
        reverse("forum:comment", args=[question.pk]),
        {"answer": reply.pk, "body": "Keep this comment, please."},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "You can post again at" in html
    assert "Keep this comment, please." in html
    assert f'name="answer" value="{reply.pk}"' in html
    assert not Comment.objects.exists()


# Suspension --------------------------------------------------------------------------------------


def suspend(member: User, moderator: User, hours: int = 2) -> User:
    return account_services.suspend_posting(
        member=member,
        by=moderator,
        until=timezone.now() + datetime.timedelta(hours=hours),
        reason="Repeated personal attacks.",
    )


def test_a_suspended_member_reads_but_does_not_post_or_vote(client, moderator, official, asker):
    question = ask(asker, visibility=Visibility.PUBLIC)
    reply = answer(question, make_official(state="OH"))
    official = suspend(official, moderator)
    assert not permissions.can_ask(official)
    assert not permissions.can_answer(official, question)
    assert not permissions.can_comment(official, question)
    assert not permissions.can_vote(official, reply)
    attempts = [
        lambda: ask(official),
        lambda: answer(question, official),
        lambda: comment(official, question=question),
        lambda: services.cast_vote(user=official, post=reply, value=1),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="suspended your posting until"):
            attempt()

    client.force_login(official)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "Post your answer" not in page.content.decode()
    refused = client.get(reverse("forum:ask"))
    assert refused.status_code == 403
    assert "suspended your posting until" in refused.content.decode()


def test_a_suspension_lifts_when_it_ends(moderator, official, asker):
    question = ask(asker, visibility=Visibility.PUBLIC)
    official = suspend(official, moderator)
    User.objects.filter(pk=official.pk).update(
        posting_suspended_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    official.refresh_from_db()
    assert permissions.can_answer(official, question)
    reply = answer(question, official)
    assert services.cast_vote(user=asker, post=reply, value=1) == 1
    assert services.cast_vote(user=official, post=question, value=1) == 1
