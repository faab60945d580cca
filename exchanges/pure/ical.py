"""RFC 5545 calendars from plain event records (no models, no database)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Jumelage//Sessions 1.0//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    modified: dt.datetime  # the session's last change (LAST-MODIFIED)
    start: dt.datetime
    minutes: int
    summary: str
    description: str
    url: str
    sequence: int
    cancelled: bool


def calendar_build(
    events: Iterable[CalendarEvent], *, organizer: str, now: dt.datetime | None = None
) -> bytes:
    """One VEVENT per event in UTC, with SEQUENCE; cancelled events are kept (STATUS:
    CANCELLED) so that subscribed calendars remove them. Written in the active language,
    the calendar's name too (calendar apps show it as the subscribed calendar's title).

    The calendar has a METHOD, so each DTSTAMP is ``now``, when it is written (RFC 5545
    3.8.7.2); when the event itself last changed is its LAST-MODIFIED. A published event
    names its ORGANIZER (RFC 5546 3.2.1): the platform's own sender address
    (``organizer``, "Name <address>"), never a person's."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    name, address = parseaddr(organizer)
    if not address:
        raise ValueError(f"no e-mail address in the calendar's organizer {organizer!r}")
    organizer_address = vCalAddress(f"mailto:{address}")
    organizer_address.params["cn"] = name or "Jumelage"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Jumelage sessions"))
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("organizer", organizer_address)
        event.add("dtstamp", stamp)
        event.add("last-modified", item.modified.astimezone(dt.UTC))
        event.add("dtstart", item.start.astimezone(dt.UTC))
        event.add("dtend", (item.start + dt.timedelta(minutes=item.minutes)).astimezone(dt.UTC))
        event.add("summary", item.summary)
        if item.url:
            event.add("url", item.url)
        event.add("description", item.description)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
