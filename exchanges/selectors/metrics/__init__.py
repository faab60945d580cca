"""Officers' figures, defined once (``definitions``), computed from the summaries
(``figures``), charted (``charts``) and written out (``exports``)."""

from exchanges.selectors.metrics.charts import (
    open_reports,
    participant_breakdown,
    retention_cohorts,
    weekly_sessions,
)
from exchanges.selectors.metrics.definitions import DEFINITIONS, KEYS, LABELS, NOTES, Period
from exchanges.selectors.metrics.figures import Scope, metrics

__all__ = [
    "DEFINITIONS",
    "KEYS",
    "LABELS",
    "NOTES",
    "Period",
    "Scope",
    "metrics",
    "open_reports",
    "participant_breakdown",
    "retention_cohorts",
    "weekly_sessions",
]
