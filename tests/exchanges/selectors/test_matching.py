"""Pupils are never eligible for a program's matching run, even if enrolled."""

import pytest

from exchanges.selectors.matching import matching_instance, participants_with_free_capacity
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_enrolled_pupil_is_left_out_of_the_run_and_an_adult_is_not():
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    adult = ParticipantFactory(city=twinning.city_a)
    pupil = ParticipantFactory(city=twinning.city_b, user=UserFactory(is_pupil=True),
                               birth_year=2014)
    for participant in (adult, pupil):
        participant.programs.add(program)
    free = participants_with_free_capacity(program=program)
    assert adult.pk in free and pupil.pk not in free
    ids = {person["id"] for person in matching_instance(program=program, free=free)["participants"]}
    assert ids == {str(adult.pk)}


def test_exclusions_are_read_for_the_programs_people_only():
    """Blocks and earlier matches between the program's people are excluded; the database
    is asked only for rows between enrolled people (a run reads no other program's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exchanges.models import Block, Match
    from exchanges.selectors.matching import exclusions_among
    from tests.factories import MatchFactory

    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    a, b, c = (ParticipantFactory(city=twinning.city_a) for _ in range(3))
    d = ParticipantFactory(city=twinning.city_b)
    for person in (a, b, c, d):
        person.programs.add(program)
    outsider = ParticipantFactory(city=twinning.city_b)  # not enrolled
    Block.objects.create(blocker=d, blocked=a)
    Block.objects.create(blocker=b, blocked=outsider)
    MatchFactory(program=program, twinning=twinning, participant_a=c, participant_b=d,
                 status=Match.Status.DECLINED)
    MatchFactory(participant_a=outsider, participant_b=ParticipantFactory())  # elsewhere
    ids = {a.pk, b.pk, c.pk, d.pk}
    with CaptureQueriesContext(connection) as queries:
        pairs = exclusions_among(program=program, participant_ids=ids)
    assert pairs == sorted([(min(a.pk, d.pk), max(a.pk, d.pk)), (min(c.pk, d.pk), max(c.pk, d.pk))])
    reads = [q["sql"] for q in queries.captured_queries
             if "exchanges_block" in q["sql"] or "exchanges_match" in q["sql"]]
    assert len(reads) == 2 and all(" WHERE " in sql for sql in reads), reads
    # Only the program's free people count: d without free places leaves both pairs out.
    assert exclusions_among(program=program, participant_ids={a.pk, b.pk, c.pk}) == []


def test_waiting_counts_from_the_last_partnership_change_not_from_sign_up():
    """An ended partnership is not months of waiting ("you came first"), and a partner
    taken resets the clock; a declined or lapsed proposal leaves the wait as it was."""
    import datetime as dt

    from django.utils import timezone

    from exchanges.models import Match
    from tests.factories import MatchFactory

    now = timezone.now()
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    signed_up = now - dt.timedelta(days=200)
    ended, partnered, declined = (
        ParticipantFactory(city=twinning.city_a, waiting_since=signed_up, capacity=2)
        for _ in range(3)
    )
    others = [ParticipantFactory(city=twinning.city_b) for _ in range(3)]
    for person in (ended, partnered, declined, *others):
        person.programs.add(program)
    MatchFactory(program=program, twinning=twinning, participant_a=ended,
                 participant_b=others[0], status=Match.Status.ENDED,
                 activated_at=now - dt.timedelta(days=150), ended_at=now - dt.timedelta(days=2))
    MatchFactory(program=program, twinning=twinning, participant_a=partnered,
                 participant_b=others[1], status=Match.Status.ACTIVE,
                 activated_at=now - dt.timedelta(days=30))
    MatchFactory(program=program, twinning=twinning, participant_a=declined,
                 participant_b=others[2], status=Match.Status.DECLINED,
                 ended_at=now - dt.timedelta(days=10))
    free = participants_with_free_capacity(program=program)
    people = {p["id"]: p for p in matching_instance(program=program, free=free)["participants"]}
    assert people[str(ended.pk)]["waiting_days"] == 2
    assert people[str(partnered.pk)]["waiting_days"] == 30
    assert people[str(declined.pk)]["waiting_days"] == 200


def test_a_deactivated_account_is_not_proposed():
    """Deactivated in the admin, it cannot sign in to answer: a partner would wait for
    nothing."""
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    kept = ParticipantFactory(city=twinning.city_a)
    banned = ParticipantFactory(city=twinning.city_b, user=UserFactory(is_active=False))
    for person in (kept, banned):
        person.programs.add(program)
    assert set(participants_with_free_capacity(program=program)) == {kept.pk}
