"""Calendars: a private iCalendar feed per participant, a single session as .ics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges.models import Participant, Session
from exchanges.pure.ical import CalendarEvent
from exchanges.pure.session_plans import plan_text
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.participants import participant_for_user
from exchanges.selectors.sessions import session_for_member, sessions_for_calendar
from exchanges.services.sessions import calendar_token_rotate as token_rotate
from exchanges.views.class_calendar import class_session_event
from exchanges.views.feedback import redirect_back
from exchanges.views.ics import ics_body, ics_response


def _events(request, sessions, participant: Participant) -> list[CalendarEvent]:
    events = []
    for session in sessions:
        if session.match is None:  # a pupil's class session
            events.append(class_session_event(request, session))
            continue
        match = session.match
        room = getattr(match, "room", None)
        url = _room_url(request, room.pk) if room is not None else ""
        lines = [_("Language plan: %(plan)s.") % {"plan": plan_text(session.language_plan)}]
        if url:
            lines.append(_("Room: %(url)s") % {"url": url})
        events.append(CalendarEvent(
            uid=f"{session.uid}@jumelage",
            modified=session.updated_at,
            start=session.starts_at,
            minutes=session.minutes,
            summary=_("Jumelage session with %(name)s")
            % {"name": match.partner_of(participant).user.public_name},
            description="\n".join(lines),
            url=url,
            sequence=session.sequence,
            cancelled=session.status == Session.Status.CANCELLED,
        ))
    return events


def _room_url(request, room_id: int) -> str:
    return request.build_absolute_uri(reverse("room_detail", args=[room_id]))


def calendar_feed(request, token: str):
    """The secret-URL feed calendar apps subscribe to (no login: the token is the key)."""
    participant = (
        Participant.objects.select_related("user", "city").filter(calendar_token=token).first()
    )
    if participant is None or not token:
        raise Http404("No such calendar")
    sessions = sessions_for_calendar(participant=participant)
    # A calendar app fetches the feed without a session: it is written in the owner's language.
    with in_language_of(participant.user):
        body = ics_body(_events(request, sessions, participant))
    return ics_response(body, "jumelage.ics", attachment=False)


@login_required
@require_POST
def calendar_token_rotate(request):
    """A new secret URL: the old one stops working (e.g. after sharing it by mistake)."""
    participant = participant_for_user(user=request.user)
    if participant is None:
        raise Http404("No participant profile")
    token_rotate(participant=participant)
    messages.success(request, _("New link made: the old one no longer works."))
    return redirect_back(request, "profile")


@login_required
def session_ics(request, session_id: int):
    participant = participant_for_user(user=request.user)
    session = session_for_member(session_id=session_id, participant=participant)
    if session is None:
        raise Http404("No such session")
    body = ics_body(_events(request, [session], participant))
    return ics_response(body, f"session-{session.pk}.ics", attachment=True)
