"""What the CMS adds to a cohort's space (`cohorts.hooks.COHORT_PANELS`): the cohort's
upcoming events, chosen as the events page chooses its own (live, under no view
restriction), so the space lists no event its reader could not open."""

from django.template.loader import render_to_string

from .models import EventPage


def cohort_events(request, cohort) -> str:
    """The cohort's upcoming events, soonest first, in two queries (view restrictions and
    events) whatever their number; "" when there are none."""
    events = list(EventPage.objects.live().public().filter(cohort=cohort).upcoming())
    if not events:
        return ""
    return render_to_string("cms/includes/cohort_events.html", {"events": events}, request=request)
