"""forum.services, asking: ask_question and edit_question (topics, states, the byline,
revisions, who may ask and edit), every rule read back from the database afterwards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from forum import services
from forum.models import AuthorRole, Question, Revision, Status, Topic, Visibility
from forum.services import ForumError
from tests.factories import (
    ask,
    make_expert,
    make_expired_official,
    make_member,
    make_official,
    topics,
)
from tests.forum.stored import reload

pytestmark = pytest.mark.django_db


# ask_question ----------------------------------------------------------------------------


class TestAskQuestion:
    def test_creates_the_question_with_topics_states_and_visibility(self, official):
        chosen = topics(3)
        question = ask(
            official,
            title="  How many poll workers per precinct?  ",
            topics=chosen,
            states=["WI", "AZ", "WI"],
            visibility=Visibility.PUBLIC,
        )

        stored = reload(question)
        assert stored.title == "How many poll workers per precinct?"
        assert stored.visibility == Visibility.PUBLIC
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
        question = ask(official, visibility=Visibility.MEMBERS)
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


def test_services_enforce_the_model_limits_without_a_form():
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
