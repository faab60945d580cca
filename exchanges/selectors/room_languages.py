"""The languages a room is written in: what its composer offers, and what a message's
``lang`` may be (exchanges.services.chat refuses any other).

They are the languages its sessions are planned in (exchanges.pure.session_plans): a
pair room's are its match's two tandem languages, or the shared ones of a citizen match;
a class room's, and a pupil group's room's, those of the exchange's two classes, with the
other languages either class speaks or learns after them (a class writes in more than
the two halves of a session). Pupils have no languages of their own: theirs are their
classes'.
"""

from exchanges.models import (
    ClassroomExchange,
    ClassroomLanguage,
    Match,
    ParticipantLanguage,
    Program,
    PupilGroup,
    Room,
)
from exchanges.pure.languages import language_name
from exchanges.pure.session_plans import LanguageRow, plan_languages


def room_languages(*, room: Room) -> list[str]:
    """The room's language codes, the sessions' languages first; none when unknown."""
    if room.match_id is not None:
        return _match_languages(room.match_id)
    exchange_id = room.exchange_id
    if exchange_id is None:
        exchange_id = (PupilGroup.objects.filter(room=room)
                       .values_list("pairing__exchange_id", flat=True).first())
    if exchange_id is None:
        return []
    exchange = ClassroomExchange.objects.filter(pk=exchange_id).first()
    return _class_languages(exchange.classroom_a_id, exchange.classroom_b_id) if exchange else []


def room_language_choices(*, room: Room) -> list[tuple[str, str]]:
    """``(code, name)`` for the composer, each named in the active language."""
    return [(code, language_name(code)) for code in room_languages(room=room)]


def _match_languages(match_id: int) -> list[str]:
    match = (Match.objects.filter(pk=match_id).select_related(
        "program", "participant_a", "participant_b").first())
    if match is None:
        return []
    a, b = match.participant_a, match.participant_b
    rows = [LanguageRow._make(row) for row in ParticipantLanguage.objects.filter(
        participant_id__in=(a.pk, b.pk)).values_list(*LanguageRow._fields)]
    if not rows and a.classroom_id and b.classroom_id:
        # A pair of pupils: their classes' languages.
        return _class_languages(a.classroom_id, b.classroom_id)
    citizen = match.program.kind == Program.Kind.CITIZEN
    planned = [code for code, _who in plan_languages(citizen=citizen, a_id=a.pk, b_id=b.pk,
                                                     languages=rows)]
    spoken = [{r.code for r in rows if r.participant_id == p and not r.learning}
              for p in (a.pk, b.pk)]
    return _ordered(planned, sorted(spoken[0] & spoken[1]))


def _class_languages(a_id: int, b_id: int) -> list[str]:
    rows = [LanguageRow._make(row) for row in ClassroomLanguage.objects.filter(
        classroom_id__in=(a_id, b_id)).values_list("classroom_id", "code", "level", "learning")]
    planned = [code for code, _who in plan_languages(citizen=False, a_id=a_id, b_id=b_id,
                                                     languages=rows)]
    return _ordered(planned, sorted({r.code for r in rows}))


def _ordered(first: list[str], then: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *then]))
