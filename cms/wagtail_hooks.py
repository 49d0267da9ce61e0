"""The editorial layer in the Wagtail admin: the threads editors may promote to guides,
the editors' report, and the audit log's wording for our actions; and what the CMS adds to
the forum's question page through the forum's hooks, and to a cohort's space through its
hook."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_editor
from cohorts.hooks import COHORT_PANELS
from forum import hooks as forum_hooks

from . import editorial, events, promotion, views

hooks.register(forum_hooks.FEATURED_IN, promotion.featured_in)
hooks.register(forum_hooks.THREAD_PANELS, promotion.editors_panel)
hooks.register(COHORT_PANELS, events.cohort_events, order=30)


@hooks.register("register_admin_urls")
def editorial_urls():
    return [
        path("promote/", views.promote_list, name="cms_promote_list"),
        path("promote/<int:pk>/", views.promote_from_admin, name="cms_promote"),
        path("editors-report/", views.editors_report, name="cms_editors_report"),
    ]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return editorial.can_see_editors_report(request.user)


@hooks.register("register_admin_menu_item")
def promote_menu_item():
    return EditorMenuItem(
        _("Promote threads"), reverse("cms_promote_list"), icon_name="doc-full-inverse", order=270
    )


@hooks.register("register_admin_menu_item")
def editors_report_menu_item():
    return ReportMenuItem(
        _("Editors' report"), reverse("cms_editors_report"), icon_name="tasks", order=280
    )


@hooks.register("register_log_actions")
def editorial_log_actions(actions):
    actions.register_action(
        "canvass.guide.promote", _("Promote to guide"), _("Draft guide promoted from a thread")
    )
