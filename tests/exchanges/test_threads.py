"""The race helper of the concurrency tests: the second action runs while the first is
paused inside its transaction, and the first goes on once the second waits on its lock."""

import time

import pytest
from django.db import transaction

from exchanges.models import City
from tests.exchanges.threads import Pause, race
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_second_runs_while_the_first_is_paused(postgres):
    pause, steps = Pause(), []

    def first():
        steps.append("first, before the pause")
        pause.here()
        steps.append("first, after the pause")
        return "first done"

    def second():
        time.sleep(0.3)  # slower than the first would be, were it let go at once
        steps.append("second")

    outcomes = race(("first", first), ("second", second), pause=pause)
    assert steps == ["first, before the pause", "second", "first, after the pause"]
    assert outcomes == {"first": "first done", "second": None}


def test_the_second_waits_on_the_first_ones_lock_and_reads_what_it_committed(postgres):
    city = CityFactory(name="Coventry")
    pause = Pause()

    def rename():
        with transaction.atomic():
            held = City.objects.select_for_update().get(pk=city.pk)
            held.name = "Coventry (renamed)"
            held.save(update_fields=["name"])
            pause.here()
        return "renamed"

    def read_locked():
        with transaction.atomic():
            return City.objects.select_for_update().get(pk=city.pk).name

    outcomes = race(("rename", rename), ("read", read_locked), pause=pause)
    assert outcomes == {"rename": "renamed", "read": "Coventry (renamed)"}


def test_an_action_failing_before_the_pause_is_an_outcome_and_frees_the_second(postgres):
    def fails():
        raise ValueError("before the pause")

    outcomes = race(("first", fails), ("second", lambda: "second done"), pause=Pause())
    assert isinstance(outcomes["first"], ValueError)
    assert outcomes["second"] == "second done"
