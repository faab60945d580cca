"""Attendance from real WebSocket connections to the room (config.asgi.application)."""

import asyncio
import datetime as dt
import time

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from exchanges.models import Attendance, Session
from tests.exchanges.chat_fixtures import open_socket
from tests.exchanges.scheduling_fixtures import scheduled_match

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


@sync_to_async
def _running_session():
    match, sessions = scheduled_match()
    session = sessions[0]
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    return match.room.pk, match.participant_a, match.participant_b, session.pk


@sync_to_async
def _attendance(session_id, participant):
    return Attendance.objects.get(session_id=session_id, participant=participant)


async def _open(room_id, user):
    """Connected and joined: ``room.joined`` comes after the consumer recorded the join."""
    comm, _ = await open_socket(room_id, user)
    return comm


async def test_two_tabs_count_once_and_leaving_closes_the_interval():
    room_id, nora, bruno, session_id = await _running_session()
    nora_user = await sync_to_async(lambda: nora.user)()
    started = time.monotonic()
    tab1 = await _open(room_id, nora_user)
    try:
        await asyncio.sleep(0.5)
        tab2 = await _open(room_id, nora_user)
        row = await _attendance(session_id, nora)
        assert row.open_connections == 2 and row.first_join is not None
        await asyncio.sleep(2)
        await tab2.disconnect()
        await asyncio.sleep(0.2)
        row = await _attendance(session_id, nora)
        assert row.open_connections == 1 and row.seconds_present == 0  # still present
        await asyncio.sleep(0.5)
    finally:
        await tab1.disconnect()
    await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    row = await _attendance(session_id, nora)
    assert row.open_connections == 0 and row.last_leave is not None
    # The union of the two tabs (about 3 s), not their sum (about 5 s).
    assert 2 <= row.seconds_present <= elapsed + 1
    assert (await _attendance(session_id, bruno)).first_join is None


async def test_connecting_outside_a_session_records_nothing():
    room_id, nora, _, session_id = await _running_session()
    await sync_to_async(
        lambda: Session.objects.filter(pk=session_id).update(
            starts_at=timezone.now() + dt.timedelta(days=3)
        )
    )()
    nora_user = await sync_to_async(lambda: nora.user)()
    comm = await _open(room_id, nora_user)
    await comm.disconnect()
    rows = await sync_to_async(list)(
        Attendance.objects.filter(participant=nora, first_join__isnull=False)
    )
    assert rows == []
