"""What a room socket's close writes: its presence row goes and the room is told, and an
open session counts the time present, in one transaction (a restart closes thousands of
sockets at once: a close in a session is 6 or 7 statements with BEGIN and COMMIT)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from exchanges.models import Room
from exchanges.services import attendance, presence


def room_socket_closed(*, room: Room, user_id: int, channel_name: str, at: dt.datetime) -> None:
    with transaction.atomic():
        presence.presence_leave(room=room, channel_name=channel_name)
        attendance.attendance_leave(room=room, user_id=user_id, at=at)
