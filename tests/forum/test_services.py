"""forum.services: every rule and branch, read back from the database afterwards.

Objects returned by a service may be stale (counters are updated with F() expressions), so
every check reloads what it looks at."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum import services
from forum.models import (
    Answer,
    AuthorRole,
    CloseReason,
    Comment,
    Question,
    Revision,
    Status,
    Topic,
    Visibility,
    Vote,
)
from forum.services import ForumError
from tests.factories import (
    answer,
    ask,
    comment,
    make_expert,
    make_expired_official,
    make_member,
    make_moderator,
    make_official,
    topics,
)

pytestmark = pytest.mark.django_db

PUBLIC, MEMBERS = Visibility.PUBLIC, Visibility.MEMBERS


@pytest.fixture
def question(official):
    return ask(official, visibility=PUBLIC)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def pks(queryset) -> set[int]:
    """What `queryset` finds; the database holds only what the test made."""
    return set(queryset.values_list("pk", flat=True))


# ask_question ----------------------------------------------------------------------------


class TestAskQuestion:
    def test_creates_the_question_with_topics_states_and_visibility(self, official):
        chosen = topics(3)
        question = ask(
            official,
            title="  How many poll workers per precinct?  ",
            topics=chosen,
            states=["WI", "AZ", "WI"],
            visibility=PUBLIC,
        )

        stored = reload(question)
        assert stored.title == "How many poll workers per precinct?"
        assert stored.visibility == PUBLIC
        assert stored.status == Status.OPEN
        assert stored.is_anonymous is False
        assert stored.answer_count == 0
        assert stored.score == 0
        assert stored.version == 1
        assert set(stored.topics.all()) == set(chosen)
        assert stored.state_codes == ["AZ", "WI"]

    def test_states_default_to_the_askers_state(self):
        asker = make_official(state="OH")
        question = ask(asker, states=[])
        assert reload(question).state_codes == ["OH"]

    def test_no_states_when_the_asker_has_no_office(self, moderator):
        question = ask(moderator, states=[])
        assert reload(question).state_codes == []

    @pytest.mark.parametrize("count", [1, 5])
    def test_one_to_five_topics_are_accepted(self, official, count):
        question = ask(official, topics=topics(count))
        assert reload(question).topics.count() == count

    @pytest.mark.parametrize("count", [0, 6])
    def test_zero_or_six_topics_are_refused(self, official, count):
        title = f"A question with {count} topics attached"
        with pytest.raises(ForumError):
            ask(official, title=title, topics=topics(count))
        assert not Question.objects.filter(title=title).exists()

    def test_body_is_rendered_and_sanitised(self, official):
        question = ask(official, body="**Bold** advice <script>alert(1)</script> [x](javascript:y)")
        stored = reload(question)
        assert stored.body == "**Bold** advice <script>alert(1)</script> [x](javascript:y)"
        assert "<strong>Bold</strong>" in stored.body_html
        assert "<script" not in stored.body_html
        assert "&lt;script&gt;" in stored.body_html
        assert "<a" not in stored.body_html  # a javascript: link stays text

    def test_records_the_original_as_revision_one(self, official):
        question = ask(official, title="Original title for the record", body="B" * 25)
        [revision] = Revision.objects.filter(question=question)
        assert revision.number == 1
        assert revision.answer is None
        assert revision.title == "Original title for the record"
        assert revision.body == "B" * 25
        assert revision.editor == official
        assert revision.editor_name == official.display_name
        assert revision.reason == "Original question"

    def test_byline_is_copied_from_the_asker(self, official):
        question = reload(ask(official))
        assert question.author == official
        assert question.author_name == "Maria Official"
        assert question.author_role == AuthorRole.OFFICIAL
        assert question.author_office == str(official.jurisdiction)
        assert question.author_office == "Maricopa County, AZ"
        assert question.author_state == "AZ"

    def test_moderator_may_ask_and_signs_as_moderator(self, moderator):
        question = reload(ask(moderator))
        assert question.author_role == AuthorRole.MODERATOR
        assert question.author_office == ""
        assert question.author_state == ""

    def test_anonymous_flag_is_stored_with_the_byline_kept_for_the_record(self, official):
        question = reload(ask(official, is_anonymous=True))
        assert question.is_anonymous is True
        assert question.author == official
        assert question.author_name == official.display_name

    @pytest.mark.parametrize(
        "make_asker",
        [make_member, make_expert, make_expired_official, AnonymousUser],
        ids=["member", "expert", "expired official", "visitor"],
    )
    def test_only_officials_and_moderators_may_ask(self, make_asker):
        title = "A question nobody may ask here"
        with pytest.raises(PermissionDenied):
            ask(make_asker(), title=title)
        assert not Question.objects.filter(title=title).exists()


# edit_question ---------------------------------------------------------------------------


def edit(question, editor, **overrides):
    fields = {
        "title": question.title,
        "body": question.body,
        "topics": list(question.topics.all()),
        "states": question.state_codes,
        "reason": "Clarified",
    }
    fields.update(overrides)
    return services.edit_question(question=question, editor=editor, **fields)


class TestEditQuestion:
    def test_changing_title_and_body_adds_a_revision(self, official, question):
        before = reload(question)
        edit(
            question,
            official,
            title="A clearer title for this question",
            body="A *clearer* body, long enough to keep.",
            reason="Fixed the wording",
        )

        stored = reload(question)
        assert stored.title == "A clearer title for this question"
        assert stored.body == "A *clearer* body, long enough to keep."
        assert stored.body_html == "<p>A <em>clearer</em> body, long enough to keep.</p>\n"
        assert stored.version == before.version + 1
        assert stored.last_activity_at > before.last_activity_at
        revisions = list(Revision.objects.filter(question=question))
        assert [r.number for r in revisions] == [1, 2]
        assert revisions[1].title == "A clearer title for this question"
        assert revisions[1].body == "A *clearer* body, long enough to keep."
        assert revisions[1].reason == "Fixed the wording"
        assert revisions[1].editor == official

    def test_changing_only_the_body_adds_a_revision(self, official, question):
        edit(question, official, body="Only the body changed in this edit.")
        assert Revision.objects.filter(question=question).count() == 2

    def test_topics_and_states_change_without_a_revision(self, official, question):
        before = reload(question)
        new_topics = list(Topic.objects.order_by("-position")[:3])
        edit(
            question, official, title=f"  {question.title} ", topics=new_topics, states=["NV", "CA"]
        )

        stored = reload(question)
        assert set(stored.topics.all()) == set(new_topics)
        assert stored.state_codes == ["CA", "NV"]
        assert stored.title == before.title
        assert stored.version == before.version + 1
        assert Revision.objects.filter(question=question).count() == 1

    @pytest.mark.parametrize("count", [0, 6])
    def test_topic_count_is_checked(self, official, question, count):
        with pytest.raises(ForumError):
            edit(question, official, title="Should not be saved at all", topics=topics(count))
        assert reload(question).title == question.title
        assert Revision.objects.filter(question=question).count() == 1

    def test_another_official_may_not_edit(self, other_official, question):
        with pytest.raises(PermissionDenied):
            edit(question, other_official, title="Someone else's new title")
        assert reload(question).title == question.title
        assert reload(question).version == 1

    def test_an_expert_may_not_edit_a_question(self, expert, question):
        with pytest.raises(PermissionDenied):
            edit(question, expert, title="An expert's title for this")
        assert reload(question).version == 1

    def test_a_member_cannot_even_see_a_members_only_question(self, official, member):
        question = ask(official, visibility=MEMBERS)
        with pytest.raises(Http404):
            edit(question, member, title="A member's title for this")
        assert reload(question).version == 1

    def test_moderator_may_edit(self, moderator, question):
        edit(question, moderator, title="Moderator fixed the title", reason="Typo")
        stored = reload(question)
        assert stored.title == "Moderator fixed the title"
        latest = Revision.objects.filter(question=question).last()
        assert (latest.number, latest.editor, latest.reason) == (2, moderator, "Typo")

    def test_locked_thread_refuses_the_author(self, official, moderator, question):
        services.lock_question(question=question, by=moderator)
        question = reload(question)
        with pytest.raises(PermissionDenied):
            edit(question, official, title="Edited after the lock")
        assert reload(question).title != "Edited after the lock"

    def test_locked_thread_still_lets_a_moderator_edit(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        edit(reload(question), moderator, title="Edited by a moderator after the lock")
        assert reload(question).title == "Edited by a moderator after the lock"


# post_answer -----------------------------------------------------------------------------


class TestPostAnswer:
    def test_creates_the_answer_and_updates_the_thread(self, other_official, question):
        before = reload(question)
        reply = answer(question, other_official, body="Use **two** teams. <b>x</b>")

        stored = reload(reply)
        assert stored.question_id == question.pk
        assert stored.body == "Use **two** teams. <b>x</b>"
        assert stored.body_html == "<p>Use <strong>two</strong> teams. &lt;b&gt;x&lt;/b&gt;</p>\n"
        assert stored.author == other_official
        assert stored.author_role == AuthorRole.OFFICIAL
        assert stored.author_office == str(other_official.jurisdiction)
        assert stored.author_state == "OH"
        assert stored.version == 1
        thread = reload(question)
        assert thread.answer_count == 1
        assert thread.version == before.version + 1
        assert thread.last_activity_at > before.last_activity_at
        [revision] = Revision.objects.filter(answer=reply)
        assert (revision.number, revision.reason, revision.editor) == (
            1,
            "Original answer",
            other_official,
        )

    def test_answer_count_counts_each_answer(self, other_official, expert, question):
        answer(question, other_official)
        answer(question, expert)
        assert reload(question).answer_count == 2

    def test_asker_may_answer_their_own_question(self, official, question):
        answer(question, official)
        assert reload(question).answer_count == 1

    def test_expert_may_answer_and_signs_as_expert(self, expert, question):
        reply = reload(answer(question, expert))
        assert reply.author_role == AuthorRole.EXPERT
        assert reply.author_office == ""
        assert reply.author_state == ""

    def test_expert_may_answer_a_members_only_question(self, official, expert):
        question = ask(official, visibility=MEMBERS)
        answer(question, expert)
        assert reload(question).answer_count == 1

    @pytest.mark.parametrize(
        "make_author", [make_member, make_expired_official], ids=["member", "expired official"]
    )
    def test_members_may_not_answer(self, question, make_author):
        with pytest.raises(PermissionDenied):
            answer(question, make_author())
        assert reload(question).answer_count == 0
        assert not Answer.objects.filter(question=question).exists()

    def test_members_only_thread_is_invisible_to_a_member(self, official, member):
        question = ask(official, visibility=MEMBERS)
        with pytest.raises(Http404):
            answer(question, member)
        assert reload(question).answer_count == 0

    def test_hidden_question_is_invisible_to_an_official(self, other_official, moderator, question):
        services.hide_post(post=question, by=moderator)
        with pytest.raises(Http404):
            answer(reload(question), other_official)
        assert reload(question).answer_count == 0

    def test_closed_thread_refuses_officials_and_experts(
        self, other_official, expert, moderator, question
    ):
        services.close_question(question=question, by=moderator, reason=CloseReason.OUTDATED)
        question = reload(question)
        for author in (other_official, expert):
            with pytest.raises(PermissionDenied):
                answer(question, author)
        assert reload(question).answer_count == 0

    def test_closed_thread_accepts_a_moderator(self, moderator, question):
        services.close_question(question=question, by=moderator, reason=CloseReason.OUTDATED)
        reply = reload(answer(reload(question), moderator))
        assert reply.author_role == AuthorRole.MODERATOR
        assert reload(question).answer_count == 1

    def test_locked_thread_refuses_officials(self, other_official, moderator, question):
        services.lock_question(question=question, by=moderator)
        with pytest.raises(PermissionDenied):
            answer(reload(question), other_official)
        assert reload(question).answer_count == 0

    def test_locked_thread_accepts_a_moderator(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        answer(reload(question), moderator)
        assert reload(question).answer_count == 1


# edit_answer -----------------------------------------------------------------------------


@pytest.fixture
def reply(question, other_official):
    return answer(question, other_official)


class TestEditAnswer:
    def test_changed_body_adds_a_revision_and_bumps_versions(self, other_official, question, reply):
        thread_before = reload(question)
        services.edit_answer(
            answer=reply,
            editor=other_official,
            body="A _better_ answer with more detail.",
            reason="Added detail",
        )

        stored = reload(reply)
        assert stored.body == "A _better_ answer with more detail."
        assert stored.body_html == "<p>A <em>better</em> answer with more detail.</p>\n"
        assert stored.version == 2
        revisions = list(Revision.objects.filter(answer=reply))
        assert [(r.number, r.reason) for r in revisions] == [
            (1, "Original answer"),
            (2, "Added detail"),
        ]
        assert revisions[1].body == "A _better_ answer with more detail."
        assert revisions[1].title == ""
        thread = reload(question)
        assert thread.version == thread_before.version + 1
        assert thread.last_activity_at > thread_before.last_activity_at

    def test_identical_body_is_a_no_op(self, other_official, question, reply):
        thread_before = reload(question)
        services.edit_answer(answer=reply, editor=other_official, body=reply.body, reason="None")

        assert reload(reply).version == 1
        assert Revision.objects.filter(answer=reply).count() == 1
        assert reload(question).version == thread_before.version
        assert reload(question).last_activity_at == thread_before.last_activity_at

    def test_another_official_may_not_edit(self, official, reply):
        with pytest.raises(PermissionDenied):
            services.edit_answer(
                answer=reply,
                editor=official,
                body="The asker rewrote this answer.",
                reason="Mine now",
            )
        assert reload(reply).body == reply.body
        assert Revision.objects.filter(answer=reply).count() == 1

    def test_moderator_may_edit(self, moderator, reply):
        services.edit_answer(
            answer=reply,
            editor=moderator,
            body="Moderator removed a phone number.",
            reason="Privacy",
        )
        assert reload(reply).body == "Moderator removed a phone number."
        assert Revision.objects.filter(answer=reply).last().editor == moderator

    def test_locked_thread_refuses_the_author(self, other_official, moderator, question, reply):
        services.lock_question(question=question, by=moderator)
        reply = reload(reply)
        with pytest.raises(PermissionDenied):
            services.edit_answer(
                answer=reply,
                editor=other_official,
                body="Edited after the thread was locked.",
                reason="Late",
            )
        assert reload(reply).version == 1

    def test_hidden_answer_refuses_the_author(self, other_official, moderator, reply):
        services.hide_post(post=reply, by=moderator)
        reply = reload(reply)
        with pytest.raises(Http404):
            services.edit_answer(
                answer=reply,
                editor=other_official,
                body="Edited after being hidden.",
                reason="Sneaky",
            )
        assert reload(reply).body != "Edited after being hidden."


# add_comment -----------------------------------------------------------------------------


class TestAddComment:
    def test_on_a_question(self, other_official, question):
        before = reload(question)
        remark = comment(other_official, question=question, body="Which *county* is this?")

        stored = reload(remark)
        assert (stored.question_id, stored.answer_id) == (question.pk, None)
        assert stored.body == "Which *county* is this?"
        assert stored.body_html == "Which <em>county</em> is this?"
        assert stored.author == other_official
        assert stored.author_name == other_official.display_name
        assert stored.author_role == AuthorRole.OFFICIAL
        thread = reload(question)
        assert thread.version == before.version + 1
        assert thread.last_activity_at > before.last_activity_at

    def test_on_an_answer(self, official, question, reply):
        thread_before = reload(question)
        remark = comment(official, answer=reply)

        stored = reload(remark)
        assert (stored.question_id, stored.answer_id) == (None, reply.pk)
        assert reload(reply).version == 2
        assert reload(question).version == thread_before.version + 1

    def test_expert_signs_as_expert(self, expert, question):
        assert reload(comment(expert, question=question)).author_role == AuthorRole.EXPERT

    def test_both_a_question_and_an_answer_is_refused(self, official, question, reply):
        with pytest.raises(ForumError):
            comment(official, question=question, answer=reply)
        assert not Comment.objects.filter(question=question).exists()
        assert not Comment.objects.filter(answer=reply).exists()

    def test_neither_a_question_nor_an_answer_is_refused(self, official):
        before = Comment.objects.count()
        with pytest.raises(ForumError):
            comment(official)
        assert Comment.objects.count() == before

    def test_body_html_is_inline_only(self, official, question):
        body = "# Not a heading\n- not a list **but bold** <img src=x onerror=alert(1)>"
        html = reload(comment(official, question=question, body=body)).body_html
        for block in ("<h", "<ul", "<li", "<p", "<img"):
            assert block not in html
        assert "<strong>but bold</strong>" in html
        assert "# Not a heading" in html

    def test_member_may_not_comment_on_a_public_thread(self, member, question):
        with pytest.raises(PermissionDenied):
            comment(member, question=question)
        assert not Comment.objects.filter(question=question).exists()

    def test_members_only_thread_is_invisible_to_a_member(self, official, member):
        question = ask(official, visibility=MEMBERS)
        with pytest.raises(Http404):
            comment(member, question=question)
        assert not Comment.objects.filter(question=question).exists()

    def test_closed_thread_still_takes_comments(self, other_official, moderator, question):
        services.close_question(question=question, by=moderator, reason=CloseReason.OFF_TOPIC)
        comment(other_official, question=reload(question))
        assert Comment.objects.filter(question=question).count() == 1

    def test_locked_thread_refuses_a_non_moderator(self, official, moderator, question, reply):
        services.lock_question(question=question, by=moderator)
        question, reply = reload(question), reload(reply)
        with pytest.raises(PermissionDenied):
            comment(official, question=question)
        with pytest.raises(PermissionDenied):
            comment(official, answer=reply)
        assert not Comment.objects.filter(question=question).exists()
        assert not Comment.objects.filter(answer=reply).exists()

    def test_locked_thread_lets_a_moderator_comment(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        remark = reload(comment(moderator, question=reload(question)))
        assert remark.author_role == AuthorRole.MODERATOR

    def test_hidden_answer_refuses_a_non_moderator(self, official, moderator, reply):
        services.hide_post(post=reply, by=moderator)
        with pytest.raises((Http404, PermissionDenied)):
            comment(official, answer=reload(reply))
        assert not Comment.objects.filter(answer=reply).exists()

    def test_hidden_answer_lets_a_moderator_comment(self, moderator, reply):
        services.hide_post(post=reply, by=moderator)
        comment(moderator, answer=reload(reply), body="Hidden: it shared a voter's address.")
        assert Comment.objects.filter(answer=reply).count() == 1


# cast_vote -------------------------------------------------------------------------------


def votes_on(post):
    field = "question" if isinstance(post, Question) else "answer"
    return list(Vote.objects.filter(**{field: post}).values_list("user_id", "value"))


class TestCastVote:
    def test_up_vote(self, other_official, question):
        before = reload(question)
        assert services.cast_vote(user=other_official, post=question, value=1) == 1
        assert votes_on(question) == [(other_official.pk, 1)]
        stored = reload(question)
        assert stored.score == 1
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_change_to_down_vote_keeps_one_row(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=1)
        assert services.cast_vote(user=other_official, post=question, value=-1) == -1
        assert votes_on(question) == [(other_official.pk, -1)]
        assert reload(question).score == -1

    def test_same_vote_twice_is_a_no_op(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=1)
        before = reload(question)
        assert services.cast_vote(user=other_official, post=before, value=1) == 1
        assert votes_on(question) == [(other_official.pk, 1)]
        assert reload(question).score == 1
        assert reload(question).version == before.version

    def test_zero_retracts_the_vote(self, other_official, question):
        services.cast_vote(user=other_official, post=question, value=-1)
        assert services.cast_vote(user=other_official, post=question, value=0) == 0
        assert votes_on(question) == []
        assert reload(question).score == 0

    def test_zero_without_a_vote_is_a_no_op(self, other_official, question):
        before = reload(question)
        assert services.cast_vote(user=other_official, post=question, value=0) == 0
        assert votes_on(question) == []
        assert reload(question).version == before.version

    @pytest.mark.parametrize("value", [2, -2, 10])
    def test_invalid_value_is_refused(self, other_official, question, value):
        with pytest.raises(ForumError):
            services.cast_vote(user=other_official, post=question, value=value)
        assert votes_on(question) == []
        assert reload(question).score == 0

    def test_own_question_is_refused(self, official, question):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=official, post=question, value=1)
        assert votes_on(question) == []

    def test_own_answer_is_refused(self, other_official, reply):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=other_official, post=reply, value=1)
        assert votes_on(reply) == []

    def test_member_is_refused(self, member, question):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=member, post=question, value=1)
        assert votes_on(question) == []

    def test_score_is_recomputed_from_all_votes(self, official, question, reply):
        voters = [make_official(), make_official(), make_expert()]
        for voter, value in zip(voters, [1, 1, -1], strict=True):
            services.cast_vote(user=voter, post=reply, value=value)
        assert reload(reply).score == 1
        # A stale in-memory score is not trusted: the total is summed from the votes.
        Answer.objects.filter(pk=reply.pk).update(score=42)
        services.cast_vote(user=voters[2], post=reply, value=1)
        assert reload(reply).score == 3
        assert reload(question).score == 0

    def test_vote_on_an_answer_bumps_answer_and_thread(self, official, question, reply):
        before = reload(question)
        assert services.cast_vote(user=official, post=reply, value=1) == 1
        stored = reload(reply)
        assert stored.score == 1
        assert stored.version == 2
        thread = reload(question)
        assert thread.version == before.version + 1
        assert thread.last_activity_at == before.last_activity_at

    def test_one_vote_row_per_user_per_post(self, official, expert, question, reply):
        for value in (1, -1, 1, 1, -1):
            services.cast_vote(user=expert, post=question, value=value)
        services.cast_vote(user=expert, post=reply, value=1)
        services.cast_vote(user=official, post=reply, value=1)
        assert votes_on(question) == [(expert.pk, -1)]
        assert sorted(votes_on(reply)) == sorted([(expert.pk, 1), (official.pk, 1)])
        assert Vote.objects.filter(user=expert).count() == 2

    def test_hidden_answer_is_refused(self, official, moderator, reply):
        services.hide_post(post=reply, by=moderator)
        with pytest.raises(Http404):
            services.cast_vote(user=official, post=reload(reply), value=1)
        assert votes_on(reply) == []


# accept_answer ---------------------------------------------------------------------------


@pytest.fixture
def second_reply(question, expert):
    return answer(question, expert)


class TestAcceptAnswer:
    def test_asker_accepts(self, official, question, reply):
        before = reload(question)
        services.accept_answer(question=question, answer=reply, by=official)
        stored = reload(question)
        assert stored.accepted_answer_id == reply.pk
        assert stored.is_solved
        assert stored.version == before.version + 1
        assert reload(reply).version == 2

    def test_asker_changes_to_another_answer(self, official, question, reply, second_reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.accept_answer(question=reload(question), answer=second_reply, by=official)
        assert reload(question).accepted_answer_id == second_reply.pk
        assert reload(reply).version == 3  # accepted, then un-accepted
        assert reload(second_reply).version == 2

    def test_asker_withdraws_with_none(self, official, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.accept_answer(question=reload(question), answer=None, by=official)
        stored = reload(question)
        assert stored.accepted_answer_id is None
        assert not stored.is_solved
        assert reload(reply).version == 3

    def test_same_answer_again_is_a_no_op(self, official, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        before = reload(question)
        services.accept_answer(question=before, answer=reply, by=official)
        assert reload(question).version == before.version
        assert reload(reply).version == 2

    def test_none_when_nothing_is_accepted_is_a_no_op(self, official, question, reply):
        before = reload(question)
        services.accept_answer(question=before, answer=None, by=official)
        assert reload(question).version == before.version
        assert reload(question).accepted_answer_id is None

    @pytest.mark.parametrize(
        "make_actor",
        [make_official, make_expert, make_member],
        ids=["other official", "expert", "member"],
    )
    def test_only_the_asker_accepts(self, question, reply, make_actor):
        with pytest.raises(PermissionDenied):
            services.accept_answer(question=question, answer=reply, by=make_actor())
        assert reload(question).accepted_answer_id is None

    def test_moderator_may_accept(self, moderator, question, reply):
        services.accept_answer(question=question, answer=reply, by=moderator)
        assert reload(question).accepted_answer_id == reply.pk

    def test_answer_from_another_question_is_refused(self, official, other_official, question):
        elsewhere = answer(ask(official), other_official)
        with pytest.raises(ForumError):
            services.accept_answer(question=question, answer=elsewhere, by=official)
        assert reload(question).accepted_answer_id is None

    def test_hidden_answer_is_refused(self, official, moderator, question, reply):
        services.hide_post(post=reply, by=moderator)
        with pytest.raises(ForumError):
            services.accept_answer(question=reload(question), answer=reload(reply), by=official)
        assert reload(question).accepted_answer_id is None

    def test_locked_thread_refuses_the_asker_but_not_a_moderator(
        self, official, moderator, question, reply
    ):
        services.lock_question(question=question, by=moderator)
        with pytest.raises(PermissionDenied):
            services.accept_answer(question=reload(question), answer=reply, by=official)
        assert reload(question).accepted_answer_id is None
        services.accept_answer(question=reload(question), answer=reply, by=moderator)
        assert reload(question).accepted_answer_id == reply.pk


# close_question, reopen_question, lock_question ------------------------------------------


class TestCloseQuestion:
    @pytest.mark.parametrize(
        "reason",
        [CloseReason.OFF_TOPIC, CloseReason.OUTDATED, CloseReason.RESOLVED_ELSEWHERE],
    )
    def test_closes_for_each_reason(self, official, moderator, question, reason):
        before = reload(question)
        services.close_question(
            question=question, by=moderator, reason=reason, duplicate_of=ask(official)
        )
        stored = reload(question)
        assert stored.status == Status.CLOSED
        assert stored.close_reason == reason
        assert stored.duplicate_of is None  # only a duplicate points elsewhere
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_duplicate_points_to_the_other_question(self, official, moderator, question):
        original = ask(official)
        services.close_question(
            question=question, by=moderator, reason=CloseReason.DUPLICATE, duplicate_of=original
        )
        stored = reload(question)
        assert (stored.status, stored.close_reason) == (Status.CLOSED, CloseReason.DUPLICATE)
        assert stored.duplicate_of == original
        assert list(original.duplicates.all()) == [stored]

    def test_duplicate_requires_another_question(self, moderator, question):
        with pytest.raises(ForumError):
            services.close_question(question=question, by=moderator, reason=CloseReason.DUPLICATE)
        assert reload(question).status == Status.OPEN

    def test_duplicate_of_itself_is_refused(self, moderator, question):
        with pytest.raises(ForumError):
            services.close_question(
                question=question,
                by=moderator,
                reason=CloseReason.DUPLICATE,
                duplicate_of=reload(question),
            )
        assert reload(question).status == Status.OPEN

    @pytest.mark.parametrize("reason", ["", "spam", None])
    def test_unknown_reason_is_refused(self, moderator, question, reason):
        with pytest.raises(ForumError):
            services.close_question(question=question, by=moderator, reason=reason)
        assert reload(question).status == Status.OPEN

    @pytest.mark.parametrize("make_actor", [make_official, make_expert], ids=["official", "expert"])
    def test_non_moderator_is_refused(self, question, make_actor):
        with pytest.raises(PermissionDenied):
            services.close_question(
                question=question, by=make_actor(), reason=CloseReason.OFF_TOPIC
            )
        assert reload(question).status == Status.OPEN

    def test_the_asker_may_not_close_their_own_question(self, official, question):
        with pytest.raises(PermissionDenied):
            services.close_question(
                question=question, by=official, reason=CloseReason.RESOLVED_ELSEWHERE
            )
        assert reload(question).status == Status.OPEN


class TestReopenQuestion:
    def test_reopens_a_closed_duplicate(self, official, moderator, question):
        services.close_question(
            question=question,
            by=moderator,
            reason=CloseReason.DUPLICATE,
            duplicate_of=ask(official),
        )
        before = reload(question)
        services.reopen_question(question=before, by=moderator)
        stored = reload(question)
        assert stored.status == Status.OPEN
        assert stored.close_reason == ""
        assert stored.duplicate_of is None
        assert stored.version == before.version + 1

    def test_reopens_a_locked_thread(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        services.reopen_question(question=reload(question), by=moderator)
        assert reload(question).status == Status.OPEN

    def test_open_question_is_a_no_op(self, moderator, question):
        before = reload(question)
        services.reopen_question(question=before, by=moderator)
        assert reload(question).status == Status.OPEN
        assert reload(question).version == before.version

    def test_non_moderator_is_refused(self, official, moderator, question):
        services.close_question(question=question, by=moderator, reason=CloseReason.OUTDATED)
        with pytest.raises(PermissionDenied):
            services.reopen_question(question=reload(question), by=official)
        assert reload(question).status == Status.CLOSED


class TestLockQuestion:
    def test_locks(self, moderator, question):
        before = reload(question)
        services.lock_question(question=before, by=moderator)
        stored = reload(question)
        assert stored.status == Status.LOCKED
        assert stored.version == before.version + 1
        assert stored.last_activity_at == before.last_activity_at

    def test_locked_question_is_a_no_op(self, moderator, question):
        services.lock_question(question=question, by=moderator)
        before = reload(question)
        services.lock_question(question=before, by=moderator)
        assert reload(question).status == Status.LOCKED
        assert reload(question).version == before.version

    def test_non_moderator_is_refused(self, official, question):
        with pytest.raises(PermissionDenied):
            services.lock_question(question=question, by=official)
        assert reload(question).status == Status.OPEN

    def test_then_answers_comments_and_votes_are_refused(
        self, official, other_official, moderator, question, reply
    ):
        services.lock_question(question=question, by=moderator)
        question, reply = reload(question), reload(reply)
        with pytest.raises(PermissionDenied):
            answer(question, other_official)
        with pytest.raises(PermissionDenied):
            comment(other_official, question=question)
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=other_official, post=question, value=1)
        with pytest.raises(PermissionDenied):
            services.cast_vote(user=official, post=reply, value=1)
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.score == 0
        assert reload(reply).score == 0
        assert not Comment.objects.filter(question=question).exists()
        assert not Vote.objects.filter(question=question).exists()
        assert not Vote.objects.filter(answer=reply).exists()


# hide_post -------------------------------------------------------------------------------


class TestHidePost:
    def test_hidden_question_is_gone_for_officials_but_not_for_moderators(
        self, other_official, moderator, question
    ):
        before = reload(question)
        services.hide_post(post=question, by=moderator)

        stored = reload(question)  # still in the database, for the record
        assert stored.is_hidden is True
        assert stored.version == before.version + 1
        assert pks(Question.objects.visible_to(other_official)) == set()
        assert pks(Question.objects.visible_to(AnonymousUser())) == set()
        assert pks(Question.objects.visible_to(moderator)) == {question.pk}
        assert pks(Question.objects.public()) == set()

    def test_unhiding_a_question_shows_it_again(self, other_official, moderator, question):
        services.hide_post(post=question, by=moderator)
        services.hide_post(post=reload(question), by=moderator, hidden=False)
        assert reload(question).is_hidden is False
        assert pks(Question.objects.visible_to(other_official)) == {question.pk}

    def test_hidden_answer_leaves_the_count_and_the_thread_listing(
        self, official, moderator, question, reply, second_reply
    ):
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator)

        assert reload(reply).is_hidden is True
        assert reload(reply).version == 2
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.version == before.version + 1
        assert pks(Answer.objects.visible_to(official)) == {second_reply.pk}
        assert pks(Answer.objects.visible_to(moderator)) == {reply.pk, second_reply.pk}

    def test_hidden_accepted_answer_is_unaccepted(self, official, moderator, question, reply):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(reply), by=moderator)
        stored = reload(question)
        assert stored.accepted_answer_id is None
        assert stored.answer_count == 0

    def test_hidden_accepted_answer_is_unaccepted_even_from_an_older_object(
        self, official, moderator, question, reply
    ):
        loaded_before_acceptance = Answer.objects.select_related("question").get(pk=reply.pk)
        services.accept_answer(question=reload(question), answer=reply, by=official)
        services.hide_post(post=loaded_before_acceptance, by=moderator)
        assert reload(question).accepted_answer_id is None

    def test_hiding_another_answer_keeps_the_accepted_one(
        self, official, moderator, question, reply, second_reply
    ):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(second_reply), by=moderator)
        stored = reload(question)
        assert stored.accepted_answer_id == reply.pk
        assert stored.answer_count == 1

    def test_unhide_restores_the_count_but_not_the_acceptance(
        self, official, moderator, question, reply
    ):
        services.accept_answer(question=question, answer=reply, by=official)
        services.hide_post(post=reload(reply), by=moderator)
        services.hide_post(post=reload(reply), by=moderator, hidden=False)
        stored = reload(question)
        assert reload(reply).is_hidden is False
        assert stored.answer_count == 1
        assert stored.accepted_answer_id is None

    def test_hiding_twice_is_a_no_op(self, moderator, question, reply):
        services.hide_post(post=reload(reply), by=moderator)
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator)
        stored = reload(question)
        assert stored.answer_count == 0  # not decremented twice
        assert stored.version == before.version
        assert reload(reply).version == 2

    def test_showing_a_visible_post_is_a_no_op(self, moderator, question, reply):
        before = reload(question)
        services.hide_post(post=reload(reply), by=moderator, hidden=False)
        services.hide_post(post=before, by=moderator, hidden=False)
        stored = reload(question)
        assert stored.answer_count == 1
        assert stored.version == before.version
        assert reload(reply).version == 1

    def test_non_moderator_is_refused(self, official, question, reply):
        with pytest.raises(PermissionDenied):
            services.hide_post(post=question, by=official)
        with pytest.raises(PermissionDenied):
            services.hide_post(post=reply, by=official)
        assert reload(question).is_hidden is False
        assert reload(reply).is_hidden is False
        assert reload(question).answer_count == 1


# Reads: QuestionQuerySet and AnswerQuerySet ----------------------------------------------


class TestQuestionVisibleTo:
    @pytest.fixture
    def threads(self, official, moderator):
        public = ask(official, visibility=PUBLIC)
        members = ask(official, visibility=MEMBERS)
        hidden = ask(official, visibility=PUBLIC)
        services.hide_post(post=hidden, by=moderator)
        return {"public": public, "members": members, "hidden": hidden}

    @pytest.mark.parametrize(
        ("make_reader", "readable"),
        [
            (AnonymousUser, {"public"}),
            (make_member, {"public"}),
            (make_expired_official, {"public"}),
            (make_official, {"public", "members"}),
            (make_expert, {"public", "members"}),
            (make_moderator, {"public", "members", "hidden"}),
        ],
        ids=["visitor", "member", "expired official", "official", "expert", "moderator"],
    )
    def test_visible_to(self, threads, make_reader, readable):
        visible = pks(Question.objects.visible_to(make_reader()))
        assert visible == {threads[name].pk for name in readable}

    def test_public_is_what_a_visitor_sees(self, threads):
        assert pks(Question.objects.public()) == {threads["public"].pk}


class TestQuestionFilters:
    def test_unanswered_unsolved_solved(self, official, other_official):
        unanswered = ask(official)
        answered = ask(official)
        answer(answered, other_official)
        solved = ask(official)
        services.accept_answer(question=solved, answer=answer(solved, other_official), by=official)

        assert pks(Question.objects.unanswered()) == {unanswered.pk}
        assert pks(Question.objects.unsolved()) == {unanswered.pk, answered.pk}
        assert pks(Question.objects.solved()) == {solved.pk}

    def test_in_state(self, official):
        arizona_and_ohio = ask(official, states=["AZ", "OH"])
        wisconsin = ask(official, states=["WI"])

        assert pks(Question.objects.in_state("OH")) == {arizona_and_ohio.pk}
        assert pks(Question.objects.in_state("AZ")) == {arizona_and_ohio.pk}
        assert pks(Question.objects.in_state("WI")) == {wisconsin.pk}
        assert pks(Question.objects.in_state("NV")) == set()

    def test_about_topic(self, official):
        first, second, third = topics(3)
        about_first = ask(official, topics=[first])
        about_both = ask(official, topics=[first, second])

        assert pks(Question.objects.about_topic(first)) == {about_first.pk, about_both.pk}
        assert pks(Question.objects.about_topic(second)) == {about_both.pk}
        assert pks(Question.objects.about_topic(third)) == set()


class TestAnswerThreadOrder:
    def test_accepted_first_then_score_then_oldest(self, official, question):
        authors = [make_official() for _ in range(4)]
        oldest, high, high_later, accepted = (answer(question, a) for a in authors)
        voters = [make_official(), make_official()]
        for voter in voters:
            services.cast_vote(user=voter, post=high, value=1)
            services.cast_vote(user=voter, post=high_later, value=1)
        services.cast_vote(user=voters[0], post=accepted, value=-1)
        services.accept_answer(question=question, answer=accepted, by=official)

        in_order = Answer.objects.filter(question=question).in_thread_order(accepted.pk)
        assert list(in_order) == [accepted, high, high_later, oldest]

        without_accepted = Answer.objects.filter(question=question).in_thread_order(None)
        assert list(without_accepted) == [high, high_later, oldest, accepted]


def test_services_enforce_the_model_limits_without_a_form():
    from django.core.exceptions import ValidationError

    from tests.factories import make_official, topics

    asker = make_official()
    with pytest.raises(ValidationError):
        services.ask_question(
            author=asker,
            title="Too short",
            body="x" * 30,
            topics=topics(1),
            states=[],
            visibility="public",
        )
    with pytest.raises(ValidationError):
        services.ask_question(
            author=asker,
            title="A long enough question title",
            body="x" * 30_001,
            topics=topics(1),
            states=[],
            visibility="public",
        )
    assert not Question.objects.filter(author=asker).exists()


def test_edit_without_states_keeps_the_stored_states():
    from tests.factories import ask, make_official

    asker = make_official(state="OH")
    question = ask(asker, states=["OH", "PA"])
    services.edit_question(
        question=question,
        editor=asker,
        title=question.title,
        body=question.body,
        topics=list(question.topics.all()),
        states=[],
        reason="Wording",
    )
    assert reload(question).state_codes == ["OH", "PA"]
    assert Question.objects.in_state("pa").filter(pk=question.pk).exists()


def test_accepting_again_from_a_stale_object_changes_nothing():
    from tests.factories import answer, ask, make_official

    asker = make_official()
    question = ask(asker)
    reply = answer(question, make_official(state="OH"))
    stale = Question.objects.get(pk=question.pk)
    services.accept_answer(question=question, answer=reply, by=asker)
    version = reload(question).version
    services.accept_answer(question=stale, answer=reply, by=asker)
    assert reload(question).accepted_answer_id == reply.pk
    assert reload(question).version == version
