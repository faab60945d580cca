"""The pupil pairs page of an ended exchange says what became of its pairs: none were
proposed, or proposed and never confirmed; it promises no pairing to come."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange, PupilPairing
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from tests.exchanges.class_exchange_fixtures import active_exchange, pairing_confirmed

pytestmark = pytest.mark.django_db

NOT_YET = "No pairs are proposed yet."
WHILE_ACTIVE = "Pupils are paired while the exchange is active."
ENDED = "The exchange has ended: no pairs can be proposed or confirmed."


def _end(exchange):
    exchange.status = ClassroomExchange.Status.ENDED
    exchange.ended_at = timezone.now()
    exchange.save(update_fields=["status", "ended_at"])


def _page(client, exchange) -> str:
    client.force_login(exchange.classroom_a.teacher)
    return client.get(reverse("pupil_pairing", args=[exchange.pk])).content.decode()


def test_an_active_exchange_without_pairs_says_they_are_to_come(client):
    exchange, _, _ = active_exchange(2, 2)
    page = _page(client, exchange)
    assert NOT_YET in page and ENDED not in page and WHILE_ACTIVE not in page


def test_a_paused_exchange_is_paired_when_active_again(client):
    exchange, _, _ = active_exchange(2, 2)
    exchange.status = ClassroomExchange.Status.PAUSED
    exchange.save(update_fields=["status"])
    page = _page(client, exchange)
    assert WHILE_ACTIVE in page and NOT_YET in page and ENDED not in page


def test_an_ended_exchange_without_pairs_promises_none(client):
    exchange, _, _ = active_exchange(2, 2)
    _end(exchange)
    page = _page(client, exchange)
    assert ENDED in page and "No pairs were proposed in this exchange." in page
    assert NOT_YET not in page and WHILE_ACTIVE not in page
    assert reverse("pairing_propose", args=[exchange.pk]) not in page


def test_pairs_proposed_and_never_confirmed_before_the_end_are_not_awaited(client):
    exchange, _, _ = active_exchange(2, 2)
    pairing = pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    pairing_confirm(pairing=pairing, by=exchange.classroom_b.teacher)
    _end(exchange)
    page = _page(client, exchange)
    assert "These pairs were not confirmed by both teachers before the exchange ended." in page
    assert "not confirmed these pairs yet" not in page
    assert "The other teacher confirmed them." not in page


def test_final_pairs_of_an_ended_exchange_stay_dated(client):
    exchange, _, _ = active_exchange(2, 2)
    pairing_confirmed(exchange)
    _end(exchange)
    page = _page(client, exchange)
    assert ENDED in page and "Both teachers confirmed these pairs on" in page


def test_the_pairs_confirmation_day_is_the_one_on_the_teachers_class_calendar(client):
    """23:30 UTC on 10 June is already 11 June in Coventry (and in Dresden); a teacher
    whose browser has not told its zone reads the class's day, not UTC's."""
    exchange, _, _ = active_exchange(2, 2)
    pairing = pairing_confirmed(exchange)
    PupilPairing.objects.filter(pk=pairing.pk).update(
        confirmed_at=dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC))
    for teacher in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
        client.force_login(teacher)
        page = client.get(reverse("pupil_pairing", args=[exchange.pk])).content.decode()
        assert "11 Jun 2026: each group has its room." in page


@pytest.mark.parametrize("status, rooms", [
    ("active", "each group has its room."),
    ("paused", "Their rooms are closed while the exchange is paused."),
    ("ended", "Their rooms closed when the exchange ended."),
])
def test_final_pairs_promise_a_room_only_while_the_exchange_is_active(client, status, rooms):
    exchange, _, _ = active_exchange(2, 2)
    pairing_confirmed(exchange)
    exchange.status = status
    exchange.save(update_fields=["status"])
    page = _page(client, exchange)
    assert "Both teachers confirmed these pairs on" in page and rooms in page
    assert (status == "active") == ("each group has its room" in page)
