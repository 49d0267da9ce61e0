from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from accounts.states import US_STATES

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

    class Meta:
        model = Question
        fields = ["title", "body", "topics", "states", "visibility", "is_anonymous"]
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
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("states", self.instance.state_codes)

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

    visibility = forms.ChoiceField(
        label=_("Who may read this thread"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why the audience changes"),
        max_length=AUDIENCE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, prefix="audience", **kwargs)
        self.current = question.visibility
        self.fields["visibility"].initial = question.visibility

    def clean_visibility(self):
        visibility = self.cleaned_data["visibility"]
        if visibility == self.current:
            raise forms.ValidationError(_("The thread has this audience already."))
        return visibility


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
