from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from accounts.models import Jurisdiction, SizeBand
from cohorts.models import Cohort

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 20, 30_000
COMMENT_MIN, COMMENT_MAX = 2, 600
MAX_TOPICS = 5


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

    # Editors choose from the taxonomy; typing in a tag field never creates a topic.
    free_tagging = False

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self) -> str:
        """The topic's page (`cms.TopicPage`, kept one per topic under /topics/ by
        `cms.services.sync_topic_pages`); its questions are listed at "forum:topic"."""
        return f"/topics/{self.slug}/"


class AuthorRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OFFICIAL = "official", _("Verified official")
    EXPERT = "expert", _("Expert")
    MODERATOR = "moderator", _("Moderator")


class Post(models.Model):
    """What questions and answers share. The byline (name, role, office, state) is copied
    when the post is written, so a post reads the same after its author changes office,
    loses verification or deletes their account."""

    body = models.TextField(
        _("body"), validators=[MinLengthValidator(BODY_MIN), MaxLengthValidator(BODY_MAX)]
    )
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=80)
    author_role = models.CharField(max_length=16, choices=AuthorRole.choices)
    author_office = models.CharField(max_length=250, blank=True)
    author_state = models.CharField(max_length=2, blank=True)
    # Copied with the office, and like it only when the author shows their office: the
    # office's size band (bylines show it, lists filter by it) and the office itself (its
    # cohorts' badges, `cohorts.badges`).
    author_size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    author_jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    score = models.IntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    # Hidden pending a moderator's review (flags, issue 15): like `is_hidden`, but its
    # author still reads it, and may edit it, which returns it to the queue.
    held_for_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def kind(self) -> str:
        """ "question" or "answer": the field name votes, comments and revisions use."""
        return self._meta.model_name


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Questions this person may read (`forum.audience`)."""
        from .audience import readable

        return self.filter(readable(user))

    def public(self):
        """Questions anyone may read, visitors included."""
        from django.contrib.auth.models import AnonymousUser

        return self.visible_to(AnonymousUser())

    def counted(self):
        """The threads figures count (the staff's reports, the editors' report), whoever may
        read them: neither hidden, held for review nor merged into another."""
        from .audience import NOT_MERGED, PUBLISHED

        return self.filter(PUBLISHED & NOT_MERGED)

    def unanswered(self):
        return self.filter(answer_count=0)

    def unsolved(self):
        return self.filter(accepted_answer__isnull=True)

    def solved(self):
        return self.filter(accepted_answer__isnull=False)

    def in_state(self, state: str):
        return self.filter(states__state=state.upper())

    def about_topic(self, topic: Topic):
        return self.filter(tagged_topics__tag=topic)

    def asked_from_offices_of_size(self, band: str):
        """Asked by someone who showed an office of this size band (`SizeBand`). Never a
        question asked without a name: its asker's band would narrow down who asked."""
        return self.filter(author_size_band=band, is_anonymous=False)

    def for_listing(self):
        """What a row of a list shows (`forum/includes/question_row.html`: a cohort-only
        thread's cohort by name, in the same query) and the sort fields a list pages by
        (`forum.forms.SORTS`), without the bodies."""
        return (
            self.only(
                "title",
                "score",
                "answer_count",
                "accepted_answer_id",
                "visibility",
                "cohort__name",
                "status",
                "is_anonymous",
                "author_id",
                "author_name",
                "author_role",
                "author_office",
                "author_size_band",
                "author_jurisdiction_id",
                "author_state",
                "created_at",
                "last_activity_at",
            )
            .select_related("cohort")
            .prefetch_related("topics", "states")
        )


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only: verified officials and experts")
    PUBLIC = "public", _("Public: anyone can read it")
    # Only the members of `Question.cohort` (and moderators): `forum.audience`.
    COHORT = "cohort", _("Cohort only: the members of one cohort")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    LOCKED = "locked", _("Locked")


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another question")
    OFF_TOPIC = "off-topic", _("Off-topic")
    OUTDATED = "outdated", _("Outdated")
    RESOLVED_ELSEWHERE = "resolved-elsewhere", _("Resolved elsewhere")


class TaggedQuestion(ItemBase):
    # Distinct related names: taggit finds the through table by them when prefetching.
    tag = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="tagged_questions")
    content_object = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, related_name="tagged_topics"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_question_topic")
        ]


class Question(Post):
    title = models.CharField(
        _("title"),
        max_length=TITLE_MAX,
        validators=[MinLengthValidator(TITLE_MIN)],
    )
    topics = TaggableManager(through=TaggedQuestion, blank=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    is_anonymous = models.BooleanField(_("ask without my name"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    close_reason = models.CharField(max_length=24, choices=CloseReason.choices, blank=True)
    # Something in the thread was reported as a security-sensitive detail, and the report was
    # not dismissed: email about it carries nothing but a link (`audience.email_detail`).
    security_flagged = models.BooleanField(default=False)
    # Merged into another thread (a moderator's merge of duplicates): its address redirects
    # there for good, and it is listed and found nowhere.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    answer_count = models.PositiveIntegerField(default=0)
    # Unique when set (`Meta.constraints`) rather than a OneToOneField: SQLite, without
    # statistics, would answer "unsolved" (IS NULL) through a unique index and sort every
    # unsolved thread instead of reading the `question_unsolved` index in order.
    accepted_answer = models.ForeignKey(
        "forum.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # `question_unsolved` leads with it
    )
    last_activity_at = models.DateTimeField(auto_now_add=True)
    # For the staff's reports (issue 17), kept by the services: when someone other than the
    # asker first answered, and when the answer now accepted was accepted (None when none is).
    first_answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change to the thread; keys the cached page and fragments.
    version = models.PositiveIntegerField(default=1)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # One for each order of the lists (`forum.forms.SORTS`), read from either end: a
        # page is an index range whatever its place in the list (`forum.listing`). Who may
        # read a thread, and the filters, are checked on each row the range yields.
        indexes = [
            models.Index(fields=["created_at", "id"], name="question_newest"),
            models.Index(fields=["last_activity_at", "id"], name="question_active"),
            models.Index(fields=["score", "created_at", "id"], name="question_top"),
            models.Index(fields=["answer_count", "created_at", "id"], name="question_unanswered"),
            models.Index(fields=["accepted_answer", "created_at", "id"], name="question_unsolved"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["accepted_answer"],
                condition=Q(accepted_answer__isnull=False),
                name="one_question_per_accepted_answer",
            ),
            models.CheckConstraint(
                condition=Q(visibility=Visibility.COHORT, cohort__isnull=False)
                | (~Q(visibility=Visibility.COHORT) & Q(cohort__isnull=True)),
                name="question_cohort_with_cohort_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:question", args=[self.pk])

    @property
    def thread(self) -> "Question":
        return self

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def state_codes(self) -> list[str]:
        return [s.state for s in self.states.all()]


class QuestionState(models.Model):
    """A state (two-letter code) whose law and practice a question is about."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="states")
    state = models.CharField(max_length=2, db_index=True)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(fields=["question", "state"], name="unique_question_state")
        ]

    def __str__(self) -> str:
        return self.state


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Answers this person may see in a thread they may read: hidden ones only for
        moderators, held ones for moderators and their authors (`forum.audience`)."""
        from .audience import shown

        return self.filter(shown(user))

    def in_thread_order(self, accepted_id: int | None):
        """Accepted first, then by score, then oldest."""
        return self.annotate(
            is_accepted=models.Case(
                models.When(pk=accepted_id, then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
        ).order_by("-is_accepted", "-score", "created_at", "pk")


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    version = models.PositiveIntegerField(default=1)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question_id}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def thread(self) -> Question:
        return self.question


class Comment(models.Model):
    """A short remark on a question or on an answer: inline Markdown only."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(
        _("comment"),
        validators=[MinLengthValidator(COMMENT_MIN), MaxLengthValidator(COMMENT_MAX)],
    )
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=80)
    author_role = models.CharField(max_length=16, choices=AuthorRole.choices)
    is_hidden = models.BooleanField(default=False)
    held_for_review = models.BooleanField(default=False)  # see `Post.held_for_review`
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="comment_on_exactly_one_post",
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#comment-{self.pk}"

    @property
    def kind(self) -> str:
        """ "comment": the field name flags and redactions use (as `Post.kind`)."""
        return "comment"

    @property
    def thread(self) -> "Question":
        return self.question if self.question_id else self.answer.question


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="vote_on_exactly_one_post",
            ),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_is_up_or_down"),
            models.UniqueConstraint(fields=["user", "question"], name="one_vote_per_question"),
            models.UniqueConstraint(fields=["user", "answer"], name="one_vote_per_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on {self.question_id or self.answer_id}"


class Revision(models.Model):
    """One version of a question or answer: the source as it stood after an edit (the
    first revision is the original), who made it, when and why."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor_name = models.CharField(max_length=80)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="revision_of_exactly_one_post",
            ),
            models.UniqueConstraint(fields=["question", "number"], name="unique_question_rev"),
            models.UniqueConstraint(fields=["answer", "number"], name="unique_answer_rev"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} by {self.editor_name}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment or a threat")
    PERSONAL = "personal", _("Personal information (doxxing)")
    SECURITY = "security", _("Security-sensitive detail")
    INACCURATE = "inaccurate", _("Inaccurate or outdated")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    """A member's report of a question, answer or comment, and a moderator's decision on it.
    One open flag per person per post."""

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True, comment__isnull=True)
                | Q(question__isnull=True, answer__isnull=False, comment__isnull=True)
                | Q(question__isnull=True, answer__isnull=True, comment__isnull=False),
                name="flag_on_exactly_one_post",
            ),
            *(
                models.UniqueConstraint(
                    fields=["flagger", target],
                    condition=Q(status="open", **{f"{target}__isnull": False}),
                    name=f"one_open_flag_per_{target}",
                )
                for target in ("question", "answer", "comment")
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="flag_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag {self.pk}"


class Redaction(models.Model):
    """A moderator removed text from a post and from every revision that held it: the
    record says that it happened, by whom and why, never what was removed."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="redactions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="redactions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="redactions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator_name = models.CharField(max_length=80)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Redaction by {self.moderator_name}"


def posts_of_kind(kind: str):
    """The questions, answers or comments ("question", "answer", "comment": a post's
    `kind`, as URLs name it) with what finding their thread reads; None for anything else."""
    match kind:
        case "question":
            return Question.objects.all()
        case "answer":
            return Answer.objects.select_related("question")
        case "comment":
            return Comment.objects.select_related("question", "answer__question")
    return None
