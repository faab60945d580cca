"""Benchmark: schedule a program's sessions for many active matches, then a day's reminders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumelage_bench \\
        python -m benchmarks.scheduling --matches 10000 --weeks 12 --json

Empties the configured (scratch!) database, creates its own data (bulk_create), then
times:

* ``schedule_seconds``: for every match, the slot is checked on real instants against
  both partners' windows (``scheduling.slot_evaluate``), proposed (bulk) and confirmed
  with ``slots_confirm_many`` — the bulk variant of ``slot_confirm`` writing the same
  rows (sessions, and the reminders due within the 48 h horizon) through the same
  builders; attendance rows are created lazily (first join, settling);
* ``materialize_seconds``: ``reminders_materialize`` (what the per-minute reminder task
  runs before claiming) creating the reminder rows due by the end of the program's first
  day, as the beat does 48 h ahead; ``materialize_noop_seconds``: the same run again,
  with nothing missing (the steady-state cost of each per-minute run);
* ``reminders_per_second``: ``reminders_send_due`` claiming and sending (locmem e-mail)
  the reminders due by the end of the program's first day;
* ``per_match_service_seconds_extrapolated``: the per-match services ``slot_propose`` +
  ``slot_confirm`` on ``--sample`` matches, extrapolated;
* ``baseline_seconds_extrapolated``: the naive path of the original design (one
  ``save()`` per session, attendance and reminder row of the whole program) on
  ``--sample`` matches, extrapolated.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
import uuid


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    # A scratch database: start empty so that only this run's reminders are due.
    call_command("flush", interactive=False, verbosity=0)


ZONE_PAIRS = [
    ("Europe/London", "Europe/Berlin"),
    ("America/New_York", "Europe/Paris"),
    ("Europe/Madrid", "America/Chicago"),
    ("Asia/Tokyo", "America/Los_Angeles"),
]


def _create(n_matches: int, weeks: int, tag: str):
    """Cities, a program, 2n participants with languages and windows, n active matches."""
    from django.utils import timezone

    from exchanges import models as m

    now = timezone.now()
    program = m.Program.objects.create(
        name=f"Bench {tag}",
        slug=f"bench-{tag}",
        start_date=now.date() + dt.timedelta(days=7),
        weeks=weeks,
    )
    cities = {}
    for i, zone in enumerate({z for pair in ZONE_PAIRS for z in pair}):
        cities[zone] = m.City.objects.create(name=f"Bench {tag} {i}", country="GB", tz=zone)
    twinning = m.Twinning.objects.create(
        city_a=cities["Europe/London"], city_b=cities["Europe/Berlin"]
    )
    users = m.User.objects.bulk_create(
        [m.User(email=f"bench-{tag}-{i}@example.test", password="!") for i in range(2 * n_matches)],
        batch_size=5000,
    )
    zones = [ZONE_PAIRS[(i // 2) % len(ZONE_PAIRS)][i % 2] for i in range(2 * n_matches)]
    people = m.Participant.objects.bulk_create(
        [m.Participant(user=u, city=cities[z], tz=z) for u, z in zip(users, zones, strict=True)],
        batch_size=5000,
    )
    languages, windows = [], []
    for i, p in enumerate(people):
        mine, theirs = ("en", "de") if i % 2 == 0 else ("de", "en")
        languages += [
            m.ParticipantLanguage(participant=p, code=mine, level="native", learning=False),
            m.ParticipantLanguage(participant=p, code=theirs, level="B1", learning=True),
        ]
        # Wide windows every day: every zone pair above shares one hour each week.
        windows += [
            m.AvailabilityWindow(participant=p, weekday=d, start=dt.time(0), end=dt.time(23, 59))
            for d in range(7)
        ]
    m.ParticipantLanguage.objects.bulk_create(languages, batch_size=10000)
    m.AvailabilityWindow.objects.bulk_create(windows, batch_size=10000)
    matches = m.Match.objects.bulk_create(
        [
            m.Match(
                program=program,
                twinning=twinning,
                participant_a=people[2 * i],
                participant_b=people[2 * i + 1],
                status=m.Match.Status.ACTIVE,
                activated_at=now,
            )
            for i in range(n_matches)
        ],
        batch_size=5000,
    )
    _analyze()
    return program, matches


def _analyze() -> None:
    """Planner statistics for the rows just loaded, as a live database has them.

    Without them PostgreSQL estimates the freshly filled tables as empty and joins the
    10 000 proposals to their matches with a nested loop scanning all pairs (~1-4 s).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _schedule_bulk(matches, program) -> tuple[int, float]:
    from exchanges.models import AvailabilityWindow, Match, SlotProposal
    from exchanges.pure import scheduling
    from exchanges.services.slots import period_for
    from exchanges.services.slots_bulk import slots_confirm_many

    started = time.perf_counter()
    ids = [match.pk for match in matches]
    # Values, not model instances (what a bulk path reads for 10 000 matches).
    loaded = list(
        Match.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk", "participant_a_id", "participant_a__tz", "participant_b_id", "participant_b__tz"
        )
    )
    windows: dict[int, list] = {}
    for pid, weekday, begin, end in AvailabilityWindow.objects.filter(
        participant__in=[p for row in loaded for p in (row[1], row[3])]
    ).values_list("participant_id", "weekday", "start", "end"):
        windows.setdefault(pid, []).append(scheduling.Window(weekday, begin, end))
    start, weeks = period_for(matches[0])
    proposals = []
    for i, (match_id, a_id, a_tz, b_id, b_tz) in enumerate(loaded):
        a, b = (
            scheduling.Person(key=pid, name="", zone=tz, windows=tuple(windows[pid]))
            for pid, tz in ((a_id, a_tz), (b_id, b_tz))
        )
        option = scheduling.slot_evaluate(
            a,
            b,
            weekday=i % 5,
            local_start=dt.time(12),
            anchor_tz=a.zone,
            start_date=start,
            weeks=weeks,
            minutes=program.session_minutes,
        )
        proposals.append(
            SlotProposal(
                match_id=match_id,
                proposed_by_id=a.key,
                first_start=option.starts[0],
                anchor_tz=a.zone,
                minutes=option.minutes,
            )
        )
    SlotProposal.objects.bulk_create(proposals, batch_size=5000)
    created = slots_confirm_many(proposals=proposals)
    return created, time.perf_counter() - started


def _per_match_services(matches) -> float:
    from exchanges.services.slots import slot_confirm, slot_propose

    started = time.perf_counter()
    for i, match in enumerate(matches):
        match.refresh_from_db()
        proposal = slot_propose(
            match=match,
            by=match.participant_a,
            weekday=i % 5,
            local_start=dt.time(12),
            anchor_tz=match.participant_a.tz,
        )
        slot_confirm(proposal=proposal, by=match.participant_b)
    return time.perf_counter() - started


def _naive(matches, program) -> float:
    """One save() per session, attendance and reminder row: what the bulk path replaces."""
    from django.db import transaction
    from django.utils import timezone

    from exchanges.models import Attendance, Reminder, Session
    from exchanges.models.sessions import REMINDER_OFFSETS

    started = time.perf_counter()
    first = dt.datetime.combine(program.start_date, dt.time(12), tzinfo=dt.UTC)
    with transaction.atomic():
        for match in matches:
            for week in range(program.weeks):
                session = Session(match=match, starts_at=first + dt.timedelta(weeks=week))
                session.save()
                for pid in (match.participant_a_id, match.participant_b_id):
                    Attendance(session=session, participant_id=pid).save()
                    for kind, delta in REMINDER_OFFSETS.items():
                        if session.starts_at - delta > timezone.now():
                            Reminder(
                                session=session,
                                participant_id=pid,
                                kind=kind,
                                send_at=session.starts_at - delta,
                            ).save()
    return time.perf_counter() - started


def _send_reminders(program, batch_size: int) -> dict:
    """Materialize (as the beat does, 48 h ahead), then claim and send a day's reminders."""
    from exchanges.models import Reminder
    from exchanges.services.reminders import reminders_materialize, reminders_send_due
    from exchanges.services.session_series import REMINDER_HORIZON

    day_end = dt.datetime.combine(
        program.start_date + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
    )
    # Every reminder due by day_end exists once the beat has run at day_end - horizon.
    before = Reminder.objects.count()
    started = time.perf_counter()
    reminders_materialize(now=day_end - REMINDER_HORIZON)
    materialize_seconds = time.perf_counter() - started
    materialized = Reminder.objects.count() - before
    started = time.perf_counter()
    again = reminders_materialize(now=day_end - REMINDER_HORIZON)
    noop_seconds = time.perf_counter() - started
    assert again == 0, again
    started = time.perf_counter()
    sent = reminders_send_due(now=day_end, batch_size=batch_size, max_batches=10**6)
    return {
        "materialized": materialized,
        "materialize_seconds": materialize_seconds,
        "materialize_noop_seconds": noop_seconds,
        "sent": sent,
        "seconds": time.perf_counter() - started,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=10000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--sample", type=int, default=500, help="matches for the baselines")
    parser.add_argument("--reminder-batch", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print JSON only (the default)")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    tag = uuid.uuid4().hex[:8]
    program, matches = _create(args.matches, args.weeks, tag)
    n_sessions, schedule_seconds = _schedule_bulk(matches, program)
    from exchanges.models import Attendance, Reminder

    confirm_reminders = Reminder.objects.count()
    confirm_attendances = Attendance.objects.count()
    reminders = _send_reminders(program, args.reminder_batch)
    sent, reminder_seconds = reminders["sent"], reminders["seconds"]
    # Baselines on fresh matches of their own.
    sample_program, sample = _create(args.sample, args.weeks, tag + "s")
    service_seconds = _per_match_services(sample[: args.sample // 2])
    naive_seconds = _naive(sample[args.sample // 2 :], sample_program)
    half = max(1, args.sample // 2)
    result = {
        "database": connection.vendor,
        "matches": args.matches,
        "weeks": args.weeks,
        "sessions": n_sessions,
        "schedule_seconds": round(schedule_seconds, 2),
        "schedule_goal_seconds": 10,
        "rows_at_confirm": {
            "sessions": n_sessions,
            "reminders": confirm_reminders,
            "attendances": confirm_attendances,
        },
        "reminders_materialized": reminders["materialized"],
        "materialize_seconds": round(reminders["materialize_seconds"], 2),
        "materialize_noop_seconds": round(reminders["materialize_noop_seconds"], 3),
        "reminders": sent,
        "reminder_batch": args.reminder_batch,
        "reminders_seconds": round(reminder_seconds, 2),
        "reminders_per_second": round(sent / reminder_seconds, 1) if reminder_seconds else None,
        "per_match_service_seconds_extrapolated": round(service_seconds / half * args.matches, 1),
        "baseline_sample_matches": args.sample - half,
        "baseline_seconds_extrapolated": round(
            naive_seconds / (args.sample - half) * args.matches, 1
        ),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
