"""The half-time language switch: the server tells a running session's room to swap."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from exchanges.models import Room, Session
from exchanges.pure.languages import language_name
from exchanges.realtime.broadcast import broadcast_to_room


def switch_at(session: Session) -> dt.datetime | None:
    """When the session switches language (None when it has one language)."""
    plan = session.language_plan or []
    if len(plan) < 2:
        return None
    return session.starts_at + dt.timedelta(minutes=plan[0]["minutes"])


def sessions_send_switches(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Tell each running session's room to switch language, once (beat task, every minute).

    The row is claimed with SKIP LOCKED and ``switch_sent_at`` set in one transaction;
    the broadcast goes after COMMIT. A process dying between the two loses that one
    switch message (the timer on the page switches on its own): at most once.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        candidates = (
            Session.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Session.Status.SCHEDULED,
                switch_sent_at__isnull=True,
                starts_at__lte=now,
                starts_at__gt=now - dt.timedelta(hours=4),
            )
            .order_by("starts_at")[:batch_size]
        )
        due = [
            s
            for s in candidates
            if (at := switch_at(s)) is not None
            and at <= now < s.starts_at + dt.timedelta(minutes=s.minutes)
        ]
        rooms = dict(
            Room.objects.filter(match_id__in=[s.match_id for s in due]).values_list(
                "match_id", "id"
            )
        )
        for session in due:
            session.switch_sent_at = now
            session.save(update_fields=["switch_sent_at"])
            room_id = rooms.get(session.match_id)
            if room_id is None:
                continue
            code = session.language_plan[1]["language"]
            name = language_name(code, "en")
            broadcast_to_room(
                room_id=room_id,
                payload={
                    "type": "session.switch",
                    "session_id": session.pk,
                    "language": code,
                    "language_name": name,
                    "text": f"Switch to {name}",
                },
            )
            sent += 1
    return sent
