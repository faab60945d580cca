"""Every figure for a program, a twinning, a city or the whole platform, for a range of days.

The figures are read from the summaries and their daily roll-ups (exchanges/models/
metrics.py), never from the messages, sessions or attendance, in a fixed number of grouped
reads (reads.py; one statement on PostgreSQL, batch.py): people by city and days to
match, sessions by twinning, partners' cities and week, active people, matches and
messages by twinning. Totals and the rows by twinning and by city are sums of those
groups, so they always agree. The definitions are in ``definitions.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from exchanges.models import City, Match, Twinning
from exchanges.pure.figures_math import every_week, histogram_median, ratio
from exchanges.pure.suppression import fewest_people
from exchanges.selectors.metrics.batch import run_batch_for
from exchanges.selectors.metrics.definitions import Period
from exchanges.selectors.metrics.reads import (
    RETENTION_AFTER,
    Scope,
    active_people,
    active_read,
    as_date,
    as_of_from,
    as_of_read,
    kept_late_read,
    kept_people_read,
    late_read,
    matches_read,
    messages_read,
    pairs_filter,
    people_day_reads,
    people_in,
    people_read,
    scope_twinnings,
    session_days_in,
    session_read,
    sessions_in,
)

__all__ = [
    "RETENTION_AFTER",
    "Scope",
    "active_people",
    "active_read",
    "as_date",
    "kept_late_read",
    "late_read",
    "metric_reads",
    "metrics",
    "metrics_from",
    "one_program",
    "twinnings_key",
    "week_people",
    "people_in",
    "scope_twinnings",
    "session_days_in",
    "sessions_in",
]


@dataclass
class Tally:
    """The additive counts behind one row's figures."""

    participants: int = 0
    matched: int = 0
    completion: int = 0
    retention_base: int = 0
    retained: int = 0
    waits: Counter = field(default_factory=Counter)
    scheduled: int = 0
    held: int = 0
    missed: int = 0
    cancelled: int = 0
    attended: int = 0
    person_sessions: int = 0
    together_seconds: int = 0
    active: int = 0
    answered: int = 0
    accepted: int = 0
    active_matches: int = 0
    messages: int = 0

    def add_people(self, other: Tally) -> None:
        for name in ("participants", "matched", "completion", "retention_base", "retained"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits.update(other.waits)

    def add_pairs(self, other: Tally) -> None:
        for name in ("answered", "accepted", "active_matches", "messages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict:
        return {
            "participants": self.participants,
            "matched": self.matched,
            "match_rate": ratio(self.matched, self.participants),
            "acceptance_rate": ratio(self.accepted, self.answered),
            "median_days_to_match": histogram_median(self.waits),
            "sessions_scheduled": self.scheduled,
            "sessions_held": self.held,
            "sessions_missed": self.missed,
            "sessions_cancelled": self.cancelled,
            "attendance_rate": ratio(self.attended, self.person_sessions),
            "contact_hours": round(self.together_seconds / 3600, 2),
            "active_participants": self.active,
            "retention": ratio(self.retained, self.retention_base),
            "completion": self.completion,
            "messages_per_active_match": (
                round(self.messages / self.active_matches, 2) if self.active_matches else None
            ),
        }

    def rate_counts(self) -> dict:
        """The counts of people behind four rates, which are no figures of their own: the
        small-count rule hides a rate that would give a count of 1 to 4 back. The
        attendance rate's are the people who attended (the active), not their
        person-sessions; the answered and live matches' are the fewest people so many
        pairs can be among (a citizen with 3 partners is 4 people in 3 matches)."""
        return {"retained": self.retained, "attended": self.active,
                "answering": fewest_people(self.answered),
                "live": fewest_people(self.active_matches)}


def _people_tallies(rows: dict[str, list[dict]]) -> dict[int | None, Tally]:
    # Sums in plain lists by city first (a few thousand rows), Tallies at the end.
    sums: dict[int | None, list[int]] = {}  # participants, matched, completion, base, retained
    waits: dict[int | None, Counter] = {}
    from_days = "people_days" in rows
    for row in [*rows["late"], *rows["kept_late"]] if from_days else ():
        city = row["city_id"]
        s = sums.get(city) or sums.setdefault(city, [0, 0, 0, 0, 0])
        s[1] -= row["matched"]
        s[2] -= row["completion"]
        s[3] -= row["base"]
        s[4] -= row["retained"]
    for row in [*rows["waits_late"], *rows["kept_waits_late"]] if from_days else ():
        city = row["city_id"]
        sums.setdefault(city, [0, 0, 0, 0, 0])
        waits.setdefault(city, Counter())[row["days_to_match"]] -= row["n"]
    for row in rows["people_days"] if from_days else [*rows["people"], *rows["kept_people"]]:
        city = row["city_id"]
        s = sums.get(city) or sums.setdefault(city, [0, 0, 0, 0, 0])
        matched = row["matched"]
        s[0] += row["n"]
        s[1] += matched
        s[2] += row["completion"]
        s[3] += row["base"]
        s[4] += row["retained"]
        if matched and row["days_to_match"] is not None:
            city_waits = waits.get(city)
            if city_waits is None:
                city_waits = waits[city] = Counter()
            city_waits[row["days_to_match"]] += matched
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for city, (participants, matched, completion, base, retained) in sums.items():
        tallies[city] = Tally(
            participants=participants, matched=matched, completion=completion,
            retention_base=base, retained=retained, waits=waits.get(city, Counter()),
        )
    return tallies


def _active_tallies(rows: list[dict], scope: Scope) -> tuple[dict, dict, int]:
    by_twinning: Counter = Counter()
    by_city: Counter = Counter()
    total = 0
    for row in rows:
        by_twinning[row["twinning_id"]] += row["first_tw"] or 0
        by_city[row["city_id"]] += row["first"] or 0
        total += row["first"] or 0
    if scope.twinning_id is not None:  # people active in that twinning
        total = by_twinning[scope.twinning_id]
    return by_twinning, by_city, total


def week_row(week: dt.date, *, held: int, seconds: int, people: int) -> dict:
    """One week of the weekly chart, each figure of one type whatever the week holds
    (hours a float, counts ints: the chart's JSON series mix no 0 with 1.0)."""
    return {"week": week.isoformat(), "sessions_held": int(held),
            "contact_hours": round(float(seconds) / 3600, 2),
            "active_participants": int(people)}


def week_people(rows: list[dict], scope: Scope) -> dict[dt.date, int]:
    """The people who attended a session that took place, by UTC week, each counted once
    a week (in the twinning, when the scope is one): what a week's sessions rest on, from
    ``active_read``'s rows (``active_people`` gives them across programs)."""
    column = "week_first_tw" if scope.twinning_id is not None else "week_first"
    people: Counter = Counter()
    for row in rows:
        people[as_date(row["week"])] += row[column] or 0
    return people


def _pairs_tallies(matches: list[dict], messages: list[dict]) -> tuple[dict[int, Tally], Counter]:
    tallies: dict[int, Tally] = defaultdict(Tally)
    counts: Counter = Counter()
    for row in matches:
        tally = tallies[row["twinning_id"]]
        tally.answered, tally.accepted, tally.active_matches = (
            row["answered"], row["accepted"], row["live"]
        )
        counts.update({status: row[status] for status in Match.Status.values})
    for row in messages:
        tallies[row["twinning_id"]].messages = row["n"] or 0
    return tallies, counts


def _row_twinnings(twinnings: list[Twinning], groups: list[dict], pairs: dict,
                   scope: Scope) -> list[Twinning]:
    """The scope's twinnings, and those its sessions and matches were in that the scope no
    longer has (taken off the program): they count in the totals and their cities' rows,
    so they keep their own row too (one query, only when there are any)."""
    known = {t.pk for t in twinnings}
    gone = ({g["twinning_id"] for g in groups} | set(pairs)) - known
    gone.discard(None)
    if not gone or scope.twinning_id is not None:
        return twinnings
    extra = Twinning.objects.filter(pk__in=gone).select_related("city_a", "city_b")
    return sorted([*twinnings, *extra], key=lambda t: (t.city_a.name, t.city_b.name))


# --- Putting it together ----------------------------------------------------------------------


def one_program(scope: Scope) -> bool:
    return scope.program_ids is not None and len(scope.program_ids) == 1


def metric_reads(scope: Scope, period: Period, twinnings: list[Twinning]) -> dict[str, QuerySet]:
    """The grouped reads behind the figures, to run together (batch.run_batch)."""
    single = one_program(scope)
    where = pairs_filter(scope, twinnings)
    people = people_in(scope, period, twinnings)
    if single and scope.twinning_id is None:
        reads = people_day_reads(scope, period, people)
    else:
        reads = {"people": people_read(people, period, distinct=not single),
                 "kept_people": kept_people_read(scope, period, twinnings)}
    reads.update({
        "sessions": session_read(scope, period),
        "matches": matches_read(where, period),
        "messages": messages_read(where, period),
        "as_of": as_of_read(),
    })
    if single:
        reads["active"] = active_read(scope, period)
    return reads


def twinnings_key(twinnings: list[Twinning]) -> tuple:
    """What of the scope's twinnings the reads' SQL depends on (batch.run_batch_for)."""
    return tuple((t.pk, t.city_a_id, t.city_b_id) for t in twinnings)


def metrics(*, scope: Scope, period: Period) -> dict:
    """``{"totals", "by_twinning", "by_city", "twinnings", "rate_counts", ...}``: figures
    keyed as ``definitions.KEYS``; each row of by_twinning/by_city also has its ``id`` and
    ``name``; ``rate_counts`` has the people behind the rates of the totals and rows."""
    twinnings = scope_twinnings(scope)
    rows = run_batch_for(
        ("metrics", scope, period, twinnings_key(twinnings)),
        lambda: metric_reads(scope, period, twinnings),
    )
    return metrics_from(rows, scope=scope, period=period, twinnings=twinnings)


def metrics_from(
    rows: dict[str, list[dict]], *, scope: Scope, period: Period, twinnings: list[Twinning]
) -> dict:
    """The figures from the rows of ``metric_reads``."""
    # People and sessions are as fresh as the summaries' last refresh (the matches'
    # counts are kept as they change).
    as_of = as_of_from(rows.get("as_of", []))
    people = _people_tallies(rows)
    groups = rows["sessions"]
    rows_active = rows.get("active")
    if rows_active is not None:
        active_t, active_c, active_total = _active_tallies(rows_active, scope)
    else:  # the previous-attendance columns are per program: count distinct people
        active_t, active_c, active_total, people_by_week = active_people(
            sessions_in(scope, period))
    pairs, match_counts = _pairs_tallies(rows["matches"], rows["messages"])
    row_twinnings = _row_twinnings(twinnings, groups, pairs, scope)

    city_rows: dict[int, City] = {}
    for t in row_twinnings:
        city_rows[t.city_a_id], city_rows[t.city_b_id] = t.city_a, t.city_b
    # People and sessions may be in cities of twinnings the scope no longer has (taken
    # off the program): their rows stay, named as the others are.
    extra = {c for c in people if c is not None and c not in city_rows}
    extra |= {g[k] for g in groups for k in ("city_a_id", "city_b_id") if g[k] not in city_rows}
    extra.discard(None)
    if extra:
        city_rows.update(City.objects.in_bulk(extra))
    if scope.city_id is not None:
        city_rows = {k: v for k, v in city_rows.items() if k == scope.city_id}
    city_names = {k: city.name for k, city in city_rows.items()}

    by_city = {c: Tally() for c in city_names}
    by_twin = {t.pk: Tally() for t in row_twinnings}
    total = Tally()
    for city, tally in people.items():
        total.add_people(tally)
        if city in by_city:
            by_city[city].add_people(tally)
    for t in row_twinnings:
        for city in {t.city_a_id, t.city_b_id}:
            if city in people:
                by_twin[t.pk].add_people(people[city])
    for g in groups:
        rows = [total, by_twin.setdefault(g["twinning_id"], Tally())]
        for side in ("a", "b"):
            if g[f"city_{side}_id"] in by_city:
                rows.append(by_city[g[f"city_{side}_id"]])
        for tally in {id(r): r for r in rows}.values():
            tally.scheduled += g["scheduled"]
            tally.held += g["held"]
            tally.missed += g["missed"]
            tally.cancelled += g["cancelled"]
            tally.together_seconds += g["seconds"] or 0
        for tally in (total, by_twin[g["twinning_id"]]):
            tally.attended += g["a_came"] + g["b_came"]
            tally.person_sessions += g["a_sessions"] + g["b_sessions"]
        for side in ("a", "b"):
            city = by_city.get(g[f"city_{side}_id"])
            if city is not None:
                city.attended += g[f"{side}_came"]
                city.person_sessions += g[f"{side}_sessions"]
    for twinning_id, tally in pairs.items():
        total.add_pairs(tally)
        if twinning_id in by_twin:
            by_twin[twinning_id].add_pairs(tally)
    for t in row_twinnings:
        for city in {t.city_a_id, t.city_b_id}:
            if city in by_city and t.pk in pairs:
                by_city[city].add_pairs(pairs[t.pk])
    total.active = active_total
    for key, tally in by_twin.items():
        tally.active = active_t.get(key, 0)
    for key, tally in by_city.items():
        tally.active = active_c.get(key, 0)

    if scope.city_id is not None:
        # A city's figures are its people's side of the sessions: its own row.
        total = by_city.get(scope.city_id, Tally())
    names = {t.pk: str(t) for t in row_twinnings}
    cities = sorted(by_city, key=lambda c: city_names[c])
    weekly: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        weekly[as_date(g["week"])][0] += g["held"]
        weekly[as_date(g["week"])][1] += g["seconds"] or 0
    if rows_active is not None:
        people_by_week = week_people(rows_active, scope)
    return {
        "as_of": as_of,
        "totals": total.figures(),
        "by_twinning": [
            {"id": t.pk, "name": names[t.pk], **by_twin[t.pk].figures()} for t in row_twinnings
        ],
        "by_city": [{"id": c, "name": city_names[c], **by_city[c].figures()} for c in cities],
        # Beside the rows, in their order.
        "rate_counts": {
            "totals": total.rate_counts(),
            "by_twinning": [by_twin[t.pk].rate_counts() for t in row_twinnings],
            "by_city": [by_city[c].rate_counts() for c in cities],
        },
        # The scope's own twinnings (a program's, whatever their status) ...
        "twinnings": twinnings,
        # ... and the twinning of each by_twinning row, in their order.
        "row_twinnings": row_twinnings,
        # The city of each by_city row (its country: the pages and the CSV name it).
        "cities": {c: city_rows[c] for c in cities},
        "match_counts": {status: match_counts[status] for status in Match.Status.values},
        # Each week with the people its sessions rest on, for the small-count rule
        # (small_rows.weekly_hidden; never shown).
        "weekly": [
            week_row(week, held=weekly[week][0] if week in weekly else 0,
                     seconds=weekly[week][1] if week in weekly else 0,
                     people=people_by_week.get(week, 0))
            for week in every_week(sorted(weekly), first=period.first, last=period.last)
        ],
    }
