from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase


class Topic(TagBase):
    """A topic from the curated taxonomy (data/election_admin_taxonomy.json). One taxonomy
    tags both forum questions and CMS pages; members pick topics, only staff create them."""

    group = models.CharField(_("group"), max_length=100)
    group_slug = models.SlugField(_("group slug"), max_length=20)
    description = models.CharField(_("description"), max_length=300, blank=True)
    basis = models.CharField(
        _("basis"),
        max_length=300,
        blank=True,
        help_text=_("The EAC guideline chapter or standard area this topic follows."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self) -> str:
        return reverse("search:search") + f"?topic={self.slug}"
