"""Weekly slots for an active match: list the options, propose one, confirm it.

The computation is :mod:`exchanges.scheduling` (pure); this module adapts the rows to it
and writes. One partner proposes; the other confirms, which creates the sessions of the
rest of the program in the same transaction. Proposing again withdraws the pending
proposal; confirming a new slot replaces the future sessions of the old one.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from exchanges import scheduling
from exchanges.models import AvailabilityWindow, Match, Participant, Session, SlotProposal
from exchanges.services.notifications import notification_create
from exchanges.services.sessions import future_sessions_cancel, sessions_create_many


def period_for(match: Match, now: dt.datetime | None = None) -> tuple[dt.date, int]:
    """The rest of the program: (first date, number of weeks), never before today."""
    program = match.program
    today = (now or timezone.now()).date()
    start = max(program.start_date, today)
    weeks = max(1, math.ceil((program.end_date - start).days / 7))
    return start, weeks


def match_people(match: Match) -> tuple[scheduling.Person, scheduling.Person]:
    people = (match.participant_a, match.participant_b)
    windows: dict[int, list] = {p.pk: [] for p in people}
    for w in AvailabilityWindow.objects.filter(participant_id__in=list(windows)):
        windows[w.participant_id].append(scheduling.Window(w.weekday, w.start, w.end))
    return tuple(  # type: ignore[return-value]
        scheduling.Person(
            key=p.pk, name=p.user.public_name, zone=p.zone, windows=tuple(windows[p.pk])
        )
        for p in people
    )


def _load(match: Match) -> Match:
    return Match.objects.select_related(
        "program", "participant_a__user", "participant_a__city",
        "participant_b__user", "participant_b__city",
    ).get(pk=match.pk)


def slot_options(
    *, match: Match, minutes: int | None = None, now: dt.datetime | None = None
) -> list[scheduling.SlotOption]:
    """The weekly slots both partners have free in every remaining week, most stable first."""
    match = _load(match)
    a, b = match_people(match)
    start, weeks = period_for(match, now)
    return scheduling.slot_options(
        a, b, start_date=start, weeks=weeks, minutes=minutes or match.program.session_minutes
    )


def _check_member(match: Match, by: Participant) -> None:
    if by.pk not in (match.participant_a_id, match.participant_b_id):
        raise PermissionDenied("Only the two partners can schedule this match.")
    if match.status != Match.Status.ACTIVE:
        raise ValidationError("Sessions can be scheduled once the match is active.")


@transaction.atomic
def slot_propose(
    *,
    match: Match,
    by: Participant,
    option: scheduling.SlotOption | None = None,
    weekday: int | None = None,
    local_start: dt.time | None = None,
    anchor_tz: str | None = None,
    now: dt.datetime | None = None,
) -> SlotProposal:
    """Propose a weekly slot, given as an option from ``slot_options`` or as its parts.

    The slot is checked again on real instants against both partners' current windows;
    any pending proposal of the match is withdrawn.
    """
    now = now or timezone.now()
    Match.objects.select_for_update().filter(pk=match.pk).first()  # serialise proposals
    match = _load(match)
    _check_member(match, by)
    if option is not None:
        weekday, local_start, anchor_tz = option.weekday, option.local_start, option.anchor_tz
        minutes = option.minutes
    else:
        minutes = match.program.session_minutes
    if weekday is None or local_start is None or not anchor_tz:
        raise ValidationError("Pick a slot.")
    a, b = match_people(match)
    start, weeks = period_for(match, now)
    checked = scheduling.slot_evaluate(
        a, b, weekday=weekday, local_start=local_start, anchor_tz=anchor_tz,
        start_date=start, weeks=weeks, minutes=minutes,
    )
    future = [s for s in checked.starts if s > now] if checked else []
    if not future:
        raise ValidationError("You are not both free at that time in every week.")
    SlotProposal.objects.filter(match=match, status=SlotProposal.Status.PROPOSED).update(
        status=SlotProposal.Status.WITHDRAWN
    )
    proposal = SlotProposal.objects.create(
        match=match, proposed_by=by, first_start=future[0], anchor_tz=anchor_tz, minutes=minutes
    )
    partner = match.partner_of(by)
    local = checked.view_for(partner.pk)
    notification_create(
        user=partner.user, kind="slot.proposed",
        text=f"{by.user.public_name} proposes {local.label} ({partner.zone}) for your sessions.",
        url=f"/matches/{match.pk}/schedule/",
    )
    return proposal


@transaction.atomic
def slot_confirm(
    *, proposal: SlotProposal, by: Participant, now: dt.datetime | None = None
) -> list[Session]:
    """The partner confirms: the sessions of the rest of the program are created.

    Future sessions of an earlier slot are cancelled first (a series move).
    """
    now = now or timezone.now()
    proposal = SlotProposal.objects.select_for_update().get(pk=proposal.pk)
    Match.objects.select_for_update().filter(pk=proposal.match_id).first()
    match = _load(proposal.match)
    _check_member(match, by)
    if proposal.status != SlotProposal.Status.PROPOSED:
        raise ValidationError("This proposal is no longer open.")
    if by.pk == proposal.proposed_by_id:
        raise PermissionDenied("Your partner confirms the slot you proposed.")
    proposal.status = SlotProposal.Status.CONFIRMED
    proposal.confirmed_at = now
    proposal.save(update_fields=["status", "confirmed_at"])
    future_sessions_cancel(match=match, now=now)
    sessions = sessions_create_many(items=[(match, proposal)], now=now)
    notification_create(
        user=match.partner_of(by).user, kind="slot.confirmed",
        text=f"{by.user.public_name} confirmed your slot: {len(sessions)} sessions are planned.",
        url=f"/matches/{match.pk}/schedule/",
    )
    return sessions


@transaction.atomic
def slots_confirm_many(
    *, proposals: list[SlotProposal], now: dt.datetime | None = None
) -> list[Session]:
    """Bulk variant of ``slot_confirm`` for many fresh matches (seeding, benchmarks).

    Same rows as ``slot_confirm`` (sessions, attendances, reminders) in one transaction,
    but with bulk inserts and without notifications; each proposal counts as confirmed
    by the partner. Matches must have no earlier sessions.
    """
    now = now or timezone.now()
    ids = [p.pk for p in proposals]
    locked = list(
        SlotProposal.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status=SlotProposal.Status.PROPOSED, match__status=Match.Status.ACTIVE)
        .select_related("match__program")
    )
    SlotProposal.objects.filter(pk__in=[p.pk for p in locked]).update(
        status=SlotProposal.Status.CONFIRMED, confirmed_at=now
    )
    return sessions_create_many(items=[(p.match, p) for p in locked], now=now)
