"""The engine's instance for pairing pupils: languages from each class, every pupil a
minor taking part through the class, capacities as given, interests from the list."""

import datetime as dt

import pytest

from exchanges.models import ClassroomLanguage
from exchanges.selectors.pupil_pairing import exchange_pupils, pupil_pairing_instance
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.services.pupil_pairing import pairing_propose
from tests.exchanges.class_exchange_fixtures import active_exchange

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 1)


def _instance(exchange, capacity=None) -> dict:
    """The engine's instance for all the exchange's pupils, on ``TODAY``."""
    return pupil_pairing_instance(exchange=exchange, pupils=exchange_pupils(exchange=exchange),
                                  capacity=capacity or {}, today=TODAY)


def test_every_pupil_is_a_minor_through_the_class_with_the_classes_languages():
    exchange, pupils_a, pupils_b = active_exchange(2, 1)
    exchange.classroom_a.age_min, exchange.classroom_a.age_max = 18, 19
    exchange.classroom_a.save()
    pupil_interests_set(pupil=pupils_a[0], by=pupils_a[0].user, slugs=["music"])
    instance = _instance(exchange, capacity={pupils_b[0].pk: 2})
    assert instance["kind"] == "classroom"
    people = {p["id"]: p for p in instance["participants"]}
    assert set(people) == {str(p.pk) for p in pupils_a + pupils_b}
    for person in people.values():
        assert person["via_class"] is True
        assert TODAY.year - person["birth_year"] < 18  # the 11-12 class decides: 11
    assert people[str(pupils_b[0].pk)]["capacity"] == 2
    assert people[str(pupils_a[1].pk)]["capacity"] == 1
    assert people[str(pupils_a[0].pk)]["interests"] == ["music"]
    assert {lang["code"] for lang in people[str(pupils_b[0].pk)]["languages"]} == {"de", "en"}
    assert instance["twinnings"] == [["a", "b"]]


def test_classes_that_do_not_teach_each_other_are_paired_on_a_shared_language():
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    ClassroomLanguage.objects.filter(classroom=exchange.classroom_b).delete()
    ClassroomLanguage.objects.create(classroom=exchange.classroom_b, code="en", level="B2")
    ClassroomLanguage.objects.create(classroom=exchange.classroom_b, code="fr", level="A2",
                                     learning=True)
    instance = _instance(exchange)
    assert instance["kind"] == "citizen"
    pairing = pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    assert pairing.groups.count() == 2


def test_every_pupil_is_free_all_week_to_the_midnight_that_closes_each_day():
    exchange, pupils_a, pupils_b = active_exchange(1, 1)
    instance = _instance(exchange)
    for person in instance["participants"]:
        weekly = person["availability"]["weekly"]
        assert {w["day"] for w in weekly} == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
        # "24:00", not "23:59": the engine reads 24:00 as the end of the day exactly.
        assert all((w["start"], w["end"]) == ("00:00", "24:00") for w in weekly)
