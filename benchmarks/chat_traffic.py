"""The chat load's generator: one process per share of the sockets, each sending its
senders' messages on a shared schedule and timing every delivery; the parent samples
the servers' and generators' RSS and CPU and merges the figures."""

import array
import asyncio
import contextlib
import gc
import json
import multiprocessing
import random
import sys
import threading
import time
import urllib.parse

from benchmarks.chat_figures import memory_summary, percentile, slow_seconds

DRAIN_SECONDS = 5.0
CONNECT_CONCURRENCY = 50
SAMPLE_SECONDS = 10.0
BODIES = ["Hello from our class!", "What do you eat for lunch?", "We play football after school.",
          "It is raining here today.", "Our town has a market on Saturdays."]


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
    stats = {"sent": 0, "delivered": 0, "errors": 0, "expected": 0, "connect_errors": 0,
             "resent": 0}
    error_codes: dict[str, int] = {}
    unanswered: dict[str, str] = {}  # client_id -> frame, until the sender sees its echo
    retries: set[asyncio.Task] = set()
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
                        if sender == i:
                            unanswered.pop(event["client_id"], None)
                        else:
                            latency = (now - sent) * 1000
                            latencies.append(latency)
                            sent_times.append(sent)
                            stats["delivered"] += 1
                elif kind == "error":
                    code = str(event.get("code"))
                    error_codes[code] = error_codes.get(code, 0) + 1
                    frame = unanswered.get(str(event.get("client_id")))
                    if code == "server_busy" and frame is not None and not stopping:
                        # Refused unsaved while the server sheds load: sent again with the
                        # same client_id after a spread delay, as the room page does; its
                        # latency still counts from the first send.
                        task = asyncio.create_task(resend(ws, frame))
                        retries.add(task)
                        task.add_done_callback(retries.discard)
                    else:
                        stats["errors"] += 1
        except websockets.ConnectionClosed as exc:
            if not stopping:
                stats["errors"] += 1
                code = f"closed {exc.rcvd.code if exc.rcvd else 'without a close frame'}"
                error_codes[code] = error_codes.get(code, 0) + 1

    async def resend(ws, frame: str) -> None:
        await asyncio.sleep(1.0 + random.random() * 4.0)
        with contextlib.suppress(websockets.ConnectionClosed):
            await ws.send(frame)
            stats["resent"] += 1

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
            client_id = f"{sender}-{sent:.6f}-{n}"
            frame = json.dumps({"type": "message.send", "body": BODIES[n % len(BODIES)],
                                "client_id": client_id})
            unanswered[client_id] = frame
            await ws.send(frame)
        except Exception:  # noqa: BLE001
            stats["errors"] += 1
    cpu_used = time.process_time() - cpu_start
    # Deliveries to this process's sockets: whatever every process sent to their rooms.
    incoming = _incoming(order, n, mine, room_of, sockets)
    # A refused message goes again up to 5 s later: the drain waits for those too.
    deadline = time.monotonic() + DRAIN_SECONDS + (5.0 if retries else 0.0)
    while (stats["delivered"] < incoming or retries) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    stopping = True
    gc.unfreeze()
    await asyncio.gather(*(ws.close() for ws in sockets.values()), return_exceptions=True)
    for task in readers:
        task.cancel()
    return {"connected": len(sockets), "sent": stats["sent"], "expected": stats["expected"],
            "delivered": stats["delivered"], "errors": stats["errors"],
            "resent": stats["resent"], "connect_errors": stats["connect_errors"],
            "error_codes": error_codes, "latencies": latencies,
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


def _spent(before: dict, after: dict) -> dict:
    """CPU seconds of each process between two readings (None where one is missing)."""
    return {name: (round(after[name] - before[name], 1)
                   if after.get(name) is not None and before.get(name) is not None else None)
            for name in before}


def _per_socket(cpu: dict, connected: int) -> float | None:
    if not connected or not cpu or None in cpu.values():
        return None
    return round(sum(cpu.values()) * 1000 / connected, 2)


def _per_delivery(cpu: dict, delivered: int) -> float | None:
    servers = [v for name, v in cpu.items() if not name.startswith("generator")]
    if not delivered or not servers or None in servers:
        return None
    return round(sum(servers) * 1000 / delivered, 4)


def run_traffic(*, urls: list[str], paths: list[str], cookies: list[str | None],
                room_of: list[int], sends: list[bool], rate: float, seconds: float,
                workers: int, server_pids: dict[str, int], warmup: float) -> dict:
    """The traffic from ``workers`` generator processes; latencies merged."""
    ctx = multiprocessing.get_context("fork")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    start_at = ctx.Value("d", 0.0)
    seed = random.randrange(2**31)
    # The join (every socket's handshake, access check and room.joined) is timed apart:
    # a restart reconnects every socket at once.
    join_cpu_start = {name: _cpu_seconds(pid) for name, pid in server_pids.items()}
    join_start = time.monotonic()
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
    join_wall = time.monotonic() - join_start
    time.sleep(1)  # let the join presence events settle
    pids = dict(server_pids)
    pids.update({f"generator{w}": p.pid for w, p in enumerate(procs)})
    sampler = _Sampler(pids)
    cpu_before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    join_cpu = _spent(join_cpu_start, cpu_before)
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
    cpu = _spent(cpu_before, cpu_after)
    start = min(p["start"] for p in parts.values())
    return {
        "connected": sum(p["connected"] for p in parts.values()),
        "sent": sum(p["sent"] for p in parts.values()),
        "delivered": delivered,
        "lost": expected - delivered,
        "p50_ms": percentile(latencies, 0.50),
        "p90_ms": percentile(latencies, 0.90),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "slow_seconds": slow_seconds(slow_at, start),
        "errors": sum(p["errors"] + p["connect_errors"] for p in parts.values()),
        "resent_after_server_busy": sum(p["resent"] for p in parts.values()),
        "error_codes": _merged(p["error_codes"] for p in parts.values()),
        # How late the generator sent against its schedule: it keeps up when small.
        "send_lag_p99_ms": percentile(lags, 0.99),
        "send_lag_max_ms": round(max(lags), 2) if lags else None,
        # user+sys seconds of each process over the traffic (wall seconds beside).
        "wall_seconds": round(wall, 1),
        "cpu_seconds": cpu,
        # The servers' CPU (user+sys, all server processes) per delivery made, in ms:
        # comparable between the baseline and the servers of one run.
        "server_cpu_ms_per_delivery": _per_delivery(cpu, delivered),
        # The join: wall seconds until every socket had room.joined (the join presence
        # events' settling second after it not included), and the servers' CPU for it.
        "join": {"wall_seconds": round(join_wall, 1), "server_cpu_seconds": join_cpu,
                 "server_cpu_ms_per_socket": _per_socket(join_cpu, connected)},
        "memory": {name: memory_summary(series, warmup)
                   for name, series in sampler.series.items()},
    }
