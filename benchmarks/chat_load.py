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
and the two teachers as moderators, who read but do not write. It first runs the same
traffic, with the same generator processes, against a bare ``websockets`` broadcast
server in a child process (the baseline), then against the servers, and prints ONE JSON
object. Latency is from send to receipt at every other member of the room (the send
time travels in the body; CLOCK_MONOTONIC is shared by the generator processes).
Every 10 s it samples the RSS of each server process (by pid: spawned, or found by its
listening port) and of the generator processes. Only 127.0.0.1 targets; counts and
duration are bounded; fixtures are deleted afterwards.
"""

import argparse
import array
import asyncio
import contextlib
import gc
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAX_CLIENTS, MAX_SECONDS, MAX_RATE = 5000, 600, 2000
MAX_SERVERS, MAX_CLIENT_PROCESSES, MAX_CLASS_SIZE = 4, 4, 60
DRAIN_SECONDS = 5.0
CONNECT_CONCURRENCY = 50
SAMPLE_SECONDS = 10.0
MODERATORS_PER_CLASS_ROOM = 2  # the two teachers of a classroom exchange
ROOT = Path(__file__).resolve().parents[1]
PUPIL_BACKEND = "exchanges.auth_backends.PupilBackend"
BODIES = ["Hello from our class!", "What do you eat for lunch?", "We play football after school.",
          "It is raining here today.", "Our town has a market on Saturdays."]


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


def room_layout(clients: int, rooms: int, class_rooms: int, class_size: int):
    """``(room_of, sends)`` per socket: the first ``class_rooms * class_size`` sockets sit
    in class rooms (the first two of each are its teachers, who do not send), the rest in
    ``rooms`` pair rooms (socket i in room i mod rooms)."""
    room_of, sends = [], []
    for k in range(class_rooms):
        for m in range(class_size):
            room_of.append(k)
            sends.append(m >= MODERATORS_PER_CLASS_ROOM)
    for i in range(clients - class_rooms * class_size):
        room_of.append(class_rooms + i % rooms)
        sends.append(True)
    return room_of, sends


def create_fixtures(room_of: list[int], sends: list[bool], class_rooms: int,
                    tag: str) -> tuple[list[int], list[str], list[int]]:
    """Users, rooms and one session per user, for the layout of room_layout."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from exchanges.models import Room, RoomMember, User

    users = []
    for i, room in enumerate(room_of):
        pupil = room < class_rooms and sends[i]
        user = User(email=f"load-{tag}-{i}@load.test", display_name=f"load{i}", is_pupil=pupil)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    count = max(room_of) + 1
    room_objs = Room.objects.bulk_create(
        [Room(title=f"load {tag} {'class' if r < class_rooms else 'pair'} {r}")
         for r in range(count)])
    RoomMember.objects.bulk_create([
        RoomMember(room=room_objs[room_of[i]], user=user,
                   role=RoomMember.Role.MEMBER if sends[i] else RoomMember.Role.MODERATOR)
        for i, user in enumerate(users)
    ])
    adult = settings.AUTHENTICATION_BACKENDS[0]
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # Pupils' sessions are restored only by the pupil backend (their /join/ login).
        store[BACKEND_SESSION_KEY] = PUPIL_BACKEND if user.is_pupil else adult
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


# --- Figures ------------------------------------------------------------------------


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


def _slope_mib_per_minute(series: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of ``(seconds, MiB)`` samples, in MiB per minute."""
    if len(series) < 3:
        return None
    n = len(series)
    mean_t = sum(t for t, _ in series) / n
    mean_m = sum(m for _, m in series) / n
    var = sum((t - mean_t) ** 2 for t, _ in series)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (m - mean_m) for t, m in series)
    return round(cov / var * 60, 3)


def memory_summary(series: list[tuple[float, float]], warmup: float) -> dict:
    if not series:
        return {}
    values = [m for _, m in series]
    return {
        "start_mib": values[0], "end_mib": values[-1], "max_mib": max(values),
        "slope_mib_per_min_after_warmup": _slope_mib_per_minute(
            [(t, m) for t, m in series if t >= warmup]),
        "series_mib": values,
    }


# --- The generator: one process per share of the sockets ----------------------------


def _schedule(clients: int, sends: list[bool], seed: int) -> list[int]:
    """The senders in turn (the same list in every generator process)."""
    order = [i for i in range(clients) if sends[i]]
    random.Random(seed).shuffle(order)
    return order


async def _traffic(*, worker: int, workers: int, urls: list[str], paths: list[str],
                   cookies: list[str | None], room_of: list[int], sends: list[bool],
                   rate: float, seconds: float, seed: int, ready, go, start_at) -> dict:
    import websockets

    mine = [i for i in range(len(paths)) if i % workers == worker]
    members: dict[int, int] = {}
    position: list[int] = []
    for r in room_of:
        position.append(members.get(r, 0))
        members[r] = members.get(r, 0) + 1
    # Flat arrays of doubles (16 bytes a delivery): millions over a 10-minute run.
    latencies = array.array("d")
    sent_times = array.array("d")  # the send time of each delivery, beside its latency
    stats = {"sent": 0, "delivered": 0, "errors": 0, "expected": 0, "connect_errors": 0}
    error_codes: dict[str, int] = {}
    sockets: dict[int, object] = {}
    semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)
    stopping = False
    readers: list[asyncio.Task] = []

    async def reader(i: int, ws) -> None:
        nonlocal stopping
        try:
            async for frame in ws:
                now = time.monotonic()
                event = json.loads(frame)
                kind = event.get("type")
                if kind == "message":
                    parts = str(event.get("client_id", "")).split("-")
                    if len(parts) == 3:
                        sender, sent = int(parts[0]), float(parts[1])
                        if sender != i:
                            latency = (now - sent) * 1000
                            latencies.append(latency)
                            sent_times.append(sent)
                            stats["delivered"] += 1
                elif kind == "error":
                    stats["errors"] += 1
                    code = str(event.get("code"))
                    error_codes[code] = error_codes.get(code, 0) + 1
        except websockets.ConnectionClosed as exc:
            if not stopping:
                stats["errors"] += 1
                code = f"closed {exc.rcvd.code if exc.rcvd else 'without a close frame'}"
                error_codes[code] = error_codes.get(code, 0) + 1

    async def open_one(i: int) -> None:
        # Round-robin by place in the room: a room's members sit on different servers.
        base = urls[(room_of[i] + position[i]) % len(urls)]
        origin = "http://" + urllib.parse.urlsplit(base).netloc
        headers = {"Cookie": f"sessionid={cookies[i]}"} if cookies[i] else {}
        async with semaphore:
            try:
                # No client pings, as in a browser (the server pings every socket).
                ws = await websockets.connect(base + paths[i], additional_headers=headers,
                                              origin=origin, open_timeout=60, max_queue=None,
                                              ping_interval=None)
                joined = json.loads(await asyncio.wait_for(ws.recv(), 60))
                assert joined["type"] == "room.joined", joined
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                print(f"connect {i} failed: {exc!r}", file=sys.stderr)
                stats["connect_errors"] += 1
                return
        sockets[i] = ws
        readers.append(asyncio.create_task(reader(i, ws)))

    await asyncio.gather(*(open_one(i) for i in mine))
    ready.put((worker, len(sockets)))
    await asyncio.get_running_loop().run_in_executor(None, go.wait)
    # The generator's own heap (its client sockets) must not add full-collection
    # pauses to the latencies it measures: freeze what exists now. (The servers are
    # measured as they are.)
    gc.collect()
    gc.freeze()
    order = _schedule(len(paths), sends, seed)
    interval = 1.0 / rate
    start = start_at.value
    cpu_start = time.process_time()
    lags = array.array("d")
    n = 0
    while True:
        due = start + n * interval
        if due - start >= seconds:
            break
        sender = order[n % len(order)]
        n += 1
        if sender % workers != worker:
            continue
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        ws = sockets.get(sender)
        if ws is None:
            continue
        sent = time.monotonic()
        lags.append((sent - due) * 1000)
        stats["sent"] += 1
        stats["expected"] += members[room_of[sender]] - 1
        try:
            # The sender and send time travel in the client_id, which every message
            # event carries back; the body is words (a pupil's digits could read as a
            # phone number and be refused).
            await ws.send(json.dumps({"type": "message.send", "body": BODIES[n % len(BODIES)],
                                      "client_id": f"{sender}-{sent:.6f}-{n}"}))
        except Exception:  # noqa: BLE001
            stats["errors"] += 1
    cpu_used = time.process_time() - cpu_start
    # Deliveries to this process's sockets: whatever every process sent to their rooms.
    incoming = _incoming(order, n, mine, room_of, sockets)
    deadline = time.monotonic() + DRAIN_SECONDS
    while stats["delivered"] < incoming and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    stopping = True
    gc.unfreeze()
    await asyncio.gather(*(ws.close() for ws in sockets.values()), return_exceptions=True)
    for task in readers:
        task.cancel()
    return {"connected": len(sockets), "sent": stats["sent"], "expected": stats["expected"],
            "delivered": stats["delivered"], "errors": stats["errors"],
            "connect_errors": stats["connect_errors"], "error_codes": error_codes,
            "latencies": latencies,
            "sent_times": sent_times, "start": start, "cpu_seconds": cpu_used,
            "send_lag_ms": lags}


def _incoming(order, n, mine, room_of, sockets) -> int:
    """How many deliveries this process's live sockets should get from the n sends."""
    live_in_room: dict[int, int] = {}
    for i in mine:
        if i in sockets:
            live_in_room[room_of[i]] = live_in_room.get(room_of[i], 0) + 1
    mine_set = set(sockets)
    total = 0
    for k in range(n):
        sender = order[k % len(order)]
        total += live_in_room.get(room_of[sender], 0) - (1 if sender in mine_set else 0)
    return total


def _merged(dicts) -> dict[str, int]:
    merged: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def _worker(kwargs: dict, results) -> None:
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    try:
        results.put((kwargs["worker"], asyncio.run(_traffic(**kwargs))))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        results.put((kwargs["worker"], {"failed": repr(exc)}))
        raise


class _Sampler(threading.Thread):
    """RSS of the given pids every SAMPLE_SECONDS, in MiB, from start()."""

    def __init__(self, pids: dict[str, int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.series: dict[str, list[tuple[float, float]]] = {name: [] for name in pids}
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def sample(self) -> None:
        import psutil

        at = round(time.monotonic() - self.t0, 1)
        for name, pid in self.pids.items():
            with contextlib.suppress(psutil.Error):
                rss = psutil.Process(pid).memory_info().rss
                if rss:  # 0: a generator that has just exited (a zombie)
                    self.series[name].append((at, round(rss / 2**20, 1)))

    def run(self) -> None:
        self.t0 = time.monotonic()
        while True:
            self.sample()
            if self.stop.wait(SAMPLE_SECONDS):
                self.sample()
                return


def _cpu_seconds(pid: int) -> float | None:
    import psutil

    with contextlib.suppress(psutil.Error):
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    return None


def run_traffic(*, urls: list[str], paths: list[str], cookies: list[str | None],
                room_of: list[int], sends: list[bool], rate: float, seconds: float,
                workers: int, server_pids: dict[str, int], warmup: float) -> dict:
    """The traffic from ``workers`` generator processes; latencies merged."""
    ctx = multiprocessing.get_context("fork")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    start_at = ctx.Value("d", 0.0)
    seed = random.randrange(2**31)
    procs = []
    for w in range(workers):
        kwargs = dict(worker=w, workers=workers, urls=urls, paths=paths, cookies=cookies,
                      room_of=room_of, sends=sends, rate=rate, seconds=seconds, seed=seed,
                      ready=ready, go=go, start_at=start_at)
        proc = ctx.Process(target=_worker, args=(kwargs, results), daemon=True)
        proc.start()
        procs.append(proc)
    connected = 0
    for _ in range(workers):
        connected += ready.get(timeout=600)[1]
    time.sleep(1)  # let the join presence events settle
    pids = dict(server_pids)
    pids.update({f"generator{w}": p.pid for w, p in enumerate(procs)})
    sampler = _Sampler(pids)
    cpu_before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    start_at.value = time.monotonic() + 0.5
    print(f"{urls}: {connected} sockets joined, sending for {seconds:.0f} s", file=sys.stderr,
          flush=True)
    sampler.start()
    go.set()
    parts = {}
    for _ in range(workers):
        w, part = results.get(timeout=seconds + 600)
        parts[w] = part
    wall = time.monotonic() - start_at.value
    cpu_after = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    sampler.stop.set()
    sampler.join()
    for proc in procs:
        proc.join(10)
    failed = [p["failed"] for p in parts.values() if "failed" in p]
    if failed:
        raise RuntimeError(f"generator failed: {failed}")
    latencies = [x for p in parts.values() for x in p["latencies"]]
    slow_at = [pair for p in parts.values() for pair in zip(p["sent_times"], p["latencies"],
                                                              strict=True)
               if pair[1] > 50]
    lags = [x for p in parts.values() for x in p["send_lag_ms"]]
    expected = sum(p["expected"] for p in parts.values())
    delivered = sum(p["delivered"] for p in parts.values())
    cpu = {name: (round(cpu_after[name] - cpu_before[name], 1)
                  if cpu_after.get(name) is not None and cpu_before.get(name) is not None
                  else None) for name in pids}
    start = min(p["start"] for p in parts.values())
    return {
        "connected": sum(p["connected"] for p in parts.values()),
        "sent": sum(p["sent"] for p in parts.values()),
        "delivered": delivered,
        "lost": expected - delivered,
        "p50_ms": _percentile(latencies, 0.50),
        "p90_ms": _percentile(latencies, 0.90),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "slow_seconds": _slow_seconds(slow_at, start),
        "errors": sum(p["errors"] + p["connect_errors"] for p in parts.values()),
        "error_codes": _merged(p["error_codes"] for p in parts.values()),
        # How late the generator sent against its schedule: it keeps up when small.
        "send_lag_p99_ms": _percentile(lags, 0.99),
        "send_lag_max_ms": round(max(lags), 2) if lags else None,
        # user+sys seconds of each process over the traffic (wall seconds beside).
        "wall_seconds": round(wall, 1),
        "cpu_seconds": cpu,
        "memory": {name: memory_summary(series, warmup)
                   for name, series in sampler.series.items()},
    }


# --- Servers --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen | None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.3)
    raise RuntimeError(f"no server listening on port {port} after {timeout} s")


def spawn_servers(count: int) -> tuple[list[str], list[subprocess.Popen]]:
    """``count`` uvicorn processes as production runs them, on free loopback ports."""
    urls, procs = [], []
    for _ in range(count):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--no-server-header",
             "--ws-max-size", "65536", "--lifespan", "off", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=os.environ.copy()))
        urls.append(f"ws://127.0.0.1:{port}")
    for url, proc in zip(urls, procs, strict=True):
        _wait_listening(urllib.parse.urlsplit(url).port, proc)
    return urls, procs


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on 127.0.0.1:port (our own user's processes)."""
    import psutil

    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
            return conn.pid
    return None


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


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
    rooms = args.rooms if paired else 0
    room_of, sends = room_layout(args.clients, rooms or 1, args.class_rooms, args.class_size)
    warmup = args.warmup if args.warmup is not None else min(60.0, args.seconds / 3)
    traffic = dict(room_of=room_of, sends=sends, rate=args.rate, workers=args.client_processes,
                   warmup=warmup)
    load = {"before": os.getloadavg()}

    baseline = None
    if not args.no_baseline:
        port = _free_port()
        ready = multiprocessing.get_context("fork").Event()
        child = multiprocessing.get_context("fork").Process(
            target=_baseline_server, args=(port, ready), daemon=True)
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

    _django()
    tag = uuid.uuid4().hex[:8]
    user_ids, cookies, room_ids = create_fixtures(room_of, sends, args.class_rooms, tag)
    from django.db import connections

    connections.close_all()
    spawned: list[subprocess.Popen] = []
    try:
        if args.spawn:
            urls, spawned = spawn_servers(args.spawn)
            server_pids = {f"server{k}": p.pid for k, p in enumerate(spawned)}
        else:
            server_pids = {}
            for k, url in enumerate(urls):
                _wait_listening(urllib.parse.urlsplit(url).port, None, timeout=5)
                pid = listening_pid(urllib.parse.urlsplit(url).port)
                if pid is not None:
                    server_pids[f"server{k}"] = pid
        load["server_before"] = os.getloadavg()
        result = run_traffic(
            urls=urls, paths=[f"/ws/rooms/{room_ids[r]}/" for r in room_of], cookies=cookies,
            seconds=args.seconds, server_pids=server_pids, **traffic)
        load["after"] = os.getloadavg()
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
            "cpu_count": os.cpu_count(),
            **result,
            "baseline": ({k: v for k, v in baseline.items()} if baseline else None),
            # Load averages (1, 5, 15 min) of the machine: before the baseline, before
            # the servers' traffic, after it.
            "loadavg": {k: [round(x, 2) for x in v] for k, v in load.items()},
        }
        print(json.dumps(figures), flush=True)
    finally:
        stop_servers(spawned)
        delete_fixtures(user_ids, cookies, room_ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
