"""The editorial layer: Wagtail page types. Each page's reading logic (what its template
lists, and how) lives on the model; state changes that span pages and threads are in
`cms/services.py`."""

import zoneinfo

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.states import US_STATES
from forum import hooks as forum_hooks
from forum.models import Question, Topic

from . import structured_data
from .blocks import RICH_TEXT_FEATURES, BodyBlock, DocumentBlock, qa_question_ids
from .caching import LISTING_SECONDS, VisitorCacheMixin

LATEST_QUESTIONS = 5
UPCOMING_EVENTS_ON_HOME = 3
LIBRARY_PAGE_SIZE = 20
EVENTS_PAGE_SIZE = 20
TIME_ZONES = [
    ("America/New_York", _("Eastern")),
    ("America/Chicago", _("Central")),
    ("America/Denver", _("Mountain")),
    ("America/Phoenix", _("Arizona")),
    ("America/Los_Angeles", _("Pacific")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico, U.S. Virgin Islands)")),
    ("Pacific/Guam", _("Chamorro (Guam, Northern Mariana Islands)")),
    ("Pacific/Pago_Pago", _("Samoa")),
]


class PageState(Orderable):
    """A state or territory a guide or toolkit applies to. None at all means every state."""

    page = ParentalKey(Page, on_delete=models.CASCADE, related_name="applies_to")
    state = models.CharField(_("state or territory"), max_length=2, choices=US_STATES)

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "state"], name="one_row_per_page_state")
        ]

    def __str__(self) -> str:
        return self.get_state_display()


def load_qa_questions(body) -> dict:
    """The questions a body's Q&A excerpts quote, by number, with their accepted answers:
    one query however many excerpts (the blocks read them from `qa_questions`)."""
    ids = qa_question_ids(body)
    questions = Question.objects.select_related("accepted_answer").in_bulk(ids) if ids else {}
    for question in questions.values():
        if question.accepted_answer is not None:
            # The excerpt asks whether the answer's thread is readable: give the answer its
            # question so that costs no query per excerpt.
            question.accepted_answer.question = question
    return questions


class QuotedThread(models.Model):
    """A live page quotes this thread in a Q&A excerpt. Kept in step with what each page
    shows when it is published or unpublished (`cms.promotion.quotes_changed`), so a change
    to a thread can tell with one indexed query whether a visitor's cached page shows it."""

    question = models.ForeignKey("forum.Question", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "page"], name="one_row_per_quoted_thread")
        ]

    def __str__(self) -> str:
        return f"Page {self.page_id} quotes thread {self.question_id}"


class LibraryItem:
    """What guides and toolkits share besides a summary and topics: the states they apply
    to (`PageState` rows, none meaning every state)."""

    @property
    def state_codes(self) -> list[str]:
        return [row.state for row in self.applies_to.all()]


def library_panels() -> list:
    return [
        FieldPanel("topics"),
        InlinePanel(
            "applies_to",
            heading=_("States it applies to"),
            label=_("State"),
            help_text=_("Leave empty when it applies in every state."),
        ),
    ]


class TopicsPageForm(WagtailAdminPageForm):
    """Topics are picked from the taxonomy as checkboxes. Wagtail's tag field splits a
    name at its commas ("Poll worker recruitment, training & management") on saving."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class HomeFeaturedGuide(Orderable):
    page = ParentalKey("cms.HomePage", on_delete=models.CASCADE, related_name="featured")
    guide = models.ForeignKey("cms.GuidePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("guide")]


class HomePage(VisitorCacheMixin, Page):
    intro = models.TextField(
        _("introduction"), help_text=_("One or two sentences that say what the site is for.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured", heading=_("Featured guides"), label=_("Guide"), max_num=6),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ResourceIndexPage",
        "cms.EventIndexPage",
        "cms.TopicIndexPage",
        "cms.StandardPage",
    ]
    max_count = 1
    visitor_cache_seconds = LISTING_SECONDS  # the latest questions

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = [
            row.guide
            for row in self.featured.select_related("guide")
            .prefetch_related("guide__topics")
            .order_by("sort_order")
            if row.guide.live
        ]
        context.update(
            featured_guides=featured,
            latest_questions=Question.objects.public()
            .for_listing()
            .order_by("-created_at")[:LATEST_QUESTIONS],
            upcoming_events=EventPage.objects.live().public().upcoming()[:UPCOMING_EVENTS_ON_HOME],
            topic_pages=TopicPage.objects.live().public().select_related("topic"),
            resource_index=ResourceIndexPage.objects.live().public().first(),
            event_index=EventIndexPage.objects.live().public().first(),
            topic_index=TopicIndexPage.objects.live().public().first(),
        )
        if request.user.is_authenticated:
            context["unanswered_count"] = (
                Question.objects.visible_to(request.user).unanswered().count()
            )
        return context


class ResourceIndexPage(VisitorCacheMixin, Page):
    """The resource library: guides and toolkits, filterable by topic, type and state."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage", "cms.ToolkitPage"]
    max_count = 1

    def items(self, *, topic: str = "", kind: str = "", state: str = "") -> list[Page]:
        """Live guides and toolkits of the library, by title; ``state`` keeps those for
        that state and those for every state. Two queries per type, however many items."""
        found = []
        for model in (GuidePage, ToolkitPage):
            if kind and kind != model.LIBRARY_KIND:
                continue
            pages = model.objects.live().public().child_of(self)
            if topic:
                pages = pages.filter(topics__slug=topic)
            if state:
                pages = pages.filter(
                    models.Q(applies_to__state=state) | models.Q(applies_to__isnull=True)
                )
            found += pages.distinct().prefetch_related("topics", "applies_to")
        return sorted(found, key=lambda page: page.title.lower())

    def get_context(self, request, *args, **kwargs):
        from .forms import LibraryFilterForm

        context = super().get_context(request, *args, **kwargs)
        filters = LibraryFilterForm(request.GET or None)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        items = self.items(
            topic=chosen.get("topic", ""),
            kind=chosen.get("kind", ""),
            state=chosen.get("state", ""),
        )
        context.update(
            filters=filters,
            page_obj=Paginator(items, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page")),
            query_string=filters.query_string() if chosen else "",
        )
        return context


class GuidePageTopic(ItemBase):
    tag = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, related_name="tagged_guide_pages"
    )
    content_object = ParentalKey(
        "cms.GuidePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class GuidePage(VisitorCacheMixin, LibraryItem, Page):
    """A best practice: what to do and why, with its sources, authors and review dates."""

    LIBRARY_KIND = "guide"
    base_form_class = TopicsPageForm

    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(BodyBlock(), blank=True)
    topics = ClusterTaggableManager(through=GuidePageTopic, blank=True)
    authors = models.CharField(
        _("authors"),
        max_length=300,
        blank=True,
        help_text=_("The people and offices who wrote it, as they should be credited."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("The editors' report lists guides past this date."),
    )
    source_question = models.ForeignKey(
        "forum.Question",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
        help_text=_("The forum thread this guide was promoted from."),
    )
    source_title = models.CharField(_("source publication"), max_length=255, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    source_license = models.CharField(_("source licence"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        *library_panels(),
        MultiFieldPanel(
            [
                FieldPanel("authors"),
                FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review_due")]),
                FieldPanel("source_question", read_only=True),
            ],
            heading=_("Authors and review"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("source_title"),
                FieldPanel("source_url"),
                FieldPanel("publisher"),
                FieldPanel("source_license"),
            ],
            heading=_("Source"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.ResourceIndexPage"]
    subpage_types = []

    @property
    def structured_data(self) -> dict:
        return structured_data.article(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["qa_questions"] = load_qa_questions(self.body)
        return context


class ToolkitTemplate(Orderable):
    """One adaptable template of a toolkit, with how to adapt it."""

    page = ParentalKey("cms.ToolkitPage", on_delete=models.CASCADE, related_name="templates")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(
        _("how to adapt it"),
        max_length=1000,
        help_text=_("What an office changes before using it: names, deadlines, state rules."),
    )

    panels = [FieldPanel("document"), FieldPanel("note")]


class ToolkitPageTopic(ItemBase):
    tag = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, related_name="tagged_toolkit_pages"
    )
    content_object = ParentalKey(
        "cms.ToolkitPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class ToolkitPage(VisitorCacheMixin, LibraryItem, Page):
    """A set of adaptable templates (DOCX, XLSX, PDF, ODT) any office can download."""

    LIBRARY_KIND = "toolkit"
    base_form_class = TopicsPageForm

    summary = models.TextField(_("summary"), max_length=600)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    topics = ClusterTaggableManager(through=ToolkitPageTopic, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        InlinePanel("templates", heading=_("Templates"), label=_("Template"), min_num=1),
        *library_panels(),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["cms.ResourceIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["toolkit_templates"] = self.templates.select_related("document")
        return context


class EventPageQuerySet(PageQuerySet):
    def upcoming(self):
        """Events not yet over, soonest first."""
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start")


class EventPageTopic(ItemBase):
    tag = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, related_name="tagged_event_pages"
    )
    content_object = ParentalKey(
        "cms.EventPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    CONVENING = "convening", _("Convening")


class EventPageForm(TopicsPageForm):
    """The admin reads and shows an event's times in the event's own time zone, not the
    editor's: 14:00 typed for a Central-time event means 14:00 Central."""

    TIME_FIELDS = ("start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = zoneinfo.ZoneInfo(self.instance.time_zone)
        for name in self.TIME_FIELDS:
            if value := getattr(self.instance, name, None):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            editor_zone = timezone.get_current_timezone()
            for name in self.TIME_FIELDS:
                if value := cleaned.get(name):
                    wall_time = value.astimezone(editor_zone).replace(tzinfo=None)
                    cleaned[name] = wall_time.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))
        return cleaned


class EventPage(VisitorCacheMixin, RoutablePageMixin, Page):
    """A webinar or a convening; after it, the recording and materials. Its iCalendar
    file is at <page>/calendar/ (downloaded as <slug>.ics): Wagtail serves only paths of
    letters, digits, hyphens and slashes, so an "event.ics" route could never be reached."""

    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    summary = models.TextField(_("summary"), max_length=600)
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONES,
        default="America/New_York",
        help_text=_("Type the times in this zone; the page shows them in it, named."),
    )
    online_url = models.URLField(_("online link"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    recording_url = models.URLField(_("recording"), blank=True)
    materials = StreamField(
        [("document", DocumentBlock())],
        blank=True,
        help_text=_("Slides and handouts, after the event."),
    )
    topics = ClusterTaggableManager(through=EventPageTopic, blank=True)
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Listed among the cohort's upcoming events in its space. The event page itself "
            "is as public as its privacy setting makes it."
        ),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()
    base_form_class = EventPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("time_zone")],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("online_url"), FieldPanel("place"), FieldPanel("registration_url")],
            heading=_("Where and how to join"),
        ),
        MultiFieldPanel(
            [FieldPanel("recording_url"), FieldPanel("materials")], heading=_("Afterwards")
        ),
        FieldPanel("topics"),
        FieldPanel("cohort"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("An event ends after it starts.")})
        if not (self.online_url or self.place):
            raise ValidationError({"place": _("Give an online link, a place, or both.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def structured_data(self) -> dict:
        return structured_data.event(self)

    @path("calendar/", name="ical")
    def ical(self, request):
        from .ical import event_calendar

        response = HttpResponse(
            event_calendar(self, request), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response


class EventIndexPage(VisitorCacheMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().child_of(self)
        context.update(
            upcoming=events.upcoming(),
            past=Paginator(events.past(), EVENTS_PAGE_SIZE).get_page(request.GET.get("page")),
        )
        return context


class TopicIndexPage(VisitorCacheMixin, Page):
    """/topics/: every topic of the taxonomy, by group."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TopicPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_pages"] = (
            TopicPage.objects.live().public().child_of(self).select_related("topic")
        )
        return context


class TopicPage(VisitorCacheMixin, Page):
    """One taxonomy topic: its guides, toolkits, events and latest public questions. Its
    slug is the topic's, so every topic chip links to /topics/<slug>/."""

    topic = models.OneToOneField(Topic, on_delete=models.PROTECT, related_name="page")
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("topic"), FieldPanel("intro")]
    parent_page_types = ["cms.TopicIndexPage"]
    subpage_types = []
    visitor_cache_seconds = LISTING_SECONDS  # the latest questions

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topic = self.topic
        context.update(
            guides=GuidePage.objects.live().public().filter(topics=topic).order_by("title"),
            toolkits=ToolkitPage.objects.live().public().filter(topics=topic).order_by("title"),
            events=EventPage.objects.live().public().filter(topics=topic).order_by("-start"),
            latest_questions=Question.objects.public()
            .filter(topics=topic)
            .for_listing()
            .order_by("-created_at")[:LATEST_QUESTIONS],
            # For this viewer ("Follow this topic"); nothing for a visitor, whose copy is cached.
            panels=forum_hooks.collect(forum_hooks.TOPIC_PANELS, request, topic),
        )
        return context


class StandardPage(VisitorCacheMixin, Page):
    """A plain page: about, code of conduct, privacy, accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["qa_questions"] = load_qa_questions(self.body)
        return context
