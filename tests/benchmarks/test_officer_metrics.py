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
