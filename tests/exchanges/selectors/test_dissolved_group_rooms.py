"""A pupil group's room stays its exchange's once a removal dissolved the group: its
reports count in the exchange's figures, and its messages in the exchange's history."""

import pytest

from exchanges.models import PupilGroup
from exchanges.selectors.history import class_exchange_history
from exchanges.selectors.moderation import report_counts
from exchanges.services import chat
from exchanges.services.pupils import pupil_remove
from tests.exchanges.class_exchange_fixtures import confirmed_pairing

pytestmark = pytest.mark.django_db


def _dissolved_trio():
    """(exchange, the trio's room): its pupil of class A left, the two of class B, who
    stay, reported one another's message there before the group was dissolved."""
    exchange, _pupils_a, _pupils_b, pairing = confirmed_pairing(2, 3)
    trio = next(g for g in pairing.groups.all() if g.members.count() == 3)
    leaving = trio.members.get(classroom_id=exchange.classroom_a_id)
    b1, b2 = trio.members.filter(classroom_id=exchange.classroom_b_id).order_by("pk")
    message, _ = chat.message_send(room=trio.room, author=b1.user, body="silly", client_id="s")
    chat.message_report(room=trio.room, reporter=b2.user, message_id=message.pk,
                        reason="mean")
    pupil_remove(pupil=leaving, by=exchange.classroom_a.teacher)
    assert not PupilGroup.objects.filter(pk=trio.pk).exists()
    return exchange, trio.room


def test_a_dissolved_groups_reports_count_for_its_exchange():
    exchange, _room = _dissolved_trio()
    assert report_counts(exchanges=[exchange]) == {"open": 1, "resolved": 0}


def test_a_dissolved_groups_messages_are_its_exchanges_history():
    exchange, _room = _dissolved_trio()
    assert class_exchange_history(exchange=exchange)["messages"] == 1
