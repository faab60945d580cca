"""The twinning lifecycle services: suspend, terminate, reactivate and their cascade."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    Match,
    Notification,
    Room,
    Session,
    Twinning,
    TwinningStatusChange,
)
from exchanges.selectors.matching import matching_instance
from exchanges.services.program_enrolment import program_residents_enrol
from exchanges.services.rooms import room_close
from exchanges.services.slots import slot_options, slot_propose
from exchanges.services.twinning_lifecycle import (
    twinning_reactivate,
    twinning_terminate,
)
from tests.exchanges.lifecycle_fixtures import (
    emails_sent_here,
    make_lifecycle_world,
    make_officer,
    world_suspend,
)
from tests.factories import ParticipantFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


@pytest.fixture
def world():
    return make_lifecycle_world()


@pytest.fixture
def emails_run_locally(monkeypatch):
    emails_sent_here(monkeypatch)




def _refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_suspend_changes_status_and_records_history_and_audit(world):
    outcome = world_suspend(world)
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED
    assert world.twinning.status_changed == timezone.localdate()
    change = TwinningStatusChange.objects.get(twinning=world.twinning)
    assert (change.from_status, change.to_status, change.side) == ("active", "suspended", "city_a")
    assert change.actor == world.officer
    assert change.source == "https://example.org/minutes"
    assert outcome.change_id == change.pk
    event = AuditEvent.objects.get(verb="twinning.suspended")
    assert event.actor == world.officer
    assert event.target == f"twinning:{world.twinning.pk}"
    assert event.data["reason"] == "Council vote"
    assert event.data["outcome"]["rooms_closed"] == 2


def test_suspend_withdraws_proposals_closes_rooms_cancels_future_sessions(world):
    outcome = world_suspend(world)
    _refresh(world.proposed, world.active, world.room, world.exchange, world.exchange_room)
    assert world.proposed.status == Match.Status.ENDED
    assert world.proposed.ended_reason == "twinning suspended"
    # A suspension pauses an active match; it does not end it.
    assert world.active.status == Match.Status.ACTIVE
    assert world.room.status == Room.Status.CLOSED
    assert "suspended" in world.room.closed_reason and "Council vote" in world.room.closed_reason
    assert world.exchange_room.status == Room.Status.CLOSED
    assert world.exchange.status == ClassroomExchange.Status.PAUSED
    statuses = {s.pk: s.status for s in Session.objects.all()}
    assert all(statuses[s.pk] == Session.Status.CANCELLED for s in world.future)
    assert statuses[world.past.pk] == Session.Status.HELD  # the past is left alone
    assert (outcome.proposals_withdrawn, outcome.rooms_closed) == (1, 2)
    assert (outcome.sessions_cancelled, outcome.exchanges_paused) == (3, 1)


def test_suspend_closes_live_sockets_after_commit(world, monkeypatch,
                                                   django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda room_id, event: sent.append((room_id, event)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world_suspend(world)
    assert sent == []  # nothing before commit
    for callback in callbacks:
        callback()
    closes = {room_id for room_id, event in sent if event == {"type": "room.close", "code": 4410}}
    assert closes == {world.room.pk, world.exchange_room.pk}


def test_partners_and_teachers_are_notified_in_app_and_by_email(
    world, emails_run_locally, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = world_suspend(world)
    people = {
        world.active.participant_a.user_id, world.active.participant_b.user_id,
        world.proposed.participant_a.user_id, world.proposed.participant_b.user_id,
        world.exchange.classroom_a.teacher_id, world.exchange.classroom_b.teacher_id,
    }
    notified = set(
        Notification.objects.filter(kind="twinning.suspended").values_list("user_id", flat=True)
    )
    assert notified == people
    assert outcome.people_notified == 6
    assert len(mail.outbox) == 6
    assert all("is suspended" in message.subject for message in mail.outbox)
    assert all("Council vote" in message.body for message in mail.outbox)


def test_matching_uses_no_suspended_twinning(world):
    program = world.program
    free = {world.active.participant_a_id: 1}
    assert matching_instance(program=program, free=free)["twinnings"]
    world_suspend(world)
    assert matching_instance(program=program, free=free)["twinnings"] == []


def test_terminate_ends_active_matches_too(world):
    outcome = twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended by treaty",
        effective=timezone.localdate(), side="both",
    )
    _refresh(world.active, world.twinning)
    assert world.twinning.status == Twinning.Status.TERMINATED
    assert world.active.status == Match.Status.ENDED
    assert world.active.ended_reason == "twinning terminated"
    assert outcome.matches_ended == 1


def test_reactivate_reopens_rooms_of_active_matches_and_says_what_stays(world):
    world_suspend(world)
    outcome = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Council resumed links",
        effective=timezone.localdate(), side="city_a",
    )
    _refresh(world.twinning, world.room, world.exchange, world.exchange_room, world.proposed)
    assert world.twinning.status == Twinning.Status.ACTIVE
    assert world.room.status == Room.Status.OPEN and world.room.closed_reason == ""
    assert world.exchange_room.status == Room.Status.OPEN
    assert world.exchange.status == ClassroomExchange.Status.ACTIVE
    assert outcome.rooms_reopened == 2 and outcome.exchanges_resumed == 1
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 3
    assert any("3 sessions cancelled by the suspension stay cancelled" in n
               for n in outcome.not_reopened)
    assert any("1 withdrawn proposal stays withdrawn" in n for n in outcome.not_reopened)
    assert world.proposed.status == Match.Status.ENDED
    history = list(world.twinning.status_changes.values_list("from_status", "to_status"))
    assert history == [("active", "suspended"), ("suspended", "active")]


def test_reactivation_counts_only_the_sessions_the_suspension_cancelled(world):
    # A session a partner cancelled before the suspension is not the suspension's doing.
    Session.objects.create(
        match=world.active, starts_at=timezone.now() + dt.timedelta(days=20),
        status=Session.Status.CANCELLED,
    )
    world_suspend(world)
    outcome = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Council resumed links",
        effective=timezone.localdate(),
    )
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 4
    notes = " ".join(outcome.not_reopened)
    assert "3 sessions cancelled by the suspension stay cancelled" in notes
    assert "4 " not in notes


def test_reactivation_after_suspension_then_termination_adds_up_both(world):
    world_suspend(world)
    twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended",
        effective=timezone.localdate(),
    )
    outcome = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Renewed",
        effective=timezone.localdate(),
    )
    assert any("3 sessions cancelled by the suspension and termination stay cancelled" in n
               for n in outcome.not_reopened)
    notes = " ".join(outcome.not_reopened)
    assert "1 withdrawn proposal stays withdrawn" in notes
    assert "1 match ended by the termination stays ended" in notes
    # A second cycle counts only what it did itself: nothing was scheduled, proposed or
    # going, so nothing stays as it is because of it (the first cycle's were told then).
    world_suspend(world)
    again = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Renewed again",
        effective=timezone.localdate(),
    )
    assert again.not_reopened == []


def test_reactivation_enrols_the_people_who_signed_up_while_it_was_halted(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # Signing up joins the open programs of the city's active twinnings: a newcomer of
    # city A while its twinning was suspended joined none of its programs, which match
    # only their own people; reactivating brings them in, as a twinning added does.
    monkeypatch.setattr(program_residents_enrol, "delay", program_residents_enrol)
    world_suspend(world)
    newcomer = ParticipantFactory(city=world.twinning.city_a)
    with django_capture_on_commit_callbacks(execute=True):
        twinning_reactivate(
            twinning=world.twinning, by=world.officer, reason="Council resumed links",
            effective=timezone.localdate(),
        )
    assert world.program.participants.filter(pk=newcomer.pk).exists()
    assert Notification.objects.filter(user=newcomer.user, kind="program.joined").exists()


def test_reactivate_after_termination_reopens_nothing_of_ended_matches(world):
    twinning_terminate(
        twinning=world.twinning, by=world.officer, reason="Ended",
        effective=timezone.localdate(),
    )
    outcome = twinning_reactivate(
        twinning=world.twinning, by=world.officer, reason="Renewed",
        effective=timezone.localdate(),
    )
    world.room.refresh_from_db()
    assert world.room.status == Room.Status.CLOSED
    assert any("1 match ended by the termination stays ended" in n
               for n in outcome.not_reopened)


def test_officer_of_another_program_is_refused_and_nothing_changes(world):
    stranger = make_officer(ProgramFactory())
    with pytest.raises(PermissionDenied):
        world_suspend(world, by=stranger)
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
    assert not TwinningStatusChange.objects.exists()


def test_an_officer_who_adds_the_twinning_to_a_program_of_theirs_cannot_stop_others(world):
    # Any officer may put an active twinning in a program of their own; that must not
    # let them suspend it under another officer's program.
    intruder = make_officer(ProgramFactory(twinnings=[world.twinning]))
    with pytest.raises(PermissionDenied):
        world_suspend(world, by=intruder)
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
    assert not TwinningStatusChange.objects.exists()
    # Nor can the first officer now: the intruder's program runs on it too.
    with pytest.raises(PermissionDenied):
        world_suspend(world)
    # An officer who runs every program on the twinning can.
    world.program.officers.add(intruder)
    for program in world.twinning.programs.all():
        program.officers.add(world.officer)
    world_suspend(world)
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED


def test_program_officer_without_the_officer_role_is_refused(world):
    user = UserFactory()
    world.program.officers.add(user)  # listed, but not in the officers' group
    with pytest.raises(PermissionDenied):
        world_suspend(world, by=user)


def test_participant_is_refused(world):
    with pytest.raises(PermissionDenied):
        world_suspend(world, by=ParticipantFactory().user)


def test_superuser_may_act_on_any_twinning(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    world_suspend(world, by=admin)
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "\u200b\u200b "}, "reason"),
        ({"source": "https://example.org/\u202esetunim"}, "source"),
        ({"effective": TODAY() + dt.timedelta(days=3)}, "effective"),
        ({"effective": dt.date(1900, 1, 1)}, "effective"),  # before the twinning began
        ({"side": "left"}, "side"),
        ({"source": "javascript:alert(1)"}, None),
    ],
)
def test_bad_input_is_a_validation_error_and_changes_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as caught:
        world_suspend(world, **overrides)
    if field:
        assert field in caught.value.message_dict
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE


def test_suspending_twice_and_reactivating_an_active_twinning_are_refused(world):
    world_suspend(world)
    with pytest.raises(ValidationError, match="cannot be suspended"):
        world_suspend(world)
    twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Back",
                        effective=timezone.localdate())
    with pytest.raises(ValidationError, match="cannot be reactivated"):
        twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Again",
                            effective=timezone.localdate())


def test_matches_of_other_twinnings_are_untouched(world):
    other = make_lifecycle_world()
    world_suspend(world)
    _refresh(other.proposed, other.room)
    assert other.proposed.status == Match.Status.PROPOSED
    assert other.room.status == Room.Status.OPEN


def test_no_new_sessions_are_scheduled_across_a_suspended_twinning(world):
    match = world.active
    options = slot_options(match=match)
    assert options  # before: the partners have slots in common
    world_suspend(world)
    with pytest.raises(ValidationError, match="no sessions can be scheduled"):
        slot_propose(match=match, by=match.participant_a, option=options[0])
    twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Back",
                        effective=timezone.localdate())
    assert slot_propose(match=match, by=match.participant_a, option=options[0]).pk


def test_a_room_closed_for_its_own_reason_stays_closed_on_reactivation(world):
    room_close(room=world.room, reason="blocked")
    world_suspend(world)
    outcome = twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Back",
                                  effective=timezone.localdate())
    world.room.refresh_from_db()
    assert (world.room.status, world.room.closed_reason) == (Room.Status.CLOSED, "blocked")
    assert outcome.rooms_reopened == 1  # the exchange's room only


@pytest.mark.parametrize("reason", ["قرار المجلس", "החלטת המועצה", "परिषद का निर्णय", "議会の決定"])
def test_a_reason_in_another_script_is_kept_and_an_override_is_taken_out(world, reason):
    world_suspend(world, reason=reason + " \u202e!2\u202c")
    change = TwinningStatusChange.objects.get(twinning=world.twinning)
    assert change.reason == reason + " !2"


def test_the_summary_joins_its_items_with_the_languages_own_separator(world, monkeypatch):
    from exchanges.services import twinning_lifecycle

    # The separators are catalogue messages (Japanese lists with "、", sentences with none).
    separators = {"items of a list": "、", "sentences": ""}
    monkeypatch.setattr(
        twinning_lifecycle, "pgettext",
        lambda context, message: separators.get(context.split("between ")[-1], message),
    )
    outcome = world_suspend(world)
    assert outcome.summary() == (
        "1 proposed match withdrawn、2 rooms closed、3 future sessions cancelled"
        "、1 classroom exchange paused"
    )
    assert "; " not in outcome.summary()
    outcome.not_reopened = ["First.", "Second."]
    assert outcome.notes() == "First.Second."


@pytest.mark.parametrize(("tz", "accepted"), [("Asia/Tokyo", True), ("America/New_York", False)])
def test_today_in_either_city_is_not_in_the_future(world, monkeypatch, tz, accepted):
    """08:30 on 2 June in Tokyo is still 1 June in UTC: a council's decision of that
    morning is recorded with its own date, not refused as a future one."""
    from exchanges.services.twinning_lifecycle import twinning_change_check

    world.twinning.city_a.tz = "America/Chicago"
    world.twinning.city_a.save(update_fields=["tz"])
    world.twinning.city_b.tz = tz
    world.twinning.city_b.save(update_fields=["tz"])
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2030, 6, 1, 23, 30, tzinfo=dt.UTC))
    check = lambda: twinning_change_check(  # noqa: E731
        twinning=world.twinning, by=world.officer, action="suspend", reason="Council vote",
        effective=dt.date(2030, 6, 2),
    )
    if accepted:
        check()
    else:
        with pytest.raises(ValidationError, match="future"):
            check()
