"""The participant summaries behind the officers' figures: one row per person and
program with the dates of their milestones (matched, first held session, retained,
completed), refreshed by the writes that reach them and by the beat
(``services.metrics``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from exchanges.models import (
    Attendance,
    ClassroomExchange,
    Match,
    Participant,
    ParticipantSummary,
    Program,
    Session,
)
from exchanges.pure.utc_days import utc_day
from exchanges.selectors.metrics.reads import RETENTION_AFTER
from exchanges.services.metrics_rollups import people_days_refresh, register_people_refresh
from exchanges.services.summary_upsert import id_chunks, upsert_rows


@transaction.atomic
def participant_summaries_refresh(
    *, program_id: int, participant_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None, register: bool = True,
) -> int:
    """Recompute the program's participant summaries (all of them when no ids are given),
    and (``register``) the register's people on the days they joined.

    A participant who left the program or whose profile is not complete loses their row.

    The rows are locked (by participant, as every writer of them locks them) before the
    profiles are read: a profile edit that committed between that read and the write
    would be overwritten with what it replaced, until the next night (the full refresh
    holds its rows to its end). An edit holding a row is waited for, then read; one that
    comes after waits, and writes its own row and roll-up days last. A member with no
    row yet gets one to hold (``_rows_claim``): there is no row to lock otherwise, and
    an edit's first row, written before or after the read, was overwritten.
    """
    now = now or timezone.now()
    program = Program.objects.get(pk=program_id)
    members = Participant.objects.filter(
        Q(pk__in=Participant.programs.through.objects.filter(program_id=program.pk)
          .values("participant_id"))
        | Q(pk__in=program_pupils(program.pk).values("id"))
    ).filter(Q(onboarded_at__isnull=False) | Q(user__is_pupil=True))
    stale = ParticipantSummary.objects.filter(program=program)
    if participant_ids is not None:
        asked = sorted(set(participant_ids))
        members = members.filter(pk__in=asked)
        stale = stale.filter(participant_id__in=asked)
    # Who has a row, and who gets one: locked (or claimed) in one pass by participant.
    ids = sorted(members.values_list("id", flat=True))
    held = set(stale.values_list("participant_id", flat=True))
    claimed = _rows_claim(program.pk, sorted(held | set(ids)), now)
    if participant_ids is None:
        stale.exclude(participant_id__in=members.values("id")).delete()
        days = None  # every day
    else:
        # The register's days of those leaving, and of those whose joining day moves.
        days = {utc_day(at) for at in stale.exclude(participant_id__in=claimed).values_list(
            "joined_at", flat=True
        )}
        stale.exclude(participant_id__in=ids).delete()
    written: dict[int, dt.date] = {}
    for chunk in id_chunks(ids):
        written.update(_participant_rows(program, chunk, now))
    if days is not None:
        days.update(written.values())
    # A row claimed for someone whose profile went meanwhile holds nothing true.
    stale.filter(participant_id__in=claimed - set(written)).delete()
    people_days_refresh(program_id=program.pk, days=days)
    if register:
        register_people_refresh(days=days)
    return len(ids)


def _rows_claim(program_id: int, participant_ids: list[int], now: dt.datetime) -> set[int]:
    """Lock the program's summary rows of ``participant_ids`` in their order, inserting a
    placeholder (overwritten before commit) where a participant has none: an insert of
    the same row elsewhere is waited for, then locked. Returns who got a placeholder.

    ON CONFLICT DO UPDATE locks the conflicting row even when its WHERE updates nothing.
    """
    quote = connection.ops.quote_name
    table = quote(ParticipantSummary._meta.db_table)
    people = quote(Participant._meta.db_table)
    inserted: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in id_chunks(participant_ids):
            marks = ", ".join(["%s"] * len(chunk))
            # Only our own table and column names are formatted into the SQL.
            cursor.execute(
                f"INSERT INTO {table} (participant_id, program_id, role, joined_at, "  # noqa: S608
                f"refreshed_at) SELECT id, %s, '', %s, %s FROM {people} WHERE id IN ({marks}) "
                "ORDER BY id ON CONFLICT (participant_id, program_id) DO UPDATE "
                "SET refreshed_at = EXCLUDED.refreshed_at WHERE 1 = 0 RETURNING participant_id",
                [program_id, now, now, *chunk],
            )
            inserted.update(pid for (pid,) in cursor.fetchall())
    return inserted


def program_pupils(program_id: int):
    """The pupils of the classes in the program's classroom exchanges: a pupil joins a
    class, never a program, so the figures' "pupils in classes" find them here."""
    classes = set()
    for a, b in ClassroomExchange.objects.filter(program_id=program_id).values_list(
        "classroom_a_id", "classroom_b_id"
    ):
        classes.update((a, b))
    return Participant.objects.filter(user__is_pupil=True, classroom_id__in=classes)


def _participant_rows(
    program: Program, ids: list[int], now: dt.datetime
) -> dict[int, dt.date]:
    """Upsert the people's summaries; returns the UTC day each of them joined on."""
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
            # A pupil's sessions are their class exchanges' (in the program, as matches are).
            Q(session__match__program=program) | Q(session__exchange__program=program),
            participant_id__in=ids,
            status=Attendance.Status.ATTENDED,
        )
        .values_list("participant_id", "session__starts_at", "session__status")
        .order_by("session__starts_at")
    ):
        attended[pid].append(starts_at)
        if session_status == Session.Status.HELD and pid not in first_held:
            first_held[pid] = starts_at
    kept = {
        pid: floors for pid, *floors in ParticipantSummary.objects.filter(
            program=program, participant_id__in=ids, kept_active_at__isnull=False
        ).values_list("participant_id", "kept_active_at", "kept_held_at", "kept_retained_at",
                      "kept_completed_at")
    }
    rows = []
    for person in people:
        pid = person["id"]
        joined = person["onboarded_at"] or person["user__date_joined"]
        held = first_held.get(pid)
        dates = attended.get(pid, [])
        threshold = program.completion_sessions
        active, held, retained, completed = _not_later(kept.get(pid), (
            first_active.get(pid), held,
            next((d for d in dates if held and d >= held + RETENTION_AFTER), None),
            dates[threshold - 1] if len(dates) >= threshold else None,
        ))
        rows.append((
            pid, program.pk, person["city_id"], _role(program, person), person["classroom_id"],
            person["birth_year"], joined, active,
            max(0, (active - joined).days) if active else None,
            held, retained, completed, now,
        ))
    upsert_rows(ParticipantSummary, PARTICIPANT_COLUMNS, ("participant_id", "program_id"), rows)
    return {row[0]: utc_day(row[6]) for row in rows}


def _not_later(kept: list | None, reached: tuple) -> tuple:
    """The milestones, none later than as kept when a partner's data was deleted."""
    if kept is None:
        return reached
    return tuple(
        min(at for at in pair if at is not None) if any(pair) else None
        for pair in zip(kept, reached, strict=True)
    )


PARTICIPANT_COLUMNS = (
    "participant_id", "program_id", "city_id", "role", "classroom_id", "birth_year",
    "joined_at", "first_active_at", "days_to_match", "first_held_at", "retained_at",
    "completed_at", "refreshed_at",
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
