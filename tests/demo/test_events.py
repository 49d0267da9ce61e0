import datetime

import pytest
from django.utils import timezone

from cms.models import EventIndexPage, EventPage, HomePage, TopicPage
from demo.events import EVENTS, FIXED_HOLIDAYS, event_times
from forum.models import Topic

pytestmark = pytest.mark.django_db


def test_events_live_under_home_and_split_into_upcoming_and_past():
    index = EventIndexPage.objects.get()
    assert index.live and index.slug == "events"
    assert index.get_parent().specific_class is HomePage
    events = EventPage.objects.live().child_of(index)
    assert events.count() == len(EVENTS)
    upcoming, past = list(events.upcoming()), list(events.past())
    assert len(upcoming) >= 2 and len(past) >= 2
    assert len(upcoming) + len(past) == len(EVENTS)
    assert len({event.time_zone for event in upcoming}) == len(upcoming)
    assert {event.kind for event in events} == {"webinar", "convening"}


def test_upcoming_events_can_be_joined_and_past_ones_have_recording_and_materials():
    now = timezone.now()
    for event in EventPage.objects.upcoming():
        assert event.start > now
        assert event.registration_url.startswith("https://")
        assert event.online_url or event.place
        assert not event.recording_url
    for event in EventPage.objects.past():
        assert event.end < now
        assert event.recording_url.startswith("https://")
        documents = [block.value["document"] for block in event.materials]
        assert documents
        handout = documents[0]
        assert handout.file_extension == "pdf"
        with handout.open_file() as handle:
            assert handle.read().startswith(b"%PDF-")


def test_events_are_demo_content_with_topics_and_placeholder_links():
    for event in EventPage.objects.all():
        assert "Demo event" in event.description
        assert event.topics.exists()
        for url in (event.online_url, event.registration_url, event.recording_url):
            assert not url or ".example.org/" in url
        event.full_clean()


@pytest.mark.parametrize("today", [datetime.date(2026, 6, 5), datetime.date(2026, 11, 22)])
def test_event_times_are_local_to_their_zone_on_working_days(today):
    for event in EVENTS:
        start, end = event_times(event, today)
        assert start.tzinfo.key == event.time_zone
        assert start.time() == event.starts_at
        assert start.weekday() < 5
        assert (start.month, start.day) not in FIXED_HOLIDAYS
        assert end - start == datetime.timedelta(minutes=event.minutes)
        assert 0 <= (start.date() - today).days - event.days_from_today <= 3


def test_every_topic_has_a_live_topic_page():
    pages = TopicPage.objects.live().select_related("topic")
    assert {page.topic_id for page in pages} == set(Topic.objects.values_list("pk", flat=True))
    assert all(page.slug == page.topic.slug for page in pages)
