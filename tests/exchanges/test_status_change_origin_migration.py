"""Migration 0028 tells the data file's status changes from people's, including those of
people whose accounts are gone, by the audit events written with them."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from exchanges.models import Twinning, TwinningStatusChange
from exchanges.services.twinning_lifecycle import twinning_status_from_data, twinning_suspend
from exchanges.services.twinnings import COLUMNS, twinnings_load_csv
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

pytestmark = pytest.mark.django_db

migration = importlib.import_module("exchanges.migrations.0028_status_change_origin")
SUSPENDED_ROW = (
    "Coventry,GB,Europe/London,en,Volgograd,RU,Europe/Volgograd,ru,1944,suspended,2022-03,"
    "twin town,"
)


def test_rows_without_an_actor_are_the_files_unless_a_person_made_them(tmp_path):
    path = tmp_path / "twinnings.csv"
    path.write_text(f"{','.join(COLUMNS)}\n{SUSPENDED_ROW}\n", encoding="utf-8")
    twinnings_load_csv(path=path)  # a history row without an audit event
    loaded = Twinning.objects.get(city_a__name="Coventry").status_changes.get()
    world = make_lifecycle_world()
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate())
    by_officer = world.twinning.status_changes.get()
    other = make_lifecycle_world()
    twinning_status_from_data(
        twinning=other.twinning, to_status="suspended", effective=timezone.localdate(),
        precision="day", note="", side="both", source="",
    )
    by_file = other.twinning.status_changes.get()
    still_here = make_lifecycle_world()
    twinning_suspend(twinning=still_here.twinning, by=still_here.officer, reason="Vote",
                     effective=timezone.localdate())
    world.officer.delete()
    TwinningStatusChange.objects.update(origin="person")  # as the new column starts

    migration.forwards(apps, None)

    origins = dict(TwinningStatusChange.objects.values_list("pk", "origin"))
    assert origins == {
        loaded.pk: "data_file", by_file.pk: "data_file", by_officer.pk: "person",
        still_here.twinning.status_changes.get().pk: "person",
    }
