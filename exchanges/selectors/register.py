"""The public transparency register: every twinning, its status history, and its
participation per calendar year, with small counts suppressed (exchanges/pure/suppression).

The figures are read from the session summaries that exchanges/services/metrics.py keeps
(one row per session with both partners' attendance and the seconds they were present
together), so the register and the officers' dashboard count from the same rows, and a
public page never scans attendance. A metrics module sits beside this one; the register
keeps only what the public sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Prefetch, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from exchanges.models import SessionSummary, Twinning, TwinningStatusChange
from exchanges.pure.suppression import hide_like, suppress

FIGURES = ("participants", "sessions_held", "contact_hours")
LABELS = {
    "participants": "Participants",
    "sessions_held": "Sessions held",
    "contact_hours": "Contact hours",
}
DEFINITIONS = {
    "participants": "People who attended at least one held session of a match across the "
    "twinning during the calendar year (UTC). A person counts once per twinning and year; "
    "in a total over several years or twinnings, once.",
    "sessions_held": "Sessions of matches across the twinning that started during the year "
    "(UTC) at which both partners were present: the platform's attendance records say "
    "both attended.",
    "contact_hours": "For those sessions, the time both partners were in the room at the "
    "same time, from the attendance records (joins and leaves, never self-reported), "
    "summed and shown in hours with one decimal.",
}
SUPPRESSION_NOTE = (
    "Any count from 1 to 4 is shown as <5. So that such a count cannot be worked out by "
    "subtracting published figures from a total, other cells are hidden too (shown as "
    "\u2014), starting with the next smallest in the same row or column, and a total is "
    "withheld when it would give a hidden count away. Contact hours are hidden wherever "
    "the sessions held are. Classroom exchanges are not counted here yet."
)


@dataclass(frozen=True)
class Cell:
    value: int | float | None
    suppressed: bool = False
    reason: str = ""  # "small" or "complementary" when suppressed

    def as_json(self) -> dict:
        return {"value": self.value, "suppressed": self.suppressed}


@dataclass
class RegisterRow:
    twinning: Twinning
    history: list[TwinningStatusChange]
    # {year: {figure: Cell}} and {figure: Cell} for all years together.
    years: dict[int, dict[str, Cell]] = field(default_factory=dict)
    total: dict[str, Cell] = field(default_factory=dict)

    def year_cells(self) -> list[tuple[int, list[Cell]]]:
        """For templates: each year's cells in FIGURES order."""
        return [(year, [figs[name] for name in FIGURES]) for year, figs in self.years.items()]

    def total_cells(self) -> list[Cell]:
        return [self.total[name] for name in FIGURES]


@dataclass
class Register:
    years: list[int]
    rows: list[RegisterRow]
    year_totals: dict[int, dict[str, Cell]]
    grand_total: dict[str, Cell]
    generated_at: dt.datetime

    def year_total_cells(self) -> list[tuple[int, list[Cell]]]:
        return [(y, [f[name] for name in FIGURES]) for y, f in self.year_totals.items()]

    def grand_cells(self) -> list[Cell]:
        return [self.grand_total[name] for name in FIGURES]


def _cell(value: int | float | None, hidden: str | None = None) -> Cell:
    """A published value, or a suppressed cell (a withheld total has value None)."""
    if hidden:
        return Cell(value=None, suppressed=True, reason=hidden)
    if value is None:
        return Cell(value=None, suppressed=True, reason="complementary")
    return Cell(value=round(value, 1) if isinstance(value, float) else value)


def _hours(seconds: int) -> float:
    return round(seconds / 3600, 1)


def _held():
    """Summaries of held sessions (both partners attended), with their UTC year as ``y``."""
    return SessionSummary.objects.filter(a_attended=True, b_attended=True).annotate(
        y=ExtractYear("starts_at", tzinfo=dt.UTC)
    )


def _sessions_by_twinning_year() -> tuple[dict, dict]:
    """Per (twinning, year): sessions held and seconds together, one grouped query."""
    sessions: dict[tuple[int, int], int] = {}
    seconds: dict[tuple[int, int], int] = {}
    for twinning_id, year, count, together in (
        _held()
        .values("twinning_id", "y")
        .annotate(count=Count("session_id"), together=Sum("together_seconds"))
        .values_list("twinning_id", "y", "count", "together")
    ):
        sessions[twinning_id, int(year)] = count
        seconds[twinning_id, int(year)] = together or 0
    return sessions, seconds


def _people_counts() -> dict[str, dict]:
    """Distinct people of held sessions per (twinning, year), per twinning, per year and
    overall, counted by the database in one query: a person in several sessions, seats,
    twinnings or years counts once in each group."""
    sides = [
        _held()
        .filter(**{f"participant_{side}__isnull": False})
        .annotate(t=F("twinning_id"), p=F(f"participant_{side}_id"))
        .values("t", "y", "p")
        for side in ("a", "b")
    ]
    sql, params = sides[0].union(sides[1]).query.sql_with_params()
    # Only constant column lists and the ORM's own SQL go into the text; values are params.
    held_people = f"FROM ({sql}) AS held_people"
    selects = [
        f"SELECT 'ty', t, y, COUNT(DISTINCT p) {held_people} GROUP BY t, y",  # noqa: S608
        f"SELECT 't', t, NULL, COUNT(DISTINCT p) {held_people} GROUP BY t",  # noqa: S608
        f"SELECT 'y', NULL, y, COUNT(DISTINCT p) {held_people} GROUP BY y",  # noqa: S608
        f"SELECT 'all', NULL, NULL, COUNT(DISTINCT p) {held_people}",  # noqa: S608
    ]
    counts: dict[str, dict] = {"ty": {}, "t": {}, "y": {}, "all": {}}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), list(params) * len(selects))
        for name, twinning_id, year, count in cursor.fetchall():
            if name == "ty":
                counts[name][twinning_id, int(year)] = count
            elif name == "t":
                counts[name][twinning_id] = count
            elif name == "y":
                counts[name][int(year)] = count
            else:
                counts[name][None] = count
    return counts


def transparency_register(*, today: dt.date | None = None) -> Register:
    """Every twinning with its history and suppressed participation figures (4 queries)."""
    today = today or timezone.now().date()
    twinnings = list(
        Twinning.objects.select_related("city_a", "city_b")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=TwinningStatusChange.objects.order_by("effective", "created_at", "id"),
            )
        )
        .order_by("city_a__name", "city_b__name")
    )
    ids = [t.pk for t in twinnings]
    sessions, seconds = _sessions_by_twinning_year()
    people = _people_counts()
    first = min((year for _, year in sessions), default=today.year)
    years = list(range(first, max(today.year, first) + 1))

    def grid(source) -> list[list[int]]:
        return [[source.get((t, y), 0) for y in years] for t in ids]

    participants = suppress(
        grid(people["ty"]),
        row_totals=[people["t"].get(t, 0) for t in ids],
        col_totals=[people["y"].get(y, 0) for y in years],
        grand_total=people["all"].get(None, 0),
    )
    held = suppress(
        grid(sessions), col_totals=[sum(sessions.get((t, y), 0) for t in ids) for y in years]
    )
    hours = hide_like(held, [[_hours(seconds.get((t, y), 0)) for y in years] for t in ids])
    tables = {"participants": participants, "sessions_held": held, "contact_hours": hours}
    rows = []
    for i, twinning in enumerate(twinnings):
        row = RegisterRow(twinning=twinning, history=list(twinning.status_changes.all()))
        for j, year in enumerate(years):
            row.years[year] = {
                name: _cell(table.cells[i][j], table.hidden[i][j])
                for name, table in tables.items()
            }
        row.total = {name: _cell(t.row_total(i)) for name, t in tables.items()}
        rows.append(row)
    year_totals = {
        year: {name: _cell(t.col_total(j)) for name, t in tables.items()}
        for j, year in enumerate(years)
    }
    grand = {name: _cell(t.grand()) for name, t in tables.items()}
    return Register(
        years=years, rows=rows, year_totals=year_totals, grand_total=grand,
        generated_at=timezone.now(),
    )


def _history_json(change: TwinningStatusChange) -> dict:
    return {
        "date": change.effective.isoformat(),
        "date_precision": change.effective_precision,
        "date_display": change.effective_display,
        "from": change.from_status,
        "to": change.to_status,
        "side": change.side,
        "reason": change.reason,
        "source": change.source,
    }


def _figures_json(figures: dict[str, Cell]) -> dict:
    return {name: cell.as_json() for name, cell in figures.items()}


def register_json(register: Register) -> dict:
    """The register as one JSON object (what /transparency.json returns)."""
    return {
        "generated_at": register.generated_at.isoformat(),
        "years": register.years,
        "definitions": DEFINITIONS,
        "suppression": SUPPRESSION_NOTE,
        "twinnings": [
            {
                "id": row.twinning.pk,
                "city_a": {"name": row.twinning.city_a.name,
                           "country": row.twinning.city_a.country},
                "city_b": {"name": row.twinning.city_b.name,
                           "country": row.twinning.city_b.country},
                "kind": row.twinning.kind,
                "since": row.twinning.since.isoformat() if row.twinning.since else None,
                "since_precision": row.twinning.since_precision,
                "status": row.twinning.status,
                "status_changed": (
                    row.twinning.status_changed.isoformat()
                    if row.twinning.status_changed else None
                ),
                "status_history": [_history_json(change) for change in row.history],
                "participation": {
                    str(year): _figures_json(figures) for year, figures in row.years.items()
                },
                "participation_all_years": _figures_json(row.total),
            }
            for row in register.rows
        ],
        "totals": {
            "by_year": {str(y): _figures_json(f) for y, f in register.year_totals.items()},
            "all_years": _figures_json(register.grand_total),
        },
    }
