"""What the forum adds to the apps below it through the hooks they expose."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.export import EXPORT_PARTS
from cohorts.hooks import COHORT_PANELS
from cohorts.membership import belongs

from . import admin_views, export
from .models import Question
from .permissions import can_ask, can_moderate

hooks.register(EXPORT_PARTS, export.posts)

COHORT_THREADS_SHOWN = 20


@hooks.register(COHORT_PANELS, order=10)
def cohort_threads(request, cohort) -> str:
    """The cohort space's newest threads that this reader may read (the space is shown to
    its members and moderators), and "Ask in this cohort" for those who may ask into it:
    one query for the threads (and one for the reader's cohorts, if not read yet in this
    request), one more for someone who may ask."""
    questions = (
        Question.objects.visible_to(request.user)
        .filter(cohort=cohort)
        .only("title", "answer_count", "accepted_answer_id", "created_at")
        .order_by("-created_at", "-pk")[:COHORT_THREADS_SHOWN]
    )
    context = {
        "cohort": cohort,
        "questions": questions,
        "may_ask": can_ask(request.user) and belongs(request.user, cohort),
    }
    return render_to_string("forum/includes/cohort_threads.html", context, request=request)


# Everything a moderator does to forum content, in Wagtail's audit log (issue 15): the
# services log each under one of these names.
FORUM_LOG_ACTIONS = {
    "canvass.forum.close": (_("Close thread"), _("Thread closed")),
    "canvass.forum.reopen": (_("Reopen thread"), _("Thread reopened")),
    "canvass.forum.lock": (_("Lock thread"), _("Thread locked")),
    "canvass.forum.hide": (_("Hide post"), _("Post hidden")),
    "canvass.forum.unhide": (_("Show post again"), _("Post shown again")),
    "canvass.forum.audience": (_("Change audience"), _("Thread audience changed")),
    "canvass.forum.merge": (_("Merge duplicate"), _("Thread merged")),
    "canvass.forum.redact": (_("Redact text"), _("Text redacted")),
    "canvass.forum.flag_uphold": (_("Uphold flag"), _("Flag upheld")),
    "canvass.forum.flag_dismiss": (_("Dismiss flag"), _("Flag dismissed")),
    "canvass.forum.warn": (_("Warn member"), _("Member warned")),
    "canvass.forum.suspend": (_("Suspend posting"), _("Posting suspended")),
}


@hooks.register("register_log_actions")
def forum_log_actions(actions):
    for name, (label, message) in FORUM_LOG_ACTIONS.items():
        actions.register_action(name, label, message)


@hooks.register("register_admin_urls")
def flag_urls():
    return [
        path("flags/", admin_views.queue, name="forum_flag_queue"),
        path("flags/<str:kind>/<int:pk>/", admin_views.review, name="forum_flag_review"),
        path(
            "flags/<str:kind>/<int:pk>/author/",
            admin_views.member_action,
            name="forum_flag_member_action",
        ),
    ]


class FlagQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)

    def render_component(self, request):
        """The label carries how many posts wait (one query, moderators only)."""
        component = super().render_component(request)
        if waiting := admin_views.waiting_count():
            component.label = f"{self.label} ({waiting})"
        return component


@hooks.register("register_admin_menu_item")
def flag_menu_item():
    return FlagQueueMenuItem(
        _("Flags"), reverse("forum_flag_queue"), icon_name="warning", order=255
    )
