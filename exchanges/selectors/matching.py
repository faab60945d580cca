"""Reads that feed the matching engine: who is eligible, with what, and who must not meet.

Built from a handful of flat ``values_list`` queries (no model instances) because a
program can hold a hundred thousand participants.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from exchanges.models import (
    AvailabilityWindow,
    Block,
    Match,
    Participant,
    ParticipantLanguage,
    Program,
    Session,
    Twinning,
)
from exchanges.pure.booked_windows import weekly_busy, windows_left
from exchanges.pure.scheduling import Window
from exchanges.pure.window_ends import end_text
from exchanges.selectors.sessions import LONGEST_SESSION

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LIVE = [Match.Status.PROPOSED, Match.Status.ACTIVE]
# services/twinning_cascade.py ends a twinning's proposals with "twinning <status>".
WITHDRAWN_BY_TWINNING = Q(
    status=Match.Status.ENDED, activated_at__isnull=True, ended_reason__startswith="twinning "
)


def matching_run_refusal(*, program: Program, twinnings: list[Twinning] | None = None) -> str:
    """Why no matching run is open to ``program`` now, in the active language; "" when one
    is. A classroom program pairs its pupils inside its class exchanges, an ended program
    takes no new pairs, nor one that ends (in any of its cities) before a proposal made now
    would lapse, and one whose twinnings are all suspended or terminated has nobody to
    pair. ``twinnings``: all the program's twinnings, when the caller has read them (the
    dashboard has: one query fewer)."""
    if program.kind == Program.Kind.CLASSROOM:
        return _("No matching run for a classroom program: teachers pair their pupils "
                 "inside their class exchanges.")
    now = timezone.now()
    if program.ended_at(now):
        # Named by its last day, as the dashboard card names it.
        return _("No matching run: the program has ended (%(date)s).") % {
            "date": date_format(program.last_day, "DATE_FORMAT"),
        }
    if not program.takes_proposals(now):
        return _("No matching run: the program's last day is %(date)s, so a proposal made "
                 "now could not be accepted for the %(days)s days it waits for answers.") % {
            "date": date_format(program.last_day, "DATE_FORMAT"), "days": Match.ANSWER_DAYS,
        }
    if twinnings is not None:
        any_active = any(t.status == Twinning.Status.ACTIVE for t in twinnings)
    else:
        any_active = program.twinnings.filter(status=Twinning.Status.ACTIVE).exists()
    if not any_active:
        # A run would consider nobody: its people live in the cities of active twinnings.
        return _("No matching run while none of the program's twinnings is active: "
                 "a run can start again once one is.")
    return ""


def program_active_twinnings(*, program: Program) -> list[Twinning]:
    return list(program.twinnings.filter(status=Twinning.Status.ACTIVE))


def _enrolled(program: Program):
    """Enrolled, onboarded people who live in a city of the program's active twinnings
    and have not paused new matches.

    Pupils are paired only inside their class's exchange, never by a program's run; an
    account an administrator deactivated cannot sign in to answer, so it is not proposed.
    """
    twinnings = program_active_twinnings(program=program)
    cities = {t.city_a_id for t in twinnings} | {t.city_b_id for t in twinnings}
    return Participant.objects.filter(
        programs=program, onboarded_at__isnull=False, city_id__in=cities, matching_paused=False,
        user__is_active=True,
    ).exclude(user__is_pupil=True)


def participants_with_free_capacity(*, program: Program) -> dict[int, int]:
    """Participant id → free places (capacity minus proposed and active matches)."""
    rows = (
        _enrolled(program)
        .annotate(
            live_a=Count("matches_as_a", filter=Q(matches_as_a__status__in=LIVE), distinct=True),
            live_b=Count("matches_as_b", filter=Q(matches_as_b__status__in=LIVE), distinct=True),
        )
        .values_list("id", "capacity", "live_a", "live_b")
    )
    return {pk: cap - a - b for pk, cap, a, b in rows if cap - a - b > 0}


def exclusions_among(*, program: Program, participant_ids: set[int]) -> list[tuple[int, int]]:
    """Pairs that must not be proposed: blocks, earlier declines, and any other match
    but a proposal that a twinning's halt withdrew.

    Only rows whose two people are both enrolled in the program are read (subqueries, so
    the database filters and SQLite's bound-parameter cap does not apply).
    """
    enrolled = _enrolled(program).values("id")
    pairs = set()
    for a, b in Block.objects.filter(
        blocker_id__in=enrolled, blocked_id__in=enrolled
    ).values_list("blocker_id", "blocked_id"):
        pairs.add((min(a, b), max(a, b)))
    # Declined pairs stay apart; live and ended pairs are not proposed to each other again.
    # A proposal a twinning's suspension or termination withdrew was nobody's choice: the
    # pair may be proposed again once the twinning is active (as its reactivation says).
    for a, b in Match.objects.filter(
        participant_a_id__in=enrolled, participant_b_id__in=enrolled
    ).exclude(WITHDRAWN_BY_TWINNING).values_list("participant_a_id", "participant_b_id"):
        pairs.add((min(a, b), max(a, b)))
    return sorted(p for p in pairs if p[0] in participant_ids and p[1] in participant_ids)


def _partnership_changes(enrolled) -> dict:
    """Participant id → the last time a partnership of theirs began or ended: their wait
    for a (further) partner counts from then, not from sign-up, so that an ended
    partnership does not read as months of waiting ("you came first") and a new
    partner resets the clock. A proposal that was declined or lapsed changes nothing:
    the person kept waiting."""
    latest: dict[int, object] = {}
    for a, b, activated, ended in Match.objects.filter(
        Q(participant_a_id__in=enrolled) | Q(participant_b_id__in=enrolled),
        activated_at__isnull=False,
    ).values_list("participant_a_id", "participant_b_id", "activated_at", "ended_at"):
        changed = max(activated, ended) if ended else activated
        for pid in (a, b):
            if pid not in latest or latest[pid] < changed:
                latest[pid] = changed
    return latest


def booked_sessions(*, program: Program, enrolled) -> dict[int, list[tuple[dt.datetime, int]]]:
    """Participant id → (start, minutes) of the scheduled sessions of their live matches
    (in any program) that overlap ``program``'s period, read in one query for all of
    ``enrolled`` (a subquery of ids). The period's dates are local to each city: a day's
    margin either side covers every zone."""
    first = dt.datetime.combine(program.start_date - dt.timedelta(days=1), dt.time(),
                                tzinfo=dt.UTC)
    last = dt.datetime.combine(program.end_date + dt.timedelta(days=1), dt.time(),
                               tzinfo=dt.UTC)
    booked = defaultdict(list)
    for start, minutes, a, b in Session.objects.filter(
        Q(match__participant_a_id__in=enrolled) | Q(match__participant_b_id__in=enrolled),
        match__status__in=LIVE, status=Session.Status.SCHEDULED,
        starts_at__gt=first - LONGEST_SESSION, starts_at__lt=last,
    ).values_list("starts_at", "minutes", "match__participant_a_id",
                  "match__participant_b_id"):
        if start + dt.timedelta(minutes=minutes) > first:
            booked[a].append((start, minutes))
            booked[b].append((start, minutes))
    return booked


def _weekly(windows: list[Window]) -> list[dict]:
    # The engine reads an end of "24:00" as the midnight closing the day.
    return [{"day": _DAYS[w.weekday], "start": f"{w.start:%H:%M}", "end": end_text(w.end)}
            for w in windows]


def matching_instance(*, program: Program, free: dict[int, int]) -> dict:
    """The engine's JSON instance (see matching/README: the CLI contract)."""
    ids = set(free)
    twinnings = program_active_twinnings(program=program)
    # Filter with a subquery, not ``id IN (…)``: SQLite caps bound parameters.
    enrolled = _enrolled(program).values("id")
    languages = defaultdict(list)
    for pid, code, level, learning in ParticipantLanguage.objects.filter(
        participant_id__in=enrolled
    ).values_list("participant_id", "code", "level", "learning"):
        entry = {"code": code, "level": level}
        if learning:
            entry["learning"] = True
        languages[pid].append(entry)
    windows = defaultdict(list)
    for pid, day, start, end in AvailabilityWindow.objects.filter(
        participant_id__in=enrolled
    ).values_list("participant_id", "weekday", "start", "end"):
        windows[pid].append(Window(weekday=day, start=start, end=end))
    booked = booked_sessions(program=program, enrolled=enrolled)
    waited_from = _partnership_changes(enrolled)
    interests = defaultdict(list)
    for pid, name in Participant.interests.through.objects.filter(
        participant_id__in=enrolled
    ).values_list("participant_id", "interest__name"):
        interests[pid].append(name)
    now = timezone.now()
    people = []
    for pid, city_id, tz, city_tz, birth_year, classroom_id, consent, waiting_since in (
        Participant.objects.filter(id__in=enrolled)
        .order_by("id")
        .values_list("id", "city_id", "tz", "city__tz", "birth_year", "classroom_id",
                     "guardian_consent", "waiting_since")
    ):
        if pid not in ids or birth_year is None or not languages[pid]:
            continue
        # The weekly times of their series with earlier partners are not free for a new one.
        free_windows = windows_left(
            windows[pid], weekly_busy(booked.get(pid, ()), tz or city_tz),
            shortest=program.session_minutes,
        )
        people.append({
            "id": str(pid),
            "city": str(city_id),
            "birth_year": birth_year,
            "capacity": free[pid],
            "via_class": classroom_id is not None,
            "guardian_consent": consent,
            "languages": languages[pid],
            "interests": interests[pid],
            "waiting_days": max(0, (now - max(waiting_since, waited_from.get(pid, waiting_since))
                                    ).days),
            "availability": {"tz": tz or city_tz, "weekly": _weekly(free_windows)},
        })
    return {
        "kind": program.kind,
        "session_minutes": program.session_minutes,
        "period": {"start": program.start_date.isoformat(), "weeks": program.weeks},
        "twinnings": [[str(t.city_a_id), str(t.city_b_id)] for t in twinnings],
        "participants": people,
        "exclusions": [
            [str(a), str(b)] for a, b in exclusions_among(program=program, participant_ids=ids)
        ],
    }
