from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from accounts.models import SizeBand
from accounts.states import US_STATES
from cohorts.membership import own_cohorts
from cohorts.models import Cohort

from . import permissions
from .models import (
    MAX_TOPICS,
    Answer,
    CloseReason,
    Comment,
    FlagReason,
    Question,
    Topic,
    Visibility,
)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name


class AudienceField(forms.ChoiceField):
    """Who may read a thread, as one group of radio buttons: the fixed audiences, then
    "Only <cohort>" for each cohort offered (`offer`). Cleans to (visibility, cohort), the
    cohort None unless the thread is cohort-only."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offer(())

    def offer(self, cohorts) -> None:
        self.cohorts = {self.value_of(Visibility.COHORT, cohort): cohort for cohort in cohorts}
        fixed = [choice for choice in Visibility.choices if choice[0] != Visibility.COHORT]
        self.choices = [
            *fixed,
            *(
                (value, _("Only %(cohort)s") % {"cohort": c.name})
                for value, c in self.cohorts.items()
            ),
        ]

    @staticmethod
    def cohort_choice(slug: str) -> str:
        return f"cohort:{slug}"

    @classmethod
    def value_of(cls, visibility: str, cohort: Cohort | None) -> str:
        return cls.cohort_choice(cohort.slug) if visibility == Visibility.COHORT else visibility

    def clean(self, value) -> tuple[str, Cohort | None]:
        value = super().clean(value)
        if value in self.cohorts:
            return Visibility.COHORT, self.cohorts[value]
        return value, None


class QuestionForm(forms.ModelForm):
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one to five topics."),
    )
    states = forms.MultipleChoiceField(
        label=_("States this is about"),
        choices=US_STATES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Law differs by state. Leave empty to use your own state."),
    )
    visibility = AudienceField(label=_("Who may read it"), initial=Visibility.MEMBERS)
    field_order = ["title", "body", "topics", "states", "visibility", "is_anonymous"]

    class Meta:
        model = Question
        fields = ["title", "body", "topics", "states", "is_anonymous"]
        labels = {"title": _("Question"), "body": _("Details")}
        help_texts = {
            "title": _("One specific question, 15 to 150 characters."),
            "body": _(
                "What you have tried and what your state requires, in Markdown (20 to "
                "30,000 characters)."
            ),
            "is_anonymous": _(
                "Peers see “a verified official in <your state>”; moderators still see who."
            ),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, asker=None, cohort: str = "", **kwargs):
        """The ask form offers the cohorts ``asker`` belongs to as audiences, ``cohort`` (a
        slug: "Ask in this cohort") chosen when it is one of them. (An edit keeps the
        thread's audience, which only a moderator changes: `AudienceForm`.)"""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("states", self.instance.state_codes)
        if "visibility" in self.fields:
            field = self.fields["visibility"]
            field.offer(own_cohorts(asker))
            if AudienceField.cohort_choice(cohort) in field.cohorts:
                self.initial["visibility"] = AudienceField.cohort_choice(cohort)

    def clean_topics(self):
        topics = self.cleaned_data["topics"]
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(_("Choose at most five topics."))
        return list(topics)


class EditReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the edit"),
        max_length=300,
        help_text=_("Shown in the revision history, e.g. “Added the state statute”."),
    )


class QuestionEditForm(EditReasonMixin, QuestionForm):
    visibility = None

    class Meta(QuestionForm.Meta):
        fields = ["title", "body", "topics", "states"]


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["body"]
        labels = {"body": _("Your answer")}
        help_texts = {"body": _("Markdown, 20 to 30,000 characters.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class AnswerEditForm(EditReasonMixin, AnswerForm):
    pass


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Comment")}
        help_texts = {"body": _("2 to 600 characters; links, *emphasis* and `code` work.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of question number"),
        required=False,
        min_value=1,
        help_text=_("Only for duplicates: the number in the other question's address."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CloseReason.DUPLICATE:
            number = cleaned.get("duplicate_of")
            question = Question.objects.filter(pk=number).first() if number else None
            if question is None:
                self.add_error("duplicate_of", _("Give the number of an existing question."))
            cleaned["duplicate_question"] = question
        return cleaned


# Each order of the list, by these fields from the highest down, ending in the primary key
# so that every thread has one place in it (`forum.listing` pages by them; each has an index,
# `Question.Meta.indexes`).
SORTS = {
    "newest": ("created_at", "id"),
    "active": ("last_activity_at", "id"),
    "top": ("score", "created_at", "id"),
    "unanswered": ("created_at", "id"),
    "unsolved": ("created_at", "id"),
}


class QuestionFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("newest", _("Newest")),
            ("active", _("Recently active")),
            ("unanswered", _("Unanswered")),
            ("unsolved", _("Unsolved")),
            ("top", _("Top voted")),
        ],
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *US_STATES]
    )
    solved = forms.ChoiceField(
        label=_("Solved"),
        required=False,
        choices=[("", _("Solved or not")), ("yes", _("Solved")), ("no", _("Not solved"))],
    )
    band = forms.ChoiceField(
        label=_("Asker's office size"),
        required=False,
        choices=[("", _("Any size")), *SizeBand.choices],
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        """Offices, and so their sizes, are shown to signed-in readers only
        (`permissions.can_see_office`): visitors get no size filter."""
        super().__init__(*args, **kwargs)
        if not permissions.can_see_office(signed_in):
            del self.fields["band"]

    def order(self) -> tuple[str, ...]:
        """The fields the list is ordered by, from the highest down (`SORTS`)."""
        return SORTS[self.cleaned_data.get("sort") or "newest"]

    def filter(self, questions):
        data = self.cleaned_data
        sort = data.get("sort") or "newest"
        if sort == "unanswered":
            questions = questions.unanswered()
        if sort == "unsolved" or data.get("solved") == "no":
            questions = questions.unsolved()
        if data.get("solved") == "yes":
            questions = questions.solved()
        if data.get("topic"):
            questions = questions.about_topic(data["topic"])
        if data.get("state"):
            questions = questions.in_state(data["state"])
        if data.get("band"):
            questions = questions.asked_from_offices_of_size(data["band"])
        return questions


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A report of personal information or a security-sensitive detail by a verified "
            "official hides the post at once, until a moderator decides."
        ),
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        help_text=_("Required for “Something else”. Only moderators see it."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == FlagReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say what is wrong, so a moderator knows what to look for."))
        return data


AUDIENCE_REASON_MAX = 500


class AudienceForm(forms.Form):
    """A moderator's change of who may read a thread. Prefixed, so that its fields and their
    ids differ from the close form's on the same page."""

    visibility = AudienceField(label=_("Who may read this thread"))
    reason = forms.CharField(
        label=_("Why the audience changes"),
        max_length=AUDIENCE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )

    def __init__(self, *args, question: Question, **kwargs):
        """Every cohort is offered: moderators read every cohort's threads."""
        super().__init__(*args, prefix="audience", **kwargs)
        self.current = AudienceField.value_of(question.visibility, question.cohort)
        self.fields["visibility"].offer(Cohort.objects.all())
        self.fields["visibility"].initial = self.current

    def clean_visibility(self):
        visibility, cohort = self.cleaned_data["visibility"]
        if AudienceField.value_of(visibility, cohort) == self.current:
            raise forms.ValidationError(_("The thread has this audience already."))
        return visibility, cohort


class RedactForm(forms.Form):
    text = forms.CharField(
        label=_("Text to remove"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Exactly as it is written in the post's source (copy it from the edit form or the "
            "revision history). Every occurrence, in the post and in all its revisions, is "
            "replaced by “[redacted]”."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_(
            "Shown in the revision history with your name, e.g. “A poll worker's home "
            "address”. Do not repeat the text."
        ),
    )


class MergeForm(forms.Form):
    """Which thread a duplicate is merged into, and why. The thread is given by its number
    or its address; one merged already stands for the thread it was merged into, as its
    address does. A thread the moderator may not read is not found."""

    into = forms.CharField(
        label=_("Merge into question"),
        max_length=500,
        help_text=_("The other question's number or address, e.g. /questions/42/."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Recorded in the audit log, e.g. “Same question about ballot storage”."),
    )

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_into(self) -> Question:
        number = _question_number(self.cleaned_data["into"])
        found = Question.objects.filter(pk=number).first() if number else None
        if found is not None and found.merged_into_id is not None:
            found = found.merged_into
        if found is None or not permissions.can_read_question(self.reader, found):
            raise forms.ValidationError(_("Give the number or address of an existing question."))
        return found


def _question_number(text: str) -> int | None:
    """The question number in "42", "#42" or a question's address (any host)."""
    text = text.strip().lstrip("#")
    if text.isdigit():
        return int(text)
    try:
        match = resolve(urlsplit(text).path)
    except Resolver404:
        return None
    return match.kwargs.get("pk") if match.view_name == "forum:question" else None
