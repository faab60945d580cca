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

# The whole of each request (session, user, program, the service, the page): a query
# added to either shows here.
ASKING_QUERIES, SAVING_QUERIES = 17, 21


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


def _outside_reads(captured) -> int:
    """How many of the captured queries read the sessions new dates leave outside
    (selectors/program_dates.py): the sessions of the program through a match or an
    exchange."""
    return sum(
        1 for query in captured.captured_queries
        if query["sql"].startswith('SELECT "exchanges_session"."id"')
        and '"exchanges_match"."program_id"' in query["sql"]
    )


@pytest.fixture
def shortening(client):
    """An officer signed in on a six-week program with a weekly series, and the form's
    post that shortens it to three weeks (cancelling the last three sessions)."""
    match, _sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    client.force_login(make_officer(program))
    url = reverse("program_edit", args=[program.slug])
    return url, _edit(program, [match.twinning], weeks="3", completion_sessions="2")


# The service's own check asks and confirms: the view does not read the sessions again
# beside it, so the question and the save cannot disagree within a request.
def test_the_confirmed_save_reads_the_sessions_the_dates_cancel_once(
    client, shortening, django_assert_num_queries,
):
    url, shorter = shortening
    with django_assert_num_queries(SAVING_QUERIES) as saving:
        saved = client.post(url, {**shorter, "dates_confirmed": "2027-03-01/3/3"})
        assert saved.status_code == 302
        assert _outside_reads(saving) == 1


def test_the_question_reads_the_sessions_the_dates_cancel_once(
    client, shortening, django_assert_num_queries,
):
    url, shorter = shortening
    with django_assert_num_queries(ASKING_QUERIES) as asking:
        asked = client.post(url, shorter)
        assert "This change cancels 3 sessions planned" in asked.content.decode()
        assert _outside_reads(asking) == 1


def test_a_changed_count_is_asked_again(client, shortening):
    url, shorter = shortening
    client.post(url, shorter)  # asked: 3 sessions, answered "2027-03-01/3/3"
    # One of the three is cancelled meanwhile: the yes was to another question.
    latest = Session.objects.order_by("-starts_at").first()
    Session.objects.filter(pk=latest.pk).update(status=Session.Status.CANCELLED)
    again = client.post(url, {**shorter, "dates_confirmed": "2027-03-01/3/3"})
    assert again.status_code == 200
    html = again.content.decode()
    assert "This change cancels 2 sessions planned" in html
    assert 'name="dates_confirmed" value="2027-03-01/3/2"' in html
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1
