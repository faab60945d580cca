"""The program page's runs: what it says about a run whose worker stopped, and when it
stops polling."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import MatchRun, Program
from exchanges.services.matching import matching_programs_due
from exchanges.services.matching_lease import lease_claim, running_stale_after
from exchanges.services.matching_recovery import matching_runs_recover
from tests.exchanges.matching_fixtures import coventry_dresden, program_next_monday
from tests.factories import UserFactory, officer_of

pytestmark = pytest.mark.django_db

POLLING = 'hx-trigger="every 2s"'


@pytest.fixture
def program():
    return program_next_monday([coventry_dresden()[2]])


@pytest.fixture
def officer_client(client, program):
    client.force_login(officer_of(program))
    return client


def runs_html(client, program) -> str:
    """The fragment htmx polls for."""
    response = client.get(reverse("program_detail", args=[program.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def worker_stops(run: MatchRun) -> None:
    """The run's worker falls silent for longer than the stale limit; the beat runs."""
    MatchRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - running_stale_after() - datetime.timedelta(seconds=1)
    )
    matching_runs_recover()


def test_a_run_requeued_after_its_worker_stopped_says_so_and_is_polled(
    officer_client, program, django_capture_on_commit_callbacks
):
    run = MatchRun.objects.create(program=program, heartbeat_at=timezone.now())
    lease_claim(run_id=run.pk)
    with django_capture_on_commit_callbacks(execute=False):
        worker_stops(run)
    html = runs_html(officer_client, program)
    assert "Re-queued: its worker stopped during attempt 1 of 3." in html
    assert html.count(POLLING) == 1


def test_the_next_attempt_says_an_earlier_worker_stopped(
    officer_client, program, django_capture_on_commit_callbacks
):
    run = MatchRun.objects.create(program=program, heartbeat_at=timezone.now())
    lease_claim(run_id=run.pk)
    with django_capture_on_commit_callbacks(execute=False):
        worker_stops(run)
    lease_claim(run_id=run.pk)
    html = runs_html(officer_client, program)
    assert "Attempt 2 of 3: the worker of an earlier attempt stopped." in html
    assert POLLING in html


def test_a_run_failed_because_its_workers_stopped_says_so_and_polling_stops(
    officer_client, program, django_capture_on_commit_callbacks
):
    run = MatchRun.objects.create(program=program, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(MatchRun.MAX_ATTEMPTS):
            lease_claim(run_id=run.pk)
            worker_stops(run)
    run.refresh_from_db()
    assert run.status == "failed"
    html = runs_html(officer_client, program)
    assert "The worker stopped during each of 3 attempts; nothing was stored." in html
    assert POLLING not in html


def test_the_page_polls_once_however_many_runs_are_shown_and_stops_when_done(
    officer_client, program
):
    MatchRun.objects.create(program=program, status=MatchRun.Status.DONE)
    run = MatchRun.objects.create(program=program, status=MatchRun.Status.QUEUED)
    assert runs_html(officer_client, program).count(POLLING) == 1
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING)
    assert runs_html(officer_client, program).count(POLLING) == 1
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.DONE)
    html = runs_html(officer_client, program)
    assert POLLING not in html
    assert "Re-queued" not in html and "earlier attempt" not in html


# What the engine or the database raised, as ``matching_run_execute`` stores it.
ENGINE_ERROR = "Storing the result failed: UNIQUE constraint failed: exchanges_match.run_id"


def test_a_run_failed_on_an_error_says_so_in_words_not_with_the_raw_exception(
    officer_client, program
):
    MatchRun.objects.create(program=program, status=MatchRun.Status.FAILED, attempts=1,
                            error=ENGINE_ERROR)
    html = runs_html(officer_client, program)
    assert "The run stopped on an error; nothing was stored. Run matching again" in html
    assert "UNIQUE constraint" not in html and "exchanges_match" not in html
    audit = officer_client.get(reverse("audit_log")).content.decode()
    assert "The run stopped on an error; nothing was stored." in audit
    assert "UNIQUE constraint" not in audit


def test_a_superuser_also_reads_the_stored_error_of_a_failed_run(client, program):
    MatchRun.objects.create(program=program, status=MatchRun.Status.FAILED, attempts=1,
                            error=ENGINE_ERROR)
    client.force_login(UserFactory(is_superuser=True))
    html = runs_html(client, program)
    assert "The run stopped on an error" in html and ENGINE_ERROR in html


NIGHTLY = "A run also happens every night."


@pytest.mark.parametrize(
    ("change", "nightly"),
    [
        ({}, True),
        ({"is_open": False}, False),
        ({"kind": Program.Kind.CLASSROOM}, False),
        # Started a year ago for four weeks: over.
        ({"start_date": timezone.now().date() - datetime.timedelta(days=365)}, False),
    ],
)
def test_the_page_promises_a_nightly_run_only_where_the_nightly_task_runs_one(
    officer_client, program, change, nightly
):
    Program.objects.filter(pk=program.pk).update(**change)
    html = officer_client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert (NIGHTLY in html) is nightly
    assert (program.pk in matching_programs_due()) is nightly
    if change.get("is_open") is False:
        # Closed is the only reason left here: an ended or classroom program gets no
        # button at all, so the sentence names no other.
        help_text = html.split('id="run-help">')[1].split("</small>")[0]
        assert "The nightly runs leave this program out while it is closed" in help_text
        assert "has ended" not in help_text and "classroom" not in help_text
    elif not nightly:  # no run at all: the page says why instead of offering one
        assert 'id="run-refusal">No matching run' in html


def test_the_last_poll_also_takes_away_the_not_finished_yet_warning(officer_client, program):
    run = MatchRun.objects.create(program=program, status=MatchRun.Status.RUNNING)
    page = officer_client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert 'id="run-in-progress"' in page and "has not finished yet" in page
    assert 'hx-swap-oob' not in runs_html(officer_client, program)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.DONE)
    html = runs_html(officer_client, program)
    assert POLLING not in html
    # The page's status region gets new words, without the warning.
    news = html.split('<div id="run-news" hx-swap-oob="innerHTML">')[1].split("</div>")[0]
    assert "has ended" in news and "run-in-progress" not in news
