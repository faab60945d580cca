"""What new dates would leave outside a program: the sessions still to come that no
longer fall inside it on both sides' calendars (the partners', or the two schools')."""

import datetime as dt

from django.db.models import Q

from exchanges.models import Program, Session
from exchanges.pure.program_end import inside_on_every_calendar, maybe_outside


def session_zones(session: Session) -> tuple[str, str]:
    """The two calendars a session keeps inside the program on."""
    if session.match_id is not None:
        return (session.match.participant_a.zone, session.match.participant_b.zone)
    return (session.exchange.classroom_a.city.tz, session.exchange.classroom_b.city.tz)


def program_sessions_outside(
    *, program: Program, start_date: dt.date, weeks: int, now: dt.datetime
) -> list[Session]:
    """The program's scheduled sessions after ``now`` (pair and class) that the dates
    ``start_date`` for ``weeks`` weeks leave out on either side's calendar."""
    end_date = start_date + dt.timedelta(weeks=weeks)
    before, after = maybe_outside(start_date=start_date, end_date=end_date)
    candidates = (
        Session.objects.filter(Q(match__program=program) | Q(exchange__program=program),
                               status=Session.Status.SCHEDULED, starts_at__gt=now)
        .filter(Q(starts_at__lt=before) | Q(starts_at__gte=after))
        .select_related("match__participant_a__city", "match__participant_b__city",
                        "match__participant_a__user", "match__participant_b__user",
                        "exchange__classroom_a__city", "exchange__classroom_b__city",
                        "exchange__classroom_a__teacher", "exchange__classroom_b__teacher")
        .order_by("starts_at", "pk")
    )
    return [s for s in candidates if not inside_on_every_calendar(
        at=s.starts_at, zones=session_zones(s), start_date=start_date, end_date=end_date)]


def program_dates_token(*, start_date: dt.date, weeks: int, count: int) -> str:
    """What the dates question's "yes" carries: the dates it asked about and how many
    sessions they cancel (more since, and it is asked again)."""
    return f"{start_date.isoformat()}/{weeks}/{count}"
