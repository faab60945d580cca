"""Every figure for a program, a twinning, a city or the whole platform, for a range of days.

The figures are read from the summaries (exchanges/models/metrics.py), never from the
messages, sessions or attendance, in a fixed number of grouped queries: people by city
(and days to match) from the participant summaries, sessions by twinning, partners'
cities and week, and active people, from the daily roll-ups, matches and message counts
by twinning. Totals and the rows by twinning and by city are sums of those
groups, so they always agree. The definitions are in ``definitions.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from exchanges.models import (
    ActiveDay,
    City,
    Match,
    MessageDay,
    ParticipantSummary,
    PeopleDay,
    SessionDay,
    SessionSummary,
    Twinning,
)
from exchanges.pure.figures_math import every_week, histogram_median, ratio
from exchanges.selectors.metrics.batch import run_batch
from exchanges.selectors.metrics.definitions import Period

RETENTION_AFTER = dt.timedelta(weeks=4)


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """A truncated week as a date (databases give a date or a midnight)."""
    return value.date() if isinstance(value, dt.datetime) else value


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
        # In each twinning of their program that their city belongs to.
        cities = {c for t in twinnings for c in (t.city_a_id, t.city_b_id)}
        people = people.filter(city_id__in=cities, program__twinnings=scope.twinning_id)
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


def _people_read(people: QuerySet, period: Period, *, distinct: bool = True) -> QuerySet:
    """People by city and days to match. Within one program each person has one summary,
    so the counts need no DISTINCT (which sorts); across programs they do."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    distinct = {"distinct": distinct}
    return people.values("city_id", "days_to_match").annotate(
        n=Count("participant_id", **distinct),
        matched=Count("participant_id", filter=Q(first_active_at__lt=hi), **distinct),
        completion=Count("participant_id", filter=Q(completed_at__lt=hi), **distinct),
        base=Count("participant_id", filter=Q(first_held_at__lt=settled_by), **distinct),
        retained=Count(
            "participant_id",
            filter=Q(first_held_at__lt=settled_by, retained_at__lt=hi),
            **distinct,
        ),
    ).order_by()


def _people_day_reads(scope: Scope, period: Period, people: QuerySet) -> dict[str, QuerySet]:
    """People of one program by city and days to match from the daily roll-up: each
    milestone ever reached, and (``late``, ``waits_late``: from the summaries' indexed
    milestone dates) those reached only after the range's last day, to take away."""
    days = PeopleDay.objects.filter(program_id__in=scope.program_ids, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    if scope.city_id is not None:
        days = days.filter(city_id=scope.city_id)
    return {
        "people_days": days.values("city_id", "days_to_match").annotate(
            n=Sum("count"), matched=Sum("matched"), completion=Sum("completed"),
            base=Sum("held"), retained=Sum("retained"),
        ).order_by(),
        "late": late_read(people, period),
        "waits_late": people.filter(first_active_at__gte=period.hi)
        .values("city_id", "days_to_match")
        .annotate(n=Count("pk"))
        .order_by(),
    }


def late_read(people: QuerySet, period: Period) -> QuerySet:
    """The range's people who reached a milestone only after its last day, by city and
    UTC week of joining (the people figures and the cohort chart take them away from the
    daily roll-ups' counts of milestones ever reached)."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    late = {
        "matched": Q(first_active_at__gte=hi),
        "completion": Q(completed_at__gte=hi),
        "base": Q(first_held_at__gte=settled_by),
        # A retained person's first held session is 4 weeks before: retained before the
        # end means counted in the base too.
        "retained": Q(retained_at__gte=hi),
    }
    return (
        people.filter(reduce(or_, late.values()))
        .annotate(week=TruncWeek("joined_at", tzinfo=dt.UTC))
        .values("city_id", "week")
        .annotate(**{name: Count("pk", filter=q) for name, q in late.items()})
        .order_by()
    )


def _people_tallies(rows: dict[str, list[dict]]) -> dict[int | None, Tally]:
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    from_days = "people_days" in rows
    for row in rows["late"] if from_days else ():
        tally = tallies[row["city_id"]]
        tally.matched -= row["matched"]
        tally.completion -= row["completion"]
        tally.retention_base -= row["base"]
        tally.retained -= row["retained"]
    for row in rows["waits_late"] if from_days else ():
        tallies[row["city_id"]].waits[row["days_to_match"]] -= row["n"]
    for row in rows["people_days" if from_days else "people"]:
        tally = tallies[row["city_id"]]
        tally.participants += row["n"]
        tally.matched += row["matched"]
        tally.completion += row["completion"]
        tally.retention_base += row["base"]
        tally.retained += row["retained"]
        if row["days_to_match"] is not None and row["matched"]:
            tally.waits[row["days_to_match"]] += row["matched"]
    return tallies


def session_days_in(scope: Scope, period: Period) -> QuerySet:
    """The daily session roll-up rows of the scope and range."""
    days = SessionDay.objects.filter(day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    if scope.program_ids is not None:
        days = days.filter(program_id__in=scope.program_ids)
    if scope.twinning_id is not None:
        days = days.filter(twinning_id=scope.twinning_id)
    if scope.city_id is not None:
        days = days.filter(Q(city_a_id=scope.city_id) | Q(city_b_id=scope.city_id))
    return days


def _session_read(scope: Scope, period: Period) -> QuerySet:
    """Sessions by twinning, partners' cities and UTC week (the weekly chart comes from
    the same rows): sums over the daily roll-up."""
    return (
        session_days_in(scope, period)
        .annotate(week=TruncWeek("day"))
        .values("twinning_id", "city_a_id", "city_b_id", "week")
        .annotate(
            scheduled=Sum("scheduled"),
            held=Sum("held"),
            missed=Sum("missed"),
            cancelled=Sum("cancelled"),
            seconds=Sum("together_seconds"),
            a_came=Sum("a_came"),
            b_came=Sum("b_came"),
            a_sessions=Sum("a_sessions"),
            b_sessions=Sum("b_sessions"),
        )
        .order_by()
    )


def _active_read(scope: Scope, period: Period) -> QuerySet:
    """Active people of one program by twinning and city: the attended person-sessions
    of the range that are the person's first there (their previous attended one, in the
    program or in the twinning, is before the range or none)."""
    days = ActiveDay.objects.filter(day__lte=period.last)
    first_ever = Q(previous_day__isnull=True)
    first_ever_tw = Q(previous_in_twinning_day__isnull=True)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
        first_ever |= Q(previous_day__lt=period.first)
        first_ever_tw |= Q(previous_in_twinning_day__lt=period.first)
    if scope.program_ids is not None:
        days = days.filter(program_id__in=scope.program_ids)
    if scope.twinning_id is not None:
        days = days.filter(twinning_id=scope.twinning_id)
    if scope.city_id is not None:  # its people, and their partners by twinning
        days = days.filter(Q(city_id=scope.city_id) | Q(partner_city_id=scope.city_id))
    return days.values("twinning_id", "city_id").annotate(
        first=Sum("count", filter=first_ever), first_tw=Sum("count", filter=first_ever_tw)
    ).order_by()


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


def _matches_read(where: dict, period: Period) -> QuerySet:
    """Matches answered, accepted and live in the range by twinning, with every match's
    status counted (for the matching runs' summary line)."""
    lo, hi = period.lo, period.hi
    proposed = Q(created_at__lt=hi) & (Q(created_at__gte=lo) if lo else Q())
    live = Q(activated_at__lt=hi) & (Q(ended_at__isnull=True) | Q(ended_at__gte=lo) if lo else Q())
    answered = Q(activated_at__isnull=False) | Q(status="declined")
    statuses = {status: Count("pk", filter=Q(status=status)) for status in Match.Status.values}
    return Match.objects.filter(**where).values("twinning_id").annotate(
        answered=Count("pk", filter=proposed & answered),
        accepted=Count("pk", filter=proposed & Q(activated_at__isnull=False)),
        live=Count("pk", filter=live),
        **statuses,
    ).order_by()


def _messages_read(where: dict, period: Period) -> QuerySet:
    """The messages of the range by twinning, from the daily roll-up."""
    days = MessageDay.objects.filter(**where, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    return days.values("twinning_id").annotate(n=Sum("count")).order_by()


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


# --- Putting it together ----------------------------------------------------------------------


def _one_program(scope: Scope) -> bool:
    return scope.program_ids is not None and len(scope.program_ids) == 1


def metric_reads(scope: Scope, period: Period, twinnings: list[Twinning]) -> dict[str, QuerySet]:
    """The grouped reads behind the figures, to run together (batch.run_batch)."""
    one_program = _one_program(scope)
    where = _pairs_filter(scope, twinnings)
    people = people_in(scope, period, twinnings)
    if one_program and scope.twinning_id is None:
        reads = _people_day_reads(scope, period, people)
    else:
        reads = {"people": _people_read(people, period, distinct=not one_program)}
    reads.update({
        "sessions": _session_read(scope, period),
        "matches": _matches_read(where, period),
        "messages": _messages_read(where, period),
    })
    if one_program:
        reads["active"] = _active_read(scope, period)
    return reads


def metrics(*, scope: Scope, period: Period) -> dict:
    """``{"totals", "by_twinning", "by_city", "twinnings", "cities"}``: figures keyed as
    ``definitions.KEYS``; each row of by_twinning/by_city also has its ``id`` and ``name``."""
    twinnings = scope_twinnings(scope)
    rows = run_batch(metric_reads(scope, period, twinnings))
    return metrics_from(rows, scope=scope, period=period, twinnings=twinnings)


def metrics_from(
    rows: dict[str, list[dict]], *, scope: Scope, period: Period, twinnings: list[Twinning]
) -> dict:
    """The figures from the rows of ``metric_reads``."""
    people = _people_tallies(rows)
    groups = rows["sessions"]
    if "active" in rows:
        active_t, active_c, active_total = _active_tallies(rows["active"], scope)
    else:  # the previous-attendance columns are per program: count distinct people
        active_t, active_c, active_total = _active_people(sessions_in(scope, period))
    pairs, match_counts = _pairs_tallies(rows["matches"], rows["messages"])

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
        weekly[as_date(g["week"])][0] += g["held"]
        weekly[as_date(g["week"])][1] += g["seconds"] or 0
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
