"""The editorial workflow and the editors' reads: who drafts and who approves, and what the
editors' report lists (which threads may be promoted: `cms.promotion`).

Editors draft pages and submit them to the "Editorial review" workflow; moderators approve
(which publishes) or ask for changes. Wagtail's workflow records every step in its audit
log. `setup_editorial` puts the workflow and the groups' permissions in place and is safe
to run again (`manage.py setup_editorial`, which `load_demo` and a deployment run)."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts import roles
from accounts.permissions import is_editor, is_moderator
from forum.models import Question, Topic

from .models import GuidePage, GuidePageTopic, HomePage

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Moderator review"
# Wagtail's page permissions (on the root page, so they reach every page) and collection
# permissions (on the root collection) each group must hold.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Editors must not publish: their drafts go through the workflow.
EDITOR_FORBIDDEN_PAGE_PERMISSIONS = ("publish_page", "bulk_delete_page")
# Both groups keep the search's election vocabulary (search.SearchTerm, "Search terms").
VOCABULARY_PERMISSIONS = ("add_searchterm", "change_searchterm", "delete_searchterm")
COLLECTION_PERMISSIONS = {
    "wagtaildocs": ("add_document", "choose_document"),
    "wagtailimages": ("add_image", "choose_image"),
}

# The editors' report: a topic with this many questions (public or members-only, not
# hidden) and no live guide needs one.
TOPIC_QUESTIONS_FOR_A_GUIDE = 3


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group: Group, root: Page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=_permission("wagtailcore", codename)
        )


@transaction.atomic
def setup_editorial() -> Workflow:
    """Make sure the editorial workflow and the groups' rights exist; idempotent.

    - The "Editorial review" workflow, with one group-approval task "Moderator review"
      whose approvers are the Moderators group, applies to the home page and so to every
      page under it (a nearer workflow on a page below would take precedence).
    - Editors may add and edit pages but not publish them, and may add and choose
      documents and images; they may use the admin.
    - Moderators may add, edit and publish pages, and approve the task.
    - Both keep the search's election vocabulary ("Search terms").
    Nothing else a group holds is removed, except an Editors' publish right."""
    editors, _ = Group.objects.get_or_create(name=roles.EDITORS)
    moderators, _ = Group.objects.get_or_create(name=roles.MODERATORS)

    access_admin = _permission("wagtailadmin", "access_admin")
    vocabulary = [_permission("canvass_search", name) for name in VOCABULARY_PERMISSIONS]
    editors.permissions.add(access_admin, *vocabulary)
    moderators.permissions.add(access_admin, *vocabulary)

    root = Page.get_first_root_node()
    _grant_pages(editors, root, EDITOR_PAGE_PERMISSIONS)
    _grant_pages(moderators, root, MODERATOR_PAGE_PERMISSIONS)
    GroupPagePermission.objects.filter(
        group=editors, permission__codename__in=EDITOR_FORBIDDEN_PAGE_PERMISSIONS
    ).delete()

    collection = Collection.get_first_root_node()
    for group in (editors, moderators):
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                permission = _permission(app_label, codename)
                group.permissions.add(permission)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.active = True
    task.save(update_fields=["active"])
    task.groups.add(moderators)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )

    home = HomePage.objects.first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


# ---- The editors' report -------------------------------------------------------------


def can_see_editors_report(user) -> bool:
    return is_editor(user) or is_moderator(user)


def guides_past_review(today: datetime.date | None = None):
    """Guides (live or draft) whose next review date has passed, the most overdue first."""
    today = today or timezone.localdate()
    return GuidePage.objects.filter(next_review_due__lt=today).order_by("next_review_due", "title")


def topics_needing_a_guide(questions=None):
    """Topics with at least `TOPIC_QUESTIONS_FOR_A_GUIDE` of ``questions`` (by default every
    thread figures count, `QuestionQuerySet.counted`: not hidden, held or merged) and no live
    guide tagged with them; most questions first. Each has `question_count`. One query.
    The editors' report and the staff's report "Topics without a guide" (`reports.figures`,
    which passes the threads its filters choose) both list these."""
    if questions is None:
        questions = Question.objects.counted()
    covered = GuidePageTopic.objects.filter(content_object__live=True).values("tag")
    return (
        Topic.objects.annotate(
            question_count=Count(
                "tagged_questions",
                filter=Q(tagged_questions__content_object__in=questions.values("pk")),
                distinct=True,
            )
        )
        .filter(question_count__gte=TOPIC_QUESTIONS_FOR_A_GUIDE)
        .exclude(pk__in=covered)
        .order_by("-question_count", "name")
    )
