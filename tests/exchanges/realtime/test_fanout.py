"""The room fan-out (exchanges/realtime/fanout.py) on the real Redis.

A socket's join returns only once the room's subscription exists, so every frame
published after it reaches the socket; the consumer relies on this to read
``last_message_id`` after the join without a message falling in between.
"""

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from exchanges.realtime.fanout import _Fanout

pytestmark = [pytest.mark.redis, pytest.mark.timeout(60)]


class _Sink:
    def __init__(self):
        self.texts: list[str] = []
        self.changed = asyncio.Event()

    def push_text(self, text: str) -> None:
        self.texts.append(text)
        self.changed.set()

    async def wait_for(self, text: str) -> None:
        while text not in self.texts:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 10)


def _room_id() -> int:
    # Other test runs may share this Redis and database name: a room of our own.
    return 10**9 + uuid.uuid4().int % 10**9


async def _close(fan: _Fanout, *clients) -> None:
    if fan.reader is not None:
        fan.reader.cancel()
        await asyncio.gather(fan.reader, return_exceptions=True)
    for client in clients:
        await client.aclose()


async def test_a_join_during_another_sockets_subscribe_waits_for_that_subscribe(redis_url):
    fan = _Fanout(redis_url)
    room = _room_id()
    channel = fan.prefix + str(room)
    publisher = aioredis.Redis.from_url(redis_url)
    first, second = _Sink(), _Sink()
    try:
        # The first socket's SUBSCRIBE stays in flight while the test holds the lock
        # that the fan-out takes around it.
        await fan.lock.acquire()
        first_join = asyncio.create_task(fan.join(room, first))
        await asyncio.sleep(0)
        assert not first_join.done()

        async def second_joins_then_a_message_commits():
            await fan.join(room, second)
            # A message committed the instant the join returned: the consumer has read
            # last_message_id by then, so this one must come live.
            await publisher.publish(channel, "committed right after the join")

        second_join = asyncio.create_task(second_joins_then_a_message_commits())
        # Time for a join that does not wait to return and publish (it must not).
        await asyncio.wait({second_join}, timeout=1)
        fan.lock.release()
        await first_join
        await second_join

        await publisher.publish(channel, "later")
        await second.wait_for("later")
        await first.wait_for("later")
        assert second.texts == ["committed right after the join", "later"]
        assert first.texts == ["committed right after the join", "later"]
    finally:
        if fan.lock.locked():
            fan.lock.release()
        await _close(fan, publisher)


async def test_the_last_socket_leaving_unsubscribes_and_a_rejoin_subscribes_again(redis_url):
    fan = _Fanout(redis_url)
    room = _room_id()
    channel = fan.prefix + str(room)
    publisher = aioredis.Redis.from_url(redis_url)
    sink = _Sink()
    try:
        await fan.join(room, sink)
        assert await publisher.pubsub_numsub(channel) == [(channel.encode(), 1)]
        await fan.leave(room, sink)
        assert await publisher.pubsub_numsub(channel) == [(channel.encode(), 0)]
        assert room not in fan.rooms

        await fan.join(room, sink)
        await publisher.publish(channel, "back")
        await sink.wait_for("back")
        assert sink.texts == ["back"]
    finally:
        await _close(fan, publisher)
