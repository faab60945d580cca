"""Benchmark: the officer's dashboard, the JSON export and the transparency page on a big
program, against the same figures computed by plain queries without the summaries.

    createdb -h 127.0.0.1 -U postgres jumelage_bench_metrics
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumelage_bench_metrics DJANGO_DEBUG=1 \\
        .venv/bin/python -m benchmarks.officer_metrics --participants 100000 --messages 1000000

Needs PostgreSQL and a scratch database: it refuses to run on a database that already has
participants, sessions or messages unless ``--force`` (which empties it first). It seeds
with COPY: one program over 10 twinnings, ``--participants`` people (a learned language
each, profiles completed over half a year), 80 % of them paired (90 % of the pairs
accepted), weekly sessions from activation (held, missed, cancelled, still to come) with
attendance and presence stretches, and ``--messages`` messages spread over the rooms.
Then it builds the summaries as the nightly beat does (``metrics_refresh(full=True)``,
timed), and measures, each ``--repeat`` times through Django's test client as a logged-in
officer: the dashboard, ``metrics.json`` and (when it exists) ``/transparency/``, taking
turns: p50, p95, the number of queries, and the CPU per request of this process and of the
PostgreSQL backend serving it (from /proc; CPU moves less than wall time with the load).
The baseline computes the program's totals from the source
tables (attendance, presence stretches, matches, messages) with plain SQL
(``benchmarks/officer_metrics_baseline.py``), timed the same way; ``same_figures`` says
whether both give the same numbers. Prints one JSON object, with the load averages before
and after.

``--seed-only`` seeds and stops; ``--reuse`` measures a database seeded before (after a
full refresh, timed, unless ``--no-refresh``), so a run after a code change need not seed
again.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
import uuid

TWINNINGS = 10
PAIRED = 0.8
ACCEPTED = 0.9
SESSION_MINUTES = 60
PASSWORD = "pbkdf2_sha256$600000$bench$not-a-usable-password-hash="


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def _has_data() -> bool:
    from exchanges.models import Message, Participant, Session

    return any(m.objects.exists() for m in (Participant, Session, Message))


class Copier:
    """COPY rows into a model's table, filling the fields not given with their defaults
    (ids are given: the database is empty, and sequences are moved past them at the end)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def copy(self, model, names: list[str], rows) -> int:
        fields = [f for f in model._meta.concrete_fields]
        given = {name: i for i, name in enumerate(names)}
        constant = {}
        for f in fields:
            if f.attname in given:
                continue
            if f.has_default() and callable(f.default):
                constant[f.attname] = None  # called per row below
            else:
                # The field's default, "" for text without one, None when nullable.
                constant[f.attname] = f.get_default()
                if constant[f.attname] is None and not f.null:
                    raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        columns = ", ".join(f'"{f.column}"' for f in fields)
        count = 0
        with self.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as cp:
            for row in rows:
                out = []
                for f in fields:
                    if f.attname in given:
                        value = row[given[f.attname]]
                    elif callable(f.default) and f.has_default():
                        value = f.get_default()
                    else:
                        value = constant[f.attname]
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value)
                    out.append(value)
                cp.write_row(out)
                count += 1
        return count


def seed(n_people: int, n_messages: int, sessions_per_match: int, seed_value: int) -> dict:
    """Create the data set; returns the program and what was made."""
    from django.contrib.auth.models import Group
    from django.db import DatabaseError, connection, transaction

    from exchanges import models as m

    rnd = random.Random(seed_value)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(weeks=30)
    made = {}
    with transaction.atomic():
        cities = [
            m.City.objects.create(name=f"Bench city {i}", country="GB" if i % 2 == 0 else "DE",
                                  tz="Europe/London" if i % 2 == 0 else "Europe/Berlin")
            for i in range(2 * TWINNINGS)
        ]
        twinnings = [
            m.Twinning.objects.create(city_a=cities[2 * i], city_b=cities[2 * i + 1])
            for i in range(TWINNINGS)
        ]
        program = m.Program.objects.create(
            name="Bench program", slug="bench-program", start_date=start.date(), weeks=40
        )
        program.twinnings.set(twinnings)
        officer = m.User.objects.create_user(email="officer@bench.test", password="x")
        officer.groups.add(Group.objects.get_or_create(name=m.Role.OFFICER)[0])
        program.officers.add(officer)
        base = officer.pk + 1
        with connection.cursor() as cursor:
            # The rows below are consistent by construction: skip the per-row foreign-key
            # triggers (checked at commit, they took longer than the COPYs). Only a
            # superuser may; anyone else seeds with the checks on.
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass
            copier = Copier(cursor)
            joined = {}
            users, people, links, languages = [], [], [], []
            for i in range(n_people):
                uid, pid = base + i, i + 1
                twin = i % TWINNINGS
                city = cities[2 * twin + (i // TWINNINGS) % 2]
                joined[pid] = start + dt.timedelta(seconds=rnd.randrange(26 * 7 * 86400))
                users.append((uid, PASSWORD, f"p{i}@bench.test", f"P{i}", joined[pid]))
                people.append((pid, uid, city.pk, city.tz, 1960 + rnd.randrange(45),
                               joined[pid], joined[pid], uuid.uuid4().hex))
                links.append((pid, pid, program.pk))
                languages.append((pid, pid, "de" if city.country == "GB" else "en", "B1", True))
            copier.copy(m.User, ["id", "password", "email", "display_name", "date_joined"], users)
            made["participants"] = copier.copy(
                m.Participant,
                ["id", "user_id", "city_id", "tz", "birth_year", "onboarded_at", "created_at",
                 "calendar_token"],
                people,
            )
            copier.copy(m.Participant.programs.through, ["id", "participant_id", "program_id"],
                        links)
            copier.copy(m.ParticipantLanguage,
                        ["id", "participant_id", "code", "level", "learning"], languages)

            # Pairs: person i (city a of its twinning) with person i + TWINNINGS (city b).
            matches, rooms, active = [], [], []
            paired = int(n_people * PAIRED) // (2 * TWINNINGS) * (2 * TWINNINGS)
            for block in range(0, paired, 2 * TWINNINGS):
                for t in range(TWINNINGS):
                    a, b = block + t + 1, block + t + TWINNINGS + 1
                    mid = len(matches) + 1
                    created = max(joined[a], joined[b]) + dt.timedelta(days=rnd.randrange(1, 20))
                    if rnd.random() < ACCEPTED:
                        act = created + dt.timedelta(days=rnd.randrange(0, 6))
                        matches.append((mid, program.pk, twinnings[t].pk, a, b, "active",
                                        created, act, act, act))
                        rooms.append((mid, mid, act))
                        active.append((mid, a, b, base + a - 1, act))
                    else:
                        matches.append((mid, program.pk, twinnings[t].pk, a, b, "declined",
                                        created, None, None, None))
            made["matches"] = copier.copy(
                m.Match,
                ["id", "program_id", "twinning_id", "participant_a_id", "participant_b_id",
                 "status", "created_at", "a_accepted_at", "b_accepted_at", "activated_at"],
                matches,
            )
            copier.copy(m.Room, ["id", "match_id", "created_at"], rooms)

            sessions, attendance, stretches = [], [], []
            for mid, a, b, _, act in active:
                first = act + dt.timedelta(days=2, hours=rnd.randrange(0, 12))
                for k in range(sessions_per_match):
                    begin = first + dt.timedelta(weeks=k)
                    sid = len(sessions) + 1
                    end = begin + dt.timedelta(minutes=SESSION_MINUTES)
                    if begin > now - dt.timedelta(hours=2):
                        status = "scheduled"
                    else:
                        roll = rnd.random()
                        status = "cancelled" if roll < 0.05 else "missed" if roll < 0.2 else "held"
                    sessions.append((sid, mid, begin, SESSION_MINUTES, status, uuid.uuid4(),
                                     act, act, end if status in ("held", "missed") else None))
                    if status not in ("held", "missed"):
                        continue
                    absent = None if status == "held" else rnd.choice((a, b, 0))
                    for pid in (a, b):
                        aid = len(attendance) + 1
                        came = absent not in (pid, 0)
                        late = dt.timedelta(minutes=rnd.randrange(0, 15))
                        attendance.append((aid, sid, pid, (SESSION_MINUTES * 60 - late.seconds)
                                           if came else 0, "attended" if came else "missed"))
                        if came:
                            stretches.append((len(stretches) + 1, aid, begin + late, end))
            made["sessions"] = copier.copy(
                m.Session,
                ["id", "match_id", "starts_at", "minutes", "status", "uid", "created_at",
                 "updated_at", "settled_at"],
                sessions,
            )
            made["attendance"] = copier.copy(
                m.Attendance, ["id", "session_id", "participant_id", "seconds_present", "status"],
                attendance,
            )
            made["presence_stretches"] = copier.copy(
                m.PresenceInterval, ["id", "attendance_id", "started_at", "ended_at"], stretches
            )

            def messages():
                for i in range(n_messages):
                    mid, _, _, author, act = active[i % len(active)]
                    at = act + dt.timedelta(seconds=rnd.randrange(0, 12 * 7 * 86400))
                    yield (i + 1, mid, author, "bonjour", f"c{i}", min(at, now))

            made["messages"] = copier.copy(
                m.Message, ["id", "room_id", "author_id", "body", "client_id", "created_at"],
                messages(),
            )
            for model in (m.User, m.Participant, m.Participant.programs.through,
                          m.ParticipantLanguage, m.Match, m.Room, m.Session, m.Attendance,
                          m.PresenceInterval, m.Message):
                table = model._meta.db_table
                # Our own table names only; the sequence follows the ids given above.
                setval = f'SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT MAX(id) FROM "{table}"))'  # noqa: E501, S608
                cursor.execute(setval, [f'"{table}"', "id"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"program": program, "officer": officer, "made": made}


def _backend_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds (user + system) of the PostgreSQL backend serving this connection, from
    /proc (same machine), or None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(client, urls: dict[str, str], repeat: int) -> dict:
    """Each page ``repeat`` times, the pages taking turns (so the other sessions' load
    weighs on each alike): wall time, the queries of one request, and the CPU spent per
    request by this process (Django) and by the database backend that served it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    times = {name: [] for name in urls}
    cpu = {name: [0.0, 0.0] for name in urls}
    status, queries = {}, {}
    for _ in range(repeat):
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as ctx:
                db_before = _backend_cpu_seconds(pid)
                cpu_before = time.process_time()
                began = time.perf_counter()
                response = client.get(url)
                times[name].append(time.perf_counter() - began)
                cpu[name][0] += time.process_time() - cpu_before
                db_after = _backend_cpu_seconds(pid)
            if db_before is not None and db_after is not None:
                cpu[name][1] += db_after - db_before
            status[name], queries[name] = response.status_code, len(ctx.captured_queries)
    return {
        name: _stats(times[name]) | {
            "status": status[name], "queries": queries[name],
            "cpu_ms_per_request": {"django": round(cpu[name][0] / repeat * 1000, 1),
                                   "postgres": round(cpu[name][1] / repeat * 1000, 1)},
        }
        for name in urls
    }


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "runs": len(ordered)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.officer_metrics")
    ap.add_argument("--participants", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--sessions-per-match", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--baseline-repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="empty a database that has data")
    ap.add_argument("--reuse", action="store_true",
                    help="measure a database this script seeded before (no seeding)")
    ap.add_argument("--seed-only", action="store_true", help="seed, then stop")
    ap.add_argument("--no-refresh", action="store_true",
                    help="with --reuse: measure the summaries as they are")
    args = ap.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must name a scratch PostgreSQL database", file=sys.stderr)
        return 2
    _setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.reuse:
        return _measure_all(args, None, 0.0)
    if _has_data():
        if not args.force:
            print(f"{connection.settings_dict['NAME']} has data; use a scratch database "
                  "or --force to empty it", file=sys.stderr)
            return 2
        call_command("flush", interactive=False, verbosity=0)

    began = time.perf_counter()
    world = seed(args.participants, args.messages, args.sessions_per_match, args.seed)
    seed_seconds = time.perf_counter() - began
    if args.seed_only:
        print(json.dumps({"made": world["made"], "seed_seconds": round(seed_seconds, 1)}))
        return 0
    return _measure_all(args, world, seed_seconds)


def _measure_all(args, world: dict | None, seed_seconds: float) -> int:
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from benchmarks.officer_metrics_baseline import baseline_totals
    from exchanges import models as m
    from exchanges.selectors.metrics import Period, Scope, metrics
    from exchanges.services.metrics import metrics_refresh

    if world is None:
        program = m.Program.objects.get(slug="bench-program")
        world = {"program": program, "officer": program.officers.get(),
                 "made": {"participants": m.Participant.objects.count(),
                          "sessions": m.Session.objects.count(),
                          "messages": m.Message.objects.count()}}
    load_before = [round(x, 2) for x in os.getloadavg()]
    began = time.perf_counter()
    if not args.no_refresh:
        metrics_refresh(full=True)
    refresh_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    program, officer = world["program"], world["officer"]
    today = dt.datetime.now(dt.UTC).date()
    period = Period(today - dt.timedelta(weeks=26), today)
    query = f"?from={period.first}&to={period.last}"
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    pages = {
        "dashboard": reverse("program_detail", args=[program.slug]) + query,
        "metrics_json": reverse("program_metrics_json", args=[program.slug]) + query,
    }
    with contextlib.suppress(NoReverseMatch):
        pages["transparency"] = reverse("transparency")
    for url in pages.values():
        client.get(url)  # warm up
    results = _measure(client, pages, args.repeat)

    baseline_times, baseline, baseline_cpu = [], None, [0.0, 0.0]
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    for _ in range(args.baseline_repeat):
        with CaptureQueriesContext(connection) as ctx:
            db_before, cpu_before = _backend_cpu_seconds(pid), time.process_time()
            began = time.perf_counter()
            baseline = baseline_totals(program=program, period=period)
            baseline_times.append(time.perf_counter() - began)
            baseline_cpu[0] += time.process_time() - cpu_before
            db_after = _backend_cpu_seconds(pid)
        if db_before is not None and db_after is not None:
            baseline_cpu[1] += db_after - db_before
    summary = metrics(scope=Scope(program_ids=(program.pk,)), period=period)["totals"]
    differ = {k: (summary[k], baseline[k]) for k in summary if summary[k] != baseline[k]}
    load = os.getloadavg()
    print(json.dumps({
        "load_average_before": load_before,
        "database": connection.vendor,
        "participants": args.participants,
        "made": world["made"],
        "seed_seconds": round(seed_seconds, 1),
        "summaries_full_refresh_seconds": round(refresh_seconds, 1),
        "period": [str(period.first), str(period.last)],
        **results,
        "baseline_plain_queries": _stats(baseline_times) | {
            "queries": len(ctx.captured_queries),
            "cpu_ms_per_request": {
                "django": round(baseline_cpu[0] / max(1, args.baseline_repeat) * 1000, 1),
                "postgres": round(baseline_cpu[1] / max(1, args.baseline_repeat) * 1000, 1),
            },
        },
        "same_figures": not differ,
        "differences": differ,
        "totals": summary,
        "goal": {"p95_ms": 150, "queries": 10},
        "load_average": [round(x, 2) for x in load],
        "cpus": os.cpu_count(),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
