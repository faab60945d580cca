"""The register's participation figures are the dashboard's, for one twinning and one year."""

import datetime as dt

import pytest

from exchanges.selectors.metrics import (
    Period,
    Scope,
    metrics,
    participation_by_twinning_year,
)
from tests.exchanges.metrics_fixtures import build_dataset

pytestmark = pytest.mark.django_db

YEAR_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_per_twinning_and_year_it_equals_the_dashboard_for_that_scope():
    data = build_dataset()
    held, seconds, people = participation_by_twinning_year(
        twinning_ids=[data.twinning.pk, data.nagoya_twinning.pk]
    )
    for twinning in (data.twinning, data.nagoya_twinning):
        totals = metrics(scope=Scope(twinning_id=twinning.pk), period=YEAR_2026)["totals"]
        key = (twinning.pk, 2026)
        assert held.get(key, 0) == totals["sessions_held"]
        assert round(seconds.get(key, 0) / 3600, 2) == totals["contact_hours"]
        assert len(people.get(key, ())) == totals["active_participants"]
    key = (data.twinning.pk, 2026)
    assert (held[key], seconds[key]) == (3, 150 * 60)
    alice, bruno, carla = (data.people[n].pk for n in ("alice", "bruno", "carla"))
    assert people[key] == {alice, bruno, carla}  # Dieter never came
    assert (data.nagoya_twinning.pk, 2026) not in held
