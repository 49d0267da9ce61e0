"""The administrators' "Public-records export" in the Wagtail admin: choose an office (the
verification page's office search, with its type-ahead) or one person by email address,
and a date range; the answer is the ZIP (`records.export_records`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from accounts.forms import OfficeSearchForm, offer_offices
from accounts.models import Jurisdiction, User

from . import records

HISTORY_SHOWN = 20


class RecordsExportForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Jurisdiction.objects.all(),
        required=False,
        help_text=_("Everyone whose office this is now."),
    )
    email = forms.EmailField(
        label=_("Or one person's email address"),
        required=False,
        help_text=_("For someone who has left the office, or a request about one official."),
    )
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To (included)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_offices(self, "jurisdiction", offices, _("Choose an office"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.person = None
        if email:
            self.person = User.objects.filter(email__iexact=email).first()
            if self.person is None:
                raise ValidationError(_("No one has an account with this email address."))
        return email

    def clean(self):
        data = super().clean()
        office, email = data.get("jurisdiction"), data.get("email")
        if office is None and not email and "email" not in self.errors:
            self.add_error("jurisdiction", _("Choose an office, or enter one person's email."))
        if office is not None and email:
            self.add_error("email", _("Choose an office or one person, not both."))
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The range must not end before it starts."))
        return data


def export_page(request):
    records.check_export_records(request.user)
    search = OfficeSearchForm(request.GET or None)
    form = RecordsExportForm(request.POST or None, offices=search.offices())
    if request.method == "POST" and form.is_valid():
        made = records.export_records(
            by=request.user,
            office=form.cleaned_data["jurisdiction"],
            person=form.person,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
        response = HttpResponse(made.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        return response
    history = ModelLogEntry.objects.filter(action=records.LOG_ACTION).select_related("user")
    return TemplateResponse(
        request,
        "reports/records/admin.html",
        {"search": search, "form": form, "history": history[:HISTORY_SHOWN]},
        status=400 if request.method == "POST" else 200,
    )
