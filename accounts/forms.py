from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Jurisdiction, User, VerificationRequest
from .offices import search_offices
from .services import PROFILE_FIELDS
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
        found = search_offices(state=self.cleaned_data["state"], query=self.cleaned_data["q"])
        return found[:OFFICES_SHOWN]


def offer_offices(form: forms.Form, name: str, offices, prompt: str) -> None:
    """Make ``form``'s office field ``name`` (a choice of any office in the directory) list
    the offices an `OfficeSearchForm` found, and the one chosen, so that a refused form
    keeps it. Evaluated when the form is shown, after validation, so the chosen office is
    the validated one. `static/js/office-picker.js` turns the list into a type-ahead."""

    def choices() -> list[tuple]:
        chosen = getattr(form, "cleaned_data", {}).get(name)
        shown = {office.pk: office for office in [chosen, *offices] if office}
        return [("", prompt), *((pk, str(office)) for pk, office in shown.items())]

    form.fields[name].widget.choices = choices


class VerificationRequestForm(forms.ModelForm):
    class Meta:
        model = VerificationRequest
        fields = ["jurisdiction", "role", "how_to_confirm"]
        labels = {"jurisdiction": _("Your election office")}
        widgets = {"how_to_confirm": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_offices(self, "jurisdiction", offices, _("Choose your office"))


class DisplayNameField(forms.CharField):
    """The name others see: runs of spaces collapsed, and not empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Display name"))
        kwargs.setdefault(
            "help_text", _("Shown beside your questions and answers. Your real name is best.")
        )
        super().__init__(max_length=User._meta.get_field("display_name").max_length, **kwargs)

    def clean(self, value):
        value = " ".join((value or "").split())
        if not value:
            raise forms.ValidationError(_("Enter the name others will see."), code="required")
        return super().clean(value)


class SignupForm(forms.Form):
    """What allauth's sign-up form adds to email and password (ACCOUNT_SIGNUP_FORM_CLASS):
    the name others see. Everything else is on the profile page, after confirmation."""

    display_name = DisplayNameField()

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    display_name = DisplayNameField(
        help_text=_("Shown beside your posts. A new name applies to your earlier posts too.")
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
