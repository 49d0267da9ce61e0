import copy

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import export, peers, permissions, services, verification
from .forms import DeleteAccountForm, OfficeSearchForm, ProfileForm, VerificationRequestForm
from .states import US_STATES


@login_required
def request_verification(request):
    """Ask to be verified as an election official, and see how earlier requests went."""
    user = request.user
    search = OfficeSearchForm(request.GET or None)
    form = VerificationRequestForm(request.POST or None, offices=search.offices())
    allowed = verification.can_request(user)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            verification.request_verification(
                user=user,
                jurisdiction=form.cleaned_data["jurisdiction"],
                role=form.cleaned_data["role"],
                how_to_confirm=form.cleaned_data["how_to_confirm"],
            )
        except verification.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request is with the reviewers. We will email you."))
            return redirect("accounts:verification")
    return render(
        request,
        "accounts/verification.html",
        {
            "search": search,
            "form": form,
            "allowed": allowed,
            "confirmed": allowed or verification.has_confirmed_email(user),
            "requests": user.verification_requests.select_related("jurisdiction").order_by(
                "-created_at"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def profile(request):
    """The member's own account page: what others see of them, and the way to everything
    else about their account (email, password, two-factor, sessions, export, deletion)."""
    # The form works on a copy, so the service sees what changed against the saved person.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "needs_two_factor": permissions.needs_two_factor(request.user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def offices_like_mine(request):
    """Offices of the verified official's size band and kind, and the people there who
    agreed to be contacted by peers (`peers.py`)."""
    permissions.check_find_peers(request.user)
    office = request.user.jurisdiction
    state = office.state_abbr if office else ""
    return render(
        request,
        "accounts/offices_like_mine.html",
        {
            "office": office,
            "state_name": dict(US_STATES).get(state, state),
            "peers": peers.find_peers(request.user),
            "shown": peers.SHOWN,
        },
    )


@login_required
@require_GET
def download(request, fmt: str):
    """The member's own data as JSON, or as a ZIP of CSV files."""
    writers = {
        "json": (export.as_json, "application/json"),
        "zip": (export.as_zip, "application/zip"),
    }
    if fmt not in writers:
        raise Http404
    write, content_type = writers[fmt]
    response = HttpResponse(write(export.collect(request.user)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="canvass-export.{fmt}"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(
            request, _("Your account is deleted. Your posts stay, by a former member.")
        )
        return redirect("/")
    return render(
        request,
        "accounts/delete.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
