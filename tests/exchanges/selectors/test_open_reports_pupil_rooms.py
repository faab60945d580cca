"""A program's "open reports" figure counts the reports in its classroom exchanges'
pupils' own rooms (a pair's, a trio's: rooms tied to no exchange row), as the
officer's dashboard count of pupils' reports does."""

import pytest

from exchanges.models import Room, RoomMember
from exchanges.selectors.metrics import open_reports
from exchanges.selectors.metrics.reads import Scope
from exchanges.services import chat
from exchanges.services.moderation import room_moderators_ensure
from tests.exchanges.wall_fixtures import make_exchange
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _pupils_room_report(built):
    room = Room.objects.create(title="pair")
    for user in (built.a.pupils[0], built.b.pupils[0]):
        RoomMember.objects.create(room=room, user=user)
    room_moderators_ensure(exchange=built.exchange)
    said, _ = chat.message_send(room=room, author=built.b.pupils[0], body="silly",
                                client_id="c1")
    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=said.pk,
                        reason="mean")


def test_a_report_in_a_pupils_room_counts_for_the_exchanges_program_only():
    program, other = ProgramFactory(kind="classroom"), ProgramFactory(kind="classroom")
    built = make_exchange()
    built.exchange.program = program
    built.exchange.save(update_fields=["program"])
    _pupils_room_report(built)
    assert open_reports(scope=Scope(program_ids=(program.pk,))) == 1
    assert open_reports(scope=Scope(program_ids=(other.pk,))) == 0
    assert open_reports(scope=Scope(program_ids=(program.pk,),
                                    twinning_id=built.exchange.twinning_id)) == 1
