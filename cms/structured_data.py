"""schema.org JSON-LD for guides (`Article`) and events (`Event`) (issue 17), which search
engines read to show them richly. Rendered only on the page itself, which Wagtail serves to
those its privacy setting lets in; the sitemap and feeds list only unrestricted pages.
`core.templatetags.open_web.json_ld` writes it escaped for a <script>."""

from core.sites import base_url

# Guides are the network's: Canvass publishes them, whoever the page credits.
ORGANISATION = "Canvass"


def _present(data: dict) -> dict:
    """Without the properties a page does not have (a draft's dates)."""
    return {name: value for name, value in data.items() if value is not None}


def organisation() -> dict:
    return {"@type": "Organization", "name": ORGANISATION, "url": base_url() + "/"}


def article(page) -> dict:
    """A guide as an `Article`."""
    return _present(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": page.title[:110],  # the length search engines show
            "description": page.summary,
            "url": page.get_full_url(),
            "mainEntityOfPage": page.get_full_url(),
            "datePublished": page.first_published_at.isoformat()
            if page.first_published_at
            else None,
            "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
            "author": organisation(),
            "publisher": organisation(),
        }
    )


_ATTENDANCE = {
    (True, False): "https://schema.org/OnlineEventAttendanceMode",
    (False, True): "https://schema.org/OfflineEventAttendanceMode",
    (True, True): "https://schema.org/MixedEventAttendanceMode",
}


def event(page) -> dict:
    """An event as an `Event`, its times in its own zone. The online link only while the
    event is to come, as the page shows it; after it, the page (with the recording)."""
    online, in_person = bool(page.online_url), bool(page.place)
    locations = []
    if online:
        url = page.get_full_url() if page.is_past else page.online_url
        locations.append({"@type": "VirtualLocation", "url": url})
    if in_person:
        locations.append({"@type": "Place", "name": page.place, "address": page.place})
    return _present(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "description": page.summary,
            "url": page.get_full_url(),
            "startDate": page.start.astimezone(page.zone).isoformat(),
            "endDate": page.end.astimezone(page.zone).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": _ATTENDANCE.get((online, in_person)),
            "location": locations[0] if len(locations) == 1 else locations or None,
            "organizer": organisation(),
        }
    )
