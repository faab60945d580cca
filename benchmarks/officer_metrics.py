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
import statistics
import sys
import time

from benchmarks.officer_metrics_seed import seed


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def _has_data() -> bool:
    from exchanges.models import Message, Participant, Session

    return any(m.objects.exists() for m in (Participant, Session, Message))


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
