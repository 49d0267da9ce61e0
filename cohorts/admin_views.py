"""The administrators' cohorts in the Wagtail admin: create and edit cohorts, grant and
revoke coordinators. Everything goes through `services`, which logs it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from accounts.models import User

from . import permissions, services
from .forms import CohortForm, CoordinatorForm
from .models import Cohort

HISTORY_SHOWN = 30


def _check_administrator(request) -> None:
    if not permissions.can_manage_cohorts(request.user):
        raise PermissionDenied


def cohort_list(request):
    _check_administrator(request)
    cohorts = Cohort.objects.annotate(
        office_count=Count("offices", distinct=True),
        coordinator_count=Count("coordinators", distinct=True),
    )
    return TemplateResponse(request, "cohorts/admin/list.html", {"cohorts": cohorts})


def cohort_add(request):
    _check_administrator(request)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(by=request.user, **form.cleaned_data)
        messages.success(request, _("Cohort “%(name)s” created.") % {"name": cohort.name})
        return redirect("cohorts_admin_edit", cohort.pk)
    return TemplateResponse(
        request,
        "cohorts/admin/edit.html",
        {"form": form, "cohort": None},
        status=400 if form.errors else 200,
    )


def _edit_page(request, cohort: Cohort, form=None, coordinator_form=None):
    bound = form is not None or coordinator_form is not None
    history = ModelLogEntry.objects.for_instance(cohort).select_related("user")
    context = {
        "cohort": cohort,
        "form": form or CohortForm(instance=cohort),
        "coordinator_form": coordinator_form or CoordinatorForm(),
        "coordinators": User.objects.filter(coordinator_of__cohort=cohort).order_by("display_name"),
        "history": history[:HISTORY_SHOWN],
    }
    return TemplateResponse(
        request, "cohorts/admin/edit.html", context, status=400 if bound else 200
    )


def cohort_edit(request, pk: int):
    _check_administrator(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    if request.method != "POST":
        return _edit_page(request, cohort)
    form = CohortForm(request.POST, instance=Cohort.objects.get(pk=pk))
    if form.is_valid():
        services.edit_cohort(cohort=cohort, by=request.user, **form.cleaned_data)
        messages.success(request, _("Cohort “%(name)s” saved.") % {"name": cohort.name})
        return redirect("cohorts_admin_edit", cohort.pk)
    return _edit_page(request, cohort, form=form)


@require_POST
def coordinator_grant(request, pk: int):
    _check_administrator(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    form = CoordinatorForm(request.POST)
    if form.is_valid():
        try:
            services.grant_coordinator(cohort=cohort, user=form.person, by=request.user)
        except services.CohortError as error:
            form.add_error("email", str(error))
        else:
            message = _("%(name)s coordinates the cohort.") % {"name": form.person.display_name}
            messages.success(request, message)
            return redirect("cohorts_admin_edit", cohort.pk)
    return _edit_page(request, cohort, coordinator_form=form)


@require_POST
def coordinator_revoke(request, pk: int, user_pk: int):
    _check_administrator(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    person = get_object_or_404(User, pk=user_pk, coordinator_of__cohort=cohort)
    services.revoke_coordinator(cohort=cohort, user=person, by=request.user)
    message = _("%(name)s no longer coordinates the cohort.") % {"name": person.display_name}
    messages.success(request, message)
    return redirect("cohorts_admin_edit", cohort.pk)
