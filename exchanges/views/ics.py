"""iCalendar answers of the participants' and the teachers' calendar views."""

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse

from exchanges.pure.ical import CalendarEvent, calendar_build


def ics_body(events: Iterable[CalendarEvent]) -> bytes:
    """The calendar of these events, organised by the platform's own sender address."""
    return calendar_build(events, organizer=settings.DEFAULT_FROM_EMAIL)


def ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    """A file to save (``attachment``) or a feed to subscribe to, re-read by calendar apps
    at most every five minutes."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
