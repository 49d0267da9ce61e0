"""Cohorts in the Wagtail admin (administrators' "Cohorts" menu) and the audit log's
wording for what the services record."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, permissions

# Every change to a cohort, in Wagtail's audit log: the services log each under one of
# these names, on the cohort.
COHORT_LOG_ACTIONS = {
    "canvass.cohorts.create": (_("Create cohort"), _("Cohort created")),
    "canvass.cohorts.edit": (_("Edit cohort"), _("Cohort edited")),
    "canvass.cohorts.rule": (_("Apply cohort rule"), _("Offices changed by the cohort's rule")),
    "canvass.cohorts.coordinator_grant": (_("Grant coordinator"), _("Coordinator granted")),
    "canvass.cohorts.coordinator_revoke": (_("Revoke coordinator"), _("Coordinator revoked")),
    "canvass.cohorts.office_add": (_("Add office"), _("Office added to cohort")),
    "canvass.cohorts.office_remove": (_("Remove office"), _("Office removed from cohort")),
    "canvass.cohorts.expert_add": (_("Add expert"), _("Expert added to cohort")),
    "canvass.cohorts.expert_remove": (_("Remove expert"), _("Expert removed from cohort")),
    "canvass.cohorts.badge": (_("Change badge"), _("Cohort badge changed")),
    "canvass.cohorts.join_request": (_("Ask to join"), _("Office asked to join")),
    "canvass.cohorts.join_approve": (_("Approve join request"), _("Join request approved")),
    "canvass.cohorts.join_decline": (_("Decline join request"), _("Join request declined")),
    "canvass.cohorts.document_upload": (_("Share document"), _("Document shared")),
    "canvass.cohorts.document_version": (_("Upload new version"), _("Document version uploaded")),
    "canvass.cohorts.document_delete": (_("Delete document"), _("Document deleted")),
}


@hooks.register("register_log_actions")
def cohort_log_actions(actions):
    for name, (label, message) in COHORT_LOG_ACTIONS.items():
        actions.register_action(name, label, message)


@hooks.register("register_admin_urls")
def cohort_admin_urls():
    return [
        path("cohorts/", admin_views.cohort_list, name="cohorts_admin_list"),
        path("cohorts/add/", admin_views.cohort_add, name="cohorts_admin_add"),
        path("cohorts/<int:pk>/", admin_views.cohort_edit, name="cohorts_admin_edit"),
        path(
            "cohorts/<int:pk>/coordinators/",
            admin_views.coordinator_grant,
            name="cohorts_admin_coordinator_grant",
        ),
        path(
            "cohorts/<int:pk>/coordinators/<int:user_pk>/revoke/",
            admin_views.coordinator_revoke,
            name="cohorts_admin_coordinator_revoke",
        ),
    ]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_cohorts(request.user)


@hooks.register("register_admin_menu_item")
def cohort_menu_item():
    return AdministratorMenuItem(
        _("Cohorts"), reverse("cohorts_admin_list"), icon_name="group", order=265
    )
