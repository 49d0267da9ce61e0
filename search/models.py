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


class FruitlessSearch(models.Model):
    """How many searches for one query found nothing on one day, for the staff's reports
    (issue 17): the query normalised (`search.fruitless.normalise`), counted, with no user,
    session or address attached."""

    query = models.CharField(max_length=200)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="one_fruitless_count_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="fruitless_search_day")]

    def __str__(self) -> str:
        return f"{self.query} ({self.day}: {self.count})"


# The database backends' index (search/backends/sql.py). Each engine adds its full-text
# table beside these (migration 0003): SQLite an FTS5 table, PostgreSQL one with tsvectors.


class IndexState(models.Model):
    """The one row saying which generation of documents searches read, and whether a
    rebuild is writing the next one. No row: there is no index yet."""

    generation = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)  # in the current generation
    rebuilding_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "search_state"

    def __str__(self) -> str:
        return f"generation {self.generation}"


class Document(models.Model):
    """One indexed object of one generation. Its text is in the engine's full-text table
    under the same id; its facet values in ``DocumentValue``."""

    generation = models.PositiveIntegerField()
    identifier = models.CharField(max_length=150)  # "forum.question.12"
    django_ct = models.CharField(max_length=100)
    django_id = models.CharField(max_length=40)
    date = models.DateTimeField(null=True)

    class Meta:
        db_table = "search_document"
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "identifier"], name="search_document_identifier"
            )
        ]
        indexes = [models.Index(fields=["generation", "-date"], name="search_document_date")]

    def __str__(self) -> str:
        return self.identifier


class DocumentValue(models.Model):
    """A facet value of a document ("topics", "la-testing"): filters and facet counts."""

    document = models.ForeignKey(
        Document, on_delete=models.DO_NOTHING, db_constraint=False, related_name="values"
    )
    field = models.CharField(max_length=30)
    value = models.CharField(max_length=100)

    class Meta:
        db_table = "search_value"
        indexes = [
            models.Index(fields=["field", "value", "document"], name="search_value_lookup"),
            models.Index(fields=["document", "field"], name="search_value_document"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class Word(models.Model):
    """Every word the spelling fields have held: where "did you mean" looks for candidates.
    A word is offered only once a live document the reader may find is seen to hold it."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        db_table = "search_word"

    def __str__(self) -> str:
        return self.word


class SimilarQuestion(models.Model):
    """A question like ``question``, among those of one audience, and how well its words
    match ``question``'s title: stored when the question changes (``search.similar``), so a
    question page reads its similar questions with one query."""

    question = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, related_name="similar_questions"
    )
    similar = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, related_name="similar_of"
    )
    audience = models.CharField(max_length=30)
    score = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["question", "audience", "-score"])]

    def __str__(self) -> str:
        return f"{self.question_id} ~ {self.similar_id}"


class SimilarList(models.Model):
    """When a question's similar questions were last found, and for which title."""

    question = models.OneToOneField(
        "forum.Question", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    found_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title
