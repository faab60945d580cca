"""Attendance recorded from room connections (filled in by the scheduling work).

The room consumer calls these on connect and disconnect; they must be cheap when no
session is running.
"""

import datetime


def attendance_join(*, room_id: int, user_id: int, at: datetime.datetime) -> None:
    """A member's socket opened in the room at ``at``."""


def attendance_leave(*, room_id: int, user_id: int, at: datetime.datetime) -> None:
    """A member's socket closed in the room at ``at``."""
