"""Refreshing the summaries behind the officers' figures (exchanges/models/metrics.py).

They are refreshed on the writes that change them (a session settled:
exchanges/services/attendance.py calls in here; a match becoming active: matches.py calls
the participants' part, metrics_participants.py), and by the beat task
(exchanges/tasks/metrics.py) every five minutes for everything else that changed
since the last run: sessions (cancelled, moved: their ``updated_at``), profiles completed,
matches activated, and the messages of the last minutes, counted per room and day. A
nightly full refresh catches what leaves no timestamp (joining a program, a program's
completion threshold edited). Every refresh recomputes rows from the source tables, so
running one twice, or two at once, gives the same rows; the roll-ups' ``kept`` rows (what
was counted for people whose data was since deleted, services/metrics_kept.py) are never
recomputed, so a full refresh does not rewrite the past.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
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
from exchanges.pure.attended_history import AttendedHistory
from exchanges.pure.presence import together_seconds, union
from exchanges.pure.utc_days import utc_day, utc_midnight
from exchanges.services.metrics_matches import match_days_refresh
from exchanges.services.metrics_participants import (
    participant_summaries_refresh,
    program_pupils,
)
from exchanges.services.metrics_pupils import TOOK_PLACE, class_pupil_counts
from exchanges.services.metrics_rollups import (
    EPOCH,
    message_days_refresh,
    people_days_refresh,
    register_people_refresh,
    session_days_refresh,
)
from exchanges.services.summary_upsert import id_chunks, upsert_rows

# Messages are counted again over this much time before the last run, so one saved in a
# transaction that committed late is still counted (the counts are recomputed, not added).
MESSAGE_OVERLAP = dt.timedelta(minutes=10)

# --- Sessions ---------------------------------------------------------------------------


def session_summaries_refresh(
    *, session_ids: Iterable[int], now: dt.datetime | None = None, people: bool = True,
    days: bool = True,
) -> int:
    """Recompute the sessions' summaries, the daily roll-ups of the days they were and
    are on (``days``), and (``people``) the participant summaries of their partners and
    of the pupils who came to them."""
    now = now or timezone.now()
    session_ids = sorted(set(session_ids))
    partners: dict[int, set[int]] = defaultdict(set)
    touched: set[tuple[int, dt.date]] = set()
    for chunk in id_chunks(session_ids):
        if days:  # a moved session leaves its old day too
            touched.update(
                (program_id, utc_day(at))
                for program_id, at in SessionSummary.objects.filter(
                    session_id__in=chunk
                ).values_list("program_id", "starts_at")
            )
        for row in _session_rows(chunk, now):
            touched.add((row[1], utc_day(row[3])))
            for pid in (row[5], row[6]):
                if pid is not None:
                    partners[row[1]].add(pid)
        if people:  # a class session's pupils who came: their milestones may move
            for program_id, pid in Attendance.objects.filter(
                session_id__in=chunk, session__exchange__program__isnull=False,
                status=Attendance.Status.ATTENDED,
            ).values_list("session__exchange__program_id", "participant_id"):
                partners[program_id].add(pid)
    if days and touched:
        session_days_refresh(keys=touched)
    if people:
        for program_id, ids in sorted(partners.items()):
            participant_summaries_refresh(program_id=program_id, participant_ids=ids, now=now)
    return len(session_ids)


SESSION_COLUMNS = (
    "session_id", "program_id", "twinning_id", "starts_at", "status", "participant_a_id",
    "participant_b_id", "city_a_id", "city_b_id", "a_attended", "b_attended",
    "together_seconds", "a_pupils", "b_pupils", "a_pupils_came", "b_pupils_came",
    "a_prev_attended_at", "b_prev_attended_at", "a_prev_in_twinning_at",
    "b_prev_in_twinning_at", "refreshed_at",
)


def _session_rows(session_ids: list[int], now: dt.datetime) -> list[tuple]:
    sessions = list(Session.objects.filter(pk__in=session_ids).values_list(
        "pk", "starts_at", "minutes", "status",
        "match__program_id", "match__twinning_id",
        "match__participant_a_id", "match__participant_b_id",
        "match__participant_a__city_id", "match__participant_b__city_id",
        "exchange__program_id", "exchange__twinning_id",
        "exchange__classroom_a_id", "exchange__classroom_b_id",
        "exchange__classroom_a__city_id", "exchange__classroom_b__city_id",
    ))
    before = _attended_before({pid for row in sessions for pid in row[6:8] if pid is not None})
    attendance = {}
    classroom_of = {}
    attendance_rows = []
    for aid, session_id, pid, status, classroom_id in Attendance.objects.filter(
        session_id__in=session_ids
    ).values_list("pk", "session_id", "participant_id", "status", "participant__classroom_id"):
        attendance[session_id, pid] = (aid, status)
        classroom_of[aid] = classroom_id
        attendance_rows.append((session_id, pid, status, classroom_id))
    pupils = class_pupil_counts(
        {row[0]: (row[1], row[12], row[13]) for row in sessions
         if row[12] is not None and row[3] in TOOK_PLACE},
        attendance_rows,
    )
    stretches = defaultdict(list)
    by_class = defaultdict(list)  # (session, classroom): its pupils' stretches
    for aid, session_id, begin, end in PresenceInterval.objects.filter(
        attendance__session_id__in=session_ids
    ).values_list("attendance_id", "attendance__session_id", "started_at", "ended_at"):
        stretches[aid].append((begin, end))
        by_class[session_id, classroom_of.get(aid)].append((begin, end))
    rows = []
    for (pk, starts_at, minutes, status, m_program, m_twinning, a, b, city_a, city_b,
         x_program, x_twinning, class_a, class_b, class_city_a, class_city_b) in sessions:
        program_id, twinning_id = m_program or x_program, m_twinning or x_twinning
        if program_id is None:
            continue
        att_a, att_b = attendance.get((pk, a)), attendance.get((pk, b))
        end = starts_at + dt.timedelta(minutes=minutes)
        together = 0
        if status == Session.Status.HELD and att_a and att_b:
            together = together_seconds(stretches[att_a[0]], stretches[att_b[0]],
                                        lo=starts_at, hi=end)
        elif status == Session.Status.HELD and class_a is not None:
            # A class session: while pupils of both classes were in the exchange's rooms.
            together = together_seconds(union(by_class[pk, class_a]),
                                        union(by_class[pk, class_b]), lo=starts_at, hi=end)
        if class_a is not None:  # under the two classes' cities, as a match's partners'
            city_a, city_b = class_city_a, class_city_b
        attended = Attendance.Status.ATTENDED
        rows.append((
            pk, program_id, twinning_id, starts_at, status, a, b, city_a, city_b,
            bool(att_a and att_a[1] == attended), bool(att_b and att_b[1] == attended),
            together, *pupils.get(pk, (0, 0, 0, 0)),
            before(a, program_id, None, starts_at, pk), before(b, program_id, None, starts_at, pk),
            before(a, program_id, twinning_id, starts_at, pk),
            before(b, program_id, twinning_id, starts_at, pk),
            now,
        ))
    upsert_rows(SessionSummary, SESSION_COLUMNS, ("session_id",), rows)
    return rows


def _attended_before(people: set[int]):
    """``before(person, program, twinning or None, at, session)``: the start of the
    person's last attended session of the program (and twinning) before ``session``,
    which starts at ``at``."""
    rows = Attendance.objects.filter(
        participant_id__in=people,
        status=Attendance.Status.ATTENDED,
        session__match__isnull=False,
    ).values_list(
        "participant_id", "session__starts_at", "session_id", "session__match__program_id",
        "session__match__twinning_id",
    )
    history = AttendedHistory(
        row
        for pid, starts_at, session_id, program_id, twinning_id in rows
        for row in (((pid, program_id, None), starts_at, session_id),
                    ((pid, program_id, twinning_id), starts_at, session_id))
    )

    def before(pid, program_id, twinning_id, at, session_id):
        return history.before((pid, program_id, twinning_id), at, session_id)

    return before


# --- A pupil leaving ------------------------------------------------------------------------


@dataclass(frozen=True)
class CountedAt:
    """Where the figures counted a pupil: their class sessions, and their programs with
    the UTC day they joined (``pupil_counts_of``, read before the account goes)."""

    session_ids: list[int]
    joined: dict[int, set[dt.date]]


def pupil_counts_of(*, pupil: Participant) -> CountedAt:
    # Locked until the removal commits: a refresh reading the pupil's sessions meanwhile
    # would write them back with the pupil counted (metrics_lock).
    metrics_lock()
    joined: dict[int, set[dt.date]] = defaultdict(set)
    for program_id, joined_at in ParticipantSummary.objects.filter(
        participant=pupil
    ).values_list("program_id", "joined_at"):
        joined[program_id].add(utc_day(joined_at))
    sessions = pupil.attendances.filter(session__exchange__isnull=False)
    return CountedAt(list(sessions.values_list("session_id", flat=True)), dict(joined))


def pupil_counts_forget(*, counted: CountedAt) -> None:
    """Recount, once the pupil's account is gone, what counted them: their class sessions'
    summaries and days, and the people roll-ups of the days they joined on."""
    session_summaries_refresh(session_ids=counted.session_ids, people=False)
    for program_id, days in counted.joined.items():
        people_days_refresh(program_id=program_id, days=days)
    register_people_refresh(days=set().union(*counted.joined.values()))


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
        Message.objects.filter(room_id__in=rooms, created_at__gte=utc_midnight(first_day))
        .values("room_id", "room__match__program_id", "room__match__twinning_id",
                "room__exchange__program_id", "room__exchange__twinning_id",
                day=TruncDate("created_at", tzinfo=dt.UTC))
        .annotate(n=Count("id"))
    )
    rows = [
        (
            row["room_id"], row["day"], row["n"],
            row["room__match__program_id"] or row["room__exchange__program_id"],
            row["room__match__twinning_id"] or row["room__exchange__twinning_id"],
        )
        for row in counts
        if (row["room_id"], row["day"]) in keys
    ]
    upsert_rows(
        RoomMessageDay, ("room_id", "day", "count", "program_id", "twinning_id"),
        ("room_id", "day"), rows,
    )
    if since is not None:  # a full count rebuilds every day afterwards
        message_days_refresh(keys={(row[3], row[1]) for row in rows})
    return len(rows)


# --- The beat ---------------------------------------------------------------------------

MARK = SummaryMark.METRICS


def metrics_lock() -> SummaryMark:
    """Lock the beat's mark row until the transaction ends. The beat's refreshes, settling
    a session (attendance.session_settle), removing a pupil and keeping counts
    (metrics_kept) take it before any summary or roll-up, as their orders after it differ:

    - settling (``sessions_settle_finished``): the mark before claiming its batch's
      sessions, then SessionSummary of each session of the batch (by start),
      "session_days", its partners' ParticipantSummary, "people_days", "register_people";
    - an account's deletion (accounts.account_delete): the mark before its live matches
      and anything else, then as keeping counts; so a settle holding one of the person's
      ended sessions has it settled before the deletion counts it, or never claims it;
    - the beat: SessionSummary (by batch of ids), "session_days", ParticipantSummary,
      "people_days", "register_people", "message_days";
    - removing a pupil (``pupil_counts_of``, then the deletion): as settling, no partners;
    - the full refresh: SessionSummary (all), ParticipantSummary, "people_days",
      "session_days", "register_people", "message_days"; then, in a transaction of its
      own, the match table;
    - a profile edit (participants.participant_update_profile, without the mark): its
      ParticipantSummary rows, "people_days", "register_people".

    ParticipantSummary rows are locked (a missing one inserted to be held) program by
    program (by id), by participant, before the profiles they are made of are read
    (metrics_participants), so a profile edit during a refresh is either read by it or
    written after it.

    Without it a refresh and a settling batch deadlocked on two sessions' summaries, and
    a refresh that read a session before its settling committed wrote it back unsettled
    (tests/exchanges/services/test_metrics_concurrency.py); an account's deletion and a
    settle deadlocked on the mark and a session's row (test_metrics_concurrency_accounts)."""
    mark, _ = SummaryMark.objects.select_for_update().get_or_create(
        name=MARK, defaults={"refreshed_until": EPOCH}
    )
    return mark


def metrics_refresh(*, now: dt.datetime | None = None, full: bool = False) -> dict:
    """Refresh everything that changed since the last run (everything when ``full``).

    The mark row is locked for the run (``metrics_lock``), so two beats never refresh at
    once, nor does a session settle meanwhile.
    """
    done = _refresh(now=now or timezone.now(), full=full)
    if full:  # kept by triggers; this mends writes made with them off
        # Once the rest has committed: its lock on the match table waits for the writes to
        # matches, and a match becoming active waits for the participant summaries.
        with transaction.atomic():
            metrics_lock()
            match_days_refresh()
    return done


@transaction.atomic
def _refresh(*, now: dt.datetime, full: bool) -> dict:
    mark = metrics_lock()
    since = None if full else mark.refreshed_until - MESSAGE_OVERLAP
    changed = Session.objects.all() if full else Session.objects.filter(
        updated_at__gte=mark.refreshed_until - MESSAGE_OVERLAP
    )
    sessions = session_summaries_refresh(
        session_ids=changed.values_list("id", flat=True), now=now, people=not full,
        days=not full,
    )
    people = 0
    for program_id in Program.objects.order_by("id").values_list("id", flat=True):
        if full:
            people += participant_summaries_refresh(
                program_id=program_id, now=now, register=False
            )
            continue
        cut = mark.refreshed_until - MESSAGE_OVERLAP
        ids = set(
            Participant.objects.filter(programs=program_id, onboarded_at__gte=cut).values_list(
                "id", flat=True
            )
        )
        ids.update(program_pupils(program_id).filter(user__date_joined__gte=cut).values_list(
            "id", flat=True
        ))
        for a, b in Match.objects.filter(program_id=program_id, activated_at__gte=cut).values_list(
            "participant_a_id", "participant_b_id"
        ):
            ids.update((a, b))
        if ids:
            people += participant_summaries_refresh(
                program_id=program_id, participant_ids=ids, now=now
            )
    rooms = room_message_counts_refresh(since=since, until=now)
    if full:
        session_days_refresh(keys=None)
        register_people_refresh(days=None)
        message_days_refresh(keys=None)
    mark.refreshed_until = now
    mark.save(update_fields=["refreshed_until"])
    return {"sessions": sessions, "participants": people, "room_days": rooms}
