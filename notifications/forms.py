from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Topic

from .models import EmailSettings, Level


class EmailSettingsForm(forms.ModelForm):
    class Meta:
        model = EmailSettings
        fields = ["own_posts", "mentions", "watched", "digest"]
        widgets = {"digest": forms.RadioSelect}
        help_texts = {
            "watched": _(
                "Threads you follow as watching, and topics you follow for each new question."
            ),
            "digest": _("New questions in the topics you follow, sent in the morning."),
        }


NOT_FOLLOWING = ""
TOPIC_CHOICES = [
    (NOT_FOLLOWING, _("Not following")),
    (Level.WATCHING, _("Every new question")),
    (Level.NORMAL, _("In my digest only")),
    (Level.MUTED, _("Muted: never tell me")),
]


class TopicFollowForm(forms.Form):
    """One choice per topic, grouped as the taxonomy groups them (`groups`)."""

    def __init__(self, *args, topics: list[Topic], levels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {f"topic_{topic.slug}": topic for topic in topics}
        for name, topic in self.topics.items():
            self.fields[name] = forms.ChoiceField(
                label=topic.name,
                choices=TOPIC_CHOICES,
                required=False,
                initial=levels.get(topic.pk, NOT_FOLLOWING),
            )

    def groups(self) -> list[tuple[str, list]]:
        found: dict[str, list] = {}
        for name, topic in self.topics.items():
            found.setdefault(topic.group, []).append(self[name])
        return list(found.items())

    def changes(self) -> list[tuple[Topic, str | None]]:
        """Each topic whose choice changed, with its new level (None: not following)."""
        return [(self.topics[name], self.cleaned_data[name] or None) for name in self.changed_data]


class TopicLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Tell me of questions in this topic"), choices=TOPIC_CHOICES, required=False
    )


class FollowForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
