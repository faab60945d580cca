"""One matching run per program at a time, and a result that never crashes on a pair
that already has a match."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

import matching
from exchanges.models import Match, MatchRun
from exchanges.services.matching import (
    MatchingRunInProgress,
    matching_programs_due,
    matching_run_execute,
    matching_run_request,
)
from exchanges.tasks import matching_run_all_active
from tests.exchanges.matching_fixtures import pair_program
from tests.factories import ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program, _english, _german = pair_program()
    return program


@pytest.mark.parametrize("status", [MatchRun.Status.QUEUED, MatchRun.Status.RUNNING])
def test_a_second_request_is_refused_while_a_run_is_queued_or_running(program, status):
    first = matching_run_request(program=program)
    MatchRun.objects.filter(pk=first.pk).update(status=status)
    with pytest.raises(MatchingRunInProgress) as refused:
        matching_run_request(program=program)
    assert refused.value.run.pk == first.pk
    assert f"Matching run {first.pk}, requested " in refused.value.message
    assert MatchRun.objects.filter(program=program).count() == 1


@pytest.mark.parametrize("status", [MatchRun.Status.DONE, MatchRun.Status.FAILED])
def test_a_new_run_may_start_once_the_last_one_finished(program, status):
    first = matching_run_request(program=program)
    MatchRun.objects.filter(pk=first.pk).update(status=status)
    second = matching_run_request(program=program)
    assert second.pk != first.pk and second.status == "queued"


def test_the_database_refuses_a_second_run_in_progress_of_one_program(program):
    MatchRun.objects.create(program=program, status=MatchRun.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(program=program, status=MatchRun.Status.QUEUED)


def test_the_nightly_run_leaves_a_program_whose_run_is_in_progress_alone(
    program, django_capture_on_commit_callbacks
):
    first = matching_run_request(program=program)
    with django_capture_on_commit_callbacks(execute=False):
        matching_run_all_active()
    assert list(MatchRun.objects.filter(program=program)) == [first]


def test_the_nightly_run_skips_a_program_with_no_active_twinning_and_runs_the_others(
    program, django_capture_on_commit_callbacks
):
    halted = ProgramFactory(twinnings=[TwinningFactory(status="suspended")])
    assert halted.pk in matching_programs_due()  # open and not ended: listed
    with django_capture_on_commit_callbacks(execute=False):
        matching_run_all_active()
    assert not MatchRun.objects.filter(program=halted).exists()
    assert MatchRun.objects.filter(program=program).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_start_one_run(program, postgres):
    start = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            start.wait()
            outcomes.append(matching_run_request(program=program))
        except MatchingRunInProgress as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runs = [o for o in outcomes if isinstance(o, MatchRun)]
    refusals = [o for o in outcomes if isinstance(o, MatchingRunInProgress)]
    assert len(runs) == 1 and len(refusals) == 1
    assert refusals[0].run.pk == runs[0].pk
    assert MatchRun.objects.filter(program=program).count() == 1


@pytest.mark.parametrize("reverse", [False, True])
def test_a_pair_that_already_has_a_match_is_not_proposed_again(program, monkeypatch, reverse):
    """A run that finished while this one solved proposed the same pair (either way
    round): storing skips it instead of failing on the one-live-match-per-pair
    constraint."""
    solve = matching.solve
    first = MatchRun.objects.create(program=program)

    def solve_while_another_run_stores(instance):
        result = solve(instance)
        a, b = int(result.pairs[0].a), int(result.pairs[0].b)
        if reverse:
            a, b = b, a
        Match.objects.create(program=program, run=first, twinning=program.twinnings.get(),
                             participant_a_id=a, participant_b_id=b)
        return result

    MatchRun.objects.filter(pk=first.pk).update(status=MatchRun.Status.DONE)
    monkeypatch.setattr(matching, "solve", solve_while_another_run_stores)
    run = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert run.status == "done", run.error
    assert (run.pairs_count, run.matched_places, run.total_score) == (0, 0, 0)
    assert run.parameters["pairs_already_live"] == 1
    assert run.parameters["pairs_dropped"] == 0
    assert Match.objects.count() == 1


def test_a_run_whose_result_cannot_be_stored_fails_with_the_reason(program, monkeypatch):
    """An error while storing is a failure, not a worker that stopped: the run is not
    left running for recovery to re-queue."""
    from exchanges.services import matching as service

    def broken(**_kwargs):
        raise IntegrityError("UNIQUE constraint failed: something")

    monkeypatch.setattr(service, "_store_result", broken)
    run = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert run.status == "failed"
    assert run.error == "Storing the result failed: UNIQUE constraint failed: something"
    assert (run.attempts, run.workers_lost) == (1, 0)
    assert run.finished_at is not None


def test_a_run_is_refused_in_words_for_an_ended_or_classroom_program(program):
    from django.core.exceptions import ValidationError

    before = MatchRun.objects.count()
    program.kind = "classroom"
    program.save(update_fields=["kind"])
    with pytest.raises(ValidationError, match="classroom program"):
        matching_run_request(program=program)
    program.kind = "tandem"
    program.start_date = program.start_date.replace(year=program.start_date.year - 2)
    program.save(update_fields=["kind", "start_date"])
    with pytest.raises(ValidationError, match="has ended"):
        matching_run_request(program=program)
    assert MatchRun.objects.count() == before
