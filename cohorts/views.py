"""The cohorts' pages: the list, each cohort's space, its member list, its shared documents
and the coordinators' page. Each view fetches, checks (`permissions`), calls a service and
responds.

Existence is private: an unlisted cohort is looked up as its reader may see it, and one
they may not see answers 404 exactly like a slug that does not exist; so do the member
list and documents of any cohort to people outside it, on GET and POST alike."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.forms import OfficeSearchForm
from accounts.models import Jurisdiction, User

from . import hooks, membership, permissions, services
from .forms import (
    AddOfficeForm,
    BadgeForm,
    DecisionForm,
    DocumentForm,
    ExpertForm,
    JoinForm,
    VersionForm,
)
from .models import (
    Cohort,
    CohortExpert,
    Coordinator,
    Document,
    DocumentVersion,
    JoinRequest,
    MembershipChange,
    RequestStatus,
)

DOCUMENTS_ON_SPACE = 5
CHANGES_SHOWN = 50


def _seen(request, slug: str) -> Cohort:
    """The cohort, if this person may know it exists; 404 otherwise."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if not permissions.can_see(request.user, cohort):
        raise Http404
    return cohort


def _entered(request, slug: str) -> Cohort:
    """The cohort, if this person is inside it; 404 otherwise, however it is listed."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if not permissions.can_enter(request.user, cohort):
        raise Http404
    return cohort


def _coordinated(request, slug: str) -> Cohort:
    cohort = _seen(request, slug)
    if not permissions.can_coordinate(request.user, cohort):
        raise PermissionDenied(_("Only the cohort's coordinators manage it."))
    return cohort


def _done(request, message: str, *target):
    messages.success(request, message)
    return redirect(*target)


@require_safe
def cohort_list(request):
    shown = Q(is_listed=True) | Q(pk__in=membership.cohort_ids(request.user))
    cohorts = Cohort.objects.filter(shown).annotate(office_count=Count("offices"))
    return render(request, "cohorts/list.html", {"cohorts": cohorts})


def _office_request(user, cohort: Cohort) -> JoinRequest | None:
    """The latest request of this person's office to join, to say how it went."""
    if not user.is_authenticated or user.jurisdiction_id is None:
        return None
    return (
        JoinRequest.objects.filter(cohort=cohort, jurisdiction_id=user.jurisdiction_id)
        .order_by("-created_at")
        .first()
    )


def _space_page(request, cohort: Cohort, join_form=None):
    user = request.user
    inside = permissions.can_enter(user, cohort)
    office_request = _office_request(user, cohort)
    may_ask = permissions.can_ask_to_join(user, cohort) and not (
        office_request and office_request.status == RequestStatus.PENDING
    )
    context = {
        "cohort": cohort,
        "offices": Jurisdiction.objects.filter(cohort_memberships__cohort=cohort).order_by(
            "state_abbr", "name"
        ),
        "inside": inside,
        "coordinates": permissions.can_coordinate(user, cohort),
        "office_request": office_request,
        "join_form": (join_form or JoinForm()) if may_ask else None,
    }
    if inside:
        context["panels"] = hooks.panels(request, cohort)
        context["documents"] = cohort.documents.all()[:DOCUMENTS_ON_SPACE]
    return render(request, "cohorts/space.html", context, status=400 if join_form else 200)


@require_safe
def space(request, slug: str):
    return _space_page(request, _seen(request, slug))


@login_required
@require_POST
def join(request, slug: str):
    cohort = _seen(request, slug)
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            services.request_join(cohort=cohort, by=request.user, note=form.cleaned_data["note"])
        except services.CohortError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, _("Your request is with the cohort's coordinators."), cohort)
    return _space_page(request, cohort, join_form=form)


@require_safe
def members(request, slug: str):
    """The people who belong, grouped by office; each shown as they chose (an office they
    hid is not named, a job title only if they show it)."""
    cohort = _entered(request, slug)
    people = (
        membership.members(cohort).select_related("jurisdiction").order_by("display_name", "pk")
    )
    experts = set(CohortExpert.objects.filter(cohort=cohort).values_list("user", flat=True))
    coordinators = set(Coordinator.objects.filter(cohort=cohort).values_list("user", flat=True))
    groups: dict[Jurisdiction | None, list[dict]] = {}
    for person in people:
        office = person.jurisdiction if person.show_jurisdiction else None
        groups.setdefault(office, []).append(
            {
                "person": person,
                "is_expert": person.pk in experts,
                "is_coordinator": person.pk in coordinators,
            }
        )
    named = sorted((o for o in groups if o is not None), key=lambda o: (o.state_abbr, o.name))
    ordered = [(office, groups[office]) for office in named]
    if None in groups:
        ordered.append((None, groups[None]))
    return render(request, "cohorts/members.html", {"cohort": cohort, "groups": ordered})


# ---- coordinators ------------------------------------------------------------------------


def _manage_page(request, cohort: Cohort, **bound):
    """The coordinators' page; a form that was refused comes back in ``bound``."""
    search = OfficeSearchForm(request.GET or None)
    pending = JoinRequest.objects.filter(cohort=cohort, status=RequestStatus.PENDING)
    decision_forms = bound.get("decision_forms", {})
    context = {
        "cohort": cohort,
        "search": search,
        "add_form": bound.get("add_form") or AddOfficeForm(offices=search.offices()),
        "expert_form": bound.get("expert_form") or ExpertForm(),
        "badge_form": bound.get("badge_form") or BadgeForm(instance=cohort),
        "offices": Jurisdiction.objects.filter(cohort_memberships__cohort=cohort).order_by(
            "state_abbr", "name"
        ),
        "experts": User.objects.filter(cohort_expert_of__cohort=cohort).order_by("display_name"),
        "requests": [
            (item, decision_forms.get(item.pk) or DecisionForm(prefix=f"request-{item.pk}"))
            for item in pending.select_related("jurisdiction", "requested_by")
        ],
        "changes": MembershipChange.objects.filter(cohort=cohort).select_related(
            "jurisdiction", "by"
        )[:CHANGES_SHOWN],
    }
    return render(request, "cohorts/manage.html", context, status=400 if bound else 200)


@login_required
@require_safe
def manage(request, slug: str):
    return _manage_page(request, _coordinated(request, slug))


@login_required
@require_POST
def office_add(request, slug: str):
    cohort = _coordinated(request, slug)
    form = AddOfficeForm(request.POST)
    if form.is_valid():
        office = form.cleaned_data["jurisdiction"]
        try:
            services.add_office(cohort=cohort, office=office, by=request.user)
        except services.CohortError as error:
            form.add_error("jurisdiction", str(error))
        else:
            message = _("%(office)s is in the cohort.") % {"office": office}
            return _done(request, message, "cohorts:manage", cohort.slug)
    return _manage_page(request, cohort, add_form=form)


@login_required
def office_remove(request, slug: str, office_pk: int):
    """GET asks to confirm; POST removes the office."""
    cohort = _coordinated(request, slug)
    office = get_object_or_404(Jurisdiction, pk=office_pk, cohort_memberships__cohort=cohort)
    error = None
    if request.method == "POST":
        try:
            services.remove_office(cohort=cohort, office=office, by=request.user)
        except services.CohortError as refused:
            error = str(refused)
        else:
            message = _("%(office)s has left the cohort.") % {"office": office}
            return _done(request, message, "cohorts:manage", cohort.slug)
    return render(
        request,
        "cohorts/office_remove.html",
        {"cohort": cohort, "office": office, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def expert_add(request, slug: str):
    cohort = _coordinated(request, slug)
    form = ExpertForm(request.POST)
    if form.is_valid():
        try:
            services.add_expert(cohort=cohort, user=form.expert, by=request.user)
        except services.CohortError as error:
            form.add_error("email", str(error))
        else:
            message = _("%(name)s is in the cohort.") % {"name": form.expert.display_name}
            return _done(request, message, "cohorts:manage", cohort.slug)
    return _manage_page(request, cohort, expert_form=form)


@login_required
@require_POST
def expert_remove(request, slug: str, user_pk: int):
    cohort = _coordinated(request, slug)
    expert = get_object_or_404(User, pk=user_pk, cohort_expert_of__cohort=cohort)
    services.remove_expert(cohort=cohort, user=expert, by=request.user)
    message = _("%(name)s has left the cohort.") % {"name": expert.display_name}
    return _done(request, message, "cohorts:manage", cohort.slug)


@login_required
@require_POST
def decide(request, slug: str, request_pk: int):
    cohort = _coordinated(request, slug)
    item = get_object_or_404(
        JoinRequest.objects.select_related("jurisdiction"),
        pk=request_pk,
        cohort=cohort,
        status=RequestStatus.PENDING,
    )
    form = DecisionForm(request.POST, prefix=f"request-{item.pk}")
    if form.is_valid():
        try:
            services.decide_join(
                join_request=item,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except services.CohortError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, _("Decision recorded."), "cohorts:manage", cohort.slug)
    return _manage_page(request, cohort, decision_forms={item.pk: form})


@login_required
@require_POST
def badge(request, slug: str):
    cohort = _coordinated(request, slug)
    form = BadgeForm(request.POST, instance=Cohort.objects.get(pk=cohort.pk))
    if form.is_valid():
        try:
            services.set_badge(
                cohort=cohort,
                by=request.user,
                show_badge=form.cleaned_data["show_badge"],
                badge_label=form.cleaned_data["badge_label"],
            )
        except services.CohortError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, _("Badge saved."), "cohorts:manage", cohort.slug)
    return _manage_page(request, cohort, badge_form=form)


# ---- shared documents --------------------------------------------------------------------


def _document(request, slug: str, pk: int) -> Document:
    cohort = _entered(request, slug)
    return get_object_or_404(Document.objects.select_related("cohort"), pk=pk, cohort=cohort)


def documents(request, slug: str):
    """The cohort's documents; members share a new one here (POST)."""
    cohort = _entered(request, slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = services.upload_document(
            cohort=cohort,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["upload"],
            note=form.cleaned_data["note"],
        )
        return _done(request, _("The document is shared with the cohort."), document_url(document))
    listed = cohort.documents.prefetch_related("versions")
    return render(
        request,
        "cohorts/documents.html",
        {"cohort": cohort, "documents": listed, "form": form},
        status=400 if form.errors else 200,
    )


def document_url(document: Document) -> str:
    return reverse("cohorts:document", args=[document.cohort.slug, document.pk])


def document(request, slug: str, pk: int):
    """A document and its versions; its uploader or a coordinator adds a version (POST)."""
    shown = _document(request, slug, pk)
    may_change = permissions.can_change_document(request.user, shown)
    form = VersionForm(request.POST or None, request.FILES or None) if may_change else None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(
                _("Only the person who shared it or a coordinator can replace it.")
            )
        if form.is_valid():
            services.upload_version(
                document=shown,
                by=request.user,
                upload=form.cleaned_data["upload"],
                note=form.cleaned_data["note"],
            )
            return _done(request, _("The new version is shared."), document_url(shown))
    versions = shown.versions.select_related("uploaded_by")
    return render(
        request,
        "cohorts/document.html",
        {"cohort": shown.cohort, "document": shown, "versions": versions, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def document_delete(request, slug: str, pk: int):
    """GET asks to confirm; POST deletes the document with every version."""
    shown = _document(request, slug, pk)
    if not permissions.can_change_document(request.user, shown):
        raise PermissionDenied(_("Only the person who shared it or a coordinator can delete it."))
    if request.method == "POST":
        services.delete_document(document=shown, by=request.user)
        return _done(request, _("The document is deleted."), "cohorts:documents", shown.cohort.slug)
    return render(
        request, "cohorts/document_delete.html", {"cohort": shown.cohort, "document": shown}
    )


def document_file(request, slug: str, pk: int, version_pk: int, filename: str):
    """The file, as a download, to people inside the cohort; 404 to anyone else, exactly as
    for a file that does not exist. Never cached, never sniffed into something runnable."""
    shown = _document(request, slug, pk)
    version = get_object_or_404(DocumentVersion, pk=version_pk, document=shown, filename=filename)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
