"""The public transparency register: every twinning, its status history, and its
participation per calendar year, with small counts suppressed (exchanges/pure/suppression).

The figures are the officers' (exchanges/selectors/metrics/participation.py, read from the
daily roll-ups that exchanges/services/metrics.py keeps), so the register and a dashboard
count the same way, and a public page never scans sessions or attendance. The register
keeps only what the public sees.

An officer sees their own program's figures by twinning and in its totals, for any
range of days, so for a calendar year or from the start: a register figure less theirs
is what the other programs count there. A figure for which that would be 1 to 4 (or
negative: counted otherwise) for some program is withheld as complementary, and the
suppression keeps it from being worked out from the totals (``_differenced``). So is one
from which an officer of several programs could subtract their programs' figures together
to leave 1 to 4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from exchanges.models import Twinning, TwinningStatusChange
from exchanges.pure.suppression import (
    People,
    Withheld,
    combined_gives_away,
    complement_gives_away,
    hide_like,
    suppress,
)
from exchanges.selectors.metrics.participation import participation_by_twinning_year
from exchanges.selectors.metrics.reads import as_of_from, as_of_read

FIGURES = ("participants", "sessions_held", "contact_hours")
LABELS = {
    "participants": _("Participants"),
    "sessions_held": _("Sessions held"),
    "contact_hours": _("Contact hours"),
}
DEFINITIONS = {
    "participants": _(
        "People who completed their profile during the calendar year (UTC) in a "
        "program over the twinning and live in one of its two cities (pupils count from "
        "joining their class), as on the officers' dashboards. A person counts once per "
        "twinning and year; in a total over several years or twinnings, once."
    ),
    "sessions_held": _(
        "Sessions across the twinning (of a tandem's two partners or of two classes) that "
        "started during the year (UTC) at which both sides were present, as on the "
        "officers' dashboards."
    ),
    "contact_hours": _(
        "For those sessions, the time both sides were in the rooms at the "
        "same time, from the attendance records (joins and leaves, never self-reported), "
        "summed and shown in hours with one decimal."
    ),
}
# Two sentences: the first is the small-count rule's, the second the one about a
# program's own figures (exchanges/pure/suppression.complement_gives_away).
SUPPRESSION_NOTE = format_lazy("{} {}", _(
    "Any count from 1 to 4 is shown as <5. So that such a count cannot be worked out by "
    "subtracting published figures from a total, other cells are hidden too (shown as "
    "—), starting with the next smallest in the same row or column, and a total is "
    "withheld when it would give a hidden count away. Sessions held are hidden as <5 too "
    "where 1 to 4 people attended them, and contact hours wherever the sessions held are."
), _(
    "A figure or a total is also hidden (shown as —) where, taken with one program's own "
    "figures or those of several programs with an officer in common (which their officers "
    "see), it would give away a count from 1 to 4 of the people in the other programs."
))

DELETED_DATA_NOTE = _(
    "Figures for past years keep counting people whose data has since been deleted (pupils "
    "after their exchange's retention period, people who closed their account), as "
    "anonymous counts: a year that is over does not change when personal data goes."
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
    # When the roll-ups behind the figures were last refreshed (None: never yet): the
    # figures are that old, whenever the page itself is generated.
    figures_as_of: dt.datetime | None = None

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


def _differenced(whole: People, ids: list[int], years: list[int], *, cells: dict,
                 by_twinning: dict, by_year: dict, overall: dict,
                 seen_together: list[frozenset[int]]) -> Withheld:
    """The cells and totals of ``whole`` (by twinning and year) that some program's own
    figure for the same scope (``cells`` keyed (program, twinning, year), ``by_twinning``
    (program, twinning), ``by_year`` (program, year), ``overall`` program), or the sum of
    the figures of programs one officer sees (``seen_together``), would give the other
    programs' small count away from."""
    rows = {t: i for i, t in enumerate(ids)}
    cols = {y: j for j, y in enumerate(years)}
    cell_parts: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    row_parts: dict[int, dict[int, int]] = defaultdict(dict)
    col_parts: dict[int, dict[int, int]] = defaultdict(dict)
    for (program, t, y), n in cells.items():
        if t in rows and y in cols:
            cell_parts[rows[t], cols[y]][program] = n
    for (program, t), n in by_twinning.items():
        if t in rows:
            row_parts[rows[t]][program] = n
    for (program, y), n in by_year.items():
        if y in cols:
            col_parts[cols[y]][program] = n

    def gives_away(figure: int, parts: dict[int, int]) -> bool:
        sums = [sum(parts.get(p, 0) for p in programs) for programs in seen_together
                if len(programs & parts.keys()) > 1]
        return (complement_gives_away(figure, parts.values())
                or combined_gives_away(figure, sums))

    return Withheld(
        cells={(i, j) for (i, j), parts in cell_parts.items()
               if gives_away(whole.cells[i][j], parts)},
        row_totals={i for i, parts in row_parts.items()
                    if gives_away(whole.row_totals[i], parts)},
        col_totals={j for j, parts in col_parts.items()
                    if gives_away(whole.col_totals[j], parts)},
        grand_total=gives_away(whole.grand_total, overall),
    )


def transparency_register(*, today: dt.date | None = None) -> Register:
    """Every twinning with its history and suppressed participation figures (5 queries:
    twinnings, their history, sessions and attended people by program, twinning and year
    with the register's people, each program's people with the programs' officers, and
    when those were last refreshed)."""
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
    figures = participation_by_twinning_year(twinning_ids=ids)
    sessions, seconds = figures.sessions_held, figures.seconds
    first = min((year for _, year in (*sessions, *figures.people)), default=today.year)
    years = list(range(first, max(today.year, first) + 1))

    def grid(source) -> list[list[int]]:
        return [[source.get((t, y), 0) for y in years] for t in ids]

    own = figures.programs
    people = People(
        cells=grid(figures.people),
        row_totals=[figures.people_by_twinning.get(t, 0) for t in ids],
        col_totals=[figures.people_by_year.get(y, 0) for y in years],
        grand_total=figures.people_all,
    )
    participants = suppress(
        people.cells, row_totals=people.row_totals, col_totals=people.col_totals,
        grand_total=people.grand_total,
        withheld=_differenced(people, ids, years, cells=own.people,
                              by_twinning=own.people_by_twinning, by_year=own.people_by_year,
                              overall=own.people_all, seen_together=own.seen_together),
    )
    # Sessions held and their hours rest on the people who attended: a twinning-year
    # (or a total) where 1 to 4 did could tell who met, whatever the number of sessions;
    # so do the other programs' sessions, where 1 to 4 of their people attended.
    attended = People(
        cells=grid(figures.attended),
        row_totals=[figures.attended_by_twinning.get(t, 0) for t in ids],
        col_totals=[figures.attended_by_year.get(y, 0) for y in years],
        grand_total=figures.attended_all,
    )
    held = suppress(
        grid(sessions), col_totals=[sum(sessions.get((t, y), 0) for t in ids) for y in years],
        people=attended,
        withheld=_differenced(attended, ids, years, cells=own.attended,
                              by_twinning=own.attended_by_twinning,
                              by_year=own.attended_by_year, overall=own.attended_all,
                              seen_together=own.seen_together),
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
        generated_at=timezone.now(), figures_as_of=as_of_from(list(as_of_read())),
    )


# The page lists the twinnings fifty at a time; the totals are over all of them, and so is
# the suppression (a page of its own would hide other cells and let them be subtracted).
REGISTER_ROWS_PER_PAGE = 50


def register_page(*, register: Register, number,
                  per_page: int = REGISTER_ROWS_PER_PAGE) -> Page:
    """One page of the register's rows (a number out of range gives the nearest page)."""
    return Paginator(register.rows, per_page).get_page(number)


def _history_json(change: TwinningStatusChange) -> dict:
    return {
        "date": change.effective.isoformat(),
        "date_precision": change.effective_precision,
        "date_display": change.effective_display,
        "from": change.from_status,
        "to": change.to_status,
        "side": change.side,
        "reason": change.reason_display,
        "source": change.source,
    }


def _figures_json(figures: dict[str, Cell]) -> dict:
    return {name: cell.as_json() for name, cell in figures.items()}


def register_json(register: Register) -> dict:
    """The register as one JSON object (what /transparency.json returns)."""
    return {
        "generated_at": register.generated_at.isoformat(),
        "figures_as_of": (
            register.figures_as_of.isoformat() if register.figures_as_of else None
        ),
        "years": register.years,
        # Keys stay English; the sentences are in the request's language.
        "definitions": {name: str(text) for name, text in DEFINITIONS.items()},
        "suppression": str(SUPPRESSION_NOTE),
        "deleted_data": str(DELETED_DATA_NOTE),
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
                "status_changed_precision": row.twinning.status_changed_precision,
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
