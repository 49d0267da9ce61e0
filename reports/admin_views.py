"""The staff's reports in the Wagtail admin, under its "Reports" menu (`wagtail_hooks.py`):
one page per figure of `reports.figures`, each a Wagtail `ReportView`, so each has the
admin's filters (a django-filter FilterSet) and its CSV and XLSX export of exactly the rows
on the page.

The filters choose the figure's `Scope`; they do not filter a queryset, because a figure is
a list of rows computed from it. Editors, moderators and administrators read the reports
about questions and searches; moderators alone the flags and the verification queue
(`reports.permissions`). Only `WaitingThreads` names threads, and only those its reader may
read now; every other page is numbers."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from accounts.models import SizeBand
from accounts.states import US_STATES
from forum.models import Question, Visibility

from . import figures
from .charts import Chart, Series
from .permissions import can_see_moderation_reports, can_see_reports

CHART_TOPICS = 5  # the busiest topics drawn in "Questions by topic"; the table has them all


class PeriodFilters(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(label=_("Between"), widget=DateRangePickerWidget)

    class Meta:
        model = Question  # django-filter wants one; the figures read the form alone
        fields = []


class QuestionFilters(PeriodFilters):
    state = django_filters.ChoiceFilter(label=_("About the state"), choices=US_STATES)
    band = django_filters.ChoiceFilter(label=_("Asker's office size"), choices=SizeBand.choices)
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=figures.AUDIENCE_CHOICES)


class WaitingThreadFilters(QuestionFilters):
    which = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            (figures.UNSOLVED, _("Unsolved threads")),
            (figures.UNANSWERED, _("Unanswered threads")),
        ],
        empty_label=None,
    )


class FigureColumn(Column):
    """A cell of a figure; an empty one (no time to median over) shows a dash."""

    empty_value_display = "—"

    def get_value(self, instance):
        value = super().get_value(instance)
        return "" if value is None else value


class FigureReport(ReportView):
    """One figure of `reports.figures` as a page. A subclass names the figure, its columns
    (``fields``: attribute and heading, shown and exported alike), who may read it and,
    optionally, its chart."""

    name = ""  # URL names `reports_<name>` and `reports_<name>_results`
    figure = None  # a function of `figures.Scope` returning rows
    fields: tuple = ()
    note = ""  # what the figure counts, shown above it
    filterset_class = QuestionFilters
    results_template_name = "reports/admin/figure_results.html"
    paginate_by = None
    header_icon = "table"
    may_see = staticmethod(can_see_reports)

    def dispatch(self, request, *args, **kwargs):
        if not self.may_see(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def index_url_name(self) -> str:
        return f"reports_{self.name}"

    @property
    def index_results_url_name(self) -> str:
        return f"reports_{self.name}_results"

    def get_filename(self) -> str:
        return f"canvass-{self.name.replace('_', '-')}"

    @cached_property
    def columns(self):
        return [FigureColumn(name, label=label) for name, label in self.fields]

    @cached_property
    def list_export(self):
        return [name for name, _label in self.fields]

    @cached_property
    def export_headings(self):
        return dict(self.fields)

    @cached_property
    def scope(self) -> figures.Scope:
        """The filters' choices (none when the form is not valid: the admin shows why)."""
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        period = data.get("period")
        return figures.Scope(
            start=period.start.date() if period and period.start else None,
            end=period.stop.date() if period and period.stop else None,
            state=data.get("state") or "",
            band=data.get("band") or "",
            audience=data.get("audience") or "",
        )

    def get_queryset(self):
        return self.figure(self.scope)

    def filter_queryset(self, queryset):
        return queryset  # the filters chose the scope (`scope`)

    def chart(self, rows) -> Chart | None:
        return None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["note"] = self.note
        if not self.is_export:
            context["chart"] = self.chart(context["object_list"])
        return context


HOURS_NOTE = _(
    "Hours from the question to the first answer by someone other than the asker, and to "
    "the acceptance of the answer now accepted; the median and the 90th percentile (nine "
    "in ten were quicker), over the threads asked in the period."
)
COUNTED_NOTE = _(
    "Counts every thread (public, members-only and cohort-only) asked in the period, but "
    "no hidden, held or merged thread."
)


class QuestionsByTopic(FigureReport):
    name = "questions_by_topic"
    page_title = _("Questions by topic and month")
    figure = staticmethod(figures.questions_per_topic_month)
    fields = (("month", _("Month")), ("topic", _("Topic")), ("questions", _("Questions")))
    note = COUNTED_NOTE

    def chart(self, rows) -> Chart | None:
        if not rows:
            return None
        totals: dict[str, int] = {}
        for row in rows:
            totals[row.topic] = totals.get(row.topic, 0) + row.questions
        busiest = sorted(totals, key=lambda topic: (-totals[topic], topic))[:CHART_TOPICS]
        months = sorted({row.month for row in rows})
        counts = {(row.topic, row.month): row.questions for row in rows}
        return Chart(
            kind="line",
            key="questions-by-topic",
            title=str(_("Questions asked each month in the busiest topics")),
            description=str(
                _(
                    "A line for each of the %(count)d topics with the most questions, "
                    "from %(first)s to %(last)s."
                )
                % {
                    "count": len(busiest),
                    "first": months[0].strftime("%Y-%m"),
                    "last": months[-1].strftime("%Y-%m"),
                }
            ),
            axis=str(_("Month")),
            labels=[month.strftime("%Y-%m") for month in months],
            series=[
                Series(topic, [counts.get((topic, month), 0) for month in months])
                for topic in busiest
            ],
        )


class WaitingByTopic(FigureReport):
    name = "waiting_by_topic"
    page_title = _("Unanswered and unsolved, by topic and age")
    figure = staticmethod(figures.waiting_by_topic_and_age)
    fields = (
        ("topic", _("Topic")),
        ("age", _("Asked")),
        ("unanswered", _("Unanswered")),
        ("unsolved", _("Unsolved (no accepted answer)")),
    )
    note = COUNTED_NOTE


class WaitingThreads(FigureReport):
    """The one report that names threads: those its reader may read now, so an editor (not
    a verified member) sees public threads only, and no one a thread they may not read."""

    name = "waiting_threads"
    page_title = _("Unanswered and unsolved threads")
    filterset_class = WaitingThreadFilters
    paginate_by = 50
    fields = (
        ("title", _("Title")),
        ("topic_names", _("Topics")),
        ("created_at", _("Asked")),
        ("answer_count", _("Answers")),
        ("audience", _("Audience")),
        ("get_absolute_url", _("Address")),
    )
    note = _(
        "The threads you may read, the longest waiting first. The counts in “Unanswered "
        "and unsolved, by topic and age” include those you may not read."
    )

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Title"), get_url=lambda q: q.get_absolute_url()),
            *(FigureColumn(name, label=label) for name, label in self.fields[1:-1]),
        ]

    def get_queryset(self):
        which = figures.UNSOLVED
        if self.filters and self.filters.is_valid():
            which = self.filters.form.cleaned_data.get("which") or figures.UNSOLVED
        return figures.waiting_threads(self.scope, self.request.user, which=which)

    def decorate_paginated_queryset(self, object_list):
        labels = dict(figures.AUDIENCE_CHOICES)
        for question in object_list:
            question.topic_names = [topic.name for topic in question.topics.all()]
            question.audience = labels[Visibility(question.visibility)]
        return object_list


class AnswerTimesByMonth(FigureReport):
    name = "answer_times_by_month"
    page_title = _("Time to answer, by month")
    figure = staticmethod(figures.response_times_by_month)
    note = HOURS_NOTE
    fields = (
        ("group", _("Month asked")),
        ("asked", _("Asked")),
        ("answered", _("Answered")),
        ("first_answer_median", _("Median hours to a first answer")),
        ("first_answer_p90", _("90th percentile hours to a first answer")),
        ("accepted", _("Accepted")),
        ("acceptance_median", _("Median hours to acceptance")),
        ("acceptance_p90", _("90th percentile hours to acceptance")),
    )

    def chart(self, rows) -> Chart | None:
        if not rows:
            return None
        return Chart(
            kind="line",
            key="answer-times",
            title=str(_("Hours to a first answer, by the month asked")),
            description=str(
                _(
                    "The median and the 90th percentile, from %(first)s to %(last)s; a gap "
                    "is a month with no answered question."
                )
                % {"first": rows[0].group, "last": rows[-1].group}
            ),
            axis=str(_("Month asked")),
            labels=[row.group for row in rows],
            series=[
                Series(str(_("Median")), [row.first_answer_median for row in rows]),
                Series(str(_("90th percentile")), [row.first_answer_p90 for row in rows]),
            ],
        )


class AnswerTimesByTopic(AnswerTimesByMonth):
    name = "answer_times_by_topic"
    page_title = _("Time to answer, by topic")
    figure = staticmethod(figures.response_times_by_topic)
    fields = (("group", _("Topic")), *AnswerTimesByMonth.fields[1:])

    def chart(self, rows) -> Chart | None:
        return None


class TopicsWithoutGuide(FigureReport):
    name = "topics_without_guide"
    page_title = _("Topics with many questions and no guide")
    figure = staticmethod(figures.topics_without_a_guide)
    fields = (("topic", _("Topic")), ("slug", _("Slug")), ("questions", _("Questions")))
    note = COUNTED_NOTE


class FruitlessSearches(FigureReport):
    name = "fruitless_searches"
    page_title = _("Searches that found nothing")
    figure = staticmethod(figures.fruitless_searches)
    filterset_class = PeriodFilters
    fields = (("query", _("Search")), ("searches", _("Times searched")))
    note = _(
        "What people searched for, written in lower case, and how many times it found "
        "nothing; no one who searched is recorded."
    )


class VerificationQueue(FigureReport):
    name = "verification_queue"
    page_title = _("Verification queue by age")
    figure = staticmethod(figures.verification_queue)
    filterset_class = None
    may_see = staticmethod(can_see_moderation_reports)
    fields = (
        ("age", _("Waiting")),
        ("waiting", _("Requests")),
        ("oldest", _("Oldest request made")),
    )
    note = _("Requests waiting for a reviewer now, by how long they have waited.")

    def chart(self, rows) -> Chart | None:
        return Chart(
            kind="bar",
            key="verification-queue",
            title=str(_("Verification requests waiting, by age")),
            description=str(_("How many requests have waited how long.")),
            axis=str(_("Waiting")),
            labels=[row.age for row in rows],
            series=[Series(str(_("Requests")), [row.waiting for row in rows])],
        )


class FlagsByReason(FigureReport):
    name = "flags_by_reason"
    page_title = _("Flags by reason")
    figure = staticmethod(figures.flags_by_reason)
    filterset_class = PeriodFilters
    may_see = staticmethod(can_see_moderation_reports)
    fields = (
        ("reason", _("Reason")),
        ("flags", _("Flags")),
        ("open", _("Waiting")),
        ("upheld", _("Upheld")),
        ("dismissed", _("Dismissed")),
        ("decision_median", _("Median hours to a decision")),
        ("decision_p90", _("90th percentile hours to a decision")),
    )
    note = _("Flags raised in the period, by reason, and how long moderators took to decide.")


REPORTS: tuple[type[FigureReport], ...] = (
    QuestionsByTopic,
    WaitingByTopic,
    WaitingThreads,
    AnswerTimesByMonth,
    AnswerTimesByTopic,
    TopicsWithoutGuide,
    FruitlessSearches,
    VerificationQueue,
    FlagsByReason,
)
