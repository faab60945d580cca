"""A room closed by its twinning's suspension or termination says why in the reader's
language, its date in the reader's format, whatever happened to the twinning since."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from exchanges.models import Room, Twinning
from exchanges.services.twinning_lifecycle import twinning_terminate
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def _banner(client, room) -> str:
    page = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    return html.unescape(page.split('id="room-closed-banner"', 1)[1].split("</p>", 1)[0])


def _french_reader(client, user):
    user.language = "fr"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def test_a_room_closed_by_a_suspension_then_terminated_writes_its_date_in_french(client):
    world = make_lifecycle_world()
    suspended_on = timezone.localdate() - dt.timedelta(days=3)
    world.twinning.since = suspended_on - dt.timedelta(days=400)
    world.twinning.save(update_fields=["since"])
    world_suspend(world, effective=suspended_on, reason="Vote du conseil")
    # The termination finds the room closed already: it keeps the suspension's reason.
    twinning_terminate(twinning=world.twinning, by=world.officer, reason="Fin",
                       effective=timezone.localdate())
    world.room.refresh_from_db()
    assert world.room.status == Room.Status.CLOSED
    assert world.twinning.status_changes.last().to_status == Twinning.Status.TERMINATED

    banner = _banner(_french_reader(client, world.active.participant_a.user), world.room)
    with translation.override("fr"):
        french_date = date_format(suspended_on, "DATE_FORMAT")
    assert french_date in banner and "Vote du conseil" in banner
    assert "The twinning" not in banner
    assert not any(month in banner for month in ENGLISH_MONTHS), banner


def test_a_stored_reason_no_change_explains_is_still_written_in_the_readers_language(client):
    world = make_lifecycle_world()
    world_suspend(world, reason="Vote du conseil")
    # The twinning's cities renamed since: the stored words no longer match its name.
    city = world.twinning.city_a
    city.name = f"{city.name}-sur-Mer"
    city.save(update_fields=["name"])
    banner = _banner(_french_reader(client, world.active.participant_a.user), world.room)
    with translation.override("fr"):
        french_date = date_format(timezone.localdate(), "DATE_FORMAT")
    assert french_date in banner and "Vote du conseil" in banner
    assert not any(month in banner for month in ENGLISH_MONTHS), banner


def test_a_teacher_who_closes_the_suspended_class_room_keeps_it_closed_on_reactivation(client):
    world = make_lifecycle_world()
    world_suspend(world)
    teacher = world.exchange.classroom_a.teacher
    client.force_login(teacher)  # the room page was opened before the suspension
    client.post(reverse("room_moderate_close", args=[world.exchange_room.pk]),
                {"reason": "Closed for the holidays"})
    client.force_login(world.officer)
    reactivated = client.post(reverse("twinning_detail", args=[world.twinning.pk]), {
        "action": "reactivate", "effective": timezone.localdate().isoformat(),
        "side": "city_a", "reason": "Council vote", "source": "",
    })
    assert reactivated.status_code == 302
    world.exchange_room.refresh_from_db()
    assert world.exchange_room.status == Room.Status.CLOSED
    client.force_login(teacher)
    assert "Closed for the holidays" in _banner(client, world.exchange_room)


def test_a_teachers_words_in_the_shape_of_a_twinnings_reason_are_shown_as_written(client):
    """Whether the twinning closed the room is the room's flag, not the shape of its
    words: a teacher who writes like the banner is still quoted, not rewritten."""
    world = make_lifecycle_world()
    world_suspend(world, reason="Vote du conseil")
    teacher = world.exchange.classroom_a.teacher
    words = f"The twinning {world.twinning} is suspended since 05 March 2026: no sessions"
    client.force_login(teacher)
    client.post(reverse("room_moderate_close", args=[world.exchange_room.pk]),
                {"reason": words})
    world.exchange_room.refresh_from_db()
    assert not world.exchange_room.closed_by_twinning
    assert _banner(_french_reader(client, teacher), world.exchange_room).count(words) == 1
    # The match's room, closed by the suspension alone, says the twinning's words in French.
    banner = _banner(_french_reader(client, world.active.participant_a.user), world.room)
    assert "Vote du conseil" in banner and "The twinning" not in banner
