"""Load shedding for the room sockets: a bound on the client frames one server process
handles at once (all its sockets together).

A frame is in flight from the moment the consumer takes it until its answer (for
``message.send``: until the message is saved and published). A process that falls behind
(its database slow, its event loop short of CPU) would otherwise take every frame and let
its queues and latency grow without bound; past ``JUMELAGE_WS_FRAMES_IN_FLIGHT`` a frame
is refused unhandled with a ``server_busy`` error instead. Nothing of it is saved and
nothing acknowledged, so nothing acknowledged is lost: the client sends it again (a
message with the same ``client_id``, which keeps the retry idempotent).
"""

from django.conf import settings


class FrameAdmission:
    """The frames in flight of one process (its event loop handles every socket)."""

    def __init__(self):
        self.in_flight = 0

    def enter(self) -> bool:
        """Count a frame in, or False when the process is at its bound."""
        if self.in_flight >= settings.JUMELAGE_WS_FRAMES_IN_FLIGHT:
            return False
        self.in_flight += 1
        return True

    def leave(self) -> None:
        self.in_flight -= 1


frames = FrameAdmission()
