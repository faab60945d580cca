"""The admin keeps a class exchange that holds its classes' history (its rooms' messages,
its sessions, its pupil pairs, its wall) as it keeps a match: the page says what it holds
and that its teachers end it instead; an exchange made by mistake is still deleted."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    Message,
    PupilGroup,
    PupilPairing,
    Room,
    Session,
    WallPost,
)
from tests.exchanges.admin_delete_pages import delete_confirmed, delete_selected_confirmed
from tests.exchanges.class_exchange_fixtures import active_exchange

pytestmark = pytest.mark.django_db

REFUSED = "people&#x27;s history, which the deletion would erase"
INSTEAD = "End the exchange"


def _bare(exchange: ClassroomExchange) -> ClassroomExchange:
    """Another exchange of the same two classes, with nothing in it: made by mistake."""
    return ClassroomExchange.objects.create(
        twinning=exchange.twinning, classroom_a=exchange.classroom_a,
        classroom_b=exchange.classroom_b)


def _rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (
        ClassroomExchange, Room, Message, Session, PupilPairing, PupilGroup, WallPost))


def test_an_exchange_whose_class_room_has_messages_is_kept_single_and_selected(client, root):
    exchange, pupils_a, _pupils_b = active_exchange(1, 1)
    Message.objects.create(room=exchange.room, author=pupils_a[0].user, body="Hallo",
                           client_id="1")
    bare = _bare(exchange)
    before = _rows()
    for html in (delete_confirmed(client, exchange),
                 delete_selected_confirmed(client, [exchange, bare])):
        assert REFUSED in html and INSTEAD in html and "1 message" in html
    assert _rows() == before  # the batch is refused whole


def test_a_pupil_pair_s_messages_sessions_and_wall_are_listed(client, root):
    exchange, pupils_a, pupils_b = active_exchange(1, 1)
    pairing = PupilPairing.objects.create(exchange=exchange, status=PupilPairing.Status.CONFIRMED)
    group = PupilGroup.objects.create(pairing=pairing, room=Room.objects.create(title="pair"))
    group.members.set([pupils_a[0], pupils_b[0]])
    for n in range(2):
        Message.objects.create(room=group.room, author=pupils_b[0].user, body="Hi",
                               client_id=str(n))
    now = timezone.now()
    Session.objects.create(exchange=exchange, status=Session.Status.HELD,
                           starts_at=now - dt.timedelta(days=2))
    Session.objects.create(exchange=exchange, starts_at=now + dt.timedelta(days=2))
    WallPost.objects.create(exchange=exchange, author=pupils_a[0].user, text="Our town")
    before = _rows()
    html = delete_confirmed(client, exchange)
    assert REFUSED in html and INSTEAD in html
    for said in ("2 messages", "2 sessions", "1 pupil pairing", "1 wall post"):
        assert said in html
    assert _rows() == before


def test_a_cancelled_future_session_alone_is_no_history(client, root):
    exchange, _pupils_a, _pupils_b = active_exchange(1, 1)
    Session.objects.create(exchange=exchange, status=Session.Status.CANCELLED,
                           starts_at=timezone.now() + dt.timedelta(days=2))
    delete_confirmed(client, exchange)
    assert not ClassroomExchange.objects.filter(pk=exchange.pk).exists()


def test_exchanges_made_by_mistake_are_deleted_single_and_selected(client, root):
    exchange, _pupils_a, _pupils_b = active_exchange(1, 1)
    mistakes = [_bare(exchange), _bare(exchange)]
    html = delete_selected_confirmed(client, mistakes)
    assert REFUSED not in html
    delete_confirmed(client, exchange)
    assert not ClassroomExchange.objects.exists()
