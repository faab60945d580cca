"""Proposals not accepted by both within a week lapse: both partners are freed, whoever
accepted stays in the pool, whoever did not answer is paused, and the pair is not
proposed again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Match, MatchRun, Notification
from exchanges.selectors.matching import exclusions_among, participants_with_free_capacity
from exchanges.services.match_expiry import proposals_expire
from exchanges.services.matches import match_accept, match_decline
from exchanges.services.matching import match_proposed_emails_send
from exchanges.tasks.matching import proposals_expire as proposals_expire_task
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


def _aged(match: Match, days: float) -> Match:
    Match.objects.filter(pk=match.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days))
    match.refresh_from_db()
    return match


def test_a_week_old_proposal_lapses_and_frees_both_partners_places():
    match = MatchFactory(participant_a__user__display_name="Alice",
                         participant_b__user__display_name="Bruno")
    match.program.twinnings.add(match.twinning)
    match.participant_a.programs.add(match.program)
    match.participant_b.programs.add(match.program)
    match_accept(match=match, by=match.participant_a)
    match = _aged(match, 7.1)
    assert participants_with_free_capacity(program=match.program) == {}

    assert proposals_expire() == 1
    match.refresh_from_db()
    assert (match.status, match.ended_reason) == (Match.Status.ENDED, Match.EXPIRED)
    assert match.activated_at is None  # never counted as an answered or ended partnership
    alice, bruno = match.participant_a, match.participant_b
    alice.refresh_from_db()
    bruno.refresh_from_db()
    # Alice accepted: she stays in the pool. Bruno never answered: paused, and told so.
    assert not alice.matching_paused and bruno.matching_paused
    assert participants_with_free_capacity(program=match.program) == {alice.pk: 1}
    to_alice = Notification.objects.get(user=alice.user, kind="match.expired")
    assert to_alice.text.startswith("Bruno did not answer your proposed match in time")
    to_bruno = Notification.objects.get(user=bruno.user, kind="match.expired")
    assert "New matches are paused for you" in to_bruno.text
    assert to_bruno.url == reverse("dashboard")
    # The two are not proposed to each other again.
    bruno.matching_paused = False
    bruno.save(update_fields=["matching_paused"])
    assert exclusions_among(program=match.program, participant_ids={alice.pk, bruno.pk}) == [
        (min(alice.pk, bruno.pk), max(alice.pk, bruno.pk))
    ]


def test_a_younger_proposal_and_answered_ones_are_left_alone_and_a_second_pass_does_nothing():
    young = _aged(MatchFactory(), 6.9)
    active = MatchFactory()
    match_accept(match=active, by=active.participant_a)
    match_accept(match=active, by=active.participant_b)
    active = _aged(active, 30)
    declined = MatchFactory()
    match_decline(match=declined, by=declined.participant_a)
    declined = _aged(declined, 30)
    old = _aged(MatchFactory(), 8)
    notices = Notification.objects.count()

    assert proposals_expire_task() == 1
    assert proposals_expire() == 0
    assert Notification.objects.count() == notices + 2
    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses == {young.pk: "proposed", active.pk: "active", declined.pk: "declined",
                        old.pk: "ended"}


def test_answering_a_lapsed_proposal_says_it_lapsed():
    match = _aged(MatchFactory(), 8)
    proposals_expire()
    with pytest.raises(ValidationError, match="Nobody answered this proposal in time"):
        match_accept(match=match, by=match.participant_b)
    with pytest.raises(ValidationError, match="Nobody answered this proposal in time"):
        match_decline(match=match, by=match.participant_a)


def test_the_proposal_email_and_dashboard_say_by_when_to_answer(client, mailoutbox):
    match = MatchFactory(participant_a__user__display_name="Alice",
                         participant_b__user__display_name="Bruno")
    match.run = MatchRun.objects.create(program=match.program)
    match.save(update_fields=["run"])
    alice = match.participant_a
    deadline = match.answer_by.astimezone(ZoneInfo(alice.zone))
    assert match_proposed_emails_send(run_id=match.run.pk) == 2
    to_alice = next(mail for mail in mailoutbox if mail.to == [alice.user.email])
    assert to_alice.body.endswith(
        f"\n\nAnswer by {deadline:%a %-d %b %Y, %H:%M} ({alice.zone}): a proposal not "
        "accepted by both by then lapses.")

    client.force_login(alice.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'Answer by <time datetime="{match.answer_by.isoformat()}">' in html
    assert f"{deadline:%H:%M}</time> ({alice.zone})" in html



def test_a_proposal_past_its_deadline_cannot_be_answered_before_the_sweep_lapses_it():
    # The sweep runs every 15 minutes (and not at all while the worker is down): the
    # deadline the page and e-mail state must hold without it.
    match = _aged(MatchFactory(), 7 + 1 / 24 / 60)
    with pytest.raises(ValidationError, match="Nobody answered this proposal in time"):
        match_accept(match=match, by=match.participant_a)
    with pytest.raises(ValidationError, match="Nobody answered this proposal in time"):
        match_decline(match=match, by=match.participant_b)
    match.refresh_from_db()
    assert (match.status, match.a_accepted_at, match.b_accepted_at) == ("proposed", None, None)
    assert proposals_expire() == 1  # the sweep still ends it and tells both


def test_the_dashboard_offers_no_answer_to_a_proposal_past_its_deadline(client):
    match = _aged(MatchFactory(participant_b__user__display_name="Bruno"), 7.01)
    client.force_login(match.participant_a.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("match_accept", args=[match.pk]) not in html
    assert "Answer by" not in html
    assert "Bruno" not in html


def test_one_who_accepted_and_then_paused_is_not_told_they_stay_in_the_pool():
    match = MatchFactory(participant_b__user__display_name="Bruno")
    match_accept(match=match, by=match.participant_a)
    match.participant_a.matching_paused = True
    match.participant_a.save(update_fields=["matching_paused"])
    _aged(match, 7.1)
    assert proposals_expire() == 1
    told = Notification.objects.get(user=match.participant_a.user, kind="match.expired")
    assert told.text.startswith("Bruno did not answer your proposed match in time")
    assert "stay in the pool" not in told.text
    assert "New matches are paused for you" in told.text
