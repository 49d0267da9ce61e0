from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import SizeBand
from accounts.states import US_STATES
from forum.models import Topic
from forum.permissions import can_see_office

from .indexes import kinds
from .queries import SOLVED, SORTS, Filters


def kind_choices() -> list[tuple[str, str]]:
    return [("", _("Any type")), *((kind, index.KIND_LABEL) for kind, index in kinds().items())]


class SearchForm(forms.Form):
    """The search box and its filters. Every field is optional; a value that is not one of
    the choices is reported next to its field and the rest of the search still runs."""

    q = forms.CharField(
        label=_("Search terms"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=kind_choices)
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
        label=_("Solved"), required=False, choices=[("", _("Solved or not")), *SOLVED.items()]
    )
    band = forms.ChoiceField(
        label=_("Asker's office size"),
        required=False,
        choices=[("", _("Any size")), *SizeBand.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        """Offices, and so their sizes, are shown to signed-in readers only
        (`forum.permissions.can_see_office`): visitors get no size filter."""
        super().__init__(*args, **kwargs)
        if not can_see_office(signed_in):
            del self.fields["band"]

    def filters(self) -> Filters:
        """The filters that were valid (call after ``is_valid``)."""
        data = self.cleaned_data
        topic = data.get("topic")
        return Filters(
            kind=data.get("kind", ""),
            topic=topic.slug if topic else "",
            state=data.get("state", ""),
            solved=data.get("solved", ""),
            band=data.get("band", ""),
        )

    def is_search(self) -> bool:
        """Words or a filter to search by (call after ``is_valid``)."""
        text = self.cleaned_data.get("q", "").strip()
        return bool(text) or any(vars(self.filters()).values())


class SimilarForm(forms.Form):
    title = forms.CharField(max_length=300)
