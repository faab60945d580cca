"""Builders for the scheduling tests; their fixtures are in conftest.py."""

import datetime as dt

from django.utils import timezone

from exchanges.models import Match
from exchanges.services.rooms import room_open
from tests.factories import MatchFactory, ProgramFactory

UTC = dt.UTC
# A fixed "now" well before the programs below, so nothing depends on the real date.
NOW = dt.datetime(2027, 2, 1, 12, tzinfo=UTC)


def z(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def active_match(
    *,
    a_zone: str = "America/New_York",
    b_zone: str = "Europe/London",
    a_windows=((0, "13:00", "15:00"),),
    b_windows=((0, "18:00", "20:00"),),
    start_date: dt.date = dt.date(2027, 3, 1),
    weeks: int = 6,
    kind: str = "tandem",
    minutes: int = 60,
) -> Match:
    """An active match with a room; by default Nora in New York and Bruno in London
    over the March 2027 weeks when the US has changed clocks and Europe not yet."""
    program = ProgramFactory(start_date=start_date, weeks=weeks, kind=kind, session_minutes=minutes)
    match = MatchFactory(
        program=program,
        status=Match.Status.ACTIVE,
        activated_at=timezone.now(),
        participant_a__tz=a_zone,
        participant_a__windows=list(a_windows),
        participant_a__user__display_name="Nora",
        participant_b__tz=b_zone,
        participant_b__windows=list(b_windows),
        participant_b__user__display_name="Bruno",
    )
    room_open(match=match)
    return match


def scheduled_match(**kwargs):
    """An active match whose first slot option was proposed by A and confirmed by B."""
    from exchanges.services.slots import slot_confirm, slot_options, slot_propose

    match = active_match(**kwargs)
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    return match, sessions


def another_slot(match) -> dict:
    """A weekly slot the match's series could move to (the first the page offers), to
    leave a proposal pending."""
    from exchanges.services.slots import slot_options

    return {"option": slot_options(match=match, now=NOW)[0]}


def series_slot(match) -> dict:
    """The parts of the weekly slot the match's series is on (the options offered on the
    page leave it out, and proposing it is refused: moving onto it changes nothing)."""
    from zoneinfo import ZoneInfo

    from exchanges.models import SlotProposal

    confirmed = SlotProposal.objects.filter(match=match, status="confirmed").latest("pk")
    local = confirmed.first_start.astimezone(ZoneInfo(confirmed.anchor_tz))
    return {"weekday": local.weekday(), "local_start": local.time().replace(tzinfo=None),
            "anchor_tz": confirmed.anchor_tz}


def beat_materializes(sessions) -> None:
    """Create the sessions' reminder rows through the real path, as the per-minute beat
    does: ``reminders_materialize`` run one horizon (48 h) before each session starts."""
    from exchanges.services.reminders import reminders_materialize
    from exchanges.services.session_series import REMINDER_HORIZON

    for start in sorted({s.starts_at for s in sessions}):
        reminders_materialize(now=start - REMINDER_HORIZON)


def second_partner(match, *, name: str = "Carla", zone: str = "Europe/London",
                   windows=((0, "18:00", "20:00"),)) -> Match:
    """Another active match of ``match``'s participant A (Nora) in the same program: a
    person may have up to three partners, who all share her weekly windows."""
    second = MatchFactory(
        program=match.program, twinning=match.twinning, participant_a=match.participant_a,
        status=Match.Status.ACTIVE, activated_at=timezone.now(),
        participant_b__tz=zone, participant_b__windows=list(windows),
        participant_b__user__display_name=name,
    )
    room_open(match=second)
    return second
