"""The class sessions in calendars: one session's .ics, and the teacher's secret-URL feed
of their exchanges' sessions with the page where they find and renew it. A class session
as an event is shared with the pupils' feed (views/calendar.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges.models import Session
from exchanges.pure.ical import CalendarEvent
from exchanges.pure.session_plans import plan_text
from exchanges.selectors.class_sessions import (
    class_session_for_teacher,
    class_sessions_for_teacher,
    teacher_calendar_for_token,
)
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.roles import user_roles
from exchanges.services import class_sessions as session_services
from exchanges.views.ics import ics_body, ics_response


def class_session_event(request, session) -> CalendarEvent:
    """A class session as a calendar event (teachers' feed, pupils' feed, one .ics)."""
    exchange = session.exchange
    room = getattr(exchange, "room", None)
    url = request.build_absolute_uri(reverse("room_detail", args=[room.pk])) if room else ""
    lines = [_("Language plan: %(plan)s.") % {"plan": plan_text(session.language_plan)}]
    if url:
        lines.append(_("Class room: %(url)s") % {"url": url})
    a, b = exchange.classroom_a, exchange.classroom_b
    return CalendarEvent(
        uid=f"{session.uid}@jumelage", modified=session.updated_at, start=session.starts_at,
        minutes=session.minutes,
        summary=_("Class session: %(a)s (%(a_city)s) and %(b)s (%(b_city)s)") % {
            "a": a.name, "a_city": a.city.name, "b": b.name, "b_city": b.city.name},
        description="\n".join(lines), url=url, sequence=session.sequence,
        cancelled=session.status == Session.Status.CANCELLED,
    )


def _events(request, sessions) -> list[CalendarEvent]:
    return [class_session_event(request, session) for session in sessions]


def teacher_calendar_feed(request, token: str):
    """A teacher's secret-URL feed of their exchanges' class sessions (no login)."""
    calendar = teacher_calendar_for_token(token=token)
    if calendar is None:
        raise Http404("No such calendar")
    # A calendar app fetches the feed without a session: it is written in the owner's language.
    with in_language_of(calendar.user):
        body = ics_body(_events(request, class_sessions_for_teacher(user=calendar.user)))
    return ics_response(body, "jumelage-classes.ics", attachment=False)


@login_required
def teacher_calendar(request):
    """Where a teacher finds (and renews) the feed URL. Only teachers: visiting the page
    makes the feed's token, and nobody else has class sessions to follow."""
    if not user_roles(user=request.user).is_teacher:
        raise PermissionDenied("Teachers' calendars only.")
    calendar = session_services.teacher_calendar_ensure(user=request.user)
    feed = request.build_absolute_uri(reverse("teacher_calendar_feed", args=[calendar.token]))
    return render(request, "exchanges/class_exchanges/calendar.html", {"feed_url": feed})


@login_required
@require_POST
def teacher_calendar_rotate(request):
    if not user_roles(user=request.user).is_teacher:
        raise PermissionDenied("Teachers' calendars only.")
    session_services.teacher_calendar_rotate(user=request.user)
    messages.success(request, _("A new calendar address: the old one no longer works."))
    return redirect("teacher_calendar")


@login_required
def class_session_ics(request, session_id: int):
    session = class_session_for_teacher(session_id=session_id, user=request.user)
    if session is None:
        raise Http404("No such session")
    body = ics_body(_events(request, [session]))
    return ics_response(body, f"class-session-{session.pk}.ics", attachment=True)
