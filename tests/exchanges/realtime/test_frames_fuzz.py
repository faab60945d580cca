"""Hypothesis fuzzes every client frame type of the room socket on one open socket.

Each example sends one frame (of every type the protocol knows, with valid, wrong-typed
and hostile values: lone surrogates, NUL, huge integers, NaN, nesting, unknown keys), or
a raw text frame, then a probe (an unknown type with a serial number). The frame must be
answered or silently accepted: the probe's error comes back on the same, still open
socket, no frame is answered ``server_error`` and nothing is logged as an error. At the
end the socket still answers a valid ``history`` frame.

``FUZZ_EXAMPLES`` (default 300) sets the number of examples: ``FUZZ_EXAMPLES=10000`` for
a long run.
"""

import asyncio
import itertools
import json
import logging
import os

import pytest
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers, get_channel_layer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.models import Message
from exchanges.realtime import protocol, rate_limit
from exchanges.services import chat
from tests.exchanges.chat_fixtures import make_match_room, open_socket

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(1800)]

# Every code point, lone surrogates and NUL included (Hypothesis leaves out surrogates
# unless asked).
ANY_CHAR = st.characters(codec=None, categories=None)
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\ud800", "a\udfffb", "\ud83d\ude00", "x" * 2001,
                     "k" * 65, "\u202e", "<script>", "'; DROP TABLE x; --"]),
)
INTS = st.one_of(
    st.integers(min_value=-3, max_value=50),
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), INTS, TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)


def _field(good):
    """Mostly a plausible value, sometimes anything JSON can carry, sometimes absent."""
    return st.one_of(good, good, JSON_VALUES)


def _frame(frame_type: str, fields: dict) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {"type": st.just(frame_type)},
        optional={name: _field(good) for name, good in fields.items()}
        | {"extra": JSON_VALUES},
    )


def frames(message_ids: list[int]) -> st.SearchStrategy:
    message_id = st.one_of(st.sampled_from(message_ids), INTS)
    return st.one_of(
        _frame("message.send", {"body": TEXT, "client_id": TEXT}),
        _frame("history", {"before": st.one_of(st.none(), message_id),
                           "limit": st.one_of(INTS, st.none())}),
        _frame("typing", {}),
        _frame("correction.send", {"message_id": message_id, "corrected": TEXT}),
        _frame("message.report", {"message_id": message_id, "reason": TEXT}),
        st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4),  # any object
        JSON_VALUES,  # not an object at all
        st.builds(lambda t: {"type": t}, TEXT),  # unknown types
        # Raw text: not JSON, nested too deep, over the size cap.
        st.text(ANY_CHAR, max_size=60).map(lambda s: ("raw", s)),
        st.integers(1, 200_000).map(lambda n: ("raw", "[" * n)),
        st.just(("raw", "{" + " " * protocol.MAX_FRAME_BYTES + "}")),
    )


def _encode(frame) -> str:
    if isinstance(frame, tuple):
        return frame[1]
    # ensure_ascii escapes lone surrogates, as a browser's JSON may not but a client can.
    return json.dumps(frame, ensure_ascii=True)


async def _exchange(comm, text: str, serial: int) -> list[dict]:
    """Send one frame and a probe; every event up to the probe's answer."""
    probe = f"fuzz-probe-{serial}"
    # send_input, not send_to: the communicator refuses an empty text frame, a client can
    # send one.
    await comm.send_input({"type": "websocket.receive", "text": text})
    await comm.send_to(text_data=json.dumps({"type": probe}))
    events = []
    while True:
        # Raises if the consumer crashed; a close comes as websocket.close.
        output = await comm.receive_output(timeout=10)
        assert output["type"] == "websocket.send", f"socket dropped after {text[:200]!r}"
        event = json.loads(output["text"])
        if event.get("type") == "error" and probe in event.get("detail", ""):
            return events
        events.append(event)


@pytest.fixture
def generous_limits(monkeypatch):
    """Lift the rate limits, so that the frames reach the services they fuzz."""
    monkeypatch.setattr(rate_limit, "FRAME_LIMITS", {
        name: rate_limit.Limit(10**9, 60) for name in rate_limit.FRAME_LIMITS
    })
    monkeypatch.setattr(chat, "RATE_LIMIT_COUNT", 10**9)


@pytest.mark.usefixtures("generous_limits")
def test_no_frame_drops_the_socket_or_raises(caplog):
    room, user_a, user_b, _ = make_match_room()
    message_ids = [
        Message.objects.create(room=room, author=user_b, body=f"m{i}", client_id=f"f{i}").pk
        for i in range(3)
    ]
    loop = asyncio.new_event_loop()
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    serial = itertools.count()
    caplog.set_level(logging.ERROR)
    comm = None
    try:
        comm, _ = loop.run_until_complete(open_socket(room.pk, user_a))

        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(frame=frames(message_ids))
        def check(frame):
            events = loop.run_until_complete(_exchange(comm, _encode(frame), next(serial)))
            failures = [e for e in events if e.get("code") == "server_error"]
            assert not failures, (frame, failures)
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert not errors, (frame, [r.getMessage() for r in errors])

        check()

        async def final_history():
            await comm.send_json_to({"type": "history", "before": None, "limit": 1})
            while True:
                event = await comm.receive_json_from(timeout=10)
                if event["type"] == "history":
                    return event

        assert loop.run_until_complete(final_history())["type"] == "history"
    finally:
        if comm is not None:
            loop.run_until_complete(comm.disconnect())
        loop.run_until_complete(_close_layer())
        loop.close()


async def _close_layer():
    """The layer's Redis connections belong to this test's loop: close them on it."""
    layer = get_channel_layer()
    if hasattr(layer, "close_pools"):
        await layer.close_pools()
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
