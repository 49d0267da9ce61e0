"""Finding an election office in the directory: the one search the verification page's
no-JavaScript form and the type-ahead's JSON endpoint both use."""

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Jurisdiction, JurisdictionKind
from .states import US_STATES

OFFICES_SUGGESTED = 20
SHORTEST_QUERY_WITHOUT_STATE = 2


def search_offices(*, state: str = "", query: str = "") -> QuerySet[Jurisdiction]:
    """Offices in `state` (any state when empty) whose name or county name contains `query`,
    case-insensitively. Names that start with the query come first, then names with a word
    that starts with it ("Town of Marion" for "mari"), then the other matches; alphabetical
    within each group. An empty query matches every office of the state."""
    found = Jurisdiction.objects.all()
    if state:
        found = found.in_state(state)
    query = query.strip()
    if not query:
        return found
    return (
        found.filter(Q(name__icontains=query) | Q(county_name__icontains=query))
        .annotate(
            rank=Case(
                When(name__istartswith=query, then=Value(0)),
                When(name__icontains=f" {query}", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "name", "state_abbr")
    )


class OfficeQueryForm(forms.Form):
    """The endpoint's parameters: an optional state, and part of a name, which must be long
    enough to narrow the whole directory when no state is given."""

    state = forms.ChoiceField(choices=[("", ""), *US_STATES], required=False)
    q = forms.CharField(required=False, max_length=100)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned["state"] and len(cleaned["q"]) < SHORTEST_QUERY_WITHOUT_STATE:
            raise forms.ValidationError(
                _("Choose a state, or type at least %(count)d characters of the name."),
                params={"count": SHORTEST_QUERY_WITHOUT_STATE},
            )
        return cleaned


@require_GET
def office_suggestions(request):
    """Up to OFFICES_SUGGESTED offices for the type-ahead on the verification page, as JSON.
    For signed-in people only; a visitor gets a 403 in JSON rather than the sign-in page."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to search the office directory.")}, status=403)
    query = OfficeQueryForm(request.GET)
    if not query.is_valid():
        messages = [message for errors in query.errors.values() for message in errors]
        return JsonResponse({"error": " ".join(messages)}, status=400)
    offices = search_offices(state=query.cleaned_data["state"], query=query.cleaned_data["q"])
    fields = ["name", "state_abbr", "kind", "county_name"]
    # Translated once per request: get_kind_display() rebuilds the choices for each office.
    kinds = {kind: str(label) for kind, label in JurisdictionKind.choices}
    return JsonResponse(
        {
            "results": [
                {"id": office.pk, "label": str(office), "kind": kinds[office.kind]}
                for office in offices.only(*fields)[:OFFICES_SUGGESTED]
            ]
        }
    )
