"""Removing a twinning from a program in the admin asks the officers' question first
(templates/exchanges/programs/form.html): what still runs across it goes on, and nothing
is saved until the superuser confirms exactly these twinnings, even when a match becomes
active across one between the form's check and the save."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from exchanges.admin import programs as program_admin
from exchanges.models import AuditEvent, ClassroomExchange, Match, Room
from exchanges.services.programs import program_admin_check
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.factories import MatchFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def _form(program, twinnings, **overrides) -> dict:
    data = {
        "name": program.name, "slug": program.slug, "kind": program.kind,
        "description": program.description, "twinnings": [t.pk for t in twinnings],
        "officers": [o.pk for o in program.officers.all()],
        "start_date": program.start_date.isoformat(), "weeks": str(program.weeks),
        "session_minutes": str(program.session_minutes),
        "completion_sessions": str(program.completion_sessions), "is_open": "on",
    }
    data.update(overrides)
    return data


def test_removing_a_twinning_with_matches_going_asks_first_and_saves_nothing(client, root):
    world = make_lifecycle_world()  # an active match and a class exchange on its twinning
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    asked = client.post(url, _form(world.program, [other]))
    assert asked.status_code == 200
    html = asked.content.decode()
    assert world.twinning.city_a.name in html and "1 active match" in html
    assert "1 class exchange still going" in html
    assert "rooms stay open" in html  # the consequences, as the officers' page says them
    assert f'name="removal_confirmed" value="{world.twinning.pk}"' in html
    assert set(world.program.twinnings.all()) == {world.twinning, other}
    assert not AuditEvent.objects.filter(verb="program.updated").exists()


def test_the_confirmed_removal_saves_and_leaves_what_runs_going(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    saved = client.post(url, _form(world.program, [other],
                                   removal_confirmed=str(world.twinning.pk)))
    assert saved.status_code == 302
    assert list(world.program.twinnings.all()) == [other]
    event = AuditEvent.objects.get(verb="program.updated")
    assert event.data["twinnings_removed"] == [world.twinning.pk]
    world.active.refresh_from_db()
    world.room.refresh_from_db()
    world.exchange.refresh_from_db()
    assert world.active.status == Match.Status.ACTIVE and world.room.status == Room.Status.OPEN
    assert world.exchange.status == ClassroomExchange.Status.ACTIVE


def test_a_yes_to_removing_another_twinning_is_asked_again(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    asked = client.post(url, _form(world.program, [other], removal_confirmed=str(other.pk)))
    assert asked.status_code == 200
    assert f'name="removal_confirmed" value="{world.twinning.pk}"' in asked.content.decode()
    assert set(world.program.twinnings.all()) == {world.twinning, other}


def test_removing_a_twinning_with_nothing_going_saves_without_asking(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    saved = client.post(url, _form(world.program, [world.twinning]))
    assert saved.status_code == 302
    assert list(world.program.twinnings.all()) == [world.twinning]


@pytest.fixture
def raced():
    """A program on two twinnings, with a match across the first active now (as if it
    became active after the form read nothing going there)."""
    twinning, other = TwinningFactory(), TwinningFactory()
    program = ProgramFactory(twinnings=[twinning, other])
    MatchFactory(program=program, twinning=twinning, status=Match.Status.ACTIVE,
                 activated_at=timezone.now())
    return program, twinning, other


def _form_check_passes(monkeypatch, times: int | None) -> list:
    """The form's check passes its first ``times`` calls (all of them when None), as it
    did when it read the data before the match became active; the save's check is real."""
    calls = []

    def check(**kwargs):
        calls.append(kwargs)
        if times is None or len(calls) <= times:
            return []
        return program_admin_check(**kwargs)

    monkeypatch.setattr(program_admin, "program_admin_check", check)
    return calls


def _nothing_saved(program, twinnings) -> None:
    assert set(program.twinnings.all()) == set(twinnings)
    assert not AuditEvent.objects.filter(verb="program.updated").exists()
    assert not LogEntry.objects.exists()


def test_a_match_gone_active_before_the_save_shows_the_question_and_saves_nothing(
        client, root, raced, monkeypatch):
    program, twinning, other = raced
    calls = _form_check_passes(monkeypatch, times=1)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    asked = client.post(url, _form(program, [other]))
    assert asked.status_code == 200 and len(calls) == 2  # the form was checked again
    html = asked.content.decode()
    assert "1 active match" in html and "rooms stay open" in html
    assert f'name="removal_confirmed" value="{twinning.pk}"' in html
    _nothing_saved(program, [twinning, other])
    saved = client.post(url, _form(program, [other], removal_confirmed=str(twinning.pk)))
    assert saved.status_code == 302
    assert list(program.twinnings.all()) == [other]


def test_what_the_save_refuses_shows_even_when_the_forms_check_passes_again(
        client, root, raced, monkeypatch):
    program, twinning, other = raced
    _form_check_passes(monkeypatch, times=None)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    asked = client.post(url, _form(program, [other]))
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "1 active match" in html
    assert f'name="removal_confirmed" value="{twinning.pk}"' in html
    _nothing_saved(program, [twinning, other])
