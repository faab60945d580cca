"""Officers' figures, defined once (``definitions``), computed from the summaries
(``figures``), charted (``charts``) and written out (``exports``)."""

from exchanges.selectors.metrics.access import program_runs, program_with_access
from exchanges.selectors.metrics.charts import (
    dashboard,
    open_reports,
    participant_breakdown,
    people_profile,
    retention_cohorts,
    weekly_sessions,
)
from exchanges.selectors.metrics.definitions import DEFINITIONS, KEYS, LABELS, NOTES, Period
from exchanges.selectors.metrics.figures import Scope, metrics
from exchanges.selectors.metrics.participation import participation_by_twinning_year

__all__ = [
    "DEFINITIONS",
    "KEYS",
    "LABELS",
    "NOTES",
    "Period",
    "Scope",
    "dashboard",
    "metrics",
    "open_reports",
    "participant_breakdown",
    "participation_by_twinning_year",
    "people_profile",
    "program_runs",
    "program_with_access",
    "retention_cohorts",
    "weekly_sessions",
]
