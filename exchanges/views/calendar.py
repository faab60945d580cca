"""Calendars: a private iCalendar feed per participant, a single session as .ics."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from exchanges.models import Participant, Session
from exchanges.selectors.participants import participant_for_user
from exchanges.selectors.sessions import session_for_member, sessions_for_calendar
from exchanges.services.sessions import calendar_token_rotate as token_rotate
from exchanges.services.sessions import plan_text

PRODID = "-//Jumelage//Sessions 1.0//EN"


def calendar_build(*, sessions, participant: Participant, room_url) -> bytes:
    """RFC 5545 text: one VEVENT per session, UTC instants, SEQUENCE, cancelled ones kept."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Jumelage sessions")
    for session in sessions:
        match = session.match
        partner = (
            match.participant_b if match.participant_a_id == participant.pk else match.participant_a
        )
        room = getattr(match, "room", None)
        url = room_url(room.pk) if room is not None else ""
        event = Event()
        event.add("uid", f"{session.uid}@jumelage")
        event.add("dtstamp", session.updated_at.astimezone(dt.UTC))
        event.add("dtstart", session.starts_at.astimezone(dt.UTC))
        event.add(
            "dtend", (session.starts_at + dt.timedelta(minutes=session.minutes)).astimezone(dt.UTC)
        )
        event.add("summary", f"Jumelage session with {partner.user.public_name}")
        lines = [f"Language plan: {plan_text(session.language_plan)}."]
        if url:
            lines.append(f"Room: {url}")
            event.add("url", url)
        event.add("description", "\n".join(lines))
        event.add("sequence", session.sequence)
        cancelled = session.status == Session.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _room_url(request, room_id: int | None) -> str:
    if room_id is None:
        return ""
    try:
        return request.build_absolute_uri(reverse("room_detail", args=[room_id]))
    except NoReverseMatch:
        return request.build_absolute_uri(f"/rooms/{room_id}/")


def _ics(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_feed(request, token: str):
    """The secret-URL feed calendar apps subscribe to (no login: the token is the key)."""
    participant = (
        Participant.objects.select_related("user", "city").filter(calendar_token=token).first()
    )
    if participant is None or not token:
        raise Http404("No such calendar")
    sessions = sessions_for_calendar(participant=participant)
    body = calendar_build(
        sessions=sessions, participant=participant, room_url=lambda rid: _room_url(request, rid)
    )
    return _ics(body, "jumelage.ics", attachment=False)


@login_required
@require_POST
def calendar_token_rotate(request):
    """A new secret URL: the old one stops working (e.g. after sharing it by mistake)."""
    participant = participant_for_user(user=request.user)
    if participant is None:
        raise Http404("No participant profile")
    token_rotate(participant=participant)
    return redirect(request.POST.get("next") or "dashboard")


@login_required
def session_ics(request, session_id: int):
    participant = participant_for_user(user=request.user)
    session = session_for_member(session_id=session_id, participant=participant)
    body = calendar_build(
        sessions=[session], participant=participant, room_url=lambda rid: _room_url(request, rid)
    )
    return _ics(body, f"session-{session.pk}.ics", attachment=True)
