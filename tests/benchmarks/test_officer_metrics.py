"""The officer-metrics benchmark: its baseline (plain SQL over the source tables) gives the
same figures as the summaries on the hand-built program, and it refuses a database that
has data."""

import datetime as dt

import pytest

from benchmarks import officer_metrics
from benchmarks.officer_metrics_baseline import baseline_totals
from exchanges.selectors.metrics import Period, Scope, metrics
from tests.exchanges.metrics_fixtures import build_dataset


@pytest.mark.parametrize(
    "first, last",
    [(dt.date(2026, 3, 1), dt.date(2026, 5, 31)), (dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
     (dt.date(2026, 3, 4), dt.date(2026, 3, 31))],
)
def test_the_baseline_and_the_summaries_agree(postgres, first, last):
    data = build_dataset()
    period = Period(first, last)
    summary = metrics(scope=Scope(program_ids=(data.program.pk,)), period=period)["totals"]
    assert baseline_totals(program=data.program, period=period) == summary


def test_it_refuses_a_database_with_data(postgres, capsys):
    build_dataset()
    assert officer_metrics.main(["--participants", "10", "--messages", "10"]) == 2
    assert "has data" in capsys.readouterr().err


# Ranges over the generated program: half a year, one ending mid-week (most people reach
# their milestones after it), a Wednesday-to-Tuesday week across the October clock change
# (25 October 2026 in London and Berlin), that Sunday alone, and a single Monday.
GENERATED_RANGES = [(26 * 7, 0), (10 * 7 + 3, 5 * 7 + 2), (None, None), (0, 0), (12 * 7, 12 * 7)]


def _generated_periods(today: dt.date) -> list:
    periods = []
    for back_first, back_last in GENERATED_RANGES:
        if back_first is None:  # across the clock change
            periods += [Period(dt.date(2026, 10, 21), dt.date(2026, 10, 27)),
                        Period(dt.date(2026, 10, 25), dt.date(2026, 10, 25))]
            continue
        last = today - dt.timedelta(days=back_last)
        first = today - dt.timedelta(days=back_first)
        if back_first == back_last:  # a single Monday
            first = last = first - dt.timedelta(days=first.weekday())
        periods.append(Period(first, last))
    return periods


def test_on_a_generated_program_the_roll_ups_equal_the_baseline_and_the_summaries(postgres):
    """The daily roll-ups give exactly the plain-SQL baseline's totals, and the same
    totals, rows by twinning and by city, cohorts and breakdown as the per-session and
    per-person summaries (read when the scope spans two programs, here one of them empty)."""
    from exchanges.models import Program
    from exchanges.selectors.metrics import dashboard
    from exchanges.services.metrics import metrics_refresh

    world = officer_metrics.seed(600, 3000, 8, seed_value=7)
    program = world["program"]
    empty = Program.objects.create(name="Empty", slug="empty", start_date=program.start_date)
    metrics_refresh(full=True)
    today = dt.datetime.now(dt.UTC).date()
    for period in _generated_periods(today):
        rolled = dashboard(scope=Scope(program_ids=(program.pk,)), period=period)
        assert rolled["totals"] == baseline_totals(program=program, period=period), period
        per_row = dashboard(scope=Scope(program_ids=(program.pk, empty.pk)), period=period)
        for key in ("totals", "by_twinning", "by_city", "rate_counts", "weekly", "profile"):
            assert rolled[key] == per_row[key], (period, key)
        city = rolled["by_city"][0]["id"]
        one_city = [dashboard(scope=Scope(program_ids=ids, city_id=city), period=period)
                    for ids in ((program.pk,), (program.pk, empty.pk))]
        for key in ("totals", "by_twinning", "by_city", "profile"):
            assert one_city[0][key] == one_city[1][key], (period, "city", key)
    assert rolled["totals"]["sessions_scheduled"] > 0
