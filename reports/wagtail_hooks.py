"""The reports' place in the Wagtail admin: the staff's reports in Wagtail's "Reports" menu
(`admin_views.REPORTS`: each page, the results fragment its filters reload, and a menu item
shown to those who may read it), the public-records export, and the audit log's wording
for what they record."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_administrator

from . import records, records_admin
from .admin_views import REPORTS

MENU_ORDER = 300  # before Wagtail's own reports (700 and on)


@hooks.register("register_admin_urls")
def report_urls():
    urls = [path("records/", records_admin.export_page, name="records_export")]
    for report in REPORTS:
        route = f"staff-reports/{report.name.replace('_', '-')}/"
        urls += [
            path(route, report.as_view(), name=f"reports_{report.name}"),
            path(
                f"{route}results/",
                report.as_view(results_only=True),
                name=f"reports_{report.name}_results",
            ),
        ]
    return urls


class ReportMenuItem(MenuItem):
    def __init__(self, report, order: int):
        super().__init__(
            report.page_title,
            reverse(f"reports_{report.name}"),
            name=f"canvass-{report.name.replace('_', '-')}",
            icon_name=report.header_icon,
            order=order,
        )
        self.report = report

    def is_shown(self, request):
        return self.report.may_see(request.user)


def _menu_item(report, order: int):
    return lambda: ReportMenuItem(report, order)


for _order, _report in enumerate(REPORTS):
    hooks.register("register_reports_menu_item", _menu_item(_report, MENU_ORDER + _order))


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
