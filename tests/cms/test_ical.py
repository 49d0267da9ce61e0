"""An event's iCalendar file (RFC 5545): served as a download, times in UTC, long lines
folded at 75 octets without splitting a character, text values escaped."""

import datetime
import re
import zoneinfo

import pytest

from tests.factories import make_event

pytestmark = pytest.mark.django_db

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
SUMMARY = (
    "Offices compare seal logs, chain-of-custody forms; and what “two-person control” "
    "means at 2 a.m. — with time for questions, comments and café talk."
)


@pytest.fixture
def event():
    return make_event(
        "Webinar: seals, logs; and audits",
        slug="seals-webinar",
        start=datetime.datetime(2027, 7, 1, 14, 0, tzinfo=PACIFIC),
        end=datetime.datetime(2027, 7, 1, 15, 30, tzinfo=PACIFIC),
        time_zone="America/Los_Angeles",
        summary=SUMMARY,
        place="Room 3, County Building; Phoenix",
        online_url="https://meet.example.org/seals",
    )


def download(client, event):
    return client.get(event.url + event.reverse_subpage("ical"))


def unfolded(body: str) -> dict[str, str]:
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


def test_times_are_in_utc(client, event):
    fields = unfolded(download(client, event).content.decode())
    assert fields["DTSTART"] == "20270701T210000Z"  # 2 p.m. PDT
    assert fields["DTEND"] == "20270701T223000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])


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
