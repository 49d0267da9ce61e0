"""forum.services, taking part: post_answer, edit_answer and add_comment, every rule read
back from the database afterwards."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum import services
from forum.models import Answer, AuthorRole, CloseReason, Comment, Revision, Visibility
from forum.services import ForumError
from tests.factories import answer, ask, comment, make_expired_official, make_member
from tests.forum.stored import reload

pytestmark = pytest.mark.django_db


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
        question = ask(official, visibility=Visibility.MEMBERS)
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
        question = ask(official, visibility=Visibility.MEMBERS)
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
        question = ask(official, visibility=Visibility.MEMBERS)
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
