"""An event's iCalendar file (RFC 5545): served as a download, read back by the icalendar
library with every field, its times in the event's own zone with that zone's definition,
long lines folded at 75 octets without splitting a character, text values escaped."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_event

pytestmark = pytest.mark.django_db

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
SUMMARY = (
    "Offices compare seal logs, chain-of-custody forms; and what “two-person control” "
    "means at 2 a.m. — with time for questions, comments and café talk."
)
PLACE = "Room 3, County Building; Phoenix"
ONLINE = "https://meet.example.org/seals"


@pytest.fixture
def event():
    return make_event(
        "Webinar: seals, logs; and audits",
        slug="seals-webinar",
        start=datetime.datetime(2027, 7, 1, 14, 0, tzinfo=PACIFIC),
        end=datetime.datetime(2027, 7, 1, 15, 30, tzinfo=PACIFIC),
        time_zone="America/Los_Angeles",
        summary=SUMMARY,
        place=PLACE,
        online_url=ONLINE,
    )


def download(client, event):
    return client.get(event.url + event.reverse_subpage("ical"))


def unfolded(body: str) -> dict[str, str]:
    """Each content line as written, keyed by its name (with any parameters)."""
    lines = body.replace("\r\n ", "").split("\r\n")
    return dict(line.split(":", 1) for line in lines if line)


def test_the_page_links_to_the_calendar_file(client, event):
    html = client.get(event.url).content.decode()
    assert f'href="{event.url}{event.reverse_subpage("ical")}"' in html


def test_calendar_file_is_a_download(client, event):
    response = download(client, event)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="seals-webinar.ics"'
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")


def test_the_calendar_reads_back_with_every_field(client, event):
    before = timezone.now().replace(microsecond=0)
    calendar = Calendar.from_ical(download(client, event).content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Canvass//Events//EN"
    assert calendar["METHOD"] == "PUBLISH"
    [entry] = calendar.events
    url = event.get_full_url()
    assert entry.uid == f"event-{event.pk}@testserver"
    assert before <= entry.DTSTAMP <= timezone.now()
    assert entry.DTSTAMP.utcoffset() == datetime.timedelta(0)
    assert entry.summary == event.title
    assert str(entry.description) == f"{SUMMARY}\n\n{url}"
    assert entry.location == f"{PLACE}, {ONLINE}"
    assert entry.url == url


def test_times_are_in_the_events_own_zone_with_its_definition(client, event):
    body = download(client, event).content.decode()
    fields = unfolded(body)
    assert fields["DTSTART;TZID=America/Los_Angeles"] == "20270701T140000"
    assert fields["DTEND;TZID=America/Los_Angeles"] == "20270701T153000"
    calendar = Calendar.from_ical(body)
    [entry] = calendar.events
    assert entry.start == datetime.datetime(2027, 7, 1, 21, 0, tzinfo=datetime.UTC)
    assert entry.end - entry.start == datetime.timedelta(minutes=90)
    assert entry.start.tzinfo.key == event.time_zone
    # The file's own VTIMEZONE, not the reader's copy of the zone: 2 p.m. PDT is UTC-7.
    [zone] = calendar.timezones
    assert zone.tz_name == event.time_zone
    own_definition = zone.to_tz(lookup_tzid=False)
    assert entry.start.replace(tzinfo=own_definition).utcoffset() == datetime.timedelta(hours=-7)


def test_long_lines_are_folded_at_75_octets_without_splitting_characters(client, event):
    raw = download(client, event).content
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # no character cut in two
    description = unfolded(raw.decode())["DESCRIPTION"]
    assert description.startswith(
        "Offices compare seal logs\\, chain-of-custody forms\\; and what “two-person control”"
    )
    assert "café talk." in description


def test_commas_and_semicolons_are_escaped(client, event):
    fields = unfolded(download(client, event).content.decode())
    assert fields["SUMMARY"] == "Webinar: seals\\, logs\\; and audits"
    assert fields["LOCATION"] == (
        "Room 3\\, County Building\\; Phoenix\\, https://meet.example.org/seals"
    )


def test_an_unpublished_event_has_no_calendar_file(client, event):
    url = event.url + event.reverse_subpage("ical")
    event.unpublish()
    assert client.get(url).status_code == 404
