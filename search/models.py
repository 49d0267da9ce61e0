from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexChange(models.Model):
    """A change the search index has still to apply: the object is read again from the
    database when it is applied, so the row says only which one. Rows are only ever added
    by writers and deleted by the one index writer once the index holds the change."""

    model = models.CharField(max_length=100)  # "forum.question", "cms.guidepage" ...
    object_pk = models.PositiveBigIntegerField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search index change")

    def __str__(self) -> str:
        return f"{self.model} {self.object_pk}"


class SearchTerm(models.Model):
    """An acronym or term of election administration, and the words and phrases that mean
    the same. A search for any of them finds documents that use any other."""

    term = models.CharField(_("term"), max_length=80, unique=True)
    expansion = models.CharField(
        _("written out"), max_length=200, blank=True, help_text=_("What the acronym stands for.")
    )
    synonyms = models.TextField(
        _("means the same"),
        blank=True,
        help_text=_(
            "Other words and phrases a search should treat as the same, separated by "
            "semicolons: “mail ballot; absentee ballot; by-mail”."
        ),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term

    def phrases(self) -> list[str]:
        found = [self.term, self.expansion, *self.synonyms.split(";")]
        return [phrase.strip() for phrase in found if phrase.strip()]
