"""An event as an iCalendar file (RFC 5545), written by hand: one VEVENT, times in UTC."""

import datetime

from django.utils import timezone


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start = [], 0
    while start < len(encoded):
        size = 75 if start == 0 else 74
        end = start + size
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # keep characters whole
            end -= 1
        parts.append(encoded[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(event, request) -> str:
    url = event.get_full_url(request)
    where = ", ".join(part for part in (event.place, event.online_url) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Canvass//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{request.get_host()}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(event.summary + chr(10) + chr(10) + url)}",
        f"URL:{url}",
    ]
    if where:
        lines.append(f"LOCATION:{_escape(where)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
