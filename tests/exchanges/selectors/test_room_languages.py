"""Which languages a room's messages may be written in: a tandem's two, a citizen
match's shared ones, the two classes' for a class room and a pupil pair's room."""

import pytest

from exchanges.models import ClassroomLanguage, Match, Program, PupilGroup, PupilPairing
from exchanges.selectors.room_languages import room_language_choices, room_languages
from exchanges.services.rooms import room_open
from tests.exchanges.wall_fixtures import make_exchange
from tests.factories import MatchFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_tandem_rooms_languages_are_the_two_its_sessions_are_planned_in():
    match = MatchFactory(status=Match.Status.ACTIVE)  # en native + de learner, and back
    assert room_languages(room=room_open(match=match)) == ["de", "en"]


def test_a_citizen_rooms_languages_are_those_both_speak():
    match = MatchFactory(
        status=Match.Status.ACTIVE, program=ProgramFactory(kind=Program.Kind.CITIZEN),
        participant_a__speaks={"en": "native", "fr": "B2"},
        participant_b__speaks={"de": "native", "fr": "C1", "en": "B2"},
    )
    assert sorted(room_languages(room=room_open(match=match))) == ["en", "fr"]


def _class_languages(built):
    for classroom, speaks, learns in ((built.a.classroom, "en", "de"),
                                      (built.b.classroom, "de", "en")):
        ClassroomLanguage.objects.create(classroom=classroom, code=speaks, level="native")
        ClassroomLanguage.objects.create(classroom=classroom, code=learns, level="A2",
                                         learning=True)


def test_a_class_rooms_and_a_pupil_pairs_languages_are_the_classes():
    built = make_exchange()
    _class_languages(built)
    assert sorted(room_languages(room=room_open(exchange=built.exchange))) == ["de", "en"]
    # Pupils have no languages of their own: a pair's match room, and a pupil group's room.
    match = MatchFactory(participant_a=built.a.pupils[0].participant,
                         participant_b=built.b.pupils[0].participant,
                         twinning=built.exchange.twinning, status=Match.Status.ACTIVE)
    assert sorted(room_languages(room=room_open(match=match))) == ["de", "en"]
    pairing = PupilPairing.objects.create(exchange=built.exchange, status="confirmed")
    group = PupilGroup.objects.create(pairing=pairing)
    group.members.set([built.a.pupils[1].participant, built.b.pupils[1].participant])
    assert sorted(room_languages(room=room_open(group=group))) == ["de", "en"]


def test_the_choices_name_each_language():
    room = room_open(match=MatchFactory(status=Match.Status.ACTIVE))
    assert room_language_choices(room=room) == [("de", "German"), ("en", "English")]
