"""The reports' place in the Wagtail admin: menu items, admin URLs and the audit log's
wording for what they record."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_administrator

from . import records, records_admin

# ---- records: the public-records export (helper "records", issue 17) ----


@hooks.register("register_admin_urls")
def records_urls():
    return [path("records/", records_admin.export_page, name="records_export")]


class RecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


@hooks.register("register_admin_menu_item")
def records_menu_item():
    return RecordsMenuItem(
        _("Public-records export"), reverse("records_export"), icon_name="download", order=270
    )


@hooks.register("register_log_actions")
def records_log_actions(actions):
    actions.register_action(
        records.LOG_ACTION, _("Export public records"), _("Public records exported")
    )


# ---- end records ----
