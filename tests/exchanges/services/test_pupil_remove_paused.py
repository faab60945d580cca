"""A pupil removed while their class exchange is paused (its twinning suspended): their
partner moves into another group at once, as for an active exchange, and finds that
group's room open when the exchange resumes."""

import pytest
from django.utils import timezone

from exchanges.models import ClassroomExchange, Notification, Room, RoomMember
from exchanges.services.pupil_pairing import pairing_propose
from exchanges.services.pupils import pupil_remove
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_suspend
from tests.exchanges.class_exchange_fixtures import active_exchange, confirmed_pairing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _twinning_change(change, exchange, admin):
    change(twinning=exchange.twinning, by=admin, reason="Council vote",
           effective=timezone.localdate())


def test_a_partner_left_alone_during_a_pause_is_in_another_group_when_it_resumes():
    exchange, pupils_a, _, pairing = confirmed_pairing(2, 2)
    admin = UserFactory(is_superuser=True)
    leaving = pupils_a[0]
    old = pairing.groups.get(members=leaving)
    (partner,) = [m for m in old.members.all() if m.pk != leaving.pk]
    old_room = old.room
    _twinning_change(twinning_suspend, exchange, admin)
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.PAUSED

    pupil_remove(pupil=leaving, by=exchange.classroom_a.teacher)

    group = pairing.groups.get(members=partner)
    assert {m.classroom_id for m in group.members.all()} == set(exchange.classroom_ids)
    assert pairing.groups.count() == 1
    assert group.room.memberships.filter(user=partner.user, role=RoomMember.Role.MEMBER).exists()
    group.room.refresh_from_db()
    assert group.room.status == Room.Status.CLOSED  # still paused: nobody writes yet
    told = Notification.objects.filter(user=partner.user, kind="pairing.room").latest("pk")
    assert "goes on again" in told.text and told.params["count"] == 2

    _twinning_change(twinning_reactivate, exchange, admin)

    group.room.refresh_from_db()
    old_room.refresh_from_db()
    assert group.room.status == Room.Status.OPEN
    assert old_room.status == Room.Status.CLOSED  # the old pair's room stays closed


def test_a_proposal_a_removal_during_a_pause_leaves_with_a_lone_pupil_is_withdrawn():
    exchange, pupils_a, _ = active_exchange(2, 2)
    pairing = pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    _twinning_change(twinning_suspend, exchange, UserFactory(is_superuser=True))

    pupil_remove(pupil=pupils_a[0], by=exchange.classroom_a.teacher)

    pairing.refresh_from_db()
    assert pairing.status == pairing.Status.REPLACED
