"""The demo exchange comes with final pupil pairs (3 and 4 pupils: one trio) in their
rooms and weekly class sessions; seeding again adds none."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command

from exchanges.demo.classrooms import demo_classrooms_create
from exchanges.models import PupilGroup, PupilPairing, Session

pytestmark = pytest.mark.django_db


def test_the_demo_exchange_has_final_pairs_with_a_trio_and_class_sessions():
    cache.clear()
    call_command("load_twinnings", stdout=None)
    demo_classrooms_create(password="demo-pass-2027")
    pairing = PupilPairing.objects.get()
    assert pairing.status == PupilPairing.Status.CONFIRMED
    sizes = sorted(g.members.count() for g in pairing.groups.all())
    assert sizes == [2, 2, 3]
    assert not pairing.groups.filter(room__isnull=True).exists()
    sessions = list(Session.objects.filter(exchange=pairing.exchange))
    assert sessions
    for session in sessions:
        local = session.starts_at.astimezone(ZoneInfo("Europe/London"))
        assert (local.weekday(), local.time()) == (1, dt.time(14, 0))
    demo_classrooms_create(password="demo-pass-2027")
    assert PupilPairing.objects.count() == 1 and PupilGroup.objects.count() == 3
    assert Session.objects.count() == len(sessions)
    cache.clear()
