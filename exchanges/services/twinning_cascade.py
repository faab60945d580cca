"""What a twinning's change does to the matches, rooms, sessions and classroom exchanges
across it. Called inside the lifecycle service's transaction (see twinning_lifecycle.py);
each helper returns the ids of the users it notified.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop, ngettext

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    Match,
    Room,
    Twinning,
    TwinningStatusChange,
)
from exchanges.selectors.lifecycle import audit_target
from exchanges.selectors.notification_text import date_param
from exchanges.selectors.retention import in_class_zone, retention_deletion_date
from exchanges.selectors.twinning_rooms import (
    twinning_closed_reason,
    twinning_status_since_param,
)
from exchanges.services.class_exchange_end import (
    exchange_mark_ended,
    exchange_pupils_tell,
    exchange_sessions_cancel,
)
from exchanges.services.notifications import notification_create
from exchanges.services.program_enrolment import program_residents_enrol
from exchanges.services.pupil_pairing import exchange_latecomers_admit
from exchanges.services.rooms import room_close
from exchanges.services.session_series import future_sessions_cancel

LIVE = (Match.Status.PROPOSED, Match.Status.ACTIVE)


def closed_reason(twinning: Twinning, change: TwinningStatusChange) -> str:
    """What a closed room stores (English; its page says it in the reader's language)."""
    return twinning_closed_reason(twinning, change)


def twinning_halt(
    *, twinning: Twinning, outcome, now: dt.datetime, change: TwinningStatusChange,
    end_matches: bool,
) -> set[int]:
    """Suspension (``end_matches`` False) or termination (True) of ``twinning``."""
    notified: set[int] = set()
    reason = closed_reason(twinning, change)
    matches = list(
        Match.objects.select_for_update(of=("self",))
        .filter(twinning=twinning, status__in=LIVE)
        .select_related("participant_a__user", "participant_b__user")
        .order_by("pk")
    )
    for match in matches:
        withdrawn = match.status == Match.Status.PROPOSED
        if withdrawn or end_matches:
            match.status = Match.Status.ENDED
            match.ended_at = now
            match.ended_reason = f"twinning {change.to_status}"
            match.save(update_fields=["status", "ended_at", "ended_reason"])
            if withdrawn:
                outcome.proposals_withdrawn += 1
            else:
                outcome.matches_ended += 1
        if not withdrawn:
            outcome.sessions_cancelled += future_sessions_cancel(match=match, now=now)
        for person in match.members:
            notification_create(
                user=person.user,
                kind=f"twinning.{change.to_status}",
                message=_match_message(withdrawn, end_matches),
                params={"since": twinning_status_since_param(twinning, change)},
                url=reverse("dashboard"),
            )
            notified.add(person.user_id)
    # Suspension pauses the exchanges; termination ends them (paused ones too), which
    # starts their pupils' retention clock.
    halted = (ClassroomExchange.Status.ACTIVE, ClassroomExchange.Status.PAUSED) if (
        end_matches) else (ClassroomExchange.Status.ACTIVE,)
    exchanges = list(
        ClassroomExchange.objects.select_for_update(of=("self",))
        .filter(twinning=twinning, status__in=halted)
        .select_related("classroom_a__teacher", "classroom_b__teacher",
                        "classroom_a__city", "classroom_b__city")
        .order_by("pk")
    )
    for exchange in exchanges:
        if end_matches:
            exchange_mark_ended(exchange=exchange, now=now,
                                reason=ClassroomExchange.EndedReason.TWINNING)
            outcome.exchanges_ended += 1
        else:
            exchange.status = ClassroomExchange.Status.PAUSED
            exchange.save(update_fields=["status"])
            outcome.exchanges_paused += 1
        for teacher in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
            message, params = _exchange_halted_message(exchange, twinning, change, teacher)
            notification_create(
                user=teacher,
                kind=f"twinning.{change.to_status}",
                message=message, params=params,
                url=reverse("classes"),
            )
            notified.add(teacher.pk)
        outcome.pupils_notified += exchange_pupils_tell(exchange=exchange, ended=end_matches)
    outcome.sessions_cancelled += exchange_sessions_cancel(
        exchange_ids=[exchange.pk for exchange in exchanges], now=now
    )
    rooms = Room.objects.filter(
        Q(match__twinning=twinning)
        | Q(exchange__twinning=twinning)
        | Q(pupil_group__pairing__exchange__twinning=twinning),
        status=Room.Status.OPEN,
    ).distinct()
    for room in rooms:
        room_close(room=room, reason=reason, by_twinning=True)
        outcome.rooms_closed += 1
    return notified


def _match_message(withdrawn: bool, ended: bool) -> str:
    """The partner's notice (its ``since`` param says the twinning's status)."""
    if withdrawn:
        return gettext_noop("%(since)s: your proposed match across it is withdrawn.")
    if ended:
        return gettext_noop(
            "%(since)s: your match has ended, its room is closed and sessions cancelled.")
    return gettext_noop("%(since)s: your room is closed and your future sessions are cancelled.")


def _exchange_halted_message(exchange, twinning, change, teacher) -> tuple[str, dict]:
    """The teacher's notice and its params."""
    values = {"exchange": str(exchange), "twinning": str(twinning)}
    if change.to_status == Twinning.Status.TERMINATED:
        values["date"] = date_param(
            in_class_zone(retention_deletion_date(exchange), exchange, teacher.pk))
        return gettext_noop(
            "Your class exchange %(exchange)s has ended: the twinning %(twinning)s is "
            "terminated. Its room is closed and its future sessions cancelled. The "
            "pupils' data is deleted on %(date)s; export the wall before then to keep it."
        ), values
    return gettext_noop(
        "Your class exchange %(exchange)s is paused: the twinning %(twinning)s is "
        "suspended. Its room is closed and its future sessions cancelled."
    ), values


def twinning_resume(*, twinning: Twinning, outcome, now: dt.datetime) -> set[int]:
    """Reopen the rooms of still-active matches and resume paused exchanges."""
    notified: set[int] = set()
    active = list(
        Match.objects.filter(twinning=twinning, status=Match.Status.ACTIVE).select_related(
            "participant_a__user", "participant_b__user"
        )
    )
    paused = list(
        ClassroomExchange.objects.select_for_update(of=("self",)).filter(
            twinning=twinning, status=ClassroomExchange.Status.PAUSED
        ).select_related("classroom_a__teacher", "classroom_b__teacher").order_by("pk")
    )
    for exchange in paused:
        exchange.status = ClassroomExchange.Status.ACTIVE
        exchange.save(update_fields=["status"])
        outcome.exchanges_resumed += 1
    # Only rooms the suspension alone closed: a room closed for its own reason (a block,
    # a pairing replaced, a teacher) before or during it stays closed (see room_close).
    suspended_only = {"status": Room.Status.CLOSED, "closed_by_twinning": True}
    reopen = Room.objects.filter(
        Q(match__in=active)
        | Q(exchange__in=paused)
        | Q(pupil_group__pairing__exchange__in=paused),
        **suspended_only,
    ).values_list("pk", flat=True)
    # Filtered again as it updates: a teacher's close committed in between is kept.
    outcome.rooms_reopened = Room.objects.filter(pk__in=list(reopen), **suspended_only).update(
        status=Room.Status.OPEN, closed_at=None, closed_reason="", closed_by_twinning=False
    )
    for match in active:
        for person in match.members:
            notification_create(
                user=person.user, kind="twinning.reactivated",
                message=gettext_noop(
                    "The twinning %(twinning)s is active again: your room is open. Sessions "
                    "cancelled earlier stay cancelled; pick a new weekly slot."
                ),
                params={"twinning": str(twinning)},
                url=reverse("match_schedule", args=[match.pk]),
            )
            notified.add(person.user_id)
    for exchange in paused:
        for teacher in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
            notification_create(
                user=teacher, kind="twinning.reactivated",
                message=gettext_noop(
                    "Your class exchange %(exchange)s resumes: the twinning %(twinning)s is "
                    "active again. Sessions cancelled earlier stay cancelled."
                ),
                params={"exchange": str(exchange), "twinning": str(twinning)},
                url=reverse("dashboard"),
            )
            notified.add(teacher.pk)
    for exchange in paused:
        # Pupils added while it was paused enter it now, as any pupil joining later does.
        exchange_latecomers_admit(exchange=exchange)
    outcome.not_reopened = _not_reopened(twinning, now)
    # Its cities' sign-ups while it was halted joined none of its programs (people join
    # those of their city's active twinnings): they join now, as for a twinning added.
    for program_id in twinning.programs.order_by("pk").values_list("pk", flat=True):
        program_residents_enrol.delay_on_commit(program_id)
    return notified


# What a halt does that reactivation leaves as it is (LifecycleOutcome's counts).
HALT_COUNTS = ("sessions_cancelled", "proposals_withdrawn", "matches_ended", "exchanges_ended")


def _what_the_halt_did(twinning: Twinning) -> tuple[dict[str, int], set[str]]:
    """What the suspension or termination since the twinning was last active did (its
    sessions cancelled, proposals withdrawn, matches and exchanges ended), from their
    audit events' outcomes, and which of the two it was: a session cancelled for its own
    reason, or a match ended by an earlier halt (told at its reactivation), is not
    counted."""
    halts: dict[int, str] = {}
    changes = twinning.status_changes.order_by("-created_at", "-id")
    for change in changes.values("pk", "to_status")[1:]:  # [0] is this reactivation
        if change["to_status"] == Twinning.Status.ACTIVE:
            break
        halts[change["pk"]] = change["to_status"]
    events = AuditEvent.objects.filter(
        target=audit_target(twinning),
        verb__in=("twinning.suspended", "twinning.terminated"),
    ).values_list("data", flat=True)
    outcomes = [data.get("outcome") or {} for data in events if data.get("change") in halts]
    done = {key: sum(outcome.get(key, 0) for outcome in outcomes) for key in HALT_COUNTS}
    return done, set(halts.values())


def _not_reopened(twinning: Twinning, now: dt.datetime) -> list[str]:
    """What reactivation leaves as it is, in sentences for the officer (active language)."""
    notes = []
    done, halts = _what_the_halt_did(twinning)
    cancelled = done["sessions_cancelled"]
    if cancelled and halts == {Twinning.Status.SUSPENDED}:
        notes.append(ngettext(
            "%(count)s session cancelled by the suspension stays cancelled: partners pick a "
            "new slot.",
            "%(count)s sessions cancelled by the suspension stay cancelled: partners pick a "
            "new slot.",
            cancelled,
        ) % {"count": cancelled})
    elif cancelled and halts == {Twinning.Status.TERMINATED}:
        notes.append(ngettext(
            "%(count)s session cancelled by the termination stays cancelled: partners pick a "
            "new slot.",
            "%(count)s sessions cancelled by the termination stay cancelled: partners pick a "
            "new slot.",
            cancelled,
        ) % {"count": cancelled})
    elif cancelled:
        notes.append(ngettext(
            "%(count)s session cancelled by the suspension and termination stays cancelled: "
            "partners pick a new slot.",
            "%(count)s sessions cancelled by the suspension and termination stay cancelled: "
            "partners pick a new slot.",
            cancelled,
        ) % {"count": cancelled})
    withdrawn = done["proposals_withdrawn"]
    if withdrawn:
        notes.append(ngettext(
            "%(count)s withdrawn proposal stays withdrawn: the next matching run proposes "
            "again.",
            "%(count)s withdrawn proposals stay withdrawn: the next matching run proposes "
            "again.",
            withdrawn,
        ) % {"count": withdrawn})
    ended = done["matches_ended"]
    if ended:
        notes.append(ngettext(
            "%(count)s match ended by the termination stays ended.",
            "%(count)s matches ended by the termination stay ended.",
            ended,
        ) % {"count": ended})
    exchanges_ended = done["exchanges_ended"]
    if exchanges_ended:
        notes.append(ngettext(
            "%(count)s class exchange ended by the termination stays ended: its teachers "
            "can start a new one.",
            "%(count)s class exchanges ended by the termination stay ended: their teachers "
            "can start new ones.",
            exchanges_ended,
        ) % {"count": exchanges_ended})
    return notes
