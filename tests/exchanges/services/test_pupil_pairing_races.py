"""A teacher removing or adding a pupil while the other teacher makes the pairs final
(PostgreSQL, two connections): the pairs end final, the removed pupil's partner moves into
another group and the added pupil takes one, as one after the other would."""

import pytest

from exchanges.models import Participant, PupilPairing
from exchanges.services import pupil_pairing
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.pupils import pupil_remove, pupils_add
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.threads import Pause, race

pytestmark = pytest.mark.django_db(transaction=True)


def _paused_at_first(monkeypatch, name: str) -> Pause:
    """The pairing service's ``name`` waits at its first call until the race goes on."""
    pause, real, calls = Pause(), getattr(pupil_pairing, name), []

    def paused(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            pause.here()
        return real(**kwargs)

    monkeypatch.setattr(pupil_pairing, name, paused)
    return pause


def test_a_pupil_removed_while_the_pairs_become_final_leaves_no_pupil_alone(
    postgres, monkeypatch
):
    exchange, pupils_a, _pupils_b = active_exchange(2, 2)
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    leaving = pupils_a[0]
    (partner,) = [m for m in pairing.groups.get(members=leaving).members.all()
                  if m.pk != leaving.pk]
    # The second confirmation stops once the pairs are final, opening the first room.
    pause = _paused_at_first(monkeypatch, "room_open")
    outcomes = race(
        ("b_confirms", lambda: pairing_confirm(pairing=pairing, by=teacher_b)),
        ("a_removes", lambda: pupil_remove(
            pupil=Participant.objects.select_related("classroom").get(pk=leaving.pk),
            by=teacher_a)),
        pause=pause,
    )
    assert isinstance(outcomes["b_confirms"], PupilPairing), outcomes
    assert outcomes["a_removes"] is None, outcomes
    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.CONFIRMED
    group = pairing.groups.get(members=partner)
    assert {m.classroom_id for m in group.members.all()} == set(exchange.classroom_ids)
    assert not Participant.objects.filter(pk=leaving.pk).exists()


def test_a_pupil_added_while_the_pairs_become_final_takes_a_group(postgres, monkeypatch):
    """The confirmation placed the pupils it read; one added meanwhile read the pairs as
    still proposed, and was left with no partner in the final pairs."""
    exchange, _pupils_a, _pupils_b = active_exchange(2, 2)
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    # The second confirmation stops once it has placed the pupils it found, as it tells
    # the other teacher.
    pause = _paused_at_first(monkeypatch, "notification_create")
    outcomes = race(
        ("b_confirms", lambda: pairing_confirm(pairing=pairing, by=teacher_b)),
        ("a_adds", lambda: pupils_add(classroom=exchange.classroom_a, by=teacher_a,
                                      names=["Zoe Q."])),
        pause=pause,
    )
    assert isinstance(outcomes["b_confirms"], PupilPairing), outcomes
    (card,) = outcomes["a_adds"]
    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.CONFIRMED
    assert pairing.groups.filter(members=card.pupil).count() == 1
