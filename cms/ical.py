"""An event as an iCalendar file (RFC 5545), made with the icalendar library: one VEVENT
whose times are in the event's own time zone, described by that zone's VTIMEZONE."""

import datetime

from icalendar import Calendar, Event


def event_calendar(event, request) -> bytes:
    url = event.get_full_url(request)
    where = ", ".join(part for part in (event.place, event.online_url) if part)
    start, end = event.start.astimezone(event.zone), event.end.astimezone(event.zone)
    calendar = Calendar()  # not Calendar.new(), which gives the file a new random UID each time
    calendar.add("prodid", "-//Canvass//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(
        Event.new(
            uid=f"event-{event.pk}@{request.get_host()}",
            start=start,
            end=end,
            summary=event.title,
            description=f"{event.summary}\n\n{url}",
            location=where or None,
            url=url,
        )
    )
    # The zone's rules for the event's own days, not for every year from 1970 to 2038.
    calendar.add_missing_timezones(
        first_date=start.date(), last_date=end.date() + datetime.timedelta(days=1)
    )
    return calendar.to_ical()
