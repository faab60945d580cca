"""Past figures outlive the people they counted (exchanges/services/metrics_kept.py): the
officer's JSON export (and the exact figures behind it, which the small-count rule hides
in part) and the public register's JSON read the same before and after the platform
deletes people's data (the pupils' retention purge, a person closing their own account)
and the nightly full refresh; a pupil removed by their teacher stops counting."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from exchanges.models import (
    ActiveDay,
    ClassroomExchange,
    Match,
    Participant,
    PeopleDay,
    RegisterPeopleDay,
    Role,
    Room,
    Session,
    SessionDay,
    User,
)
from exchanges.selectors.metrics import Period, Scope, metrics, people_profile
from exchanges.selectors.metrics.definitions import NOTES
from exchanges.selectors.retention import retention_period
from exchanges.services.accounts import account_delete
from exchanges.services.attendance import attendance_join, attendance_leave, session_settle
from exchanges.services.classrooms import classroom_delete
from exchanges.services.metrics import metrics_refresh
from exchanges.services.pupils import pupil_remove
from exchanges.services.retention import retention_purge_due
from tests.exchanges.class_exchange_fixtures import pupils_joined_before
from tests.exchanges.metrics_fixtures import at, build_dataset
from tests.exchanges.pupil_attendance_fixtures import classes_with_attendance
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py


def _officer_client(client, program):
    officer = UserFactory()
    officer.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    program.officers.add(officer)
    client.force_login(officer)
    return client


def _figures(body: dict) -> dict:
    """The export's figures, totals and rows, without when they were computed."""
    return {
        "totals": {k: v for k, v in body.items() if k not in ("as_of", "by_twinning", "by_city")},
        "by_twinning": sorted(body["by_twinning"], key=lambda r: r["id"]),
        "by_city": sorted(body["by_city"], key=lambda r: r["id"]),
    }


def _exact(program, query: dict) -> dict:
    """The figures the export is made from, none hidden: this program's few people are
    counts of 1 to 4 that the export leaves empty."""
    first = query.get("from")
    period = Period(first and dt.date.fromisoformat(first), dt.date.fromisoformat(query["to"]))
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=period)
    return {"totals": figures["totals"],
            **{part: sorted(figures[part], key=lambda r: r["id"])
               for part in ("by_twinning", "by_city")}}


def _read(client, program, ranges) -> tuple[list[dict], dict]:
    url = reverse("program_metrics_json", args=[program.slug])
    exports = [{**_figures(client.get(url, dict(r)).json()), "exact": _exact(program, r)}
               for r in ranges]
    register = client.get(reverse("transparency_json")).json()
    for key in ("generated_at", "figures_as_of"):
        register.pop(key)
    return exports, register


# --- A tandem program: people closing their accounts ----------------------------------


def _bruno_meets_emma(data) -> None:
    """Bruno's next partner: a session on 2 June, both there (his previous: S5)."""
    bruno, emma = data.people["bruno"], data.people["emma"]
    match = MatchFactory(program=data.program, twinning=data.twinning, participant_a=emma,
                         participant_b=bruno, status=Match.Status.ACTIVE,
                         activated_at=at(5, 30))
    room = Room.objects.create(match=match)
    session = Session.objects.create(match=match, starts_at=at(6, 2, 18), minutes=60)
    for person in (emma, bruno):
        attendance_join(room=room, user_id=person.user_id, at=at(6, 2, 18))
        attendance_leave(room=room, user_id=person.user_id, at=at(6, 2, 19))
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        session_settle(session=locked, now=locked.starts_at + dt.timedelta(minutes=80))
    metrics_refresh(full=True)


PEOPLE = ("participants", "matched", "match_rate", "median_days_to_match", "retention",
          "completion")


def _people_in_other_scopes(data) -> list[dict]:
    """The people figures read from the summaries (a twinning's, every program's), whose
    deleted people come from the kept rows (reads.kept_people_read)."""
    scopes = [Scope(program_ids=(data.program.pk,), twinning_id=data.twinning.pk),
              Scope(program_ids=(data.program.pk,), city_id=data.london.pk), Scope()]
    periods = [Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
               Period(dt.date(2026, 3, 1), dt.date(2026, 12, 31))]
    figures = [{k: metrics(scope=scope, period=period)["totals"][k] for k in PEOPLE}
               for scope in scopes for period in periods]
    # The cohort chart and breakdown of the program's dashboard (from the roll-ups).
    profiles = [people_profile(scope=Scope(program_ids=(data.program.pk,)),
                               period=period, twinnings=[]) for period in periods]
    return [figures, profiles]


def test_closed_accounts_leave_a_tandem_programs_past_figures_as_they_were(client):
    data = build_dataset()
    _bruno_meets_emma(data)
    officer = _officer_client(client, data.program)
    ranges = [{"from": "2026-03-01", "to": "2026-05-31"},
              {"from": "2026-03-01", "to": "2026-03-31"},
              {"from": "2026-04-01", "to": "2026-12-31"},
              {"from": "2026-05-01", "to": "2026-06-30"},
              {"from": "2026-06-01", "to": "2026-06-30"}]
    before = _read(officer, data.program, ranges)
    people_before = _people_in_other_scopes(data)
    spring = before[0][0]["exact"]["totals"]
    assert (spring["participants"], spring["sessions_held"], spring["contact_hours"]) == (
        6, 3, 2.5)
    assert spring["active_participants"] == 3 and spring["completion"] == 2
    assert spring["acceptance_rate"] == 0.6667 and spring["messages_per_active_match"] == 3.0

    # Bruno: active from before May (S2, S5), and again in June (his previous there, S5).
    assert [before[0][r]["exact"]["totals"]["active_participants"] for r in (3, 4)] == [3, 2]
    # Alice (M1: three sessions held) and Dieter (M2, M4) close their accounts: their
    # matches, sessions, attendance and summaries go, Bruno's and Carla's share of them
    # too (Bruno reached completion at S5, with Alice).
    for name in ("alice", "dieter"):
        account_delete(user=data.people[name].user, password=PASSWORD)
    assert not Session.objects.filter(match__in=(data.matches["M1"], data.matches["M2"]))
    metrics_refresh(full=True)
    assert _read(officer, data.program, ranges) == before
    assert _people_in_other_scopes(data) == people_before
    # Kept as counts: no row names anyone.
    assert SessionDay.objects.filter(kept=True).exists()
    assert set(PeopleDay.objects.filter(kept=True).values()[0]) == {
        "id", "program_id", "city_id", "day", "days_to_match", "count", "matched",
        "completed", "held", "retained", "kept", "matched_on", "completed_on", "held_on",
        "retained_on",
    }
    # Counted once: a second full refresh changes nothing either.
    metrics_refresh(full=True)
    assert _read(officer, data.program, ranges) == before


def test_an_administrator_deleting_people_in_the_admin_keeps_the_past_figures(client):
    """The Django admin's delete (one user, a participant from the list) keeps the counts
    as the platform's own deletions do."""
    data = build_dataset()
    officer = _officer_client(client, data.program)
    ranges = [{"from": "2026-03-01", "to": "2026-05-31"}]
    before = _read(officer, data.program, ranges)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    alice = data.people["alice"].user
    response = client.post(reverse("admin:exchanges_user_delete", args=[alice.pk]),
                           {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=alice.pk).exists()
    dieter = data.people["dieter"]
    response = client.post(reverse("admin:exchanges_participant_changelist"), {
        "action": "delete_selected", "_selected_action": [dieter.pk], "post": "yes"})
    assert response.status_code == 302 and not Participant.objects.filter(pk=dieter.pk)
    metrics_refresh(full=True)
    assert _read(_officer_client(client, data.program), data.program, ranges) == before


# --- A classroom program: the retention purge -----------------------------------------


def _end(classes) -> dt.datetime:
    ended = dt.datetime.combine(classes.today, dt.time(12), tzinfo=dt.UTC)
    ClassroomExchange.objects.filter(pk=classes.exchange.pk).update(
        status=ClassroomExchange.Status.ENDED, ended_at=ended)
    pupils_joined_before(classes.exchange, ended)
    Session.objects.filter(exchange=classes.exchange, status=Session.Status.SCHEDULED).update(
        status=Session.Status.CANCELLED)
    return ended


def test_the_retention_purge_leaves_a_classroom_programs_past_figures_as_they_were(client):
    classes = classes_with_attendance()
    ended = _end(classes)
    metrics_refresh(full=True)
    officer = _officer_client(client, classes.program)
    today = classes.today
    ranges = [{"to": today.isoformat()},
              {"from": (today - dt.timedelta(days=15)).isoformat(), "to": today.isoformat()},
              {"from": (today - dt.timedelta(days=60)).isoformat(),
               "to": (today - dt.timedelta(days=15)).isoformat()}]
    before = _read(officer, classes.program, ranges)
    totals = before[0][0]["totals"]
    # tests/exchanges/pupil_attendance_fixtures.py's table
    assert (totals["participants"], totals["sessions_held"]) == (8, 2)
    assert (totals["attendance_rate"], totals["active_participants"]) == (round(8 / 14, 4), 6)
    assert any(row["participation_all_years"]["participants"]["value"] == 8
               for row in before[1]["twinnings"])

    purge = ended + retention_period() + dt.timedelta(hours=1)
    assert retention_purge_due(now=purge) == 8
    assert not Participant.objects.filter(pk__in=[p.pk for p in classes.pupils.values()])
    metrics_refresh(full=True, now=purge)
    assert _read(officer, classes.program, ranges) == before
    assert ActiveDay.objects.filter(kept=True).exists()
    assert RegisterPeopleDay.objects.filter(kept=True).exists()


def test_a_class_deleted_after_the_purge_leaves_the_past_figures_as_they_were(client):
    """Once its exchange's pupils' data is purged, a teacher may delete the class, and its
    ended exchange, sessions and rooms go with it: the figures keep counting them."""
    classes = classes_with_attendance()
    ended = _end(classes)
    metrics_refresh(full=True)
    officer = _officer_client(client, classes.program)
    ranges = [{"to": classes.today.isoformat()}]
    purge = ended + retention_period() + dt.timedelta(hours=1)
    retention_purge_due(now=purge)
    metrics_refresh(full=True, now=purge)
    before = _read(officer, classes.program, ranges)
    assert before[0][0]["totals"]["sessions_held"] == 2

    classroom = classes.exchange.classroom_a
    classroom_delete(classroom=classroom, by=classroom.teacher)
    assert not ClassroomExchange.objects.filter(pk=classes.exchange.pk).exists()
    assert not Session.objects.filter(pk__in=[s.pk for s in classes.sessions.values()])
    metrics_refresh(full=True, now=purge)
    assert _read(officer, classes.program, ranges) == before
    assert SessionDay.objects.filter(kept=True, held__gt=0).exists()


def test_a_pupil_removed_by_their_teacher_stops_counting_and_nothing_is_kept(client):
    classes = classes_with_attendance()
    metrics_refresh(full=True)
    officer = _officer_client(client, classes.program)
    ranges = [{"to": classes.today.isoformat()}]
    a1 = classes.pupils["a1"]  # came to S1 and S2
    pupil_remove(pupil=a1, by=classes.exchange.classroom_a.teacher)
    metrics_refresh(full=True)
    totals = _read(officer, classes.program, ranges)[0][0]["exact"]["totals"]
    assert (totals["participants"], totals["attendance_rate"]) == (7, 0.5)
    assert totals["active_participants"] == 5
    for model in (SessionDay, ActiveDay, PeopleDay, RegisterPeopleDay):
        assert not model.objects.filter(kept=True).exists()
    assert not User.objects.filter(pk=a1.user_id).exists()


def test_the_officers_notes_say_past_figures_keep_deleted_people(client):
    assert any("data has since been deleted" in str(note) for note in NOTES)
    register = client.get(reverse("transparency_json")).json()
    assert "data has since been deleted" in register["deleted_data"]
    assert "data has since been deleted" in client.get(reverse("transparency")).content.decode()


def test_a_full_refresh_still_corrects_what_remains_after_a_deletion(client):
    """Kept counts never block a correction: a session that was not what it seemed
    (here cancelled after the fact) is recounted, the deleted people's share stays."""
    data = build_dataset()
    _bruno_meets_emma(data)
    officer = _officer_client(client, data.program)
    ranges = [{"from": "2026-03-01", "to": "2026-05-31"},
              {"from": "2026-06-01", "to": "2026-06-30"}]
    account_delete(user=data.people["alice"].user, password=PASSWORD)
    metrics_refresh(full=True)
    spring, june = (r["exact"]["totals"] for r in _read(officer, data.program, ranges)[0])
    assert (spring["sessions_held"], june["sessions_held"]) == (3, 1)
    Session.objects.filter(match__participant_b=data.people["bruno"]).update(
        status=Session.Status.CANCELLED)
    metrics_refresh(full=True)
    after_spring, after_june = (
        r["exact"]["totals"] for r in _read(officer, data.program, ranges)[0])
    assert after_spring == spring
    assert (after_june["sessions_held"], after_june["sessions_cancelled"]) == (0, 1)
