"""The officers' program form asks before new dates cancel planned sessions: nothing is
saved until the officer confirms the question's exact change."""

import pytest
from django.urls import reverse

from exchanges.models import AuditEvent, Match, Session
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.exchanges.views.test_program_twinnings import _edit
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


def test_shortening_on_the_form_asks_first_then_cancels_what_falls_outside(client):
    match, sessions = scheduled_match()  # six Mondays from 1 March 2027
    program = match.program
    program.twinnings.add(match.twinning)
    client.force_login(make_officer(program))
    url = reverse("program_edit", args=[program.slug])
    shorter = _edit(program, [match.twinning], weeks="3", completion_sessions="2")
    asked = client.post(url, shorter)
    assert asked.status_code == 200
    html = asked.content.decode()
    question = html.split('id="dates-question"', 1)[1].split("</div>", 1)[0]
    assert "This change cancels 3 sessions planned" in question
    token = 'name="dates_confirmed" value="2027-03-01/3/3"'
    assert token in html
    program.refresh_from_db()
    assert program.weeks == 6  # nothing saved
    assert not Session.objects.filter(status=Session.Status.CANCELLED).exists()

    saved = client.post(url, {**shorter, "dates_confirmed": "2027-03-01/3/3"})
    assert saved.status_code == 302
    program.refresh_from_db()
    assert program.weeks == 3
    assert Session.objects.filter(match=match, status=Session.Status.CANCELLED).count() == 3
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == 3


def test_a_removal_confirmed_is_kept_while_the_dates_are_asked(client):
    match, _sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    other = TwinningFactory()
    program.twinnings.add(other)
    client.force_login(make_officer(program))
    url = reverse("program_edit", args=[program.slug])
    both = _edit(program, [other], weeks="3", completion_sessions="2")
    asked = client.post(url, both)
    html = asked.content.decode()
    assert 'id="removal-question"' in html and 'id="dates-question"' in html
    answers = {"removal_confirmed": str(match.twinning.pk), "dates_confirmed": "2027-03-01/3/3"}
    for name, value in answers.items():
        assert f'name="{name}" value="{value}"' in html
    # The removal alone confirmed: only the dates are asked, the removal's answer kept.
    again = client.post(url, {**both, "removal_confirmed": answers["removal_confirmed"]})
    html = again.content.decode()
    assert 'id="removal-question"' not in html and 'id="dates-question"' in html
    assert f'name="removal_confirmed" value="{match.twinning.pk}"' in html
    saved = client.post(url, {**both, **answers})
    assert saved.status_code == 302
    assert list(program.twinnings.all()) == [other]
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE
    assert Session.objects.filter(match=match, status=Session.Status.CANCELLED).count() == 3
