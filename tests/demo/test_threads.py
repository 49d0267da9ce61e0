import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from demo.threads import (
    DEMO_NOTE,
    MEMBERS_ONLY_THREADS,
    QA_FILE,
    DemoAnswer,
    DemoDataError,
    DemoThread,
    _asking_times,
    _check,
    _history,
    _read_threads,
    load_threads,
)
from forum import services
from forum.forms import SORTS
from forum.models import Answer, Comment, Question, Revision, Visibility, Vote

pytestmark = pytest.mark.django_db


def qa_rows() -> list[dict]:
    with QA_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def expected_threads() -> list[tuple[str, list[tuple[str, bool]]]]:
    """(title, [(answer body, accepted)]) for every demo thread, public and members-only."""
    public = [(r["title"], [(a["body"], a["accepted"]) for a in r["answers"]]) for r in qa_rows()]
    members = [(t.title, [(a.body, a.accepted) for a in t.answers]) for t in MEMBERS_ONLY_THREADS]
    return public + members


def demo_questions():
    return Question.objects.filter(title__in=[title for title, _ in expected_threads()])


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Question, Answer, Comment, Vote, Revision)
    }


def test_the_24_public_and_3_members_only_threads_exist():
    public_titles = [r["title"] for r in qa_rows()]
    assert len(public_titles) == 24
    public = Question.objects.filter(title__in=public_titles)
    assert public.count() == 24
    assert set(public.values_list("visibility", flat=True)) == {Visibility.PUBLIC}

    members = Question.objects.filter(title__in=[t.title for t in MEMBERS_ONLY_THREADS])
    assert members.count() == 3
    assert set(members.values_list("visibility", flat=True)) == {Visibility.MEMBERS}


def test_question_bodies_are_the_data_plus_the_demo_note():
    for row in qa_rows():
        question = Question.objects.get(title=row["title"])
        assert question.body == f"{row['body']}\n\n{DEMO_NOTE}"
        assert "Demo content" in question.body_html
        assert set(question.topics.values_list("slug", flat=True)) == set(row["tags"])


def test_askers_are_verified_officials_from_several_states_asking_about_their_state():
    askers = set()
    for question in demo_questions().select_related("author__jurisdiction"):
        assert question.author.is_verified_official
        assert question.author_role == "official"
        assert question.state_codes == [question.author.jurisdiction.state_abbr]
        askers.add(question.author.jurisdiction.state_abbr)
    assert len(askers) >= 4


def test_each_thread_has_its_accepted_answer_and_the_right_answer_count():
    for title, answers in expected_threads():
        question = Question.objects.get(title=title)
        assert question.answer_count == len(answers) == question.answers.count()
        [accepted_body] = [body for body, accepted in answers if accepted]
        assert question.accepted_answer is not None
        assert question.accepted_answer.question_id == question.pk
        assert question.accepted_answer.body == accepted_body


def test_nobody_answers_their_own_question():
    answers = Answer.objects.filter(question__in=demo_questions()).select_related("question")
    assert answers.count() == sum(len(a) for _, a in expected_threads())
    for answer in answers:
        assert answer.author_id is not None
        assert answer.author_id != answer.question.author_id
    assert answers.filter(author__email="priya.raman@demo.example", author_role="expert").exists()


def test_accepted_answers_are_upvoted_by_others():
    for question in demo_questions().select_related("accepted_answer"):
        accepted = question.accepted_answer
        assert accepted.score >= 2
        voters = set(accepted.votes.values_list("user_id", flat=True))
        assert accepted.author_id not in voters


def test_scores_are_the_sums_of_votes_by_others_than_the_author():
    answers = Answer.objects.filter(question__in=demo_questions())
    for post in [*demo_questions(), *answers]:
        assert post.score == (post.votes.aggregate(total=Sum("value"))["total"] or 0)
        assert not post.votes.filter(user_id=post.author_id).exists()
    scores = {question.score for question in demo_questions()}
    assert len(scores) >= 4, f"Too few different question scores: {scores}"


def test_questions_were_asked_over_the_past_two_years_each_in_its_own_minute():
    asked = sorted(demo_questions().values_list("created_at", flat=True))
    now = timezone.now()
    assert now - datetime.timedelta(days=731) < asked[0]
    assert asked[-1] < now
    assert asked[-1] - asked[0] > datetime.timedelta(days=365)
    minutes = {moment.replace(second=0, microsecond=0) for moment in asked}
    assert len(minutes) == len(asked)


def test_answers_comments_and_revisions_follow_the_question_and_activity_is_the_latest():
    for question in demo_questions().prefetch_related("answers__comments", "comments"):
        answers = list(question.answers.all())
        comments = [*question.comments.all(), *(c for a in answers for c in a.comments.all())]
        for answer in answers:
            assert answer.created_at > question.created_at
            assert set(answer.revisions.values_list("created_at", flat=True)) == {answer.created_at}
            for comment in answer.comments.all():
                assert comment.created_at > answer.created_at
        for comment in question.comments.all():
            assert comment.created_at > question.created_at
        assert set(question.revisions.values_list("created_at", flat=True)) == {question.created_at}
        # The acceptance, within a week of the accepted answer, is activity too.
        latest_post = max(post.created_at for post in [question, *answers, *comments])
        assert latest_post <= question.last_activity_at <= latest_post + datetime.timedelta(days=7)
        assert question.last_activity_at < timezone.now()


def test_the_history_is_the_same_on_every_load():
    threads = [*_read_threads(), *MEMBERS_ONLY_THREADS]
    now = timezone.now()
    asked = _asking_times(threads, now)
    assert asked == _asking_times(threads, now)
    for thread in threads:
        assert _history(thread, asked=asked[thread.key], now=now) == _history(
            thread, asked=asked[thread.key], now=now
        )


def test_top_and_active_lists_differ_from_newest():
    def titles(sort: str) -> list[str]:
        return list(demo_questions().order_by(*SORTS[sort]).values_list("title", flat=True))

    assert titles("top") != titles("newest")
    assert titles("active") != titles("newest")
    assert titles("top")[:5] != titles("newest")[:5]


def test_some_threads_carry_a_short_comment():
    comments = Comment.objects.filter(question__in=demo_questions()) | Comment.objects.filter(
        answer__question__in=demo_questions()
    )
    assert comments.count() >= 6
    for comment in comments:
        assert 2 <= len(comment.body) <= 600


def test_loading_again_creates_nothing_and_keeps_edits():
    question = Question.objects.get(title=qa_rows()[0]["title"])
    services.edit_question(
        question=question,
        editor=question.author,
        title=question.title,
        body="An edited body that the next load must leave alone.",
        topics=list(question.topics.all()),
        states=question.state_codes,
        reason="Testing that edits survive",
    )
    before = counts()
    history = list(
        demo_questions().order_by("pk").values_list("pk", "created_at", "last_activity_at", "score")
    )

    call_command("load_demo", verbosity=0)

    assert counts() == before
    assert history == list(
        demo_questions().order_by("pk").values_list("pk", "created_at", "last_activity_at", "score")
    )
    assert load_threads() == {"threads": 0, "answers": 0, "members-only threads": 0}
    question.refresh_from_db()
    assert question.body == "An edited body that the next load must leave alone."


def test_load_demo_prints_the_thread_counts():
    out = StringIO()
    call_command("load_demo", verbosity=1, stdout=out)
    assert "0 threads added, 0 answers added, 0 members-only threads added" in out.getvalue()


def test_visitors_see_the_public_threads_but_no_members_only_ones():
    visible = set(Question.objects.visible_to(AnonymousUser()).values_list("title", flat=True))
    members_only = {t.title for t in MEMBERS_ONLY_THREADS}
    assert not visible & members_only
    assert {r["title"] for r in qa_rows()} <= visible

    official = User.objects.get(email="maria.alvarez@demo.example")
    assert members_only <= set(
        Question.objects.visible_to(official).values_list("title", flat=True)
    )


def test_data_that_breaks_the_model_limits_is_reported_not_padded():
    short = DemoThread(
        key="q99",
        title="A title that is long enough",
        body="Too short.",
        topics=["poll-workers"],
        answers=[DemoAnswer("An answer that is long enough to keep.", accepted=True)],
    )
    with pytest.raises(DemoDataError, match=r"q99: question body has 10 characters"):
        _check(short)
