"""A cohort's upcoming events in its space (`cms.events.cohort_events`, registered for
`cohorts.hooks.COHORT_PANELS`): live, unrestricted, upcoming events of that cohort only."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail import hooks
from wagtail.models import PageViewRestriction

from cms import events
from cohorts.hooks import COHORT_PANELS
from tests.factories import make_cohort, make_event, make_official

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def event(title: str, *, days_from_now: float, **fields):
    start = timezone.now() + DAY * days_from_now
    return make_event(title, start=start, end=start + datetime.timedelta(hours=2), **fields)


def test_the_space_lists_the_cohorts_upcoming_events_a_reader_may_open(
    django_assert_num_queries,
):
    assert events.cohort_events in hooks.get_hooks(COHORT_PANELS)
    cohort = make_cohort("Centers 2026")
    other = make_cohort("Large Network")
    later = event("Cohort convening in June", days_from_now=30, cohort=cohort)
    sooner = event("Cohort webinar on audits", days_from_now=3, cohort=cohort)
    event("Cohort webinar last month", days_from_now=-30, cohort=cohort)
    event("Other cohort webinar", days_from_now=5, cohort=other)
    event("Webinar for everyone", days_from_now=5)
    event("Cohort draft webinar", days_from_now=6, cohort=cohort).unpublish()
    restricted = event("Cohort private webinar", days_from_now=7, cohort=cohort)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    request = RequestFactory().get("/cohorts/centers-2026/")
    request.user = make_official()

    events.cohort_events(request, cohort)  # the site's root paths, kept on the request
    # The view restrictions (`public()`) and the events, however many.
    with django_assert_num_queries(2):
        html = events.cohort_events(request, cohort)
    assert "Upcoming events" in html
    assert html.index(sooner.title) < html.index(later.title)
    assert sooner.url in html
    for absent in ("last month", "Other cohort", "for everyone", "draft", "private"):
        assert absent not in html
    assert events.cohort_events(request, other).count('<li class="usa-collection__item') == 1
    assert events.cohort_events(request, make_cohort("Empty")) == ""
