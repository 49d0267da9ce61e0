from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.states import US_STATES
from forum.models import Topic


class LibraryFilterForm(forms.Form):
    """The resource library's filters, sent by GET so every filtered view has an address."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[
            ("", _("Guides and toolkits")),
            ("guide", _("Guides")),
            ("toolkit", _("Toolkits")),
        ],
    )
    state = forms.ChoiceField(
        label=_("Applies in"), required=False, choices=[("", _("Any state")), *US_STATES]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *Topic.objects.values_list("slug", "name"),
        ]

    def query_string(self) -> str:
        """The chosen filters, for the pagination links."""
        return urlencode({name: value for name, value in self.cleaned_data.items() if value})
