"""The moderators' verification queue and the administrators' role management, in the
Wagtail admin."""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from . import permissions, roles, services, verification
from .models import User, VerificationRequest, VerificationStatus

PEOPLE_PER_PAGE = 50
security_log = logging.getLogger("canvass.security")


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
        {"item": item, "evidence": verification.evidence(item), "form": form},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"),
        choices=[(role, role) for role in roles.STAFF_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Moderators and editors can use their role only after they set up two-factor sign-in."
        ),
    )


def _check_role_manager(request) -> None:
    if not permissions.can_manage_roles(request.user):
        raise PermissionDenied


def role_list(request):
    """People who hold a staff role, or whom the search finds by name or email."""
    _check_role_manager(request)
    query = request.GET.get("q", "").strip()[:100]
    people = User.objects.filter(deleted_at=None).prefetch_related("groups")
    if query:
        people = people.filter(Q(display_name__icontains=query) | Q(email__icontains=query))
    else:
        people = people.filter(Q(groups__name__in=roles.STAFF_ROLES) | Q(is_superuser=True))
    page = Paginator(people.distinct().order_by("display_name", "pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "accounts/admin/roles.html", {"page": page, "query": query})


def role_edit(request, pk: int):
    _check_role_manager(request)
    person = get_object_or_404(User, pk=pk, deleted_at=None)
    held = set(person.groups.filter(name__in=roles.STAFF_ROLES).values_list("name", flat=True))
    form = RolesForm(request.POST or None, initial={"roles": sorted(held)})
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["roles"])
        for role in sorted(wanted - held):
            services.grant_role(user=person, role=role, by=request.user)
        for role in sorted(held - wanted):
            services.revoke_role(user=person, role=role, by=request.user)
        messages.success(request, _("Roles saved for %(name)s.") % {"name": person.display_name})
        return redirect("role_list")
    if form.errors:
        # Only a forged form offers a role that is not on the list.
        security_log.warning(
            "Refused role change for user %s by user %s: %s",
            person.pk,
            request.user.pk,
            form.data.getlist("roles"),
        )
    history = ModelLogEntry.objects.for_instance(person).filter(
        action__in=["canvass.role.grant", "canvass.role.revoke"]
    )
    return TemplateResponse(
        request,
        "accounts/admin/role_edit.html",
        {
            "person": person,
            "form": form,
            "two_factor": permissions.has_two_factor(person),
            "history": history.select_related("user")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )
