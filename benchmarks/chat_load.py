"""Chat load: N real sockets over one or more server processes, pair rooms and class
rooms of 30, M messages a second, delivery latency, server and generator memory.

Usage (servers started by the script, with its DATABASE_URL/REDIS_URL):

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/chat_load.py \\
        --spawn 2 --clients 3000 --rooms 1200 --class-rooms 20 --class-size 30 \\
        --rate 600 --seconds 600 --client-processes 2

or against running servers (same DATABASE_URL/REDIS_URL): ``--url ws://127.0.0.1:8001
--url ws://127.0.0.1:8002``. The members of a room are spread round-robin over the
servers, so most deliveries cross processes through Redis.

It creates its own users, rooms and sessions through the ORM (session cookies made with
Django's SessionStore, no login page). Class rooms hold ``--class-size`` members as a
classroom exchange's room does: pupils (``is_pupil``, so the contact-detail check runs)
and the two teachers as moderators, who read but do not write. By default the rooms are
real (``--rooms-kind real``): a pair room is an active match's, a class room an active
classroom exchange's, each with a session in progress, so every join and leave writes
attendance; the JSON's ``attendance`` counts the rows written. ``--rooms-kind bare``
makes rooms of neither, to compare (no session is found for them, nothing is written).
It first runs the same traffic, with the same generator processes, against a bare
``websockets`` broadcast server in a child process (the baseline), then against the
servers, and prints ONE JSON object. Latency is from send to receipt at every other
member of the room (the send time travels in the body; CLOCK_MONOTONIC is shared by the
generator processes).
Every 10 s it samples the RSS of each server process (by pid: spawned, or found by its
listening port) and of the generator processes. Only 127.0.0.1 targets; counts and
duration are bounded; fixtures are deleted afterwards.

This file is the command line; its parts are siblings: chat_baseline.py (the bare
server), chat_fixtures.py (users, rooms, sessions), chat_traffic.py (the generator
processes, RSS and CPU sampling), chat_figures.py (percentiles, slopes) and
chat_servers.py (spawning and finding the uvicorn processes).
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.chat_baseline import baseline_server  # noqa: E402
from benchmarks.chat_fixtures import (  # noqa: E402
    MODERATORS_PER_CLASS_ROOM,
    ROOM_KINDS,
    Fixtures,
    attendance_summary,
    create_fixtures,
    delete_fixtures,
    django_setup,
    room_layout,
    wait_for_leaves,
)
from benchmarks.chat_servers import (  # noqa: E402
    free_port,
    listening_pid,
    spawn_servers,
    stop_servers,
    wait_listening,
)
from benchmarks.chat_traffic import run_traffic  # noqa: E402

MAX_CLIENTS, MAX_SECONDS, MAX_RATE = 5000, 600, 2000
MAX_SERVERS, MAX_CLIENT_PROCESSES, MAX_CLASS_SIZE = 4, 4, 60


def _urls(args, parser) -> list[str]:
    urls = [u.rstrip("/") for u in (args.url or [])]
    if args.urls:
        urls += [u.strip().rstrip("/") for u in args.urls.split(",") if u.strip()]
    if args.spawn and urls:
        parser.error("--spawn starts its own servers: no --url with it")
    if not args.spawn and not urls:
        urls = ["ws://127.0.0.1:8000"]
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws" or parts.hostname not in {"127.0.0.1", "localhost"}:
            parser.error(f"only ws://127.0.0.1 targets: {url}")
    if len(urls) > MAX_SERVERS:
        parser.error(f"at most {MAX_SERVERS} servers")
    return urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", action="append", help="a server (repeatable)")
    parser.add_argument("--urls", help="servers, comma-separated")
    parser.add_argument("--spawn", type=int, default=0,
                        help="start this many uvicorn processes (DATABASE_URL/REDIS_URL of "
                             "this script) instead of --url")
    parser.add_argument("--clients", type=int, default=100, help="sockets in all")
    parser.add_argument("--rooms", type=int, default=50, help="pair rooms")
    parser.add_argument("--class-rooms", type=int, default=0)
    parser.add_argument("--class-size", type=int, default=30,
                        help="members of a class room, its two teachers included")
    parser.add_argument("--rate", type=float, default=20, help="messages per second in all")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--baseline-seconds", type=float,
                        help="length of the baseline's traffic (default: --seconds)")
    parser.add_argument("--warmup", type=float,
                        help="seconds left out of the memory slope (default: min(60, "
                             "seconds/3))")
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--rooms-kind", choices=ROOM_KINDS, default="real",
                        help="real: match and class-exchange rooms with a session in "
                             "progress (a pair room needs two sockets); bare: rooms of "
                             "neither")
    args = parser.parse_args()
    urls = _urls(args, parser)
    in_classes = args.class_rooms * args.class_size
    paired = args.clients - in_classes
    if not (2 <= args.clients <= MAX_CLIENTS and 0 < args.rate <= MAX_RATE
            and 0 < args.seconds <= MAX_SECONDS
            and 0 < (args.baseline_seconds or args.seconds) <= MAX_SECONDS
            and 0 <= args.spawn <= MAX_SERVERS
            and 1 <= args.client_processes <= MAX_CLIENT_PROCESSES
            and args.class_rooms >= 0
            and MODERATORS_PER_CLASS_ROOM + 2 <= args.class_size <= MAX_CLASS_SIZE
            and paired >= 0 and (paired == 0 or 1 <= args.rooms <= paired // 2)):
        parser.error(f"bounds: clients 2..{MAX_CLIENTS} (class rooms × size included), "
                     f"pair rooms 1..(the other clients)/2, rate ≤ {MAX_RATE}, "
                     f"seconds ≤ {MAX_SECONDS}, spawn ≤ {MAX_SERVERS}, client processes ≤ "
                     f"{MAX_CLIENT_PROCESSES}, class size 4..{MAX_CLASS_SIZE}")
    if args.rooms_kind == "real" and paired not in (0, 2 * args.rooms):
        parser.error("real pair rooms are matches of two: clients - class rooms × size "
                     "= 2 × rooms (or --rooms-kind bare)")
    rooms = args.rooms if paired else 0
    room_of, sends = room_layout(args.clients, rooms or 1, args.class_rooms, args.class_size)
    warmup = args.warmup if args.warmup is not None else min(60.0, args.seconds / 3)
    traffic = dict(room_of=room_of, sends=sends, rate=args.rate, workers=args.client_processes,
                   warmup=warmup)
    load = {"before": os.getloadavg()}

    baseline = None
    if not args.no_baseline:
        port = free_port()
        ready = multiprocessing.get_context("fork").Event()
        child = multiprocessing.get_context("fork").Process(
            target=baseline_server, args=(port, ready), daemon=True)
        child.start()
        try:
            ready.wait(10)
            baseline = run_traffic(
                urls=[f"ws://127.0.0.1:{port}"],
                paths=[f"/ws/rooms/{r}/" for r in room_of], cookies=[None] * len(room_of),
                seconds=args.baseline_seconds or args.seconds,
                server_pids={"baseline_server": child.pid}, **traffic)
        finally:
            child.terminate()
            child.join(5)

    django_setup()
    from django.db import connections

    made = Fixtures(tag=uuid.uuid4().hex[:8], kind=args.rooms_kind)
    spawned: list[subprocess.Popen] = []
    try:
        create_fixtures(made, room_of, sends, args.class_rooms)
        connections.close_all()
        if args.spawn:
            urls, spawned = spawn_servers(args.spawn)
            server_pids = {f"server{k}": p.pid for k, p in enumerate(spawned)}
        else:
            server_pids = {}
            for k, url in enumerate(urls):
                wait_listening(urllib.parse.urlsplit(url).port, None, timeout=5)
                pid = listening_pid(urllib.parse.urlsplit(url).port)
                if pid is not None:
                    server_pids[f"server{k}"] = pid
        load["server_before"] = os.getloadavg()
        result = run_traffic(
            urls=urls, paths=[f"/ws/rooms/{made.room_ids[r]}/" for r in room_of],
            cookies=made.cookies, seconds=args.seconds, server_pids=server_pids, **traffic)
        load["after"] = os.getloadavg()
        # The servers write the leaves after the sockets closed; read attendance after.
        presence_left = wait_for_leaves(made)
        stop_servers(spawned)  # and their last writes: stopped again below, a no-op
        figures = {
            "servers": len(urls),
            "spawned": bool(spawned),
            "clients": args.clients,
            "pair_rooms": rooms,
            "class_rooms": args.class_rooms,
            "class_size": args.class_size,
            "rate": args.rate,
            "seconds": args.seconds,
            "client_processes": args.client_processes,
            "rooms_kind": args.rooms_kind,
            "cpu_count": os.cpu_count(),
            **result,
            "baseline": ({k: v for k, v in baseline.items()} if baseline else None),
            # Load averages (1, 5, 15 min) of the machine: before the baseline, before
            # the servers' traffic, after it.
            "loadavg": {k: [round(x, 2) for x in v] for k, v in load.items()},
            # Rows of the rooms' sessions (none for bare rooms), and presence rows no
            # leave removed within a minute of the end.
            "attendance": attendance_summary(made),
            "presence_left": presence_left,
        }
        print(json.dumps(figures), flush=True)
    finally:
        stop_servers(spawned)
        delete_fixtures(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
