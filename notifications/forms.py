from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from forum.models import Topic

from .models import EmailSettings, Level


class EmailSettingsForm(forms.ModelForm):
    class Meta:
        model = EmailSettings
        fields = ["own_posts", "mentions", "watched", "digest"]
        widgets = {"digest": forms.RadioSelect}
        help_texts = {
            "watched": _(
                "Threads you follow as watching, and topics and cohorts you follow for each new "
                "question."
            ),
            "digest": _("New questions in the topics and cohorts you follow, sent in the morning."),
        }


NOT_FOLLOWING = ""
LEVEL_CHOICES = [
    (NOT_FOLLOWING, _("Not following")),
    (Level.WATCHING, _("Every new question")),
    (Level.NORMAL, _("In my digest only")),
    (Level.MUTED, _("Muted: never tell me")),
]


class FollowLevelsForm(forms.Form):
    """One choice per topic (grouped as the taxonomy groups them, `groups`) and per cohort
    one follows (`cohort_fields`)."""

    def __init__(
        self,
        *args,
        topics: list[Topic],
        cohorts: list[Cohort],
        levels: dict[tuple[str, int], str],
        **kwargs,
    ):
        """``levels`` holds the level of each followed ("topic" or "cohort", pk)."""
        super().__init__(*args, **kwargs)
        self.followed = {
            **{f"topic_{topic.slug}": ("topic", topic) for topic in topics},
            **{f"cohort_{cohort.slug}": ("cohort", cohort) for cohort in cohorts},
        }
        for name, (kind, thing) in self.followed.items():
            self.fields[name] = forms.ChoiceField(
                label=thing.name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=levels.get((kind, thing.pk), NOT_FOLLOWING),
            )

    def groups(self) -> list[tuple[str, list]]:
        found: dict[str, list] = {}
        for name, (kind, thing) in self.followed.items():
            if kind == "topic":
                found.setdefault(thing.group, []).append(self[name])
        return list(found.items())

    def cohort_fields(self) -> list:
        return [self[name] for name, (kind, _) in self.followed.items() if kind == "cohort"]

    def changes(self) -> list[tuple[str, str, Topic | Cohort, str | None]]:
        """Each field whose choice changed, with its kind ("topic" or "cohort"), topic or
        cohort and new level (None: not following)."""
        return [
            (name, *self.followed[name], self.cleaned_data[name] or None)
            for name in self.changed_data
        ]


class TopicLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Tell me of questions in this topic"), choices=LEVEL_CHOICES, required=False
    )


class CohortLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Tell me of questions in this cohort"), choices=LEVEL_CHOICES, required=False
    )


class FollowForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
