"""Refreshing the summaries behind the officers' figures (exchanges/models/metrics.py).

They are refreshed on the writes that change them (a session settled, a match becoming
active: exchanges/services/attendance.py and matches.py call in here), and by the beat
task (exchanges/tasks/metrics.py) every five minutes for everything else that changed
since the last run: sessions (cancelled, moved: their ``updated_at``), profiles completed,
matches activated, and the messages of the last minutes, counted per room and day. A
nightly full refresh catches what leaves no timestamp (joining a program, a program's
completion threshold edited). Every refresh recomputes rows from the source tables, so
running one twice, or two at once, gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from exchanges.models import (
    Attendance,
    Match,
    Message,
    Participant,
    ParticipantSummary,
    PresenceInterval,
    Program,
    RoomMessageDay,
    Session,
    SessionSummary,
    SummaryMark,
)
from exchanges.pure.presence import together_seconds

RETENTION_AFTER = dt.timedelta(weeks=4)
# Messages are counted again over this much time before the last run, so one saved in a
# transaction that committed late is still counted (the counts are recomputed, not added).
MESSAGE_OVERLAP = dt.timedelta(minutes=10)
BATCH = 2000
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _chunks(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# --- Sessions ---------------------------------------------------------------------------


def session_summaries_refresh(*, session_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Recompute the sessions' summaries and their partners' participant summaries."""
    now = now or timezone.now()
    session_ids = sorted(set(session_ids))
    people: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(session_ids):
        for row in _session_rows(chunk, now):
            for pid in (row.participant_a_id, row.participant_b_id):
                if pid is not None:
                    people[row.program_id].add(pid)
    for program_id, ids in people.items():
        participant_summaries_refresh(program_id=program_id, participant_ids=ids, now=now)
    return len(session_ids)


def _session_rows(session_ids: list[int], now: dt.datetime) -> list[SessionSummary]:
    sessions = list(
        Session.objects.filter(pk__in=session_ids).select_related(
            "match__participant_a", "match__participant_b", "exchange"
        )
    )
    attendance = {
        (a.session_id, a.participant_id): a
        for a in Attendance.objects.filter(session_id__in=session_ids)
    }
    stretches = defaultdict(list)
    for interval in PresenceInterval.objects.filter(attendance__session_id__in=session_ids):
        stretches[interval.attendance_id].append((interval.started_at, interval.ended_at))
    rows = []
    for session in sessions:
        owner = session.match or session.exchange
        if owner is None or owner.program_id is None:
            continue
        a = session.match.participant_a if session.match else None
        b = session.match.participant_b if session.match else None
        att_a = attendance.get((session.pk, a.pk)) if a else None
        att_b = attendance.get((session.pk, b.pk)) if b else None
        together = 0
        if att_a and att_b and session.status == Session.Status.HELD:
            end = session.starts_at + dt.timedelta(minutes=session.minutes)
            together = together_seconds(
                stretches[att_a.pk], stretches[att_b.pk], lo=session.starts_at, hi=end
            )
        rows.append(
            SessionSummary(
                session=session,
                program_id=owner.program_id,
                twinning_id=owner.twinning_id,
                starts_at=session.starts_at,
                status=session.status,
                participant_a=a,
                participant_b=b,
                city_a_id=a.city_id if a else None,
                city_b_id=b.city_id if b else None,
                a_attended=bool(att_a and att_a.status == Attendance.Status.ATTENDED),
                b_attended=bool(att_b and att_b.status == Attendance.Status.ATTENDED),
                together_seconds=together,
                refreshed_at=now,
            )
        )
    SessionSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session"],
        update_fields=[
            "program", "twinning", "starts_at", "status", "participant_a", "participant_b",
            "city_a", "city_b", "a_attended", "b_attended", "together_seconds", "refreshed_at",
        ],
    )
    return rows


# --- Participants -----------------------------------------------------------------------


def participant_summaries_refresh(
    *, program_id: int, participant_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute the program's participant summaries (all of them when no ids are given).

    A participant who left the program or whose profile is not complete loses their row.
    """
    now = now or timezone.now()
    program = Program.objects.get(pk=program_id)
    members = Participant.objects.filter(programs=program).filter(
        Q(onboarded_at__isnull=False) | Q(user__is_pupil=True)
    )
    stale = ParticipantSummary.objects.filter(program=program)
    if participant_ids is None:
        ids = list(members.values_list("id", flat=True))
        stale.exclude(participant_id__in=members.values("id")).delete()
    else:
        asked = sorted(set(participant_ids))
        ids = list(members.filter(pk__in=asked).values_list("id", flat=True))
        stale.filter(participant_id__in=set(asked) - set(ids)).delete()
    for chunk in _chunks(ids):
        _participant_rows(program, chunk, now)
    return len(ids)


def _participant_rows(program: Program, ids: list[int], now: dt.datetime) -> None:
    people = Participant.objects.filter(pk__in=ids).values(
        "id", "city_id", "birth_year", "classroom_id", "onboarded_at",
        "user__is_pupil", "user__date_joined",
    )
    first_active: dict[int, dt.datetime] = {}
    for a, b, at in Match.objects.filter(
        Q(participant_a_id__in=ids) | Q(participant_b_id__in=ids),
        program=program,
        activated_at__isnull=False,
    ).values_list("participant_a_id", "participant_b_id", "activated_at"):
        for pid in (a, b):
            if pid not in first_active or at < first_active[pid]:
                first_active[pid] = at
    attended: dict[int, list[dt.datetime]] = defaultdict(list)
    first_held: dict[int, dt.datetime] = {}
    for pid, starts_at, session_status in (
        Attendance.objects.filter(
            participant_id__in=ids,
            session__match__program=program,
            status=Attendance.Status.ATTENDED,
        )
        .values_list("participant_id", "session__starts_at", "session__status")
        .order_by("session__starts_at")
    ):
        attended[pid].append(starts_at)
        if session_status == Session.Status.HELD and pid not in first_held:
            first_held[pid] = starts_at
    rows = []
    for person in people:
        pid = person["id"]
        joined = person["onboarded_at"] or person["user__date_joined"]
        active = first_active.get(pid)
        held = first_held.get(pid)
        dates = attended.get(pid, [])
        threshold = program.completion_sessions
        rows.append(
            ParticipantSummary(
                participant_id=pid,
                program=program,
                city_id=person["city_id"],
                role=_role(program, person),
                classroom_id=person["classroom_id"],
                birth_year=person["birth_year"],
                joined_at=joined,
                first_active_at=active,
                days_to_match=max(0, (active - joined).days) if active else None,
                first_held_at=held,
                retained_at=next((d for d in dates if held and d >= held + RETENTION_AFTER), None),
                completed_at=dates[threshold - 1] if len(dates) >= threshold else None,
                refreshed_at=now,
            )
        )
    ParticipantSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["participant", "program"],
        update_fields=[
            "city", "role", "classroom_id", "birth_year", "joined_at", "first_active_at",
            "days_to_match", "first_held_at", "retained_at", "completed_at", "refreshed_at",
        ],
    )


def _role(program: Program, person: dict) -> str:
    if person["user__is_pupil"] or person["classroom_id"]:
        return ParticipantSummary.Role.PUPIL
    if program.kind == Program.Kind.CITIZEN:
        return ParticipantSummary.Role.CITIZEN
    return ParticipantSummary.Role.STUDENT


def match_activated_summaries_refresh(*, match: Match) -> None:
    """Both partners' summaries: their days to match may have changed."""
    participant_summaries_refresh(
        program_id=match.program_id,
        participant_ids=[match.participant_a_id, match.participant_b_id],
    )


# --- Messages ---------------------------------------------------------------------------


def room_message_counts_refresh(*, since: dt.datetime | None, until: dt.datetime) -> int:
    """Recount the messages per room and UTC day on every (room, day) that got a message
    in [since, until) (every one when ``since`` is None). Returns the rows written."""
    fresh = Message.objects.filter(created_at__lt=until)
    if since is not None:
        fresh = fresh.filter(created_at__gte=since)
    touched = fresh.values("room_id", day=TruncDate("created_at", tzinfo=dt.UTC)).distinct()
    keys = {(row["room_id"], row["day"]) for row in touched}
    if not keys:
        return 0
    rooms = {room for room, _ in keys}
    first_day = min(day for _, day in keys)
    counts = (
        Message.objects.filter(room_id__in=rooms, created_at__gte=_midnight(first_day))
        .values("room_id", "room__match__program_id", "room__match__twinning_id",
                "room__exchange__program_id", "room__exchange__twinning_id",
                day=TruncDate("created_at", tzinfo=dt.UTC))
        .annotate(n=Count("id"))
    )
    rows = [
        RoomMessageDay(
            room_id=row["room_id"],
            day=row["day"],
            count=row["n"],
            program_id=row["room__match__program_id"] or row["room__exchange__program_id"],
            twinning_id=row["room__match__twinning_id"] or row["room__exchange__twinning_id"],
        )
        for row in counts
        if (row["room_id"], row["day"]) in keys
    ]
    RoomMessageDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["room", "day"],
        update_fields=["count", "program", "twinning"],
        batch_size=BATCH,
    )
    return len(rows)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


# --- The beat ---------------------------------------------------------------------------

MARK = "metrics"


@transaction.atomic
def metrics_refresh(*, now: dt.datetime | None = None, full: bool = False) -> dict:
    """Refresh everything that changed since the last run (everything when ``full``).

    The mark row is locked for the run, so two beats never refresh at once.
    """
    now = now or timezone.now()
    mark, _ = SummaryMark.objects.select_for_update().get_or_create(
        name=MARK, defaults={"refreshed_until": EPOCH}
    )
    since = None if full else mark.refreshed_until - MESSAGE_OVERLAP
    changed = Session.objects.all() if full else Session.objects.filter(
        updated_at__gte=mark.refreshed_until - MESSAGE_OVERLAP
    )
    sessions = session_summaries_refresh(session_ids=changed.values_list("id", flat=True), now=now)
    people = 0
    for program_id in Program.objects.values_list("id", flat=True):
        if full:
            people += participant_summaries_refresh(program_id=program_id, now=now)
            continue
        cut = mark.refreshed_until - MESSAGE_OVERLAP
        ids = set(
            Participant.objects.filter(programs=program_id, onboarded_at__gte=cut).values_list(
                "id", flat=True
            )
        )
        for a, b in Match.objects.filter(program_id=program_id, activated_at__gte=cut).values_list(
            "participant_a_id", "participant_b_id"
        ):
            ids.update((a, b))
        if ids:
            people += participant_summaries_refresh(
                program_id=program_id, participant_ids=ids, now=now
            )
    rooms = room_message_counts_refresh(since=since, until=now)
    mark.refreshed_until = now
    mark.save(update_fields=["refreshed_until"])
    return {"sessions": sessions, "participants": people, "room_days": rooms}
