"""A program's "open reports" figure counts the reports in its classroom exchanges'
pupils' own rooms (a pair's, a trio's: rooms tied to no exchange row), as the
officer's dashboard count of pupils' reports does; each report counts once, in the
exchange whose room it was made in, even when the author's class is in another
program's exchange too."""

import pytest
from django.utils import timezone

from exchanges.models import ClassroomExchange
from exchanges.models.pupil_pairing import PupilGroup, PupilPairing
from exchanges.selectors.metrics import open_reports
from exchanges.selectors.metrics.reads import Scope
from exchanges.selectors.moderation import report_counts, report_counts_for_officer
from exchanges.services import chat
from exchanges.services.rooms import room_open
from tests.exchanges.wall_fixtures import _side, make_exchange
from tests.factories import CityFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def _report(room, *, author, reporter, client_id):
    said, _ = chat.message_send(room=room, author=author, body="silly", client_id=client_id)
    chat.message_report(room=room, reporter=reporter, message_id=said.pk, reason="mean")


def _pupils_room_report(built, *, by_a=False):
    pairing = PupilPairing.objects.create(exchange=built.exchange, status="confirmed")
    group = PupilGroup.objects.create(pairing=pairing)
    group.members.set([built.a.pupils[0].participant, built.b.pupils[0].participant])
    room = room_open(group=group)
    author, reporter = built.b.pupils[0], built.a.pupils[0]
    if by_a:
        author, reporter = reporter, author
    _report(room, author=author, reporter=reporter, client_id="c1")


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


def _second_exchange(built, program) -> ClassroomExchange:
    """Class A of ``built`` in a second exchange, of ``program``, with a third class."""
    twinning = TwinningFactory(city_a=built.a.classroom.city,
                               city_b=CityFactory(country="FR", tz="Europe/Paris"))
    c = _side(twinning.city_b, name="5e", pupils=["Zoé M."])
    return ClassroomExchange.objects.create(
        twinning=twinning, program=program, classroom_a=built.a.classroom,
        classroom_b=c.classroom, status=ClassroomExchange.Status.ACTIVE,
        activated_at=timezone.now(),
    )


def test_a_class_in_two_programs_reports_count_in_the_rooms_program_only():
    first, second = ProgramFactory(kind="classroom"), ProgramFactory(kind="classroom")
    built = make_exchange()
    built.exchange.program = first
    built.exchange.save(update_fields=["program"])
    later = _second_exchange(built, second)
    # Class A's pupil writes in the first exchange's class room and in a pair's room.
    class_room = room_open(exchange=built.exchange)
    _report(class_room, author=built.a.pupils[0], reporter=built.b.pupils[0], client_id="c2")
    _pupils_room_report(built, by_a=True)
    assert open_reports(scope=Scope(program_ids=(first.pk,))) == 2
    assert open_reports(scope=Scope(program_ids=(second.pk,))) == 0
    assert report_counts(exchanges=[built.exchange]) == {"open": 2, "resolved": 0}
    assert report_counts(exchanges=[later]) == {"open": 0, "resolved": 0}
    assert report_counts_for_officer(programs=[second])["open"] == 0
    assert report_counts_for_officer(programs=[first, second])["open"] == 2


def test_an_exchange_of_another_program_on_a_shared_twinning_counts_for_its_own_program():
    built = make_exchange()
    first = ProgramFactory(kind="classroom", twinnings=[built.exchange.twinning])
    second = ProgramFactory(kind="classroom", twinnings=[built.exchange.twinning])
    built.exchange.program = second
    built.exchange.save(update_fields=["program"])
    room = room_open(exchange=built.exchange)
    _report(room, author=built.a.pupils[0], reporter=built.b.pupils[0], client_id="c3")
    assert report_counts_for_officer(programs=[second])["open"] == 1
    assert report_counts_for_officer(programs=[first])["open"] == 0
    # An exchange of no program counts for the programs over its twinning.
    built.exchange.program = None
    built.exchange.save(update_fields=["program"])
    assert report_counts_for_officer(programs=[first])["open"] == 1
