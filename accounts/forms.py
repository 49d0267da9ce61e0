from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Jurisdiction, VerificationRequest
from .states import US_STATES

OFFICES_SHOWN = 100


class OfficeSearchForm(forms.Form):
    """Find an office without JavaScript: a state, then part of the name."""

    state = forms.ChoiceField(label=_("State or territory"), choices=[("", "—"), *US_STATES])
    q = forms.CharField(
        label=_("Part of the office's name"),
        required=False,
        max_length=100,
        help_text=_("For example: Maricopa, or Hanover."),
    )

    def offices(self):
        if not self.is_valid():
            return Jurisdiction.objects.none()
        found = Jurisdiction.objects.in_state(self.cleaned_data["state"])
        if self.cleaned_data["q"]:
            found = found.filter(name__icontains=self.cleaned_data["q"].strip())
        return found[:OFFICES_SHOWN]


class VerificationRequestForm(forms.ModelForm):
    class Meta:
        model = VerificationRequest
        fields = ["jurisdiction", "role", "how_to_confirm"]
        labels = {"jurisdiction": _("Your election office")}
        widgets = {"how_to_confirm": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any office in the directory is accepted; the list shows those the search found,
        # and the one chosen so that a refused form keeps it. Evaluated when the form is
        # shown, after validation, so the chosen office is the validated one.
        self.fields["jurisdiction"].widget.choices = lambda: self._office_choices(offices)

    def _office_choices(self, offices) -> list[tuple]:
        chosen = getattr(self, "cleaned_data", {}).get("jurisdiction")
        shown = {office.pk: office for office in [chosen, *offices] if office}
        return [("", _("Choose your office")), *((pk, str(o)) for pk, o in shown.items())]
