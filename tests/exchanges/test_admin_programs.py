"""The admin's program form keeps the officers' rules (exchanges/services/programs.py):
names that show themselves, only active twinnings added, no kind change once people
joined, the start-date rules, and an audit event for each save."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AuditEvent, Program, Twinning
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def _form(twinnings, **overrides) -> dict:
    data = {
        "name": "Admin tandem", "slug": "admin-tandem", "kind": "tandem", "description": "",
        "twinnings": [t.pk for t in twinnings],
        "start_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "weeks": "12", "session_minutes": "60", "completion_sessions": "8", "is_open": "on",
    }
    data.update(overrides)
    return data


def test_a_program_added_in_the_admin_is_audited(client, root):
    response = client.post(reverse("admin:exchanges_program_add"), _form([TwinningFactory()]))
    assert response.status_code == 302
    program = Program.objects.get(slug="admin-tandem")
    event = AuditEvent.objects.get(verb="program.created")
    assert (event.actor, event.target) == (root, f"program:{program.pk}")
    assert event.data["via"] == "admin"


@pytest.mark.parametrize("name", ["Tandem\u200b 2027", "\u202eTandem", "\u2066 \u2069"])
def test_an_invisible_or_direction_character_in_the_name_is_a_form_error(client, root, name):
    response = client.post(reverse("admin:exchanges_program_add"),
                           _form([TwinningFactory()], name=name))
    assert response.status_code == 200
    assert "invisible character" in response.content.decode() or (
        "visible letters" in response.content.decode())
    assert not Program.objects.exists()


def test_a_suspended_twinning_cannot_be_added(client, root):
    suspended = TwinningFactory(status=Twinning.Status.SUSPENDED)
    response = client.post(reverse("admin:exchanges_program_add"), _form([suspended]))
    assert response.status_code == 200
    assert "Only active twinnings can be added" in response.content.decode()
    assert not Program.objects.exists()


def test_a_suspended_twinning_already_in_the_program_may_stay(client, root):
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning], slug="admin-tandem")
    Twinning.objects.filter(pk=twinning.pk).update(status=Twinning.Status.SUSPENDED)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    response = client.post(url, _form([twinning], start_date=program.start_date.isoformat(),
                                      name="Renamed"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Renamed"
    assert AuditEvent.objects.get(verb="program.updated").data["changed"] == ["name"]


def test_the_kind_cannot_change_once_people_joined(client, root):
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning], slug="admin-tandem")
    ParticipantFactory().programs.add(program)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    response = client.post(url, _form([twinning], kind="classroom",
                                      start_date=program.start_date.isoformat()))
    assert response.status_code == 200
    assert "The kind cannot change once people have joined" in response.content.decode()
    program.refresh_from_db()
    assert program.kind == "tandem"
    assert not AuditEvent.objects.exists()


def test_a_new_program_cannot_start_over_a_year_ago(client, root):
    response = client.post(reverse("admin:exchanges_program_add"), _form(
        [TwinningFactory()], start_date=(timezone.localdate() - dt.timedelta(days=400)).isoformat()
    ))
    assert response.status_code == 200
    assert not Program.objects.exists()


def test_a_program_without_twinnings_is_refused_as_on_the_officers_page(client, root):
    response = client.post(reverse("admin:exchanges_program_add"), _form([]))
    assert response.status_code == 200
    assert "A program runs over at least one twinning." in response.content.decode()
    assert not Program.objects.exists()


def test_a_slug_that_names_a_page_of_the_programs_is_a_form_error(client, root):
    # /programs/new/ is the create page: a program there could never show its dashboard.
    response = client.post(reverse("admin:exchanges_program_add"),
                           _form([TwinningFactory()], slug="new"))
    assert response.status_code == 200
    assert "/programs/new/" in response.content.decode()
    assert not Program.objects.filter(slug="new").exists()
