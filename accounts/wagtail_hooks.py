"""The verification queue in the Wagtail admin, and the audit log's wording for our
actions."""

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
    ]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_review_verifications(request.user)


@hooks.register("register_admin_menu_item")
def verification_menu_item():
    return ReviewerMenuItem(
        _("Verification requests"), reverse("verification_queue"), icon_name="user", order=250
    )


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
