"""The demo's records read in time order, as a participant's data export shows them: a
match or exchange is created before it is accepted and active, its rooms are opened and
its sessions fall after that."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from exchanges.demo.cast import demo_cast_create
from exchanges.models import ClassroomExchange, Match, Room, Session

pytestmark = pytest.mark.django_db


def test_every_demo_record_is_created_before_it_is_accepted_active_opened_or_held():
    cache.clear()
    call_command("load_twinnings", stdout=None)
    demo_cast_create(password="demo-pass-2027")

    matches = list(Match.objects.all())
    exchanges = list(ClassroomExchange.objects.all())
    assert matches and exchanges
    for match in matches:
        assert match.created_at <= match.a_accepted_at, match
        assert match.created_at <= match.b_accepted_at, match
        assert max(match.a_accepted_at, match.b_accepted_at) <= match.activated_at, match
    for exchange in exchanges:
        assert exchange.created_at <= exchange.activated_at, exchange
    rooms = list(Room.objects.select_related(
        "match", "exchange", "pupil_group__pairing__exchange"))
    assert rooms
    for room in rooms:
        owner = room.match or room.exchange or room.pupil_group.pairing.exchange
        assert owner.activated_at <= room.created_at, room
    sessions = list(Session.objects.select_related("match", "exchange"))
    assert sessions
    for session in sessions:
        owner = session.match or session.exchange
        assert owner.activated_at <= session.starts_at, session
    cache.clear()
