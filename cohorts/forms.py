from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import offer_offices
from accounts.models import Jurisdiction, User

from . import services
from .models import Cohort, JoinRequest


class CohortForm(forms.ModelForm):
    """An administrator's cohort: `services.COHORT_FIELDS`."""

    class Meta:
        model = Cohort
        fields = list(services.COHORT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "rule_min_population": _(
                "Leave both rule fields empty for a cohort whose coordinators add offices. "
                "With a rule, the cohort holds exactly the local offices it names, "
                "and is brought up to date whenever the office data changes."
            ),
            "rule_top_in_state": _("Offices tied at the last place are all included."),
        }


class CoordinatorForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the new coordinator"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise ValidationError(_("No one has an account with this email address."))
        self.person = person
        return email


class JoinForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("The cohort's coordinators read it when they decide.")}


class AddOfficeForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label=_("Office to add"), queryset=Jurisdiction.objects.all()
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_offices(self, "jurisdiction", offices, _("Choose an office"))


class ExpertForm(forms.Form):
    email = forms.EmailField(
        label=_("Expert's email address"),
        help_text=_("Someone staff granted the expert role."),
    )

    def clean_email(self):
        try:
            self.expert = services.find_expert(self.cleaned_data["email"])
        except services.CohortError as error:
            raise ValidationError(str(error)) from None
        return self.cleaned_data["email"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason the office reads"),
        help_text=_("Required when you decline."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why, so the office knows."))
        return data


class BadgeForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["show_badge", "badge_label"]

    def clean(self):
        data = super().clean()
        if data.get("show_badge") and not data.get("badge_label", "").strip():
            self.add_error("badge_label", _("Write the badge's text, or choose not to show it."))
        return data


def _shareable(upload) -> None:
    if problem := services.upload_problem(upload):
        raise ValidationError(problem)


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        help_text=_("Up to %(size)d MB: %(kinds)s.")
        % {
            "size": services.MAX_UPLOAD_BYTES // 2**20,
            "kinds": ", ".join(services.ALLOWED_EXTENSIONS),
        },
        validators=[_shareable],
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    upload = _file_field()
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class VersionForm(forms.Form):
    upload = _file_field()
    note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)
