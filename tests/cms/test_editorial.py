"""The editorial workflow: editors draft and submit, moderators approve; promoting a thread
to a draft guide (the service, the question page's button, the admin's list); "Featured
in <guide>" on the thread once the guide is published; the editors' report."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import (
    GroupPagePermission,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from accounts import roles
from cms import editorial
from cms.editorial import setup_editorial
from cms.models import GuidePage, HomePage, ResourceIndexPage
from cms.promotion import PromotionError, promote_to_guide
from forum import services as forum_services
from forum.models import Question, Topic, Visibility
from tests.factories import (
    UserFactory,
    answer,
    ask,
    make_editor,
    make_guide,
    make_member,
    make_moderator,
    make_official,
    solved_thread,
)

pytestmark = pytest.mark.django_db

PROMOTE = "Promote to guide"
MEMBERS_ONLY = "Only a moderator can confirm that its text may be public"
CONFIRM = "As a moderator, I confirm that its text may be made public"


@pytest.fixture
def workflow():
    return setup_editorial()


def solved(asker, **overrides) -> Question:
    """A thread with two states, two topics and an accepted answer."""
    fields = {
        "title": "How do you recruit poll workers from local high schools?",
        "body": "We need **forty** more poll workers; has anyone worked with schools?",
        "visibility": Visibility.PUBLIC,
        "states": ["OH", "PA"],
        **overrides,
    }
    question, _ = solved_thread(asker, make_official(state="PA"), **fields)
    question.refresh_from_db()
    return question


@pytest.fixture
def thread(asker):
    return solved(asker)


# ---- The workflow ---------------------------------------------------------------------


def _page_codenames(group_name: str) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group__name=group_name).values_list(
            "permission__codename", flat=True
        )
    )


def test_setup_editorial_is_idempotent_and_gives_each_group_its_rights():
    Group.objects.get(name=roles.EDITORS).page_permissions.create(
        page=Page.get_first_root_node(),
        permission=GroupPagePermission.objects.filter(permission__codename="publish_page")
        .first()
        .permission,
    )
    first = setup_editorial()
    call_command("setup_editorial", verbosity=0)
    assert Workflow.objects.filter(name=editorial.WORKFLOW_NAME).count() == 1
    workflow = Workflow.objects.get(name=editorial.WORKFLOW_NAME)
    assert workflow == first and workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == [editorial.TASK_NAME]
    assert list(tasks[0].groups.values_list("name", flat=True)) == [roles.MODERATORS]
    home = HomePage.objects.get()
    assert WorkflowPage.objects.get(page=home).workflow == workflow
    guide = make_guide("A guide under the home page")
    assert guide.get_workflow() == workflow  # every page under the home page

    assert {"add_page", "change_page"} <= _page_codenames(roles.EDITORS)
    assert "publish_page" not in _page_codenames(roles.EDITORS)
    assert "publish_page" in _page_codenames(roles.MODERATORS)
    editors = Group.objects.get(name=roles.EDITORS)
    collection_rights = set(
        editors.collection_permissions.values_list("permission__codename", flat=True)
    )
    assert {"add_document", "choose_document", "add_image", "choose_image"} <= collection_rights
    assert editors.permissions.filter(codename="access_admin").exists()


def test_editor_submits_and_a_moderator_approves_which_publishes(workflow, thread, editor):
    guide = promote_to_guide(question=thread, editor=editor)
    guide.summary = "Schools are the best source of new poll workers; start in the spring."
    revision = guide.save_revision(user=editor)
    assert guide.get_workflow() == workflow

    state = workflow.start(guide, editor)
    guide.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert guide.current_workflow_state == state
    assert not guide.live
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.name == editorial.TASK_NAME
    assert task.get_actions(guide, editor) == []  # editors cannot approve their own
    moderator = make_moderator()
    assert "approve" in [name for name, *_ in task.get_actions(guide, moderator)]

    task.on_action(task_state, moderator, "approve")
    guide.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert guide.live
    assert guide.live_revision == revision
    assert guide.summary.startswith("Schools are the best source")
    actions = set(PageLogEntry.objects.filter(page=guide).values_list("action", flat=True))
    assert {"canvass.guide.promote", "wagtail.workflow.start", "wagtail.publish"} <= actions
    assert "wagtail.workflow.approve" in actions


# ---- Promoting: the service -----------------------------------------------------------


@pytest.mark.parametrize(
    "make_person",
    [
        lambda: make_editor(two_factor=False),
        make_moderator,
        make_official,
        make_member,
        AnonymousUser,
    ],
    ids=["editor without two-factor", "moderator", "official", "member", "visitor"],
)
def test_only_editors_promote(thread, make_person):
    with pytest.raises(PermissionDenied):
        promote_to_guide(question=thread, editor=make_person())
    assert not GuidePage.objects.filter(source_question=thread).exists()


def test_promote_prefills_a_draft_guide_in_the_library(thread, editor):
    guide = promote_to_guide(question=thread, editor=editor)
    guide = GuidePage.objects.get(pk=guide.pk)
    assert guide.get_parent().specific_class is ResourceIndexPage
    assert not guide.live
    assert guide.title == thread.title
    assert guide.summary.startswith("We need forty more poll workers")
    assert "**" not in guide.summary
    blocks = [(block.block_type, block.value["question"]) for block in guide.body]
    assert blocks == [("qa_excerpt", thread.pk)]
    assert set(guide.topics.all()) == set(thread.topics.all())
    assert sorted(guide.state_codes) == ["OH", "PA"]
    assert thread.title in guide.authors
    assert guide.source_question == thread
    assert guide.owner == editor
    entry = PageLogEntry.objects.get(page=guide, action="canvass.guide.promote")
    assert entry.user == editor
    assert entry.data == {"question": thread.pk, "members_only_text_confirmed_public": False}


def test_promote_refuses_a_thread_without_an_accepted_answer(asker, editor):
    question = ask(asker, visibility=Visibility.PUBLIC)
    answer(question, make_official(state="TX"))
    with pytest.raises(PromotionError):
        promote_to_guide(question=question, editor=editor)


def test_promote_refuses_a_hidden_thread(thread, editor):
    forum_services.hide_post(post=thread, by=make_moderator())
    thread.refresh_from_db()
    with pytest.raises(PromotionError):
        promote_to_guide(question=thread, editor=editor)


# ---- Promoting: the question page -----------------------------------------------------


def test_promote_button_shows_to_editors_only(client, thread, editor):
    url = thread.get_absolute_url()
    html = client.get(url).content.decode()
    assert PROMOTE not in html  # visitors
    for person in (make_official(), make_moderator(), make_editor(two_factor=False)):
        client.force_login(person)
        assert PROMOTE not in client.get(url).content.decode()
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert PROMOTE in html
    assert reverse("cms:promote", args=[thread.pk]) in html
    client.logout()
    assert PROMOTE not in client.get(url).content.decode()  # the visitors' cached page


def test_promote_button_needs_an_accepted_answer(client, asker, editor):
    question = ask(asker, visibility=Visibility.PUBLIC)
    client.force_login(editor)
    assert PROMOTE not in client.get(question.get_absolute_url()).content.decode()


def test_visitors_cached_page_never_holds_the_button(client, thread, editor):
    editor_client = client.__class__()
    editor_client.force_login(editor)
    assert PROMOTE in editor_client.get(thread.get_absolute_url()).content.decode()
    client.get(thread.get_absolute_url())  # stores the visitors' page
    assert PROMOTE not in client.get(thread.get_absolute_url()).content.decode()


def test_promote_from_the_question_page_opens_the_draft_in_the_admin(client, thread, editor):
    client.force_login(editor)
    response = client.post(reverse("cms:promote", args=[thread.pk]), follow=False)
    guide = GuidePage.objects.get(source_question=thread)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[guide.pk])
    edit = client.get(response["Location"])
    assert edit.status_code == 200
    assert "A draft guide was made from" in edit.content.decode()
    # The editors' box now lists the draft.
    html = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[guide.pk]) in html


def test_an_editor_cannot_publish_a_members_only_thread_by_promoting_it(client, asker):
    """Copying text moves its audience: a guide is public, so promoting a members-only
    thread would publish its title and question. An editor who is no moderator is told so,
    gets no button, and a forged request makes no guide."""
    editor = UserFactory(editor=True, official=True)  # an editor who may read it
    question = solved(asker, visibility=Visibility.MEMBERS)
    client.force_login(editor)
    html = client.get(question.get_absolute_url()).content.decode()
    assert MEMBERS_ONLY in html and PROMOTE not in html
    response = client.post(reverse("cms:promote", args=[question.pk]), {"confirm_public": "yes"})
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert "A moderator must confirm" in client.get(response["Location"]).content.decode()
    assert not GuidePage.objects.filter(source_question=question).exists()
    with pytest.raises(PromotionError):
        promote_to_guide(question=question, editor=editor, confirm_public=True)


def test_a_moderator_promotes_a_members_only_thread_only_by_confirming_on_record(client, asker):
    editor = UserFactory(staff_roles=(roles.EDITORS, roles.MODERATORS))
    question = solved(asker, visibility=Visibility.MEMBERS)
    client.force_login(editor)
    html = client.get(question.get_absolute_url()).content.decode()
    assert CONFIRM in html and PROMOTE in html
    response = client.post(reverse("cms:promote", args=[question.pk]))  # box left unticked
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert not GuidePage.objects.filter(source_question=question).exists()
    response = client.post(reverse("cms:promote", args=[question.pk]), {"confirm_public": "yes"})
    guide = GuidePage.objects.get(source_question=question)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[guide.pk])
    entry = PageLogEntry.objects.get(page=guide, action="canvass.guide.promote")
    assert entry.user == editor
    assert entry.data == {"question": question.pk, "members_only_text_confirmed_public": True}
    public = solved(asker, title="A public thread about poll workers here")
    promote_to_guide(question=public, editor=editor)
    entry = PageLogEntry.objects.get(
        page__guidepage__source_question=public, action="canvass.guide.promote"
    )
    assert entry.data["members_only_text_confirmed_public"] is False


def test_promote_view_refuses_others_and_unreadable_threads(client, asker, thread, editor):
    url = reverse("cms:promote", args=[thread.pk])
    assert client.get(url).status_code in (302, 405)
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in (make_official(), make_moderator(), make_editor(two_factor=False)):
        client.force_login(person)
        assert client.post(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405
    members = solved(asker, visibility=Visibility.MEMBERS, title="A members-only thread here")
    assert client.post(reverse("cms:promote", args=[members.pk])).status_code == 404
    assert client.post(reverse("cms:promote", args=[999_999])).status_code == 404
    unsolved = ask(asker, visibility=Visibility.PUBLIC)
    response = client.post(reverse("cms:promote", args=[unsolved.pk]))
    assert response.status_code == 302 and response["Location"] == unsolved.get_absolute_url()
    assert not GuidePage.objects.filter(source_question__in=[members, unsolved]).exists()


# ---- Featured in ----------------------------------------------------------------------


def test_featured_in_appears_once_published_and_goes_when_unpublished(client, thread, editor):
    url = thread.get_absolute_url()
    guide = promote_to_guide(question=thread, editor=editor)
    assert "Featured in" not in client.get(url).content.decode()  # cached now
    assert "Featured in" not in client.get(url).content.decode()  # a draft is not featured

    guide.save_revision(user=editor).publish(user=make_moderator())
    guide.refresh_from_db()
    html = client.get(url).content.decode()
    assert "Featured in" in html
    assert f'href="{guide.url}"' in html and escape(guide.title) in html

    member = make_official(state="TX")  # the thread layer is shared by signed-in people too
    client.force_login(member)
    assert "Featured in" in client.get(url).content.decode()
    client.logout()

    guide.unpublish(user=make_moderator())
    assert "Featured in" not in client.get(url).content.decode()


def test_featured_in_follows_privacy_and_deletion(client, thread, editor):
    url = thread.get_absolute_url()
    guide = promote_to_guide(question=thread, editor=editor)
    guide.save_revision(user=editor).publish()
    assert "Featured in" in client.get(url).content.decode()

    restriction = PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Featured in" not in client.get(url).content.decode()
    restriction.delete()
    assert "Featured in" in client.get(url).content.decode()

    library = guide.get_parent()
    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
    assert "Featured in" not in client.get(url).content.decode()
    PageViewRestriction.objects.filter(page=library).delete()
    assert "Featured in" in client.get(url).content.decode()

    Page.objects.get(pk=guide.pk).delete()
    assert "Featured in" not in client.get(url).content.decode()


# ---- The admin: promoting threads, and the editors' report ---------------------------


def test_admin_lists_threads_to_promote_and_promotes_one(client, asker, thread, editor):
    promoted = solved(asker, title="A thread that already has its guide, about ballots")
    promote_to_guide(question=promoted, editor=editor)
    unsolved = ask(asker, visibility=Visibility.PUBLIC, title="Nobody has answered this one yet?")
    members = solved(asker, visibility=Visibility.MEMBERS, title="Members only: the thread is here")
    client.force_login(editor)
    listing = reverse("cms_promote_list")
    html = client.get(listing).content.decode()
    assert escape(thread.title) in html
    for absent in (promoted, unsolved, members):  # members-only: this editor cannot read it
        assert escape(absent.title) not in html
    assert "Promote threads" in client.get(reverse("wagtailadmin_home")).content.decode()

    found = client.get(listing, {"q": "HIGH SCHOOLS"}).content.decode()
    assert escape(thread.title) in found
    assert escape(thread.title) not in client.get(listing, {"q": "zebra"}).content.decode()

    response = client.post(reverse("cms_promote", args=[thread.pk]))
    guide = GuidePage.objects.get(source_question=thread)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[guide.pk])
    assert "A draft guide was made from" in client.get(response["Location"]).content.decode()
    assert escape(thread.title) not in client.get(listing).content.decode()


def test_admin_list_asks_a_moderator_to_confirm_a_members_only_thread(
    client, asker, django_assert_max_num_queries
):
    """Only a moderator may promote a members-only thread there too, by ticking the box;
    other editors who may read it are told why there is no button. The rule costs no
    query per row."""
    members = solved(asker, visibility=Visibility.MEMBERS, title="Members only: the thread is here")
    listing = reverse("cms_promote_list")
    client.force_login(UserFactory(editor=True, official=True))
    html = client.get(listing).content.decode()
    assert escape(members.title) in html
    assert "Only a moderator can promote a thread that is not public" in html
    assert CONFIRM not in html
    client.force_login(UserFactory(staff_roles=(roles.EDITORS, roles.MODERATORS)))
    client.get(listing)
    with django_assert_max_num_queries(20) as few:
        html = client.get(listing).content.decode()
    for extra in range(3):
        solved(asker, visibility=Visibility.MEMBERS, title=f"Members only: thread number {extra}")
        solved(asker, title=f"A public thread about poll workers, number {extra}")
    with django_assert_max_num_queries(len(few)):
        html = client.get(listing).content.decode()
    assert html.count(CONFIRM) == 4


def test_admin_promote_list_is_for_editors_only(client, thread):
    for person in (make_moderator(), make_official()):
        client.force_login(person)
        response = client.get(reverse("cms_promote_list"))
        assert response.status_code in (302, 403)
        assert escape(thread.title) not in response.content.decode()
        assert client.post(reverse("cms_promote", args=[thread.pk])).status_code in (302, 403)
    assert not GuidePage.objects.filter(source_question=thread).exists()


def test_editors_report_lists_overdue_guides_and_topics_without_a_guide(client, asker, editor):
    today = timezone.localdate()
    guided, lonely, quiet = Topic.objects.order_by("pk")[:3]
    overdue = make_guide(
        "A guide past its review date",
        topics=[guided],
        next_review_due=today - datetime.timedelta(days=3),
    )
    current = make_guide(
        "A guide reviewed on time", next_review_due=today + datetime.timedelta(days=30)
    )
    threshold = editorial.TOPIC_QUESTIONS_FOR_A_GUIDE

    for number in range(threshold):
        ask(asker, topics=[lonely, guided], title=f"Busy topic, question number {number}?")
    for number in range(threshold - 1):
        ask(asker, topics=[quiet], title=f"Quieter topic, question number {number}?")
    hidden = ask(asker, topics=[quiet], title="A hidden question does not count?")
    forum_services.hide_post(post=hidden, by=make_moderator())

    topics = {topic.pk: topic.question_count for topic in editorial.topics_needing_a_guide()}
    # Not `guided` (it has a live guide), nor `quiet` (one short, without the hidden one).
    assert topics == {lonely.pk: threshold}
    assert list(editorial.guides_past_review()) == [overdue]

    for person in (editor, make_moderator()):
        client.force_login(person)
        response = client.get(reverse("cms_editors_report"))
        assert response.status_code == 200
        html = response.content.decode()
        assert escape(overdue.title) in html
        assert reverse("wagtailadmin_pages:edit", args=[overdue.pk]) in html
        assert escape(current.title) not in html
        assert escape(lonely.name) in html
        assert "Editors&#x27; report" in html or "Editors' report" in html
    client.force_login(make_official())
    assert client.get(reverse("cms_editors_report")).status_code in (302, 403)
