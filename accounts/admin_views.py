"""The moderators' verification queue in the Wagtail admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions, verification
from .models import VerificationRequest, VerificationStatus


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason the member sees"),
        help_text=gettext_lazy("Required when you reject: say what would let you approve."),
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_reason-help"}),
        max_length=1000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why, so the member knows what to do next."))
        return data


def _check_reviewer(request) -> None:
    if not permissions.can_review_verifications(request.user):
        raise PermissionDenied


def queue(request):
    _check_reviewer(request)
    pending = VerificationRequest.objects.filter(status=VerificationStatus.PENDING).select_related(
        "user", "jurisdiction"
    )
    decided = (
        VerificationRequest.objects.exclude(status=VerificationStatus.PENDING)
        .select_related("user", "jurisdiction", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return TemplateResponse(
        request, "accounts/admin/queue.html", {"pending": pending, "decided": decided}
    )


def review(request, pk: int):
    _check_reviewer(request)
    item = get_object_or_404(
        VerificationRequest.objects.select_related("user", "jurisdiction"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            verification.approve_verification
            if form.cleaned_data["decision"] == "approve"
            else verification.reject_verification
        )
        try:
            decide(request_id=item.pk, by=request.user, reason=form.cleaned_data["reason"])
        except verification.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded; the member has been emailed."))
            return redirect("verification_queue")
    return TemplateResponse(
        request,
        "accounts/admin/review.html",
        {"item": item, "signals": verification.signals(item), "form": form},
    )
