"""The match roll-up (``MatchDay``): the database's triggers keep it exactly as a rebuild
from the matches makes it through every kind of write (services, bulk updates, deletes),
and the figures read from it equal the matches counted live, over ranges."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from benchmarks.officer_metrics_baseline import baseline_totals
from exchanges.models import Match, MatchDay
from exchanges.selectors.metrics import Period, Scope, metrics
from exchanges.services.matches import match_accept, match_decline
from exchanges.services.metrics import metrics_refresh
from exchanges.services.metrics_matches import match_day_counts, match_days_kept
from exchanges.services.rooms import block_create
from tests.exchanges.metrics_fixtures import at, build_dataset, proposed_today
from tests.factories import MatchFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(dt.date(2026, 3, 1), dt.date(2026, 12, 31)),
    Period(dt.date(2026, 3, 9), dt.date(2026, 3, 9)),  # one day
    Period(dt.date(2026, 3, 12), dt.date(2026, 6, 2)),
    Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),  # after M1 ended
    Period(None, dt.date(2027, 1, 31)),
]


@pytest.fixture
def data():
    return build_dataset()


def _live_counts(program, period: Period) -> dict:
    """The match figures by twinning counted from the matches themselves (the read the
    roll-up replaces, kept here as the reference)."""
    lo, hi = period.lo, period.hi
    proposed = Q(created_at__lt=hi) & (Q(created_at__gte=lo) if lo else Q())
    live = Q(activated_at__lt=hi) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=lo) if lo else Q()
    )
    answered = Q(activated_at__isnull=False) | Q(status="declined")
    statuses = {s: Count("pk", filter=Q(status=s)) for s in Match.Status.values}
    return {
        row["twinning_id"]: row
        for row in Match.objects.filter(program=program).values("twinning_id").annotate(
            answered=Count("pk", filter=proposed & answered),
            accepted=Count("pk", filter=proposed & Q(activated_at__isnull=False)),
            live=Count("pk", filter=live),
            **statuses,
        )
    }


def _from_roll_up(program, period: Period) -> dict:
    from exchanges.selectors.metrics.reads import matches_read

    return {
        row["twinning_id"]: row
        for row in matches_read({"program_id__in": (program.pk,)}, period)
    }


def _assert_exact(data) -> None:
    assert match_days_kept() == match_day_counts()
    for period in PERIODS:
        live = _live_counts(data.program, period)
        kept = _from_roll_up(data.program, period)
        assert {t: r for t, r in kept.items() if any(r[k] for k in r if k != "twinning_id")} == {
            t: r for t, r in live.items() if any(r[k] for k in r if k != "twinning_id")
        }, period


def test_the_roll_up_starts_equal_to_the_matches(data):
    assert match_days_kept() == match_day_counts()
    assert match_days_kept()  # there is something to compare
    _assert_exact(data)


def test_every_write_to_a_match_keeps_the_roll_up_exact(data):
    """Accepting, declining, ending by a block, a bulk update, a new match and a deleted
    one: after each, the roll-up equals a rebuild and the figures the live count."""
    emma, dieter = data.people["emma"], data.people["dieter"]
    m4 = proposed_today(data.matches["M4"])
    match_accept(match=m4, by=emma)
    _assert_exact(data)
    match_accept(match=m4, by=dieter)  # active: counted as accepted and live
    _assert_exact(data)
    carla, bruno = data.people["carla"], data.people["bruno"]
    proposal = MatchFactory(program=data.program, twinning=m4.twinning, participant_a=carla,
                            participant_b=bruno)
    _assert_exact(data)
    match_decline(match=proposal, by=bruno)
    _assert_exact(data)
    block_create(blocker=emma, blocked=dieter)  # ends M4
    assert Match.objects.get(pk=m4.pk).status == Match.Status.ENDED
    _assert_exact(data)
    # A bulk update (no save, no signal) and a change of day across midnight UTC.
    Match.objects.filter(pk=data.matches["M2"].pk).update(
        status=Match.Status.ENDED, ended_at=at(5, 1, 23, 59)
    )
    Match.objects.filter(pk=data.matches["M1"].pk).update(created_at=at(3, 8, 23, 30))
    _assert_exact(data)
    Match.objects.filter(pk=proposal.pk).delete()
    _assert_exact(data)


def test_the_match_figures_equal_the_baseline_after_the_writes(postgres, data):
    """The baseline (plain SQL over the matches) is written for PostgreSQL."""
    emma, dieter = data.people["emma"], data.people["dieter"]
    m4 = proposed_today(data.matches["M4"])
    match_accept(match=m4, by=emma)
    match_accept(match=m4, by=dieter)
    newcomer = ParticipantFactory(city=data.london, onboarded_at=timezone.now())
    newcomer.programs.add(data.program)
    MatchFactory(program=data.program, twinning=data.matches["M4"].twinning,
                 participant_a=newcomer, participant_b=dieter)
    scope = Scope(program_ids=(data.program.pk,))
    for period in [p for p in PERIODS if p.first is not None]:
        totals = metrics(scope=scope, period=period)["totals"]
        baseline = baseline_totals(program=data.program, period=period)
        for key in ("acceptance_rate", "messages_per_active_match"):
            assert totals[key] == baseline[key], (period, key)


def test_the_full_refresh_mends_a_roll_up_written_without_the_triggers(data):
    MatchDay.objects.all().delete()
    MatchDay.objects.create(program_id=data.program.pk, twinning_id=1, kind="status",
                            status="active", day=MatchDay.NEVER,
                            activated_day=MatchDay.NEVER, count=7)
    metrics_refresh(full=True)
    _assert_exact(data)


def test_the_triggers_are_there(data):
    """The roll-up is kept by the database itself (a write without Django counts too)."""
    m3 = data.matches["M3"]
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [m3.pk])  # noqa: S608
    _assert_exact(data)


def test_statements_over_many_matches_keep_the_roll_up_exact(data):
    """One statement changing several matches at once (PostgreSQL counts them per
    statement, from its transition tables): many created, all ended, a column the figures
    do not read changed, several deleted."""
    twinning = data.matches["M4"].twinning
    people = [ParticipantFactory(city=data.london) for _ in range(4)]
    Match.objects.bulk_create([
        Match(program=data.program, twinning=twinning, participant_a=a,
              participant_b=data.people["dieter"], created_at=at(4, day),
              status=Match.Status.ACTIVE if day % 2 else Match.Status.PROPOSED,
              activated_at=at(4, day + 1) if day % 2 else None)
        for day, a in zip((1, 2, 3, 4), people, strict=True)
    ])
    _assert_exact(data)
    Match.objects.filter(program=data.program, activated_at__isnull=False).update(
        status=Match.Status.ENDED, ended_at=at(10, 5)
    )
    _assert_exact(data)
    kept = match_days_kept()
    Match.objects.filter(program=data.program).update(flagged=True)
    assert match_days_kept() == kept
    Match.objects.filter(participant_a__in=people).delete()
    _assert_exact(data)
