"""The loader's status history: a data file's change is recorded once, like a person's."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

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
