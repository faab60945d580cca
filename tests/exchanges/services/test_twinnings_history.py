"""The loader's status history: a data file's change is recorded once, like a person's."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from exchanges.models import Twinning, TwinningStatusChange
from exchanges.services.twinnings import COLUMNS, twinnings_load_csv

pytestmark = pytest.mark.django_db

GUARDIAN = (
    "https://www.theguardian.com/uk-news/2022/mar/23/"
    "coventry-no-longer-twinned-with-volgograd-protest-ukraine-war"
)
ACTIVE_ROW = "Coventry,GB,Europe/London,en,Volgograd,RU,Europe/Volgograd,ru,1944,active,,twin town,"


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "twinnings.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


def _shipped_row(city_a: str, city_b: str) -> str:
    lines = settings.JUMELAGE_TWINNINGS_CSV.read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.startswith(f"{city_a},") and f",{city_b}," in line)


def test_shipped_file_has_coventry_volgograd_suspended_in_march_2022():
    twinnings_load_csv(path=settings.JUMELAGE_TWINNINGS_CSV)
    twinning = Twinning.objects.get(city_a__name="Coventry", city_b__name="Volgograd")
    assert twinning.status == Twinning.Status.SUSPENDED
    assert (twinning.status_changed, twinning.status_changed_precision) == (
        dt.date(2022, 3, 1), "month",
    )
    change = TwinningStatusChange.objects.get(twinning=twinning)
    assert (change.from_status, change.to_status) == ("active", "suspended")
    assert change.side == "city_a"  # "paused by Coventry City Council"
    assert change.source == GUARDIAN
    assert change.actor is None
    assert change.effective_precision == "month"


def test_shipped_terminations_are_in_the_history_with_the_acting_side():
    twinnings_load_csv(path=settings.JUMELAGE_TWINNINGS_CSV)
    osaka = TwinningStatusChange.objects.get(twinning__city_a__name="Osaka")
    assert (osaka.to_status, osaka.effective, osaka.side) == (
        "terminated", dt.date(2018, 10, 2), "city_a",
    )
    assert osaka.source.startswith("https://www.japantimes.co.jp/")
    shanghai = TwinningStatusChange.objects.get(twinning__city_b__name="Shanghai")
    assert (shanghai.to_status, shanghai.side) == ("terminated", "city_b")
    non_active = Twinning.objects.exclude(status="active").count()
    assert TwinningStatusChange.objects.count() == non_active


def test_a_status_change_in_the_file_adds_one_history_row_once(tmp_path):
    twinnings_load_csv(path=_write(tmp_path, ACTIVE_ROW))
    assert not TwinningStatusChange.objects.exists()
    new_file = _write(tmp_path, _shipped_row("Coventry", "Volgograd"))
    result = twinnings_load_csv(path=new_file)
    assert result.twinnings_updated == 1
    twinnings_load_csv(path=new_file)  # loading again changes nothing
    change = TwinningStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.effective) == (
        "active", "suspended", dt.date(2022, 3, 1),
    )


def test_a_corrected_date_corrects_the_data_files_row_instead_of_adding_one(tmp_path):
    old = "Osaka,JP,Asia/Tokyo,ja,San Francisco,US,America/Los_Angeles,en,1957,terminated,"
    twinnings_load_csv(path=_write(tmp_path, old + "2018-10-09,sister city,ended by Osaka"))
    twinnings_load_csv(path=_write(tmp_path, _shipped_row("Osaka", "San Francisco")))
    change = TwinningStatusChange.objects.get()
    assert change.effective == dt.date(2018, 10, 2)
    assert change.source.startswith("https://www.japantimes.co.jp/")


def test_unchanged_rows_add_no_history():
    twinnings_load_csv(path=settings.JUMELAGE_TWINNINGS_CSV)
    before = list(TwinningStatusChange.objects.values_list("pk", "effective", "reason"))
    twinnings_load_csv(path=settings.JUMELAGE_TWINNINGS_CSV)
    assert list(TwinningStatusChange.objects.values_list("pk", "effective", "reason")) == before


def _row(twinning, status: str, changed: str, note: str) -> str:
    a, b = twinning.city_a, twinning.city_b
    return (f"{a.name},{a.country},{a.tz},{';'.join(a.languages)},"
            f"{b.name},{b.country},{b.tz},{';'.join(b.languages)},"
            f",{status},{changed},twin town,{note}")


def test_a_file_suspending_a_twinning_goes_through_the_officers_lifecycle(tmp_path):
    """manage.py load_twinnings marking a twinning suspended does what an officer's
    suspension does: proposals withdrawn, rooms closed, future sessions cancelled, the
    partners notified, an audit event (actor "data load", with the file's note)."""
    from django.core.management import call_command

    from exchanges.models import (
        AuditEvent,
        ClassroomExchange,
        Match,
        Notification,
        Room,
        Session,
    )
    from exchanges.selectors.matching import matching_instance
    from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

    world = make_lifecycle_world()
    free = {world.active.participant_a_id: 1}
    assert matching_instance(program=world.program, free=free)["twinnings"]
    note = (f"paused by {world.twinning.city_a.name} city council "
            "https://example.org/council/vote-2026")
    call_command("load_twinnings", str(_write(
        tmp_path, _row(world.twinning, "suspended", "2026-11-30", note)
    )))
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED
    assert world.twinning.status_changed == dt.date(2026, 11, 30)
    for thing in (world.proposed, world.room, world.exchange, world.exchange_room):
        thing.refresh_from_db()
    assert world.proposed.status == Match.Status.ENDED
    assert world.room.status == Room.Status.CLOSED
    assert world.exchange_room.status == Room.Status.CLOSED
    assert world.exchange.status == ClassroomExchange.Status.PAUSED
    statuses = dict(Session.objects.values_list("pk", "status"))
    assert all(statuses[s.pk] == Session.Status.CANCELLED for s in world.future)
    assert statuses[world.past.pk] == Session.Status.HELD
    assert matching_instance(program=world.program, free=free)["twinnings"] == []
    partners = {world.active.participant_a.user_id, world.active.participant_b.user_id}
    notified = set(Notification.objects.filter(kind="twinning.suspended")
                   .values_list("user_id", flat=True))
    assert partners <= notified
    change = TwinningStatusChange.objects.get(twinning=world.twinning)
    assert (change.from_status, change.to_status, change.actor) == ("active", "suspended", None)
    assert (change.side, change.source) == ("city_a", "https://example.org/council/vote-2026")
    event = AuditEvent.objects.get(verb="twinning.suspended")
    assert event.actor is None
    assert (event.data["actor"], event.data["note"]) == ("data load", note)
    assert event.data["outcome"]["sessions_cancelled"] == 3
    # Loading the same file again changes nothing more.
    call_command("load_twinnings", str(tmp_path / "twinnings.csv"))
    assert AuditEvent.objects.filter(verb__startswith="twinning.").count() == 1


def test_a_status_change_the_lifecycle_refuses_loads_nothing(tmp_path):
    from django.core.management import CommandError, call_command

    from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

    world = make_lifecycle_world()
    call_command("load_twinnings", str(_write(
        tmp_path, _row(world.twinning, "terminated", "2026-11-30", "ended by treaty"))))
    with pytest.raises(CommandError, match="cannot be suspended"):
        call_command("load_twinnings", str(_write(
            tmp_path, _row(world.twinning, "suspended", "2026-12-01", "paused"))))
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.TERMINATED


def _officer_reactivates_coventry_volgograd(tmp_path):
    """The shipped row says suspended (March 2022); an officer reactivates it on the platform."""
    from exchanges.models import User
    from exchanges.services.twinning_lifecycle import twinning_reactivate

    twinnings_load_csv(path=_write(tmp_path, _shipped_row("Coventry", "Volgograd")))
    twinning = Twinning.objects.get(city_a__name="Coventry", city_b__name="Volgograd")
    root = User.objects.create(email="root@example.org", is_superuser=True, is_staff=True)
    twinning_reactivate(
        twinning=twinning, by=root, reason="links resume", effective=dt.date(2026, 11, 1)
    )
    return twinning


def test_reloading_an_older_file_does_not_undo_an_officers_change(tmp_path):
    """Every deploy loads the shipped file again: a status a person set on the platform
    after the file's own date stays, with its history, and the load says so."""
    twinning = _officer_reactivates_coventry_volgograd(tmp_path)
    result = twinnings_load_csv(path=_write(tmp_path, _shipped_row("Coventry", "Volgograd")))
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.ACTIVE
    assert twinning.status_changed == dt.date(2026, 11, 1)
    assert list(twinning.status_changes.order_by("id").values_list("to_status", flat=True)) == [
        "suspended", "active",
    ]
    assert not result.changed
    assert (result.kept, result.unchanged) == (1, 0)


def test_a_file_dated_after_the_officers_change_still_applies(tmp_path):
    twinning = _officer_reactivates_coventry_volgograd(tmp_path)
    newer = _shipped_row("Coventry", "Volgograd").replace(",2022-03,", ",2026-12-01,")
    twinnings_load_csv(path=_write(tmp_path, newer))
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.SUSPENDED
    assert twinning.status_changes.count() == 3


def test_reloading_does_not_reactivate_what_an_officer_suspended(tmp_path):
    from exchanges.models import User
    from exchanges.services.twinning_lifecycle import twinning_suspend

    path = _write(tmp_path, _shipped_row("Coventry", "Dresden"))
    twinnings_load_csv(path=path)
    twinning = Twinning.objects.get(city_a__name="Coventry", city_b__name="Dresden")
    root = User.objects.create(email="root@example.org", is_superuser=True, is_staff=True)
    twinning_suspend(twinning=twinning, by=root, reason="paused", effective=dt.date(2026, 11, 1))
    result = twinnings_load_csv(path=path)
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.SUSPENDED
    assert twinning.status_changes.count() == 1
    assert (result.changed, result.kept) == (False, 1)


def test_a_file_reactivation_without_a_date_loads_the_same_the_second_time(tmp_path):
    suspended = _shipped_row("Coventry", "Volgograd")
    twinnings_load_csv(path=_write(tmp_path, suspended))
    reactivated = _write(tmp_path, suspended.replace(",suspended,2022-03,", ",active,,"))
    assert twinnings_load_csv(path=reactivated).twinnings_updated == 1
    twinning = Twinning.objects.get(city_a__name="Coventry", city_b__name="Volgograd")
    when = twinning.status_changed
    again = twinnings_load_csv(path=reactivated)
    twinning.refresh_from_db()
    assert not again.changed
    assert twinning.status_changed == when  # the reactivation's date stays
    assert twinning.status_changes.last().effective == when


def test_reloading_keeps_the_date_of_a_status_an_officer_set_again(tmp_path):
    """Suspended in the file (2022), reactivated and suspended again on the platform: the
    same status in the file must not take the twinning's date back to 2022."""
    from exchanges.models import User
    from exchanges.services.twinning_lifecycle import twinning_suspend

    twinning = _officer_reactivates_coventry_volgograd(tmp_path)
    root = User.objects.get(email="root@example.org")
    twinning_suspend(twinning=twinning, by=root, reason="again", effective=dt.date(2026, 11, 20))
    result = twinnings_load_csv(path=_write(tmp_path, _shipped_row("Coventry", "Volgograd")))
    twinning.refresh_from_db()
    assert (twinning.status, twinning.status_changed) == ("suspended", dt.date(2026, 11, 20))
    assert twinning.status_changed_precision == "day"
    assert twinning.status_changes.count() == 3
    assert not result.changed


def test_an_active_row_dated_without_a_reactivation_is_refused(tmp_path):
    """An active twinning's status_changed is the day it was reactivated; a date the load
    would not record as one would sit in the open data with no history behind it."""
    from exchanges.services.twinnings import TwinningsFileError

    dated = ACTIVE_ROW.replace(",active,,", ",active,2020,")
    with pytest.raises(TwinningsFileError, match="only when this load reactivates it"):
        twinnings_load_csv(path=_write(tmp_path, dated))
    assert not Twinning.objects.exists()
    twinnings_load_csv(path=_write(tmp_path, ACTIVE_ROW))
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=_write(tmp_path, dated))
    assert caught.value.line == 2
    assert Twinning.objects.get().status_changed is None
    # Reactivating with a date is what the column is for, and loads again unchanged.
    twinnings_load_csv(path=_write(tmp_path, _shipped_row("Coventry", "Volgograd")))
    reactivated = _write(tmp_path, dated.replace(",2020,", ",2024-06,"))
    twinnings_load_csv(path=reactivated)
    assert not twinnings_load_csv(path=reactivated).changed
    twinning = Twinning.objects.get()
    assert (twinning.status, twinning.status_changed) == ("active", dt.date(2024, 6, 1))
    assert twinning.status_changes.last().effective == dt.date(2024, 6, 1)


def test_an_officers_suspension_stays_after_their_account_is_deleted(tmp_path, client):
    """The history row keeps who acted as a kind of change: once the officer's account is
    gone (its actor set to null), a reload still takes the suspension for a person's."""
    from exchanges.services.twinning_lifecycle import twinning_suspend
    from tests.exchanges.lifecycle_fixtures import make_officer
    from tests.factories import ProgramFactory, UserFactory

    path = _write(tmp_path, _shipped_row("Coventry", "Dresden"))
    twinnings_load_csv(path=path)
    twinning = Twinning.objects.get(city_a__name="Coventry", city_b__name="Dresden")
    officer = make_officer(ProgramFactory(twinnings=[twinning]))
    twinning_suspend(twinning=twinning, by=officer, reason="Council vote",
                     effective=dt.date(2026, 11, 1))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    deleted = client.post(reverse("admin:exchanges_user_delete", args=[officer.pk]),
                          {"post": "yes"})
    assert deleted.status_code == 302
    change = twinning.status_changes.get()
    assert change.actor is None

    out = io.StringIO()
    call_command("load_twinnings", str(path), stdout=out)
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.SUSPENDED
    assert twinning.status_changes.count() == 1
    assert "1 kept as changed on the platform" in out.getvalue()
    result = twinnings_load_csv(path=path)
    assert (result.changed, result.kept) == (False, 1)
    assert result.changes == [
        f"kept {twinning} suspended as changed on the platform on 2026-11-01"
    ]
