"""iCalendar answers of the participants' and the teachers' calendar views."""

from django.http import HttpResponse


def ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    """A file to save (``attachment``) or a feed to subscribe to, re-read by calendar apps
    at most every five minutes."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
