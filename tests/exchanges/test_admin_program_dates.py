"""The admin asks the officers' dates question too: new dates that cancel planned
sessions save nothing until the superuser confirms, then cancel them as the officers'
page does, with the audit event."""

import pytest
from django.urls import reverse

from exchanges.models import AuditEvent, Notification, Session
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.exchanges.test_admin_program_twinnings import _form
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


def test_shortening_in_the_admin_asks_first_then_cancels_after_the_new_last_day(
    client, root,
):
    match, sessions = scheduled_match()  # six Mondays from 1 March 2027
    program = match.program
    program.twinnings.add(match.twinning)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    shorter = _form(program, [match.twinning], weeks="3", completion_sessions="2")
    asked = client.post(url, shorter)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "This change cancels 3 sessions planned" in html
    assert 'name="dates_confirmed" value="2027-03-01/3/3"' in html
    program.refresh_from_db()
    assert program.weeks == 6
    assert not Session.objects.filter(status=Session.Status.CANCELLED).exists()
    assert not AuditEvent.objects.filter(verb="program.updated").exists()

    saved = client.post(url, {**shorter, "dates_confirmed": "2027-03-01/3/3"})
    assert saved.status_code == 302
    program.refresh_from_db()
    assert program.weeks == 3
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    statuses = [Session.objects.get(pk=s.pk).status for s in ordered]
    assert statuses == [Session.Status.SCHEDULED] * 3 + [Session.Status.CANCELLED] * 3
    assert Notification.objects.filter(kind="session.cancelled").count() == 2
    event = AuditEvent.objects.get(verb="program.updated")
    assert event.data["via"] == "admin" and event.data["sessions_cancelled"] == 3


def test_lengthening_in_the_admin_saves_at_once_and_cancels_nothing(client, root):
    match, _sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    saved = client.post(url, _form(program, [match.twinning], weeks="10"))
    assert saved.status_code == 302
    program.refresh_from_db()
    assert program.weeks == 10
    assert not Session.objects.filter(status=Session.Status.CANCELLED).exists()
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == 0


def test_the_admin_asks_the_removal_and_the_dates_in_one_round(client, root):
    """As the officers' page does: both questions at once, both answers carried, and the
    save with both answers does both."""
    match, _sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    other = TwinningFactory()
    program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[program.pk])
    both = _form(program, [other], weeks="3", completion_sessions="2")
    html = client.post(url, both).content.decode()
    assert "This change cancels 3 sessions planned" in html
    assert "Removing these twinnings from" in html
    answers = {"removal_confirmed": str(match.twinning.pk), "dates_confirmed": "2027-03-01/3/3"}
    for name, value in answers.items():
        assert f'name="{name}" value="{value}"' in html
    assert client.post(url, {**both, **answers}).status_code == 302
    program.refresh_from_db()
    assert program.weeks == 3
    assert list(program.twinnings.all()) == [other]
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 3
