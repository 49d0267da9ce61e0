"""What the forum adds to the apps below it through the hooks they expose."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.export import EXPORT_PARTS

from . import export

hooks.register(EXPORT_PARTS, export.posts)


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
