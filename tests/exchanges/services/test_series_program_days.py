"""A weekly series keeps inside the program on both partners' calendars, as a one-off
move does: Auckland's Monday morning is Los Angeles' Sunday, so a slot anchored in one
zone can fall on the day before the start, or on the end date, in the other."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from exchanges.selectors.sessions import schedule_for_member
from exchanges.services.slots import slot_confirm, slot_options, slot_propose
from tests.exchanges.scheduling_fixtures import NOW, active_match

pytestmark = pytest.mark.django_db

AUCKLAND, LOS_ANGELES = "Pacific/Auckland", "America/Los_Angeles"
START = dt.date(2027, 3, 1)  # a Monday; four weeks: the end date is Monday 29 March


def match_across_the_date_line():
    # Monday mornings in Auckland are Sunday midday in Los Angeles.
    return active_match(a_zone=AUCKLAND, b_zone=LOS_ANGELES,
                        a_windows=((0, "08:00", "12:00"),), b_windows=((6, "11:00", "15:00"),),
                        start_date=START, weeks=4)


def series_on(match, anchor_tz):
    option = next(o for o in slot_options(match=match, now=NOW) if o.anchor_tz == anchor_tz)
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    return proposal, slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)


def local_dates(session, zone):
    return session.starts_at.astimezone(ZoneInfo(zone)).date()


def assert_inside_the_program(match, sessions):
    program = match.program
    for session in sessions:
        for zone in (AUCKLAND, LOS_ANGELES):
            assert program.start_date <= local_dates(session, zone) < program.end_date


def test_a_series_anchored_in_auckland_starts_no_earlier_than_the_start_in_los_angeles():
    match = match_across_the_date_line()
    proposal, sessions = series_on(match, AUCKLAND)
    assert_inside_the_program(match, sessions)
    # Monday 1 March in Auckland is Sunday 28 February in Los Angeles: the next week's.
    assert local_dates(sessions[0], AUCKLAND) == dt.date(2027, 3, 8)
    assert local_dates(sessions[0], LOS_ANGELES) == dt.date(2027, 3, 7)
    assert len(sessions) == 3
    assert proposal.first_start == sessions[0].starts_at


def test_a_series_anchored_in_los_angeles_stops_before_the_end_date_in_auckland():
    match = match_across_the_date_line()
    _proposal, sessions = series_on(match, LOS_ANGELES)
    assert_inside_the_program(match, sessions)
    # Sunday 28 March in Los Angeles is Monday 29 March, the end date, in Auckland.
    assert local_dates(sessions[-1], LOS_ANGELES) == dt.date(2027, 3, 21)
    assert len(sessions) == 3


def test_the_proposal_card_names_the_first_week_confirming_would_plan(monkeypatch):
    match = match_across_the_date_line()
    option = next(o for o in slot_options(match=match, now=NOW) if o.anchor_tz == AUCKLAND)
    slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    page = schedule_for_member(match=match, participant=match.participant_b, options=[])
    assert page["pending"].first_local.date() == dt.date(2027, 3, 7)  # in Los Angeles


@pytest.mark.parametrize("anchor_tz", [AUCKLAND, LOS_ANGELES])
def test_a_bulk_confirm_keeps_inside_the_program_as_one_confirm_does(anchor_tz):
    # On PostgreSQL the bulk path writes its rows by COPY, reading the zones itself.
    from exchanges.services.slots_bulk import slots_confirm_many

    one, bulk = match_across_the_date_line(), match_across_the_date_line()
    for match in (one, bulk):
        option = next(o for o in slot_options(match=match, now=NOW) if o.anchor_tz == anchor_tz)
        slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    sessions = slot_confirm(proposal=one.slot_proposals.get(), by=one.participant_b, now=NOW)
    assert slots_confirm_many(proposals=[bulk.slot_proposals.get()], now=NOW) == len(sessions)
    written = list(bulk.sessions.order_by("starts_at"))
    assert [s.starts_at for s in written] == [s.starts_at for s in sessions]
    assert_inside_the_program(bulk, written)
