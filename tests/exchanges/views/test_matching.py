import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AvailabilityWindow, Interest, Match, MatchRun, Program, Role
from exchanges.selectors.matching import exclusions_among
from exchanges.services.matching import matching_run_execute
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.matching_fixtures import (
    coventry_dresden,
    english_speaker,
    pair_program,
    program_next_monday,
)
from tests.factories import TwinningFactory, UserFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed():
    program, alice, bruno = pair_program(english="Alice", german="Bruno")
    hiking = Interest.objects.create(slug="hiking", name="hiking")
    alice.interests.add(hiking)
    bruno.interests.add(hiking)
    matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    return program, alice, bruno, Match.objects.get()


def test_dashboard_explains_the_match_in_sentences(client, proposed):
    _, alice, bruno, _ = proposed
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "You both enjoy hiking." in html
    assert "You speak English natively and Bruno is learning it at B2." in html
    assert "Bruno speaks German natively and you are learning it at B1." in html
    assert "free hours a week." in html
    assert "Accept" in html and "Decline" in html


def test_accept_and_decline_through_the_dashboard(client, proposed):
    _, alice, bruno, match = proposed
    client.force_login(alice.user)
    response = client.post(reverse("match_accept", args=[match.pk]))
    assert response.status_code == 302
    assert "Waiting for Bruno" in client.get(reverse("dashboard")).content.decode()
    client.force_login(bruno.user)
    client.post(reverse("match_accept", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == "active"
    assert f"/rooms/{match.room.pk}/" in client.get(reverse("dashboard")).content.decode()


def test_declining_twice_says_it_is_declined_not_an_error(client, proposed):
    _, alice, _, match = proposed
    client.force_login(alice.user)
    client.post(reverse("match_decline", args=[match.pk]))
    response = client.post(reverse("match_decline", args=[match.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "You declined the match.", "You declined the match."]


def test_a_double_click_on_accept_flashes_no_refusal_beside_the_success(client, proposed):
    # Both posts leave before the first answer comes back: the page the browser lands on
    # shows the second one's words, which must not say the acceptance failed.
    _, alice, _, match = proposed
    client.force_login(alice.user)
    client.post(reverse("match_accept", args=[match.pk]))
    response = client.post(reverse("match_accept", args=[match.pk]), follow=True)
    levels = {m.level_tag for m in response.context["messages"]}
    assert levels == {"success"}


def test_a_proposal_whose_program_has_ended_offers_decline_but_no_accept(client, proposed):
    program, alice, _, match = proposed
    Program.objects.filter(pk=program.pk).update(
        start_date=timezone.now().date() - dt.timedelta(weeks=13), weeks=12)
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("match_accept", args=[match.pk]) not in html
    assert reverse("match_decline", args=[match.pk]) in html
    assert f"{program.name} ended on " in html
    assert "so this proposal can no longer be accepted" in html
    assert "Answer by" not in html  # no deadline left to meet
    # A page loaded before the end, answered after it, is refused in words.
    response = client.post(reverse("match_accept", args=[match.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "can no longer be accepted" in str(list(response.context["messages"])[0])
    assert Match.objects.get(pk=match.pk).a_accepted_at is None


def test_strangers_get_404_and_get_is_refused(client, proposed):
    *_, match = proposed
    client.force_login(UserFactory())
    assert client.post(reverse("match_accept", args=[match.pk])).status_code == 404
    client.force_login(proposed[1].user)
    assert client.get(reverse("match_accept", args=[match.pk])).status_code == 405


@pytest.fixture
def officer(proposed):
    return officer_of(proposed[0])


def test_officer_sees_the_program_and_its_runs(client, officer, proposed):
    program = proposed[0]
    client.force_login(officer)
    assert program.name in client.get(reverse("program_list")).content.decode()
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert "Run matching now" in html
    # One pair from a pool of two: the small-count rule hides the run's counts and the
    # match's (tests/exchanges/views/test_matching_runs_small_counts.py).
    assert 'Proposed <abbr title="a count from 1 to 4">&lt;5</abbr>' in html
    assert 'data-run-status="done"' in html
    assert "not proposed" not in html
    MatchRun.objects.filter(program=program).update(parameters={"pairs_dropped": 2})
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert "not proposed" not in html


def test_officer_launches_a_run_that_is_queued(client, officer, proposed,
                                               django_capture_on_commit_callbacks):
    program = proposed[0]
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("program_run_matching", args=[program.slug]))
    assert response.status_code == 302
    assert MatchRun.objects.filter(program=program, status="queued", requested_by=officer).exists()
    assert len(callbacks) == 1


def test_participants_cannot_see_or_run_a_program(client, proposed):
    program, alice, *_ = proposed
    client.force_login(alice.user)
    assert client.get(reverse("program_detail", args=[program.slug])).status_code == 404
    assert client.post(reverse("program_run_matching", args=[program.slug])).status_code == 404
    assert MatchRun.objects.count() == 1


def test_a_participant_waiting_for_a_partner_is_told_when_the_next_run_is(client, settings):
    coventry, _, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    alice = english_speaker(coventry, program)  # Europe/London: 02:30 UTC is 02:30 in winter
    settings.JUMELAGE_NIGHTLY_MATCHING_UTC = dt.time(4, 15)
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "The next matching run" in html and "04:15" in html and "Europe/London" in html
    program.is_open = False
    program.save(update_fields=["is_open"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "The next matching run" not in html and "matching for it is closed" in html


def test_a_second_click_while_a_run_is_queued_says_so_and_starts_none(
    client, officer, proposed, django_capture_on_commit_callbacks
):
    program = proposed[0]
    client.force_login(officer)
    url = reverse("program_run_matching", args=[program.slug])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url)
        response = client.post(url, follow=True)
    queued = MatchRun.objects.get(program=program, status="queued")
    html = response.content.decode()
    assert f"Matching run {queued.pk}, requested " in html
    assert "is queued: wait for its results below before you start another." in html
    assert f'<a href="#runs">Run {queued.pk}</a>, requested ' in html
    assert MatchRun.objects.filter(program=program, status="queued").count() == 1
    assert len(callbacks) == 1


@pytest.mark.parametrize("role", [None, Role.TEACHER])
def test_the_program_list_is_for_officers_only(client, proposed, role):
    user = UserFactory()
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    assert client.get(reverse("program_list")).status_code == 403


def _ended(program):
    program.start_date = dt.date.today() - dt.timedelta(weeks=20)
    program.weeks = 12
    program.save(update_fields=["start_date", "weeks"])


def _classroom(program):
    program.kind = "classroom"
    program.save(update_fields=["kind"])


def _twinnings_halted(program):
    program.twinnings.update(status="suspended")


@pytest.mark.parametrize(("change", "words"), [
    (_ended, "has ended"),
    (_classroom, "classroom program"),
    (_twinnings_halted, "none of the program&#x27;s twinnings is active"),
])
def test_an_ended_or_classroom_program_offers_no_run_and_refuses_one_in_words(
    client, officer, proposed, change, words
):
    program = proposed[0]
    change(program)
    client.force_login(officer)
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert "Run matching now" not in html
    assert reverse("program_run_matching", args=[program.slug]) not in html
    response = client.post(reverse("program_run_matching", args=[program.slug]), follow=True)
    html = response.content.decode()
    assert "No matching run" in html and words in html
    assert MatchRun.objects.filter(program=program).count() == 1  # the fixture's only


def test_a_participant_the_rules_cannot_match_is_told_what_to_add_not_promised_a_run(client):
    """No weekly window means no shared session, and in a tandem nobody to teach the
    person's own language back: the run never proposes them, so the dashboard says what
    to add instead of promising the next run."""
    program, alice, bruno = pair_program(english="Alice", german="Bruno")
    alice.availability.all().delete()
    bruno.languages.filter(learning=True).delete()
    matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert not Match.objects.exists()
    for person, needed, fine in ((alice, "your weekly availability", "a language you"),
                                 (bruno, "a language you are learning", "weekly")):
        client.force_login(person.user)
        html = client.get(reverse("dashboard")).content.decode()
        blocked = html.split('id="matching-blocked">')[1].split("</p>")[0]
        assert f"cannot propose you a partner until your profile has {needed}" in blocked
        assert fine not in blocked and reverse("profile") in blocked
        assert "The next matching run" not in html


def test_a_citizen_program_needs_no_language_being_learned(client):
    program, alice, _ = pair_program(english="Alice")
    program.kind = "citizen"
    program.save(update_fields=["kind"])
    alice.languages.filter(learning=True).delete()
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="matching-blocked"' not in html and "The next matching run" in html


def test_a_proposal_a_twinning_suspension_withdrew_is_proposed_again_once_it_is_active():
    """Nobody declined it: the reactivation's note promises that the next run proposes
    again, and it does, while a lapsed proposal and an ended partnership stay apart."""
    program, alice, bruno = pair_program(english="Alice", german="Bruno")
    twinning = program.twinnings.get()
    officer = make_officer(program)
    matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    first = Match.objects.get()
    today = timezone.localdate()
    twinning_suspend(twinning=twinning, by=officer, reason="Council paused links",
                     effective=today)
    first.refresh_from_db()
    assert first.status == Match.Status.ENDED
    twinning_reactivate(twinning=twinning, by=officer, reason="Resumed", effective=today)
    matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    again = Match.objects.exclude(pk=first.pk).get()
    assert {again.participant_a, again.participant_b} == {alice, bruno}
    assert again.status == Match.Status.PROPOSED

    for reason in (Match.EXPIRED, "ended by a partner"):
        Match.objects.filter(pk=again.pk).update(status=Match.Status.ENDED, ended_reason=reason)
        assert exclusions_among(program=program, participant_ids={alice.pk, bruno.pk})


def test_the_pool_sentence_names_only_programs_that_can_still_match_the_person(client):
    """After a move to another twinned city, or while the program's twinning is
    suspended, the old program stays enrolled but its runs leave the person out: the
    dashboard neither names it as their pool nor promises its next run."""
    coventry, _, twinning = coventry_dresden()
    tandem = program_next_monday([twinning])
    tandem.name = "Coventry tandem"
    tandem.save(update_fields=["name"])
    alice = english_speaker(coventry, tandem)
    client.force_login(alice.user)
    assert "You are in the pool of Coventry tandem. The next matching run" in client.get(
        reverse("dashboard")).content.decode()

    twinning.status = "suspended"
    twinning.save(update_fields=["status"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "You are in the pool" not in html and "The next matching run" not in html
    twinning.status = "active"
    twinning.save(update_fields=["status"])

    elsewhere = TwinningFactory()  # she moves to another twinned city
    alice.city = elsewhere.city_a
    alice.save(update_fields=["city"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Coventry tandem" not in html and "The next matching run" not in html
    other = program_next_monday([elsewhere])
    other.name = "Lyon tandem"
    other.save(update_fields=["name"])
    alice.programs.add(other)
    html = client.get(reverse("dashboard")).content.decode()
    assert "You are in the pool of Lyon tandem. The next matching run" in html


def test_a_citizen_with_places_left_beside_a_partner_is_told_the_next_run_looks_for_more(
    client, proposed
):
    _, alice, bruno, match = proposed
    alice.capacity = 3
    alice.save(update_fields=["capacity"])
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "You have room for 2 more partners: the next matching run looks for them on" in html
    client.force_login(bruno.user)  # one place, taken by the proposal
    assert 'id="more-partners"' not in client.get(reverse("dashboard")).content.decode()


def test_windows_too_short_for_one_session_are_named_as_what_keeps_a_partner_away(client):
    """The engine needs one session's length free without a break: half-hour windows in a
    program of hour-long sessions never match, while windows that touch (also across
    Sunday midnight) add up."""
    program, alice, bruno = pair_program(english="Alice", german="Bruno")
    assert program.session_minutes == 60
    alice.availability.all().delete()
    for day in range(5):
        AvailabilityWindow.objects.create(participant=alice, weekday=day,
                                          start=dt.time(18), end=dt.time(18, 30))
    matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert not Match.objects.exists()
    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert ("until your profile has a weekly window of at least 60 minutes" in
            html.split('id="matching-blocked">')[1].split("</p>")[0])

    alice.availability.all().delete()
    AvailabilityWindow.objects.create(participant=alice, weekday=6, start=dt.time(23, 30),
                                      end=dt.time(0, 0))
    AvailabilityWindow.objects.create(participant=alice, weekday=0, start=dt.time(0, 0),
                                      end=dt.time(0, 30))
    assert 'id="matching-blocked"' not in client.get(reverse("dashboard")).content.decode()
