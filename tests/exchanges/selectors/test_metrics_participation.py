"""The register's participation figures are the dashboard's, for one twinning and one year:
participants are people with a completed profile (not only those who came to a session)."""

import datetime as dt

import pytest

from exchanges.selectors.metrics import (
    Period,
    Scope,
    metrics,
    participation_by_twinning_year,
)
from exchanges.selectors.register import register_json, transparency_register
from tests.exchanges.metrics_fixtures import build_dataset

pytestmark = pytest.mark.django_db

YEAR_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_per_twinning_and_year_it_equals_the_dashboard_for_that_scope():
    data = build_dataset()
    figures = participation_by_twinning_year(
        twinning_ids=[data.twinning.pk, data.nagoya_twinning.pk]
    )
    for twinning in (data.twinning, data.nagoya_twinning):
        totals = metrics(scope=Scope(twinning_id=twinning.pk), period=YEAR_2026)["totals"]
        key = (twinning.pk, 2026)
        assert figures.sessions_held.get(key, 0) == totals["sessions_held"]
        assert round(figures.seconds.get(key, 0) / 3600, 2) == totals["contact_hours"]
        assert figures.people.get(key, 0) == totals["participants"]
    key = (data.twinning.pk, 2026)
    assert (figures.sessions_held[key], figures.seconds[key]) == (3, 150 * 60)
    # Everyone with a completed profile: Dieter never came and Emma never had a session,
    # yet both count, as on the dashboard; Pia's class counts too.
    assert figures.people[key] == 6
    # London's three are in the program's London–名古屋 twinning as well.
    assert figures.people[data.nagoya_twinning.pk, 2026] == 3
    assert (data.nagoya_twinning.pk, 2026) not in figures.sessions_held
    # In all twinnings together, each person once.
    assert figures.people_by_year[2026] == figures.people_all == 6


def test_the_register_counts_the_dashboards_participants():
    data = build_dataset()
    register = transparency_register(today=dt.date(2026, 12, 31))
    row = next(r for r in register.rows if r.twinning.pk == data.twinning.pk)
    cell = row.years[2026]["participants"]
    # 6 is not small; it is hidden only so that 名古屋's 3 cannot be worked out.
    assert (cell.value, cell.reason) in {(6, ""), (None, "complementary")}
    nagoya = next(r for r in register.rows if r.twinning.pk == data.nagoya_twinning.pk)
    assert nagoya.years[2026]["participants"].reason == "small"
    assert "completed their profile" in str(register_json(register)["definitions"]["participants"])


@pytest.mark.parametrize("period", [YEAR_2026, Period(None, dt.date(2026, 12, 31))])
def test_each_programs_own_figures_are_its_officers(period):
    """What the register holds each program's figures against is what the program's
    dashboard shows for the same twinning and a calendar year, or from the start."""
    data = build_dataset()
    twinnings = [data.twinning.pk, data.nagoya_twinning.pk]
    own = participation_by_twinning_year(twinning_ids=twinnings).programs
    checked = 0
    for program in (data.program, data.other_program):
        figures = metrics(scope=Scope(program_ids=(program.pk,)), period=period)
        for row in figures["by_twinning"]:
            if period.first is None:
                people = own.people_by_twinning.get((program.pk, row["id"]), 0)
                attended = own.attended_by_twinning.get((program.pk, row["id"]), 0)
            else:
                people = own.people.get((program.pk, row["id"], 2026), 0)
                attended = own.attended.get((program.pk, row["id"], 2026), 0)
            assert (people, attended) == (row["participants"], row["active_participants"])
            checked += bool(people)
        if period.first is None:
            active = own.attended_all.get(program.pk, 0)
        else:
            active = own.attended_by_year.get((program.pk, 2026), 0)
        assert active == figures["totals"]["active_participants"]
    assert checked >= 2  # the test has teeth
