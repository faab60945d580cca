"""The participant dashboard: each feature's selector adds its own section."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from exchanges.models import Program
from exchanges.pure.matching_schedule import next_daily_run
from exchanges.selectors.matches import matches_for_dashboard
from exchanges.selectors.rooms import rooms_for_dashboard
from exchanges.selectors.sessions import sessions_for_dashboard


def next_matching_run(*, participant, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the nightly run next looks for a partner for ``participant``: None unless one
    of their programs is open for matching and has not ended."""
    now = now or timezone.now()
    programs = participant.programs.filter(is_open=True).exclude(kind=Program.Kind.CLASSROOM)
    if not any(program.end_date >= now.date() for program in programs):
        return None
    return next_daily_run(now=now, at_utc=settings.JUMELAGE_NIGHTLY_MATCHING_UTC)


def dashboard_sections(*, participant) -> dict:
    rooms, rooms_more = rooms_for_dashboard(participant=participant)
    return {
        "matches": matches_for_dashboard(participant=participant),
        "rooms": rooms,
        "rooms_more": rooms_more,
        "next_sessions": sessions_for_dashboard(participant=participant),
        "next_matching_run": next_matching_run(participant=participant),
    }
