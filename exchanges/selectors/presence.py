"""Who is online in a room, across every server process."""

import datetime

from django.utils import timezone

from exchanges.models import Presence, Room

# A socket heartbeats every ~20 s; a row older than this belongs to a dead process.
PRESENCE_TTL = datetime.timedelta(seconds=60)


def presence_online(*, room: Room) -> list[dict]:
    """Members with a live socket in the room (any process), by name."""
    fresh = timezone.now() - PRESENCE_TTL
    rows = (
        Presence.objects.filter(room=room, seen_at__gte=fresh)
        .values_list("user_id", "user__display_name", "user__email")
        .distinct()
        .order_by("user_id")
    )
    return [
        {"id": user_id, "name": display or email.split("@")[0]}
        for user_id, display, email in rows
    ]
