"""What a twinning's suspension, termination and reactivation do to its classroom
exchanges: their rooms (the pairs' too), their pupils (told in app, in simple words), and
the retention clock a termination starts."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from exchanges.models import ClassroomExchange, Notification, Room
from exchanges.models.pupil_pairing import PupilGroup, PupilPairing
from exchanges.selectors.retention import retention_deletion_date
from exchanges.services.rooms import room_open
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_terminate
from tests.exchanges.classroom_fixtures import pupil
from tests.exchanges.lifecycle_fixtures import emails_sent_here, make_lifecycle_world, world_suspend
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


@pytest.fixture
def emails_run_locally(monkeypatch):
    emails_sent_here(monkeypatch)


def _refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_pupil_group_rooms_of_the_exchange_close_and_reopen(world):
    pairing = PupilPairing.objects.create(exchange=world.exchange, status="confirmed")
    group = PupilGroup.objects.create(pairing=pairing)
    group.members.set([ParticipantFactory(classroom=world.exchange.classroom_a),
                       ParticipantFactory(classroom=world.exchange.classroom_b)])
    room = room_open(group=group)
    outcome = world_suspend(world)
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED and "suspended" in room.closed_reason
    assert outcome.rooms_closed == 3
    twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Back",
                        effective=timezone.localdate())
    room.refresh_from_db()
    assert room.status == Room.Status.OPEN


def test_suspension_tells_the_pupils_in_app_only_in_simple_words(
    world, emails_run_locally, django_capture_on_commit_callbacks
):
    pupil_a = pupil(world.exchange.classroom_a, "Amelia K.")
    pupil_b = pupil(world.exchange.classroom_b, "Anna S.")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = world_suspend(world)
    told = Notification.objects.filter(kind="classroom.exchange_paused")
    assert set(told.values_list("user_id", flat=True)) == {pupil_a.user_id, pupil_b.user_id}
    notice = told.get(user=pupil_a.user)
    assert world.exchange.classroom_b.name in notice.text and "paused" in notice.text
    assert "Council vote" not in notice.text  # the officer's words are for adults
    assert outcome.pupils_notified == 2 and outcome.people_notified == 8
    assert len(mail.outbox) == 6  # pupils have no e-mail: only the adults get one


def test_terminate_ends_classroom_exchanges_and_starts_their_retention(world):
    pupil_a = pupil(world.exchange.classroom_a, "Amelia K.")
    outcome = twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended by treaty",
        effective=timezone.localdate(), side="both",
    )
    _refresh(world.exchange, world.exchange_room)
    assert world.exchange.status == ClassroomExchange.Status.ENDED
    assert world.exchange.ended_at is not None
    assert world.exchange.ended_reason == ClassroomExchange.EndedReason.TWINNING
    assert world.exchange_room.status == Room.Status.CLOSED
    assert (outcome.exchanges_ended, outcome.exchanges_paused) == (1, 0)
    teacher_notice = Notification.objects.get(
        kind="twinning.terminated", user=world.exchange.classroom_a.teacher
    )
    assert "has ended" in teacher_notice.text and "deleted on" in teacher_notice.text
    assert Notification.objects.filter(kind="classroom.exchange_ended",
                                       user=pupil_a.user).exists()
    assert retention_deletion_date(world.exchange) == world.exchange.ended_at + dt.timedelta(
        days=settings.JUMELAGE_PUPIL_RETENTION_DAYS
    )


def test_terminating_a_suspended_twinning_ends_its_paused_exchanges(world):
    world_suspend(world)
    outcome = twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended by treaty",
        effective=timezone.localdate(),
    )
    world.exchange.refresh_from_db()
    assert world.exchange.status == ClassroomExchange.Status.ENDED
    assert outcome.exchanges_ended == 1


def test_reactivation_leaves_exchanges_ended_by_the_termination_ended(world):
    twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended",
        effective=timezone.localdate(),
    )
    outcome = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Renewed",
        effective=timezone.localdate(),
    )
    world.exchange.refresh_from_db()
    assert world.exchange.status == ClassroomExchange.Status.ENDED
    assert outcome.exchanges_resumed == 0
    assert any("1 class exchange ended by the termination stays ended" in n
               for n in outcome.not_reopened)
