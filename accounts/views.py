from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import verification
from .forms import OfficeSearchForm, VerificationRequestForm


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
