"""Chat load: N real sockets in R rooms, M messages a second, delivery latency.

Usage (the server must run with the same DATABASE_URL/REDIS_URL as this script):

    DATABASE_URL=... REDIS_URL=... DJANGO_DEBUG=1 .venv/bin/python benchmarks/chat_load.py \\
        --url ws://127.0.0.1:8000 --clients 1000 --rooms 500 --rate 200 --seconds 30

It creates its own users, rooms and sessions through the ORM (session cookies made
with Django's SessionStore, no login page), first runs the same traffic against a bare
``websockets`` broadcast server (the baseline, in a child process), then against the
server, and prints ONE JSON object. Latency is from send to receipt at every other
member of the room. Only 127.0.0.1 targets; counts and duration are bounded.
"""

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import os
import random
import socket
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAX_CLIENTS, MAX_SECONDS, MAX_RATE = 5000, 300, 2000
DRAIN_SECONDS = 5.0
CONNECT_CONCURRENCY = 50


# --- Baseline: a bare websockets broadcast server ---------------------------------


def _baseline_server(port: int, ready) -> None:
    from websockets.asyncio.server import serve

    async def main():
        rooms: dict[str, set] = {}
        next_id = 0

        async def handler(ws):
            nonlocal next_id
            room = ws.request.path
            rooms.setdefault(room, set()).add(ws)
            try:
                await ws.send(json.dumps({"type": "room.joined"}))
                async for frame in ws:
                    data = json.loads(frame)
                    if data.get("type") != "message.send":
                        continue
                    next_id += 1
                    event = json.dumps({"type": "message", "id": next_id, "body": data["body"],
                                        "client_id": data["client_id"]})
                    for member in list(rooms[room]):
                        with contextlib.suppress(Exception):
                            await member.send(event)
            finally:
                rooms[room].discard(ws)

        async with serve(handler, "127.0.0.1", port, max_queue=None):
            ready.set()
            await asyncio.Future()

    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(main())


# --- Django setup: users, rooms, sessions ------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def create_fixtures(clients: int, rooms: int, tag: str) -> tuple[list[int], list[str], list[int]]:
    """Users, rooms (client i in room i % rooms) and one session per user."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from exchanges.models import Room, RoomMember, User

    users = []
    for i in range(clients):
        user = User(email=f"load-{tag}-{i}@load.test", display_name=f"load{i}")
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    room_objs = Room.objects.bulk_create([Room(title=f"load {tag} {r}") for r in range(rooms)])
    RoomMember.objects.bulk_create(
        [RoomMember(room=room_objs[i % rooms], user=user) for i, user in enumerate(users)]
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return [u.pk for u in users], cookies, [r.pk for r in room_objs]


def delete_fixtures(user_ids, cookies, room_ids) -> None:
    """Delete what create_fixtures made. A server that fell behind may still be
    inserting messages of these rooms, so wait for it and try again."""
    from django.contrib.sessions.models import Session
    from django.db import IntegrityError

    from exchanges.models import Room, User

    for attempt in range(30):
        try:
            Room.objects.filter(pk__in=room_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
            break
        except IntegrityError:
            if attempt == 29:
                raise
            time.sleep(2)
    Session.objects.filter(session_key__in=cookies).delete()


# --- The traffic --------------------------------------------------------------------


def _slow_seconds(deliveries: list[tuple[float, float]], start: float) -> list[list]:
    """The seconds of the run (by send time) holding deliveries over 50 ms:
    ``[second, deliveries over 50 ms, worst ms]``, worst first, at most 5. A few
    clustered seconds point at a stall (disk, CPU steal), not a steady queue."""
    buckets: dict[int, list[float]] = {}
    for sent, latency in deliveries:
        if latency > 50:
            buckets.setdefault(int(sent - start), []).append(latency)
    worst = sorted(buckets.items(), key=lambda kv: -max(kv[1]))[:5]
    return [[second, len(values), round(max(values), 1)] for second, values in worst]


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


async def run_traffic(*, base: str, paths: list[str], cookies: list[str | None], rooms: int,
                      rate: float, seconds: float) -> dict:
    import websockets

    origin = "http://" + urllib.parse.urlsplit(base).netloc
    room_of = [i % rooms for i in range(len(paths))]
    members = [0] * rooms
    for r in room_of:
        members[r] += 1
    sent_at: dict[str, tuple[float, int]] = {}  # client_id -> (time, sender)
    latencies: list[float] = []
    slow_at: list[tuple[float, float]] = []  # (send time, latency ms) of every delivery
    stats = {"sent": 0, "delivered": 0, "errors": 0, "expected": 0}
    sockets: list = [None] * len(paths)
    semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def reader(i: int, ws) -> None:
        try:
            async for frame in ws:
                event = json.loads(frame)
                kind = event.get("type")
                if kind == "message":
                    entry = sent_at.get(event.get("client_id"))
                    if entry and entry[1] != i:
                        latency = (time.perf_counter() - entry[0]) * 1000
                        latencies.append(latency)
                        slow_at.append((entry[0], latency))
                        stats["delivered"] += 1
                elif kind == "error":
                    stats["errors"] += 1
        except websockets.ConnectionClosed:
            if not stopping:
                stats["errors"] += 1

    async def open_one(i: int) -> None:
        headers = {"Cookie": f"sessionid={cookies[i]}"} if cookies[i] else {}
        async with semaphore:
            try:
                ws = await websockets.connect(base + paths[i], additional_headers=headers,
                                              origin=origin, open_timeout=30, max_queue=None)
                joined = json.loads(await asyncio.wait_for(ws.recv(), 30))
                assert joined["type"] == "room.joined", joined
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                print(f"connect {i} failed: {exc!r}", file=sys.stderr)
                stats["errors"] += 1
                return
        sockets[i] = ws
        readers.append(asyncio.create_task(reader(i, ws)))

    stopping = False
    readers: list[asyncio.Task] = []
    await asyncio.gather(*(open_one(i) for i in range(len(paths))))
    live = [i for i, ws in enumerate(sockets) if ws is not None]
    await asyncio.sleep(1)  # let the join presence events settle
    # The generator's own heap (1 000 client sockets) must not add full-collection
    # pauses to the latencies it measures: freeze what exists now. (The server is
    # measured as it is.)
    gc.collect()
    gc.freeze()

    print(f"{base}: {len(live)} sockets joined, sending at {time.time():.1f}", file=sys.stderr,
          flush=True)
    order = live[:]
    random.shuffle(order)
    interval = 1.0 / rate
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        due = start + n * interval
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if not order:
            break
        sender = order[n % len(order)]
        client_id = uuid.uuid4().hex
        sent_at[client_id] = (time.perf_counter(), sender)
        stats["sent"] += 1
        stats["expected"] += members[room_of[sender]] - 1
        try:
            await sockets[sender].send(json.dumps(
                {"type": "message.send", "body": f"load {n}", "client_id": client_id}))
        except Exception:  # noqa: BLE001
            stats["errors"] += 1
        n += 1
    deadline = time.perf_counter() + DRAIN_SECONDS
    while stats["delivered"] < stats["expected"] and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    stopping = True
    gc.unfreeze()
    await asyncio.gather(*(sockets[i].close() for i in live), return_exceptions=True)
    for task in readers:
        task.cancel()
    return {
        "connected": len(live),
        "sent": stats["sent"],
        "delivered": stats["delivered"],
        "lost": stats["expected"] - stats["delivered"],
        "p50_ms": _percentile(latencies, 0.50),
        "p90_ms": _percentile(latencies, 0.90),
        "p99_ms": _percentile(latencies, 0.99),
        "slow_seconds": _slow_seconds(slow_at, start),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "errors": stats["errors"],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--rate", type=float, default=20, help="messages per second in all")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.url).hostname
    if host not in {"127.0.0.1", "localhost"}:
        parser.error("only 127.0.0.1 targets")
    if not (2 <= args.clients <= MAX_CLIENTS and 1 <= args.rooms <= args.clients // 2
            and 0 < args.rate <= MAX_RATE and 0 < args.seconds <= MAX_SECONDS):
        parser.error(f"bounds: clients 2..{MAX_CLIENTS}, rooms 1..clients/2, "
                     f"rate ≤ {MAX_RATE}, seconds ≤ {MAX_SECONDS}")
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()

    baseline = None
    if not args.no_baseline:
        port = _free_port()
        ready = multiprocessing.Event()
        child = multiprocessing.Process(target=_baseline_server, args=(port, ready), daemon=True)
        child.start()
        try:
            ready.wait(10)
            baseline = asyncio.run(run_traffic(
                base=f"ws://127.0.0.1:{port}",
                paths=[f"/ws/rooms/{i % args.rooms}/" for i in range(args.clients)],
                cookies=[None] * args.clients, rooms=args.rooms, rate=args.rate,
                seconds=args.seconds))
        finally:
            child.terminate()
            child.join(5)

    _django()
    tag = uuid.uuid4().hex[:8]
    user_ids, cookies, room_ids = create_fixtures(args.clients, args.rooms, tag)
    from django.db import connections

    connections.close_all()
    load_before = os.getloadavg()[0]
    try:
        result = asyncio.run(run_traffic(
            base=args.url.rstrip("/"),
            paths=[f"/ws/rooms/{room_ids[i % args.rooms]}/" for i in range(args.clients)],
            cookies=cookies, rooms=args.rooms, rate=args.rate, seconds=args.seconds))
        figures = {
            "clients": args.clients,
            "rooms": args.rooms,
            "rate": args.rate,
            **result,
            "baseline_p50_ms": baseline["p50_ms"] if baseline else None,
            "baseline_p99_ms": baseline["p99_ms"] if baseline else None,
            "baseline_lost": baseline["lost"] if baseline else None,
            # 1-minute load average of the machine (2 cores here) around the run.
            "loadavg_before": round(load_before, 2),
            "loadavg_after": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(figures), flush=True)
    finally:
        delete_fixtures(user_ids, cookies, room_ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
