from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from forum.models import Question

from .blocks import BodyBlock

LATEST_GUIDES_ON_HOME = 6
LATEST_QUESTIONS = 5


class HomePage(Page):
    intro = models.TextField(
        _("introduction"), help_text=_("One or two sentences that say what the site is for.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_guides"] = (
            GuidePage.objects.live()
            .public()
            .order_by("-first_published_at")
            .prefetch_related("topics")[:LATEST_GUIDES_ON_HOME]
        )
        context["resource_index"] = ResourceIndexPage.objects.live().public().first()
        context["latest_questions"] = (
            Question.objects.public().for_listing().order_by("-created_at")[:LATEST_QUESTIONS]
        )
        return context


class ResourceIndexPage(Page):
    """The resource library: every published guide (toolkits join in the CMS issue)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = (
            GuidePage.objects.live()
            .public()
            .child_of(self)
            .order_by("title")
            .prefetch_related("topics")
        )
        return context


class GuidePageTopic(ItemBase):
    tag = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, related_name="tagged_guide_pages"
    )
    content_object = ParentalKey(
        "cms.GuidePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class GuidePage(Page):
    """A best practice: what to do and why, with its public source."""

    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(BodyBlock(), blank=True)
    topics = ClusterTaggableManager(through=GuidePageTopic, blank=True)
    source_title = models.CharField(_("source publication"), max_length=255, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    source_license = models.CharField(_("source licence"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics"),
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


class StandardPage(Page):
    """A plain page: about, code of conduct, privacy, accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
