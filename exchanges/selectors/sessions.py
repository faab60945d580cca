"""Reads for sessions: dashboard, match schedule page, room timer, calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from exchanges.models import Match, Participant, Room, Session, SlotProposal
from exchanges.pure.languages import language_name
from exchanges.pure.local_views import local_view, move_notes
from exchanges.pure.scheduling import Person
from exchanges.pure.weekly_instants import weekly_starts

MEMBER_SESSIONS = (
    "match__participant_a__user",
    "match__participant_b__user",
    "match__participant_a__city",
    "match__participant_b__city",
)


def _of(participant: Participant) -> Q:
    return Q(match__participant_a=participant) | Q(match__participant_b=participant)


def wall_clock(instant: dt.datetime, zone: str) -> dt.datetime:
    """Naive local time in ``zone``: templates would convert an aware one back to UTC."""
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _decorate(session: Session, participant: Participant) -> Session:
    """Attach what templates show: local start, partner, language names (no queries)."""
    partner = session.match.partner_of(participant)
    session.local_start = wall_clock(session.starts_at, participant.zone)
    session.partner_local_start = wall_clock(session.starts_at, partner.zone)
    session.partner = partner
    if session.move_to is not None:
        session.move_local = wall_clock(session.move_to, participant.zone)
        session.move_partner_local = wall_clock(session.move_to, partner.zone)
        session.move_mine = session.move_proposed_by_id == participant.pk
    session.plan_display = [
        {**part, "name": language_name(part["language"])} for part in session.language_plan
    ]
    return session


def sessions_for_dashboard(*, participant, limit: int = 5,
                           now: dt.datetime | None = None) -> list[Session]:
    """The participant's sessions still to come, and first those under way: a session
    stays listed until it ends (``under_way``, with its room's id in ``room_id`` to join
    it), not only until it starts. Two queries."""
    now = now or timezone.now()
    # A partnership ended or blocked during a session leaves that session scheduled (it
    # began, and is settled as such): it is no longer one to join.
    sessions = under_way_then_ahead(
        Session.objects.filter(_of(participant), status=Session.Status.SCHEDULED,
                               match__status=Match.Status.ACTIVE
                               ).select_related(*MEMBER_SESSIONS, "match__room"),
        now=now, limit=limit)
    for session in sessions:
        room = getattr(session.match, "room", None)
        session.room_id = room.pk if room is not None and room.is_open else None
    return [_decorate(s, participant) for s in sessions]


# No session lasts longer: one starting this long before an instant has ended by then.
LONGEST_SESSION = dt.timedelta(hours=4)


def not_yet_ended(sessions, *, now: dt.datetime) -> list[Session]:
    """Of ``sessions`` (a queryset), those that end after ``now``, by start: the database
    narrows them to those begun less than ``LONGEST_SESSION`` ago, each one's own length
    does the rest. One query."""
    return [s for s in sessions.filter(starts_at__gt=now - LONGEST_SESSION).order_by("starts_at")
            if s.starts_at + dt.timedelta(minutes=s.minutes) > now]


def under_way_then_ahead(scheduled, *, now: dt.datetime, limit: int) -> list[Session]:
    """Of the ``scheduled`` sessions, those begun and not yet ended (all of them), then
    the next ``limit`` to start; each marked ``under_way``. Two queries."""
    begun = not_yet_ended(scheduled.filter(starts_at__lt=now), now=now)
    ahead = list(scheduled.filter(starts_at__gte=now).order_by("starts_at")[:limit])
    for session in begun + ahead:
        session.under_way = session.starts_at < now
    return begun + ahead


def match_for_member(*, match_id: int, participant: Participant | None) -> Match | None:
    """The match with both partners loaded, if ``participant`` is one of them."""
    match = (
        Match.objects.select_related(
            "program",
            "participant_a__user",
            "participant_a__city",
            "participant_b__user",
            "participant_b__city",
            "twinning__city_a",
            "twinning__city_b",
        )
        .filter(pk=match_id)
        .first()
    )
    return match if match is not None and match.has_member(participant) else None


@dataclass(frozen=True)
class OptionRow:
    key: str
    mine: object  # local_views.LocalView
    theirs: object
    notes: list[str]
    stable: bool


def schedule_for_member(*, match: Match, participant: Participant, options: list) -> dict:
    """The schedule page: slot options in both local times, pending proposal, sessions."""
    partner = match.partner_of(participant)
    rows = [
        OptionRow(
            key=o.key,
            mine=o.view_for(participant.pk),
            theirs=o.partner_view_for(participant.pk),
            notes=o.notes_for(participant.pk),
            stable=o.is_stable,
        )
        for o in options
    ]
    pending = (
        SlotProposal.objects.filter(match=match, status=SlotProposal.Status.PROPOSED)
        .select_related("proposed_by__user")
        .first()
    )
    now = timezone.now()
    if pending is not None:
        _pending_times(pending, match, participant, partner, now)
    # Those begun stay until they end, not after.
    upcoming = [_decorate(s, participant) for s in not_yet_ended(
        Session.objects.filter(match=match).exclude(status=Session.Status.CANCELLED)
        .select_related(*MEMBER_SESSIONS), now=now)]
    for session in upcoming:
        # One that has begun is listed (the room is on) but can no longer be changed.
        session.changeable = (session.status == Session.Status.SCHEDULED
                              and session.starts_at > now and match.is_active)
    return {
        "match": match,
        "partner": partner,
        "option_rows": rows,
        "pending": pending,
        "upcoming": upcoming,
        "room": Room.objects.filter(match=match).first(),
    }


def _pending_times(pending: SlotProposal, match: Match, participant: Participant,
                   partner: Participant, now: dt.datetime) -> None:
    """What the proposal card shows: the week confirming would plan first (the proposed
    one may have passed), the usual local time of each partner, and the weeks a clock
    change moves it for either (as the slot options say)."""
    starts = tuple(weekly_starts(first_start=pending.first_start, anchor_tz=pending.anchor_tz,
                                 end_date=match.program.end_date, now=now,
                                 start_date=match.program.start_date,
                                 calendars=(participant.zone, partner.zone))) or (
        pending.first_start,)
    pending.first_local = wall_clock(starts[0], participant.zone)
    pending.notes = []
    for person in (participant, partner):
        view = local_view(Person(key=person.pk, name=person.user.public_name,
                                 zone=person.zone, windows=()), starts)
        # The usual time is that of a week the clocks do not move.
        usual = next(local for local in (wall_clock(s, person.zone) for s in starts)
                     if (local.weekday(), local.time()) == (view.weekday, view.start))
        if person == participant:
            pending.local_start = usual
        else:
            pending.partner_local_start = usual
        pending.notes += move_notes(view, reader_key=participant.pk)
    pending.mine = pending.proposed_by_id == participant.pk


def scheduled_starts(*, match: Match, now: dt.datetime | None = None) -> set[dt.datetime]:
    """The starts of the match's sessions still to come (the series it is on)."""
    return set(
        Session.objects.filter(
            match=match, status=Session.Status.SCHEDULED, starts_at__gte=now or timezone.now()
        ).values_list("starts_at", flat=True)
    )


@dataclass(frozen=True)
class BusyTime:
    start: dt.datetime
    end: dt.datetime
    members: frozenset[int]  # the two partners of that session


def busy_times(
    *, participant_ids: Iterable[int], after: dt.datetime, exclude_match_id: int | None = None
) -> list[BusyTime]:
    """The scheduled sessions of these participants' other matches (all their matches
    but ``exclude_match_id``) that end after ``after`` (a person with several partners is
    busy in all their series at once)."""
    ids = list(participant_ids)
    rows = Session.objects.filter(
        Q(match__participant_a_id__in=ids) | Q(match__participant_b_id__in=ids),
        status=Session.Status.SCHEDULED, starts_at__gt=after - LONGEST_SESSION,
    )
    if exclude_match_id is not None:
        rows = rows.exclude(match_id=exclude_match_id)
    busy = [
        BusyTime(start=start, end=start + dt.timedelta(minutes=minutes),
                 members=frozenset((a, b)))
        for start, minutes, a, b in rows.values_list(
            "starts_at", "minutes", "match__participant_a_id", "match__participant_b_id")
    ]
    return [b for b in busy if b.end > after]


def session_for_member(*, session_id: int, participant: Participant | None) -> Session | None:
    """The session of one of ``participant``'s matches, else None."""
    session = Session.objects.select_related(*MEMBER_SESSIONS).filter(pk=session_id).first()
    if session is None or session.match is None or not session.match.has_member(participant):
        return None
    return session


def sessions_for_calendar(*, participant: Participant, days_back: int = 60) -> list[Session]:
    """The participant's sessions; for a pupil, their class's class sessions too."""
    since = timezone.now() - dt.timedelta(days=days_back)
    mine = _of(participant)
    if participant.classroom_id is not None:
        mine |= Q(exchange__classroom_a_id=participant.classroom_id) | Q(
            exchange__classroom_b_id=participant.classroom_id
        )
    return list(
        Session.objects.filter(mine, starts_at__gte=since)
        .select_related(*MEMBER_SESSIONS, "match__room", "exchange__classroom_a__city",
                        "exchange__classroom_b__city", "exchange__room")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class TimerState:
    """What the room timer shows, computed on the server at ``now``."""

    session: Session | None
    phase: str  # "none", "before" (not started) or "running"
    language: str = ""
    language_name: str = ""
    seconds_left: int = 0  # until the start ("before") or the next language / the end
    next_language_name: str = ""


def timer_state(session: Session | None, now: dt.datetime) -> TimerState:
    if session is None:
        return TimerState(session=None, phase="none")
    plan = session.language_plan or [{"language": "", "minutes": session.minutes}]
    names = [language_name(p["language"]) if p["language"] else "" for p in plan]
    if now < session.starts_at:
        return TimerState(
            session=session,
            phase="before",
            language=plan[0]["language"],
            language_name=names[0],
            seconds_left=int((session.starts_at - now).total_seconds()),
        )
    boundary = session.starts_at
    for i, part in enumerate(plan):
        boundary += dt.timedelta(minutes=part["minutes"])
        if now < boundary:
            return TimerState(
                session=session,
                phase="running",
                language=part["language"],
                language_name=names[i],
                seconds_left=int((boundary - now).total_seconds()),
                next_language_name=names[i + 1] if i + 1 < len(names) else "",
            )
    return TimerState(session=None, phase="none")


def held_in(room: Room, prefix: str = "") -> Q:
    """A filter for the sessions held in the room (``prefix`` reaches them from another
    model): the match's, or for a class room or a pupil group's room, the exchange's class
    sessions. From the room's own columns, so a match or class room costs no join (every
    socket's join reads it)."""
    if room.match_id is not None:
        return Q(**{f"{prefix}match_id": room.match_id})
    if room.exchange_id is not None:
        return Q(**{f"{prefix}exchange_id": room.exchange_id})
    return Q(**{f"{prefix}exchange__pupil_pairings__groups__room": room})


def session_for_room_timer(*, room: Room, now: dt.datetime) -> Session | None:
    """The room's current or next session (None when there is none, or the room is
    closed: nobody meets there any more): the match's, or for a class room or a pupil
    group's room, the exchange's class session."""
    if not room.is_open:
        return None
    candidates = Session.objects.filter(
        held_in(room),
        status=Session.Status.SCHEDULED,
        starts_at__gt=now - LONGEST_SESSION,
    ).order_by("starts_at")[:3]
    return next(
        (s for s in candidates if s.starts_at + dt.timedelta(minutes=s.minutes) > now), None
    )
