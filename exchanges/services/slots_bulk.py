"""Weekly slots confirmed in bulk for many fresh matches (seeding, benchmarks): the rows
``slots.slot_confirm`` writes for one match, for tens of thousands at once, with COPY on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection

from django.db import connection, transaction
from django.utils import timezone

from exchanges.models import Match, Reminder, Session, SlotProposal, Twinning
from exchanges.models.sessions import REMINDER_OFFSETS
from exchanges.pure.scheduling import reminder_due, weekly_starts
from exchanges.pure.session_plans import language_plan
from exchanges.services.session_series import (
    REMINDER_HORIZON,
    language_parts,
    program_lock,
    sessions_create_many,
)


@transaction.atomic
def slots_confirm_many(*, proposals: list[SlotProposal], now: dt.datetime | None = None) -> int:
    """Bulk variant of ``slot_confirm`` for many fresh matches (seeding, benchmarks).

    Writes the same rows as ``slot_confirm`` (sessions, and the reminders due within
    ``REMINDER_HORIZON``, built by the same functions) in one transaction, without
    notifications; each proposal counts as confirmed by the partner. A proposal
    ``slot_confirm`` would refuse (no longer open, its match not active, its twinning
    not active, no week of the program left) stays as it is, with no sessions. The locks
    are ``slot_confirm``'s, in its order. Matches must have no sessions yet. On
    PostgreSQL the rows go in with COPY. Returns the number of sessions.
    """
    now = now or timezone.now()
    ids = [p.pk for p in proposals]
    # The programs' dates hold until their series are written, as for ``slot_confirm``.
    # In id order: a date change holds one program's row, and bulk confirmations share
    # theirs, so none waits for another that waits for it.
    for program_id in (
        SlotProposal.objects.filter(pk__in=ids)
        .order_by("match__program_id")
        .values_list("match__program_id", flat=True)
        .distinct()
    ):
        program_lock(program_id)
    # Then the matches (in id order), before their proposals, as ``slot_confirm`` takes
    # them: a partner ending a match, or its twinning suspended, waits for the series
    # and cancels it, or is done before the statuses below are read.
    list(
        Match.objects.select_for_update()
        .filter(pk__in=SlotProposal.objects.filter(pk__in=ids).values("match_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = (
        SlotProposal.objects.select_for_update(of=("self",))
        .filter(
            pk__in=ids,
            status=SlotProposal.Status.PROPOSED,
            match__status=Match.Status.ACTIVE,
            match__twinning__status=Twinning.Status.ACTIVE,
        )
        .order_by("pk")
    )
    if connection.vendor != "postgresql":
        locked = list(locked.select_related(
            "match__program", "match__participant_a__city", "match__participant_b__city"))
        sessions = sessions_create_many(items=[(p.match, p) for p in locked], now=now)
        _mark_confirmed({s.slot_id for s in sessions}, now)
        return len(sessions)
    # Values, not model instances: ~10x less Python per row for tens of thousands.
    rows = list(
        locked.values_list(
            "pk",
            "match_id",
            "first_start",
            "anchor_tz",
            "minutes",
            "match__participant_a_id",
            "match__participant_b_id",
            "match__program__start_date",
            "match__program__weeks",
            "match__program__kind",
            # Each partner's zone (Participant.zone: their own, else their city's).
            "match__participant_a__tz",
            "match__participant_a__city__tz",
            "match__participant_b__tz",
            "match__participant_b__city__tz",
        )
    )
    count, planned = _copy_sessions(rows, now)
    _mark_confirmed(planned, now)
    return count


def _mark_confirmed(ids: Collection[int], now: dt.datetime) -> None:
    """Confirm the proposals that planned sessions: one with no week of the program left
    stays open, as ``slot_confirm`` refuses it."""
    SlotProposal.objects.filter(pk__in=ids).update(
        status=SlotProposal.Status.CONFIRMED, confirmed_at=now
    )


def _copy_text(value: str) -> str:
    """Escape a text value for COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy_sessions(rows: list[tuple], now: dt.datetime) -> tuple[int, list[int]]:
    """COPY the series' rows: ~10x faster than bulk_create for hundreds of thousands.
    Returns how many, and the proposals that planned any.

    Sessions (the same values as ``series_build``: ``weekly_starts`` is
    ``series_starts``, ``language_parts`` is ``languages_by_match``), plus the few
    reminders due within ``REMINDER_HORIZON`` (``reminder_due``, the rule of
    ``reminder_rows``). Attendance rows are created later (lazily). The rows are written
    as COPY text directly (values are ints, UTC timestamps, hex UUIDs and escaped JSON).
    """
    plans = language_parts({row[1]: (row[5], row[6], row[9]) for row in rows})
    table = Session._meta.db_table
    stamp = now.isoformat()
    tail = f"\t{Session.Status.SCHEDULED}\t"
    plan_text: dict = {}
    lines: list[str] = []
    near = []
    planned = []
    # Sessions starting before this may have a reminder due within the horizon.
    near_until = now + REMINDER_HORIZON + max(REMINDER_OFFSETS.values())
    count = 0

    def flush(copy) -> None:
        # Written as it is built, so PostgreSQL ingests while Python builds the rest.
        uids = _uuid4_hex(len(lines))
        copy.write(
            "".join(
                f"{line}{uid}\t0\t{stamp}\t{stamp}\n" for line, uid in zip(lines, uids, strict=True)
            )
        )
        lines.clear()

    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(
            f"COPY {table} (match_id, slot_id, starts_at, minutes, language_plan, status, "
            "uid, sequence, created_at, updated_at) FROM STDIN"
        ) as copy:
            for (
                slot_id,
                match_id,
                first_start,
                anchor_tz,
                minutes,
                _a,
                _b,
                begin,
                weeks,
                _k,
                a_tz,
                a_city_tz,
                b_tz,
                b_city_tz,
            ) in rows:
                parts = plans[match_id]
                end_date = begin + dt.timedelta(weeks=weeks)  # Program.end_date
                starts = weekly_starts(
                    first_start=first_start, anchor_tz=anchor_tz, end_date=end_date, now=now,
                    start_date=begin,
                    calendars=(a_tz or a_city_tz or "UTC", b_tz or b_city_tz or "UTC"),
                )
                head = f"{match_id}\t{slot_id}\t"
                same = (tuple(parts), minutes)
                for week, start in enumerate(starts):
                    key = (same, week % 2)
                    if key not in plan_text:
                        plan_text[key] = f"\t{minutes}\t" + _copy_text(
                            json.dumps(language_plan(parts, minutes, week))
                        )
                    lines.append(head + start.isoformat() + plan_text[key] + tail)
                    if start <= near_until:
                        near.append(slot_id)
                count += len(starts)
                if starts:
                    planned.append(slot_id)
                if len(lines) >= 5000:
                    flush(copy)
            if lines:
                flush(copy)
    if near:  # only when a session starts within the horizon (+ 24 h): rare in bulk
        sessions = Session.objects.filter(
            slot_id__in=set(near), starts_at__lte=near_until
        ).values_list("id", "starts_at", "match__participant_a_id", "match__participant_b_id")
        Reminder.objects.bulk_create(
            [
                Reminder(session_id=sid, participant_id=pid, kind=kind, send_at=start - delta)
                for sid, start, a, b in sessions
                for kind, delta in REMINDER_OFFSETS.items()
                if reminder_due(start - delta, now, REMINDER_HORIZON)
                for pid in (a, b)
            ],
            batch_size=5000,
        )
    return count, planned


def _uuid4_hex(n: int) -> list[str]:
    """``n`` random version-4 UUIDs as hex, as ``uuid.uuid4()`` makes them (one urandom)."""
    data = bytearray(os.urandom(16 * n))
    data[6::16] = bytes((x & 0x0F) | 0x40 for x in data[6::16])  # version 4
    data[8::16] = bytes((x & 0x3F) | 0x80 for x in data[8::16])  # RFC 4122 variant
    text = data.hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]
