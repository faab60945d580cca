"""What a pupil's home says their interests do: they choose a partner while pairs are
still to be made, and no longer once both teachers confirmed the pairs (a pupil who
joins later, or one whose partner leaves, takes the smallest group, whatever they like)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange
from exchanges.services.pupil_pairing import pairing_propose
from tests.exchanges.class_exchange_fixtures import active_exchange, pairing_confirmed
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, classroom, teacher

pytestmark = pytest.mark.django_db

CHOOSES = "your partner in the other class is chosen with it"
CHOSEN = "Your class's pairs are chosen"


def _home(client, pupil) -> str:
    client.force_login(pupil.user, backend=PUPIL_BACKEND)
    return client.get(reverse("dashboard")).content.decode()


def test_before_the_pairs_are_final_a_pupils_interests_choose_their_partner(client):
    exchange, pupils_a, _ = active_exchange(2, 2)
    assert CHOOSES in _home(client, pupils_a[0])
    pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    page = _home(client, pupils_a[0])
    assert CHOOSES in page and CHOSEN not in page


def test_once_the_pairs_are_final_the_home_says_interests_no_longer_change_them(client):
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    pairing_confirmed(exchange)
    for pupil in (pupils_a[0], pupils_b[1]):
        page = _home(client, pupil)
        assert CHOOSES not in page
        assert CHOSEN in page and "no longer changes them" in page
        # What they like still counts for a next exchange: the page still leads there.
        assert f'<a href="{reverse("pupil_interests")}">what you like</a>' in page


def test_final_pairs_of_an_ended_exchange_are_chosen_too(client):
    exchange, pupils_a, _ = active_exchange(2, 2)
    pairing_confirmed(exchange)
    exchange.status = ClassroomExchange.Status.ENDED
    exchange.ended_at = timezone.now()
    exchange.save(update_fields=["status", "ended_at"])
    page = _home(client, pupils_a[0])
    assert CHOSEN in page and CHOOSES not in page


def test_a_second_exchange_still_to_pair_keeps_the_interests_choosing(client):
    exchange, pupils_a, _ = active_exchange(2, 2)
    pairing_confirmed(exchange)
    other = classroom(teacher_user=teacher(), city=exchange.classroom_b.city, speaks="de",
                      learns="en", name="8a")
    ClassroomExchange.objects.create(
        twinning=exchange.twinning, classroom_a=exchange.classroom_a, classroom_b=other,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now(),
    )
    page = _home(client, pupils_a[0])
    assert CHOOSES in page and CHOSEN not in page


def test_the_interests_pages_say_what_interests_do_before_and_after_the_pairs_are_final(
    client,
):
    exchange, pupils_a, _ = active_exchange(2, 2)
    a = exchange.classroom_a
    by_teacher = reverse("pupil_interests_by_teacher", args=[a.pk, pupils_a[0].pk])
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert "Your partner in the other class is chosen partly" in client.get(
        reverse("pupil_interests")).content.decode()
    client.force_login(a.teacher)
    assert "Their partner in the other class is chosen partly" in client.get(
        by_teacher).content.decode()
    pairing_confirmed(exchange)
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    page = client.get(reverse("pupil_interests")).content.decode()
    assert "chosen partly" not in page
    assert "Your class's pairs are chosen: what you like no longer changes them." in page
    client.force_login(a.teacher)
    page = client.get(by_teacher).content.decode()
    assert "chosen partly" not in page
    assert "The class's pairs are chosen: what they like no longer changes them." in page


def test_a_pupil_whose_class_has_a_partner_class_is_not_told_to_wait_for_one(client):
    """The exchange only proposed: the partner class is listed, no room is open yet."""
    exchange, pupils_a, _ = active_exchange(2, 2)
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ClassroomExchange.Status.PROPOSED)
    exchange.room.delete()  # a proposed exchange has no class room yet
    page = _home(client, pupils_a[0])
    assert exchange.classroom_b.school in page
    assert "Your chat rooms open once your class has a partner class." not in page
    assert "No chat room is open to you." in page
