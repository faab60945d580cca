"""Weekly slots for an active match: list the options, propose one, confirm it.

The computation is :mod:`exchanges.pure.scheduling` (pure); this module adapts the rows to it
and writes. One partner proposes; the other confirms, which creates the sessions of the
rest of the program in the same transaction. Proposing again withdraws the pending
proposal; confirming a new slot replaces the future sessions of the old one.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    AvailabilityWindow,
    Match,
    Participant,
    Session,
    SlotProposal,
    Twinning,
)
from exchanges.pure import scheduling
from exchanges.pure.weekly_instants import overlaps_any, weekly_starts
from exchanges.selectors.notification_text import Message, weekly_param
from exchanges.selectors.sessions import busy_times, scheduled_starts
from exchanges.services.notifications import notification_create
from exchanges.services.session_series import (
    future_sessions_cancel,
    member_zones,
    members_lock,
    program_lock,
    series_starts,
    sessions_create_many,
)


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
        "program",
        "twinning",
        "participant_a__user",
        "participant_a__city",
        "participant_b__user",
        "participant_b__city",
    ).get(pk=match.pk)


def slot_options(
    *, match: Match, minutes: int | None = None, now: dt.datetime | None = None
) -> list[scheduling.SlotOption]:
    """The weekly slots both partners have free in every remaining week, most stable first;
    not the slot the series is already on (moving onto it would change nothing)."""
    match = _load(match)
    a, b = match_people(match)
    start, weeks = period_for(match, now)
    options = scheduling.slot_options(
        a, b, start_date=start, weeks=weeks, minutes=minutes or match.program.session_minutes
    )
    now = now or timezone.now()
    booked = scheduled_starts(match=match, now=now)
    busy = _busy_elsewhere(match, now)
    offered = []
    for option in options:
        if overlaps_any(option.starts, option.minutes, busy):
            continue
        planned = _in_program(match, option.starts, option.anchor_tz, now)
        # A slot meeting the series in some weeks only (those in which one partner's
        # clocks have changed and the other's not) still moves the others.
        if planned and not _changes_nothing(planned, booked):
            offered.append(option)
    return offered


def _changes_nothing(planned: list[dt.datetime], booked: set[dt.datetime]) -> bool:
    """Whether every session a slot would plan is planned already: it is the series'."""
    return set(planned) <= booked


def _in_program(match: Match, starts, anchor_tz: str, now: dt.datetime) -> list[dt.datetime]:
    """The sessions the slot would have: its weeks still ahead inside the program on both
    partners' calendars. The period checked runs whole weeks in the anchor zone, so its
    first may fall before the program's start for one partner, its last past its end."""
    future = [start for start in starts if start > now]
    if not future:
        return []
    return weekly_starts(first_start=future[0], anchor_tz=anchor_tz,
                         end_date=match.program.end_date, now=now,
                         start_date=match.program.start_date, calendars=member_zones(match))


def _no_week_left(match: Match) -> ValidationError:
    return ValidationError(
        _("The program's last day is %(date)s: that slot has no session left by then.")
        % {"date": formats.date_format(match.program.last_day, "DATE_FORMAT")}
    )


def _busy_elsewhere(match: Match, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """When either partner meets another partner: a weekly slot of this match must not
    overlap those sessions in any week (their windows are the same for every match)."""
    return [
        (busy.start, busy.end)
        for busy in busy_times(participant_ids=(match.participant_a_id, match.participant_b_id),
                               after=now, exclude_match_id=match.pk)
    ]


def _check_member(match: Match, by: Participant) -> None:
    if not match.has_member(by):
        raise PermissionDenied(_("Only the two partners can schedule this match."))
    if match.has_ended:
        raise ValidationError(_("This partnership has ended: no sessions can be scheduled."))
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(_("Sessions can be scheduled once the match is active."))
    if match.twinning.status != Twinning.Status.ACTIVE:
        raise ValidationError(
            _("The twinning %(twinning)s is %(status)s: no sessions can be scheduled across it "
              "until it is active again.") % {
                "twinning": match.twinning,
                "status": match.twinning.get_status_display().lower(),
            }
        )


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
        raise ValidationError(_("Pick a slot."))
    if anchor_tz not in scheduling.known_zones():
        # zoneinfo raises OSError, not a refusal, for some names ("Europe").
        raise ValidationError(_("Pick a slot in a known time zone."))
    a, b = match_people(match)
    start, weeks = period_for(match, now)
    checked = scheduling.slot_evaluate(
        a,
        b,
        weekday=weekday,
        local_start=local_start,
        anchor_tz=anchor_tz,
        start_date=start,
        weeks=weeks,
        minutes=minutes,
    )
    future = [s for s in checked.starts if s > now] if checked else []
    if not future or overlaps_any(future, minutes, _busy_elsewhere(match, now)):
        raise ValidationError(_("You are not both free at that time in every week."))
    planned = _in_program(match, future, anchor_tz, now)
    if not planned:
        raise _no_week_left(match)
    if _changes_nothing(planned, scheduled_starts(match=match, now=now)):
        # Not offered (slot_options): a page opened before the series was confirmed.
        # Confirmed, it would cancel and re-create every session to change nothing.
        raise ValidationError(_("Your sessions are already on that slot: pick another one."))
    pending = SlotProposal.objects.filter(match=match, status=SlotProposal.Status.PROPOSED)
    # The first session confirming would plan (not a week outside the program).
    first_start = planned[0]
    same = pending.filter(
        proposed_by=by, first_start=first_start, anchor_tz=anchor_tz, minutes=minutes
    ).first()
    if same is not None:
        # A double click or a second tab: the partner is asked once, and a page already
        # showing this proposal can still confirm it.
        return same
    pending.update(status=SlotProposal.Status.WITHDRAWN)
    proposal = SlotProposal.objects.create(
        match=match, proposed_by=by, first_start=first_start, anchor_tz=anchor_tz,
        minutes=minutes,
    )
    partner = match.partner_of(by)
    local = checked.view_for(partner.pk)
    notification_create(
        user=partner.user,
        kind="slot.proposed",
        message=gettext_noop("%(name)s proposes %(slot)s (%(zone)s) for your sessions."),
        params={"name": by.user.public_name, "zone": partner.zone,
                "slot": weekly_param(local.weekday, local.start)},
        url=reverse("match_schedule", args=[match.pk]),
    )
    return proposal


def series_move(*, match: Match, by: Participant, **slot) -> SlotProposal:
    """Propose a new weekly slot for the rest of the program.

    Takes ``option=`` or ``weekday=, local_start=, anchor_tz=`` like ``slot_propose``. The
    series moves when the partner confirms: ``slot_confirm`` then cancels the future
    sessions of the old slot (STATUS:CANCELLED in calendars) and creates the new ones.
    """
    return slot_propose(match=match, by=by, **slot)


@transaction.atomic
def slot_confirm(
    *, proposal: SlotProposal, by: Participant, now: dt.datetime | None = None
) -> list[Session]:
    """The partner confirms: the sessions of the rest of the program are created.

    Future sessions of an earlier slot are cancelled first (a series move).
    """
    now = now or timezone.now()
    # The program's dates hold until the series is created (a match never changes program).
    program_lock(Match.objects.filter(pk=proposal.match_id).values_list("program_id",
                                                                       flat=True).first())
    # The match first, then the proposal, as slot_propose takes them: in the opposite
    # order a confirm racing a new proposal deadlocks with it.
    Match.objects.select_for_update().filter(pk=proposal.match_id).first()
    proposal = SlotProposal.objects.select_for_update().get(pk=proposal.pk)
    match = _load(proposal.match)
    _check_member(match, by)
    if by.pk == proposal.proposed_by_id:
        raise PermissionDenied(_("Your partner confirms the slot you proposed."))
    if proposal.status == SlotProposal.Status.CONFIRMED:
        # A double click or a second tab: while the series is on this slot, confirming
        # it again is done already (nothing is written, the partner was told once).
        planned = list(Session.objects.filter(slot=proposal, status=Session.Status.SCHEDULED,
                                              starts_at__gt=now))
        if planned:
            return planned
    if proposal.status != SlotProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal is no longer open."))
    starts = series_starts(proposal=proposal, match=match, now=now)
    if not starts:  # the old series would be replaced by nothing
        raise _no_week_left(match)
    proposal.status = SlotProposal.Status.CONFIRMED
    proposal.confirmed_at = now
    proposal.save(update_fields=["status", "confirmed_at"])
    future_sessions_cancel(match=match, now=now)
    # Either partner may have taken the time with someone else since it was proposed.
    # Their rows are locked after this match's sessions, as a session's change takes
    # them, so that two of their matches cannot take one hour at once (a refusal rolls
    # the cancelling back).
    members_lock(match)
    if overlaps_any(starts, proposal.minutes, _busy_elsewhere(match, now)):
        raise ValidationError(_("You are not both free at that time in every week."))
    sessions = sessions_create_many(items=[(match, proposal)], now=now)
    partner_user = match.partner_of(by).user
    notification_create(
        user=partner_user,
        kind="slot.confirmed",
        message=Message.ngettext(
            "%(name)s confirmed your slot: %(count)d session is planned.",
            "%(name)s confirmed your slot: %(count)d sessions are planned.",
            "count",
        ),
        params={"name": by.user.public_name, "count": len(sessions)},
        url=reverse("match_schedule", args=[match.pk]),
    )
    return sessions
