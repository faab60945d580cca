"""Running the engine for a program through the platform service."""

import pytest

from exchanges.models import Block, Match, MatchRun, Notification, Twinning
from exchanges.selectors.matching import matching_instance, participants_with_free_capacity
from exchanges.services.matches import match_accept, match_decline
from exchanges.services.matching import (
    match_proposed_emails,
    match_proposed_emails_send,
    matching_run_execute,
    matching_run_request,
)
from exchanges.services.participants import participant_matching_pause
from tests.exchanges.matching_fixtures import (
    coventry_dresden,
    english_speaker,
    german_speaker,
    program_next_monday,
)
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


def run(program) -> MatchRun:
    return matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)


@pytest.fixture
def world():
    coventry, dresden, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    return coventry, dresden, twinning, program


def test_a_run_proposes_pairs_with_explanations_and_records_figures(world):
    coventry, dresden, twinning, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    result = run(program)
    assert result.status == "done", result.error
    assert (result.participants_count, result.pairs_count, result.matched_places) == (2, 1, 2)
    assert result.unmatched_count == 0
    match = Match.objects.get()
    assert {match.participant_a, match.participant_b} == {alice, bruno}
    assert match.status == "proposed"
    assert match.twinning == twinning
    assert match.run == result
    assert 0 < match.score <= 1
    assert match.explanation["languages"]
    assert result.total_score == pytest.approx(match.score)
    assert Notification.objects.filter(kind="match.proposed").count() == 2


def test_a_proposed_match_is_also_e_mailed_to_both_partners_after_commit(
    world, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    # The task runs here (Celery's apply) instead of going to a broker.
    monkeypatch.setattr(match_proposed_emails, "delay",
                        lambda *a, **k: match_proposed_emails.apply(args=a, kwargs=k))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run(program)
    assert mailoutbox == []  # nothing is sent before the matches are committed
    for callback in callbacks:
        callback()
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {alice.user.email, bruno.user.email}
    to_alice = by_recipient[alice.user.email]
    assert bruno.user.public_name in to_alice.subject and "Dresden" in to_alice.subject
    assert "/dashboard/" in to_alice.body and alice.user.email not in to_alice.body


def test_rerun_only_considers_people_with_free_capacity(world):
    coventry, dresden, _, program = world
    english_speaker(coventry, program)
    german_speaker(dresden, program)
    run(program)
    second = run(program)
    assert second.participants_count == 0
    assert Match.objects.count() == 1
    # A newcomer with capacity 2 on the other side still finds nobody free.
    english_speaker(coventry, program, capacity=2)
    third = run(program)
    assert third.participants_count == 1
    assert third.pairs_count == 0


def test_capacity_two_gets_two_partners(world):
    coventry, dresden, _, program = world
    english_speaker(coventry, program, capacity=2)
    german_speaker(dresden, program)
    german_speaker(dresden, program)
    assert run(program).pairs_count == 2


def test_accepted_matches_are_kept_and_decline_excludes_the_pair(world):
    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    run(program)
    match = Match.objects.get()
    match_decline(match=match, by=bruno)
    again = run(program)
    assert again.participants_count == 2
    assert again.pairs_count == 0, "a declined pair is never proposed again"
    instance = matching_instance(program=program, free=participants_with_free_capacity(
        program=program))
    assert [str(min(alice.pk, bruno.pk)), str(max(alice.pk, bruno.pk))] in instance["exclusions"]


def test_blocked_pairs_are_excluded(world):
    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    Block.objects.create(blocker=bruno, blocked=alice)
    assert run(program).pairs_count == 0


@pytest.mark.parametrize("status", [Twinning.Status.SUSPENDED, Twinning.Status.TERMINATED])
def test_suspended_or_terminated_twinnings_produce_no_matches(world, status):
    coventry, dresden, twinning, program = world
    english_speaker(coventry, program)
    german_speaker(dresden, program)
    twinning.status = status
    twinning.save()
    result = run(program)
    assert result.status == "done"
    assert result.participants_count == 0
    assert not Match.objects.exists()


def test_a_run_that_is_done_is_not_run_again(world):
    coventry, dresden, _, program = world
    english_speaker(coventry, program)
    german_speaker(dresden, program)
    first = run(program)
    matching_run_execute(run_id=first.pk)
    assert Match.objects.count() == 1


def test_people_not_enrolled_or_not_onboarded_are_left_out(world):
    coventry, dresden, _, program = world
    english_speaker(coventry, program)
    outsider = german_speaker(dresden, program)
    outsider.programs.clear()
    german_speaker(dresden, program, onboarded_at=None)
    assert run(program).participants_count == 1


def test_request_enqueues_only_after_commit(world, django_capture_on_commit_callbacks):
    _, _, _, program = world
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = matching_run_request(program=program)
    assert queued.status == "queued"
    assert len(callbacks) == 1


def test_accepting_both_sides_makes_the_match_active(world):
    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    run(program)
    match = Match.objects.get()
    match_accept(match=match, by=alice)
    match_accept(match=match, by=bruno)
    match.refresh_from_db()
    assert match.status == "active"
    assert match.room.is_open


def test_a_paused_person_is_left_out_until_they_resume(world):
    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    participant_matching_pause(participant=bruno, paused=True)
    paused_run = run(program)
    assert (paused_run.participants_count, paused_run.pairs_count) == (1, 0)
    participant_matching_pause(participant=bruno, paused=False)
    assert run(program).pairs_count == 1
    assert {Match.objects.get().participant_a, Match.objects.get().participant_b} == {alice, bruno}


def test_a_pair_whose_person_left_during_the_run_is_not_proposed(world, monkeypatch):
    import matching

    coventry, dresden, _, program = world
    alice = english_speaker(coventry, program)
    bruno = german_speaker(dresden, program)
    carol = english_speaker(coventry, program)
    dora = german_speaker(dresden, program)
    solve = matching.solve

    def solve_then_leave(instance):
        result = solve(instance)
        bruno.user.delete()  # deletes their account while the engine ran
        participant_matching_pause(participant=dora, paused=True)
        return result

    monkeypatch.setattr(matching, "solve", solve_then_leave)
    result = run(program)
    assert result.status == "done", result.error
    assert Match.objects.count() == 0
    assert (result.pairs_count, result.matched_places, result.total_score) == (0, 0, 0)
    assert result.parameters["pairs_dropped"] == 2
    assert not Notification.objects.filter(kind="match.proposed").exists()
    assert {alice.pk, carol.pk} <= set(participants_with_free_capacity(program=program))


def test_someone_proposed_several_partners_by_one_run_gets_one_email_naming_them(mailoutbox):
    first = MatchFactory(participant_a__user__display_name="Hugo", participant_a__capacity=3,
                         participant_b__user__display_name="Liam",
                         twinning__city_b__name="Oakville")
    hugo = first.participant_a
    second = MatchFactory(participant_a=hugo, participant_b__user__display_name="Mei",
                          twinning__city_b__name="Osaka")
    run = MatchRun.objects.create(program=first.program)
    Match.objects.filter(pk__in=[first.pk, second.pk]).update(run=run, program=first.program)
    assert match_proposed_emails_send(run_id=run.pk) == 3  # Hugo once, Liam, Mei
    (to_hugo,) = [mail for mail in mailoutbox if mail.to == [hugo.user.email]]
    assert to_hugo.subject == "2 partners for you: Liam, Mei"
    assert "proposes 2 partners:\n\nLiam of Oakville\nMei of Osaka\n\n" in to_hugo.body
    assert "accept or decline each, on your dashboard: http" in to_hugo.body
    (to_mei,) = [mail for mail in mailoutbox if mail.to == [second.participant_b.user.email]]
    assert to_mei.subject.endswith(": Hugo")
