"""The verification queue and role management in the Wagtail admin, and the audit log's
wording for our actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, permissions


@hooks.register("register_admin_urls")
def verification_urls():
    return [
        path("verification/", admin_views.queue, name="verification_queue"),
        path("verification/<int:pk>/", admin_views.review, name="verification_review"),
        path("roles/", admin_views.role_list, name="role_list"),
        path("roles/<int:pk>/", admin_views.role_edit, name="role_edit"),
    ]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_review_verifications(request.user)


@hooks.register("register_admin_menu_item")
def verification_menu_item():
    return ReviewerMenuItem(
        _("Verification requests"), reverse("verification_queue"), icon_name="user", order=250
    )


class RoleManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_roles(request.user)


@hooks.register("register_admin_menu_item")
def role_menu_item():
    return RoleManagerMenuItem(_("Roles"), reverse("role_list"), icon_name="group", order=260)


@hooks.register("register_log_actions")
def verification_log_actions(actions):
    actions.register_action(
        "canvass.verification.request", _("Request verification"), _("Verification requested")
    )
    actions.register_action(
        "canvass.verification.approve", _("Approve verification"), _("Verification approved")
    )
    actions.register_action(
        "canvass.verification.reject", _("Reject verification"), _("Verification rejected")
    )
    actions.register_action(
        "canvass.verification.revoke", _("Revoke verification"), _("Verification revoked")
    )
    actions.register_action("canvass.role.grant", _("Grant role"), _("Role granted"))
    actions.register_action("canvass.role.revoke", _("Revoke role"), _("Role revoked"))
    actions.register_action("canvass.account.delete", _("Delete account"), _("Account deleted"))
