"""The participant dashboard: each feature's selector adds its own section."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from exchanges.models import Program, Twinning
from exchanges.pure.matching_schedule import next_daily_run
from exchanges.selectors.matches import matches_for_dashboard
from exchanges.selectors.rooms import rooms_for_dashboard
from exchanges.selectors.sessions import sessions_for_dashboard
from exchanges.selectors.twinnings import suspended_twins_of_city


def pool_programs(*, participant) -> list[Program]:
    """The participant's programs whose runs can propose them a partner: one of the
    program's twinnings that joins their city is active. Programs of a city they moved
    away from, or over a suspended twinning, stay enrolled but leave them out
    (``selectors.matching``)."""
    if participant.city_id is None:
        return []
    city = participant.city_id
    return list(
        participant.programs.filter(
            Q(twinnings__city_a_id=city) | Q(twinnings__city_b_id=city),
            twinnings__status=Twinning.Status.ACTIVE,
        ).exclude(kind=Program.Kind.CLASSROOM).distinct().order_by("name")
    )


def next_matching_run(*, programs: list[Program], now: dt.datetime | None = None
                      ) -> dt.datetime | None:
    """When the nightly run next looks for a partner in ``programs`` (the participant's
    pool): None unless one of them is open for matching and has not ended."""
    run_at = next_daily_run(now=now or timezone.now(),
                            at_utc=settings.JUMELAGE_NIGHTLY_MATCHING_UTC)
    # Read at the run's time: the run that proposes is that one, not today's.
    if not any(program.in_nightly_matching(run_at) for program in programs):
        return None
    return run_at


def new_partners_proposable(*, participant, now: dt.datetime | None = None) -> bool:
    """Whether a coming run can propose ``participant`` a partner, their pause aside: what
    their dashboard reads to say they are in a pool or that none proposes them anyone."""
    return next_matching_run(programs=pool_programs(participant=participant), now=now) is not None


def dashboard_sections(*, participant) -> dict:
    rooms, rooms_more = rooms_for_dashboard(participant=participant)
    pool = pool_programs(participant=participant)
    matches = matches_for_dashboard(participant=participant)
    return {
        "matches": matches,
        # Places the next runs may still fill (the live matches take the others).
        "free_places": max(0, participant.capacity - len(matches)),
        "rooms": rooms,
        "rooms_more": rooms_more,
        "next_sessions": sessions_for_dashboard(participant=participant),
        "pool_programs": pool,
        "next_matching_run": next_matching_run(programs=pool),
        # Out of every pool because their city's twinning is suspended: they are told so.
        "suspended_twins": [] if pool else suspended_twins_of_city(city_id=participant.city_id),
    }
