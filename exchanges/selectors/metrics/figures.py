"""Every figure for a program, a twinning, a city or the whole platform, for a range of days.

The figures are read from the summaries (exchanges/models/metrics.py), never from the
messages, in a fixed number of grouped queries: people by city (and days to match),
sessions by twinning and the partners' cities, distinct active people, matches and
message counts by twinning. Totals and the rows by twinning and by city are sums of those
groups, so they always agree. The definitions are in ``definitions.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from exchanges.models import (
    City,
    Match,
    ParticipantSummary,
    RoomMessageDay,
    SessionSummary,
    Twinning,
)
from exchanges.pure.figures_math import every_week, histogram_median, ratio
from exchanges.selectors.metrics.definitions import Period

RETENTION_AFTER = dt.timedelta(weeks=4)


@dataclass(frozen=True)
class Scope:
    """Which part of the platform: programs (None: all of them), optionally narrowed to one
    twinning or one city."""

    program_ids: tuple[int, ...] | None = None
    twinning_id: int | None = None
    city_id: int | None = None


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


# --- Scoped querysets ---------------------------------------------------------------------


def scope_twinnings(scope: Scope) -> list[Twinning]:
    twinnings = Twinning.objects.select_related("city_a", "city_b")
    if scope.program_ids is not None:
        twinnings = twinnings.filter(programs__in=scope.program_ids).distinct()
    if scope.twinning_id is not None:
        twinnings = twinnings.filter(pk=scope.twinning_id)
    if scope.city_id is not None:
        twinnings = twinnings.filter(Q(city_a_id=scope.city_id) | Q(city_b_id=scope.city_id))
    return list(twinnings.order_by("city_a__name", "city_b__name"))


def people_in(scope: Scope, period: Period, twinnings: list[Twinning]) -> QuerySet:
    people = ParticipantSummary.objects.filter(joined_at__lt=period.hi)
    if period.lo is not None:
        people = people.filter(joined_at__gte=period.lo)
    if scope.program_ids is not None:
        people = people.filter(program_id__in=scope.program_ids)
    if scope.city_id is not None:
        people = people.filter(city_id=scope.city_id)
    elif scope.twinning_id is not None:
        cities = {c for t in twinnings for c in (t.city_a_id, t.city_b_id)}
        people = people.filter(city_id__in=cities)
    return people


def sessions_in(scope: Scope, period: Period) -> QuerySet:
    sessions = SessionSummary.objects.filter(starts_at__lt=period.hi)
    if period.lo is not None:
        sessions = sessions.filter(starts_at__gte=period.lo)
    if scope.program_ids is not None:
        sessions = sessions.filter(program_id__in=scope.program_ids)
    if scope.twinning_id is not None:
        sessions = sessions.filter(twinning_id=scope.twinning_id)
    if scope.city_id is not None:
        sessions = sessions.filter(Q(city_a_id=scope.city_id) | Q(city_b_id=scope.city_id))
    return sessions


def _pairs_filter(scope: Scope, twinnings: list[Twinning]) -> dict:
    where = {}
    if scope.program_ids is not None:
        where["program_id__in"] = scope.program_ids
    if scope.twinning_id is not None or scope.city_id is not None:
        where["twinning_id__in"] = [t.pk for t in twinnings]
    return where


# --- The grouped reads ----------------------------------------------------------------------


def _people_by_city(people: QuerySet, period: Period) -> dict[int | None, Tally]:
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    distinct = {"distinct": True}
    rows = people.values("city_id", "days_to_match").annotate(
        n=Count("participant_id", **distinct),
        matched=Count("participant_id", filter=Q(first_active_at__lt=hi), **distinct),
        completion=Count("participant_id", filter=Q(completed_at__lt=hi), **distinct),
        base=Count("participant_id", filter=Q(first_held_at__lt=settled_by), **distinct),
        retained=Count(
            "participant_id",
            filter=Q(first_held_at__lt=settled_by, retained_at__lt=hi),
            **distinct,
        ),
    )
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for row in rows:
        tally = tallies[row["city_id"]]
        tally.participants += row["n"]
        tally.matched += row["matched"]
        tally.completion += row["completion"]
        tally.retention_base += row["base"]
        tally.retained += row["retained"]
        if row["days_to_match"] is not None and row["matched"]:
            tally.waits[row["days_to_match"]] += row["matched"]
    return tallies


def _first_in_range(side: str, column: str, period: Period) -> Q:
    """The side attended, and it is the person's first attended session in the range."""
    earlier = Q(**{f"{side}_{column}__isnull": True})
    if period.lo is not None:
        earlier |= Q(**{f"{side}_{column}__lt": period.lo})
    return Q(**{f"{side}_attended": True}) & earlier


def _session_groups(sessions: QuerySet, period: Period) -> list[dict]:
    """Sessions by twinning, partners' cities and UTC week (the weekly chart comes from
    the same rows), with each side's people counted on their first attended session of
    the range: in the program (``*_first``) and in the twinning (``*_first_tw``)."""
    settled = Q(status__in=("held", "missed"))
    firsts = {
        f"{side}_first{suffix}": Count("pk", filter=_first_in_range(side, column, period))
        for side in ("a", "b")
        for suffix, column in (("", "prev_attended_at"), ("_tw", "prev_in_twinning_at"))
    }
    return list(
        sessions.annotate(week=TruncWeek("starts_at", tzinfo=dt.UTC))
        .values("twinning_id", "city_a_id", "city_b_id", "week")
        .annotate(
            **firsts,
            scheduled=Count("pk"),
            held=Count("pk", filter=Q(status="held")),
            missed=Count("pk", filter=Q(status="missed")),
            cancelled=Count("pk", filter=Q(status="cancelled")),
            seconds=Sum("together_seconds", filter=Q(status="held")),
            a_came=Count("pk", filter=settled & Q(a_attended=True)),
            b_came=Count("pk", filter=settled & Q(b_attended=True)),
            a_sessions=Count("pk", filter=settled & Q(participant_a__isnull=False)),
            b_sessions=Count("pk", filter=settled & Q(participant_b__isnull=False)),
        )
    )


def _active_from_groups(groups: list[dict]) -> tuple[dict, dict, int]:
    """Active people of one program by twinning, by city and in all, from the rows that
    are someone's first attended session of the range (no DISTINCT needed)."""
    by_twinning: Counter = Counter()
    by_city: Counter = Counter()
    total = 0
    for g in groups:
        by_twinning[g["twinning_id"]] += g["a_first_tw"] + g["b_first_tw"]
        by_city[g["city_a_id"]] += g["a_first"]
        by_city[g["city_b_id"]] += g["b_first"]
        total += g["a_first"] + g["b_first"]
    return by_twinning, by_city, total


def _active_people(sessions: QuerySet) -> tuple[dict, dict, int]:
    """Distinct people who attended, by twinning, by city and in all (one query)."""
    side_a = sessions.filter(a_attended=True).values_list(
        "twinning_id", "city_a_id", "participant_a_id"
    )
    side_b = sessions.filter(b_attended=True).values_list(
        "twinning_id", "city_b_id", "participant_b_id"
    )
    sql_a, params_a = side_a.query.sql_with_params()
    sql_b, params_b = side_b.query.sql_with_params()
    # Django's own SQL for the two sides (values are parameters, never interpolated).
    sql = (
        f"WITH att (t, c, p) AS ({sql_a} UNION ALL {sql_b}) "  # noqa: S608
        "SELECT 1, t, COUNT(DISTINCT p) FROM att GROUP BY t "
        "UNION ALL SELECT 2, c, COUNT(DISTINCT p) FROM att GROUP BY c "
        "UNION ALL SELECT 3, NULL, COUNT(DISTINCT p) FROM att"
    )
    by_twinning, by_city, total = {}, {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params_a, *params_b))
        for kind, key, count in cursor.fetchall():
            if kind == 1:
                by_twinning[key] = count
            elif kind == 2:
                by_city[key] = count
            else:
                total = count
    return by_twinning, by_city, total


def _pairs_by_twinning(
    scope: Scope, period: Period, twinnings: list[Twinning]
) -> tuple[dict[int, Tally], Counter]:
    """Matches answered, accepted and live in the range, and the messages of the range, by
    twinning; with every match's status counted (for the matching runs' summary line).
    Two queries (as a correlated subquery, the message counts ran once per match)."""
    where = _pairs_filter(scope, twinnings)
    lo, hi = period.lo, period.hi
    proposed = Q(created_at__lt=hi) & (Q(created_at__gte=lo) if lo else Q())
    live = Q(activated_at__lt=hi) & (Q(ended_at__isnull=True) | Q(ended_at__gte=lo) if lo else Q())
    answered = Q(activated_at__isnull=False) | Q(status="declined")
    statuses = {status: Count("pk", filter=Q(status=status)) for status in Match.Status.values}
    tallies: dict[int, Tally] = defaultdict(Tally)
    counts: Counter = Counter()
    for row in Match.objects.filter(**where).values("twinning_id").annotate(
        answered=Count("pk", filter=proposed & answered),
        accepted=Count("pk", filter=proposed & Q(activated_at__isnull=False)),
        live=Count("pk", filter=live),
        **statuses,
    ):
        tally = tallies[row["twinning_id"]]
        tally.answered, tally.accepted, tally.active_matches = (
            row["answered"], row["accepted"], row["live"]
        )
        counts.update({status: row[status] for status in Match.Status.values})
    days = RoomMessageDay.objects.filter(**where, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    for row in days.values("twinning_id").annotate(n=Sum("count")):
        tallies[row["twinning_id"]].messages = row["n"] or 0
    return tallies, counts


# --- Putting it together ----------------------------------------------------------------------


def metrics(*, scope: Scope, period: Period) -> dict:
    """``{"totals", "by_twinning", "by_city", "twinnings", "cities"}``: figures keyed as
    ``definitions.KEYS``; each row of by_twinning/by_city also has its ``id`` and ``name``."""
    twinnings = scope_twinnings(scope)
    people = _people_by_city(people_in(scope, period, twinnings), period)
    sessions = sessions_in(scope, period)
    groups = _session_groups(sessions, period)
    if scope.program_ids is not None and len(scope.program_ids) == 1:
        active_t, active_c, active_total = _active_from_groups(groups)
    else:  # the previous-attendance columns are per program: count distinct people
        active_t, active_c, active_total = _active_people(sessions)
    pairs, match_counts = _pairs_by_twinning(scope, period, twinnings)

    city_names = {}
    for t in twinnings:
        city_names[t.city_a_id], city_names[t.city_b_id] = t.city_a.name, t.city_b.name
    extra = {c for c in people if c is not None and c not in city_names}
    extra |= {g[k] for g in groups for k in ("city_a_id", "city_b_id") if g[k] not in city_names}
    extra.discard(None)
    if extra:
        city_names.update(City.objects.filter(pk__in=extra).values_list("pk", "name"))
    if scope.city_id is not None:
        city_names = {k: v for k, v in city_names.items() if k == scope.city_id}

    by_city = {c: Tally() for c in city_names}
    by_twin = {t.pk: Tally() for t in twinnings}
    total = Tally()
    for city, tally in people.items():
        total.add_people(tally)
        if city in by_city:
            by_city[city].add_people(tally)
    for t in twinnings:
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
    for t in twinnings:
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
    names = {t.pk: str(t) for t in twinnings}
    weekly: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        weekly[g["week"].date()][0] += g["held"]
        weekly[g["week"].date()][1] += g["seconds"] or 0
    return {
        "totals": total.figures(),
        "by_twinning": [
            {"id": t.pk, "name": names[t.pk], **by_twin[t.pk].figures()} for t in twinnings
        ],
        "by_city": [
            {"id": c, "name": city_names[c], **by_city[c].figures()}
            for c in sorted(by_city, key=lambda c: city_names[c])
        ],
        "twinnings": twinnings,
        "match_counts": {status: match_counts[status] for status in Match.Status.values},
        "weekly": [
            {"week": week.isoformat(), "sessions_held": weekly[week][0] if week in weekly else 0,
             "contact_hours": round(weekly[week][1] / 3600, 2) if week in weekly else 0}
            for week in every_week(sorted(weekly), first=period.first, last=period.last)
        ],
    }
