"""Who follows what, what they were told, and how they want email.

A `Follow` ties a person to one thing they follow (a question, a topic or a cohort) at a
`Level`, as Discourse has them. A `Notification` is one inbox item:
it points at what it is about and holds no copy of it, so the inbox shows each item as the
recipient may see it now (`inbox.py`). `EmailSettings` holds the email choices, a missing
row meaning the defaults."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import VerificationRequest
from cohorts.models import Cohort
from forum.models import Answer, Comment, Flag, Question, Topic


class Level(models.TextChoices):
    WATCHING = "watching", _("Watching")
    NORMAL = "normal", _("Normal")
    MUTED = "muted", _("Muted")


class Follow(models.Model):
    """On a thread: *watching* hears of every new answer and comment; *normal* only of
    what concerns the person (answers to their question, comments on their posts, their
    answer accepted, mentions); *muted* of nothing. On a topic: *watching* hears of every
    new question (and has them in the digest); *normal* has them in the digest only;
    *muted* hears of no question in the topic, whatever other topic it is in. On a cohort
    (its members only): as on a topic, for the cohort's new cohort-only questions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=8, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, topic__isnull=True, cohort__isnull=True)
                | Q(question__isnull=True, topic__isnull=False, cohort__isnull=True)
                | Q(question__isnull=True, topic__isnull=True, cohort__isnull=False),
                name="follow_exactly_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="one_follow_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(topic__isnull=False),
                name="one_follow_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "cohort"],
                condition=Q(cohort__isnull=False),
                name="one_follow_per_cohort",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "level"], name="follow_question_level"),
            models.Index(fields=["topic", "level"], name="follow_topic_level"),
            models.Index(fields=["cohort", "level"], name="follow_cohort_level"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.question_id or self.topic_id or self.cohort_id}"


class Kind(models.TextChoices):
    ANSWER = "answer", _("New answer")
    COMMENT = "comment", _("New comment")
    ACCEPTED = "accepted", _("Answer accepted")
    MENTION = "mention", _("Mention")
    NEW_QUESTION = "new_question", _("New question in a topic")
    VERIFICATION = "verification", _("Verification decision")
    # Moderation (issue 15): to a post's author, and to those who reported it.
    HELD = "held", _("Post held for review")
    POST_DECIDED = "post_decided", _("A moderator decided on your post")
    FLAG_DECIDED = "flag_decided", _("A moderator decided on your report")
    WARNED = "warned", _("A moderator's warning")
    SUSPENDED = "suspended", _("Posting suspended")
    VERIFICATION_REVOKED = "revoked", _("Verification withdrawn")
    # An administrator exported one's posts to answer a public-records request (issue 17).
    RECORDS_EXPORTED = "records", _("Your posts were exported for a public-records request")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One inbox item. It names what it is about (the thread, and the answer or comment
    when there is one) and copies none of it. ``created_at`` is when that happened."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    verification = models.ForeignKey(
        VerificationRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A moderation item's flag: its outcome and the moderator's note (never who else
    # reported the post, nor to its author who reported it).
    flag = models.ForeignKey(
        Flag, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What a moderator said to this person, and until when a suspension lasts: the only
    # words an item keeps, written to its recipient alone.
    note = models.CharField(max_length=1000, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class Digest(models.TextChoices):
    NEVER = "never", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


# The kinds of email a person can turn off, each with its own unsubscribe link: the names
# of the `EmailSettings` fields.
OWN_POSTS, MENTIONS, WATCHED, DIGEST = "own_posts", "mentions", "watched", "digest"
EMAIL_KINDS = (OWN_POSTS, MENTIONS, WATCHED, DIGEST)


class EmailSettings(models.Model):
    """A person's email choices. No row: the defaults (immediate email for their own
    questions and posts and for mentions, none for what they watch, a weekly digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    own_posts = models.BooleanField(
        _("Answers and comments on my questions and posts, and my answers accepted"),
        default=True,
    )
    mentions = models.BooleanField(_("When someone mentions me"), default=True)
    watched = models.BooleanField(
        _("Every new answer, comment and question in what I watch"), default=False
    )
    digest = models.CharField(
        _("Digest of new questions in the topics I follow"),
        max_length=8,
        choices=Digest.choices,
        default=Digest.WEEKLY,
    )
    # The end of the period the last digest covered, and which run is sending the next
    # (`digests.py`): a run claims people by writing both, so two runs never send one digest.
    digest_through = models.DateTimeField(default=timezone.now)
    digest_claim = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "email settings"
        indexes = [models.Index(fields=["digest", "digest_through"], name="emailsettings_due")]

    def __str__(self) -> str:
        return f"Email settings of {self.user_id}"

    def wants(self, kind: str) -> bool:
        if kind == DIGEST:
            return self.digest != Digest.NEVER
        return getattr(self, kind)
