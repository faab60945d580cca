"""The admin deletes only a program created by mistake: one that holds people's history
(enrolled participants, matches, matching runs, past figures) is refused, on its delete
page and in "delete selected", with the reason and what to do instead; nothing of it is
deleted. An empty program is deleted through the service, with an audit event."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchanges.admin.programs import ProgramAdmin
from exchanges.models import (
    AuditEvent,
    Match,
    MatchRun,
    Message,
    PeopleDay,
    Program,
    Room,
)
from exchanges.services.programs import program_delete
from tests.factories import MatchFactory, ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

REFUSED = "holds people&#x27;s history"
INSTEAD = "close it (untick “Open”) or let it end"


def _matched() -> Program:
    """A program with an active match whose room holds a message."""
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = Room.objects.create(match=match)
    Message.objects.create(room=room, author=match.participant_a.user, body="Hallo!",
                           client_id="c1")
    return match.program


def _enrolled() -> Program:
    program = ProgramFactory()
    ParticipantFactory().programs.add(program)
    return program


def _run() -> Program:
    program = ProgramFactory()
    MatchRun.objects.create(program=program)
    return program


def _kept_figures() -> Program:
    """Only kept figures left: the people counted were deleted (metrics_kept.py)."""
    program = ProgramFactory()
    PeopleDay.objects.create(program=program, day=dt.date(2026, 3, 1), count=3, kept=True)
    return program


def _rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Program, Match, Room, Message, MatchRun,
                                                       PeopleDay))


def _delete_page(program: Program) -> str:
    return reverse("admin:exchanges_program_delete", args=[program.pk])


@pytest.mark.parametrize("build", [_matched, _enrolled, _run, _kept_figures])
def test_a_program_with_history_is_not_deleted_from_its_delete_page(client, root, build):
    program = build()
    before = _rows()
    page = client.get(_delete_page(program)).content.decode()
    response = client.post(_delete_page(program), {"post": "yes"})
    assert response.status_code == 200  # the page again, not a 403 nor a redirect
    assert _rows() == before
    for html in (page, response.content.decode()):
        assert "Cannot delete program" in html
        assert REFUSED in html and INSTEAD in html
    assert not AuditEvent.objects.filter(verb="program.deleted").exists()


def test_the_delete_page_says_what_the_program_holds(client, root):
    program = _matched()
    html = client.get(_delete_page(program)).content.decode()
    assert f"{program.name}: 1 match, " in html
    assert "1 session" not in html  # only what it holds is named


def test_delete_selected_refuses_the_whole_batch_when_one_program_has_history(client, root):
    empty, matched = ProgramFactory(), _matched()
    before = _rows()
    response = client.post(reverse("admin:exchanges_program_changelist"), {
        "action": "delete_selected", "_selected_action": [empty.pk, matched.pk], "post": "yes",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cannot delete programs" in html and REFUSED in html and INSTEAD in html
    assert f"“{matched.name}”" in html
    assert _rows() == before  # the empty one stays too: no partial delete
    assert not AuditEvent.objects.filter(verb="program.deleted").exists()


def test_an_empty_program_is_deleted_with_an_audit_event(client, root):
    program = ProgramFactory()
    response = client.post(_delete_page(program), {"post": "yes"})
    assert response.status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()
    event = AuditEvent.objects.get(verb="program.deleted")
    assert (event.actor, event.target) == (root, f"program:{program.pk}")
    assert event.data == {"via": "admin", "name": program.name}


def test_delete_selected_deletes_empty_programs_each_with_an_audit_event(client, root):
    programs = [ProgramFactory(), ProgramFactory()]
    response = client.post(reverse("admin:exchanges_program_changelist"), {
        "action": "delete_selected", "_selected_action": [p.pk for p in programs],
        "post": "yes",
    })
    assert response.status_code == 302
    assert not Program.objects.exists()
    assert sorted(AuditEvent.objects.filter(verb="program.deleted").values_list(
        "target", flat=True)) == sorted(f"program:{p.pk}" for p in programs)


def test_the_service_refuses_a_program_with_history_whoever_calls_it(root):
    program = _enrolled()
    with pytest.raises(ValidationError):
        program_delete(program=program, by=root)
    assert Program.objects.filter(pk=program.pk).exists()


@pytest.fixture
def joined_after_the_page(monkeypatch):
    """People join between the page's check and the delete: the page saw no history."""
    monkeypatch.setattr(ProgramAdmin, "history_of", lambda self, obj: {})


def test_people_joining_after_the_page_checked_stop_the_delete(client, root,
                                                               joined_after_the_page):
    program = _enrolled()
    before = (_rows(), LogEntry.objects.count())
    response = client.post(_delete_page(program), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "holds people&#x27;s history and is kept" in response.content.decode()
    assert (_rows(), LogEntry.objects.count()) == before
    assert not AuditEvent.objects.filter(verb="program.deleted").exists()


def test_people_joining_after_the_page_checked_stop_the_whole_selected_delete(
        client, root, joined_after_the_page):
    empty, enrolled = ProgramFactory(), _enrolled()
    before = (_rows(), LogEntry.objects.count())
    response = client.post(reverse("admin:exchanges_program_changelist"), {
        "action": "delete_selected", "_selected_action": [empty.pk, enrolled.pk],
        "post": "yes",
    }, follow=True)
    html = response.content.decode()
    assert "holds people&#x27;s history and is kept" in html and "Successfully" not in html
    assert (_rows(), LogEntry.objects.count()) == before
    assert not AuditEvent.objects.filter(verb="program.deleted").exists()
