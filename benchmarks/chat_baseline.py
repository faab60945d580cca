"""The chat load's baseline: a bare ``websockets`` broadcast server (no Django, no
database, no Redis), run in a child process by benchmarks/chat_load.py with the same
traffic as the servers."""

import asyncio
import contextlib
import json


def baseline_server(port: int, ready) -> None:
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
