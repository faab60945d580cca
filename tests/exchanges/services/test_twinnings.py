import datetime
from pathlib import Path

import pytest
from django.conf import settings

from exchanges.models import City, Twinning
from exchanges.services.twinnings import (
    COLUMNS,
    TwinningsFileError,
    parse_partial_date,
    twinnings_load_csv,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    "Coventry,GB,Europe/London,en,Dresden,DE,Europe/Berlin,de,1956,active,,twin town,bombed",
    "Prague,CZ,Europe/Prague,cs,Shanghai,CN,Asia/Shanghai,zh,,terminated,2020-01,sister city,",
    "Durham,US,America/New_York,en,Kostroma,RU,Europe/Moscow,ru,,suspended,2022-08-03,sister city,",
    "Minneapolis,US,America/Chicago,en,Eldoret,KE,Africa/Nairobi,sw;en,2000,active,,sister city,",
]


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "twinnings.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("1931", datetime.date(1931, 1, 1), "year"),
        ("836", datetime.date(836, 1, 1), "year"),
        ("2020-01", datetime.date(2020, 1, 1), "month"),
        ("2018-10-09", datetime.date(2018, 10, 9), "day"),
        ("", None, "day"),
    ],
)
def test_partial_dates_keep_their_precision(raw, expected, precision):
    assert parse_partial_date(raw) == (expected, precision)


@pytest.mark.parametrize("raw", ["19x1", "2020-13", "2021-02-30", "2020/01/01"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(ValueError, match="date"):
        parse_partial_date(raw)


def test_valid_file_loads_cities_and_twinnings(tmp_path):
    result = twinnings_load_csv(path=write(tmp_path, *GOOD))
    assert result.twinnings_created == 4
    assert City.objects.count() == 8
    prague = Twinning.objects.get(city_a__name="Prague")
    assert prague.status == "terminated"
    assert prague.status_changed == datetime.date(2020, 1, 1)
    assert prague.status_changed_precision == "month"
    assert prague.since is None
    assert City.objects.get(name="Eldoret").languages == ["sw", "en"]


def test_second_load_changes_nothing_and_says_so(tmp_path):
    path = write(tmp_path, *GOOD)
    twinnings_load_csv(path=path)
    again = twinnings_load_csv(path=path)
    assert not again.changed
    assert again.unchanged == 4
    assert Twinning.objects.count() == 4


def test_changed_status_is_updated(tmp_path):
    twinnings_load_csv(path=write(tmp_path, *GOOD))
    suspended = GOOD[0].replace("1956,active,,", "1956,suspended,2024-05,")
    result = twinnings_load_csv(path=write(tmp_path, suspended, *GOOD[1:]))
    assert result.twinnings_updated == 1
    assert Twinning.objects.get(city_a__name="Coventry").status == "suspended"


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (GOOD[0].replace(",GB,", ",XX,"), "country_a 'XX'"),
        (GOOD[0].replace("Europe/Berlin", "Europe/Atlantis"), "tz_b 'Europe/Atlantis'"),
        (GOOD[0].replace(",de,", ",german,"), "languages_b has 'german'"),
        (GOOD[0].replace(",active,", ",paused,"), "status 'paused'"),
        (GOOD[0].replace(",1956,", ",1956-02-31,"), "does not exist"),
        (GOOD[0].replace(",active,,", ",terminated,,"), "needs status_changed"),
        ("Coventry,GB,Europe/London,en,Dresden", "expected 13 columns"),
    ],
)
def test_a_bad_row_names_its_line_and_loads_nothing(tmp_path, bad_row, reason):
    path = write(tmp_path, GOOD[1], GOOD[2], bad_row)
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=path)
    assert caught.value.line == 4
    assert reason in caught.value.reason
    assert Twinning.objects.count() == 0
    assert City.objects.count() == 0


def test_duplicate_pair_in_either_order_is_refused(tmp_path):
    reversed_pair = (
        "Dresden,DE,Europe/Berlin,de,Coventry,GB,Europe/London,en,1956,active,,twin town,"
    )
    with pytest.raises(TwinningsFileError, match="already on line 2"):
        twinnings_load_csv(path=write(tmp_path, GOOD[0], reversed_pair))


def test_wrong_header_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(TwinningsFileError, match="header"):
        twinnings_load_csv(path=path)


def test_the_shipped_file_loads_with_every_status():
    result = twinnings_load_csv(path=settings.JUMELAGE_TWINNINGS_CSV)
    assert result.twinnings_created >= 70
    statuses = set(Twinning.objects.values_list("status", flat=True))
    assert statuses == {"active", "suspended", "terminated"}
    # A city named in several rows is one city with one time zone.
    assert City.objects.filter(name="Coventry").count() == 1
    assert Twinning.objects.filter(city_a__name="Coventry").count() == 4


def _raw(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "twinnings.csv"
    path.write_bytes(data)
    return path


def test_a_byte_order_mark_and_crlf_line_ends_load_like_a_plain_file(tmp_path):
    text = "\r\n".join([HEADER, *GOOD]) + "\r\n"
    result = twinnings_load_csv(path=_raw(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    assert result.twinnings_created == 4
    assert Twinning.objects.get(city_a__name="Minneapolis").note == ""


def test_bytes_that_are_not_utf8_name_their_line_and_load_nothing(tmp_path):
    text = "\n".join([HEADER, GOOD[0], GOOD[1].replace("Prague", "Praha\xe9")]) + "\n"
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=_raw(tmp_path, text.encode("latin-1")))
    assert caught.value.line == 3
    assert "UTF-8" in caught.value.reason
    assert Twinning.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "the file is empty"), (HEADER.encode() + b"\n", "no twinnings after the header")],
)
def test_an_empty_file_is_refused(tmp_path, data, reason):
    with pytest.raises(TwinningsFileError, match=reason):
        twinnings_load_csv(path=_raw(tmp_path, data))


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path):
    path = write(tmp_path, GOOD[0], GOOD[1], GOOD[2])
    path.write_text(path.read_text().replace(",bombed", ',"bombed', 1))
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=path)
    assert caught.value.line == 2
    assert Twinning.objects.count() == 0


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (GOOD[0].replace("bombed", "bom\x00bed"), "note has a control character"),
        (GOOD[0].replace("Dresden", "Dres\u202eden"), "city_b has a control character"),
        (GOOD[0].replace(",1956,", ",2999,"), "since 2999-01-01 is in the future"),
        (GOOD[1].replace(",2020-01,", ",2999-01,"), "status_changed 2999-01-01 is in the future"),
        (GOOD[0].replace(",1956,", ",１９５６,"), "date '１９５６'"),
        (GOOD[0].replace("Dresden", "D" * 121), "city_b is longer than 120 characters"),
        (GOOD[0].replace("twin town", "t" * 41), "kind is longer than 40 characters"),
    ],
)
def test_a_row_the_database_or_the_register_cannot_take_is_refused(tmp_path, bad_row, reason):
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=write(tmp_path, GOOD[3], bad_row))
    assert caught.value.line == 3
    assert reason in caught.value.reason
    assert Twinning.objects.count() == 0


def test_a_city_spelled_in_another_case_is_refused_not_added_twice(tmp_path):
    other_case = "coventry,GB,Europe/London,en,Kiel,DE,Europe/Berlin,de,1947,active,,twin town,"
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=write(tmp_path, GOOD[0], other_case))
    assert caught.value.line == 3
    assert "Coventry (GB) on line 2" in caught.value.reason
    twinnings_load_csv(path=write(tmp_path, GOOD[0]))
    with pytest.raises(TwinningsFileError) as caught:
        twinnings_load_csv(path=write(tmp_path, other_case))
    assert "Coventry (GB) on the platform" in caught.value.reason
    assert list(City.objects.filter(name__iexact="coventry").values_list("name", flat=True)) == [
        "Coventry",
    ]


def test_the_same_name_in_two_countries_is_two_cities(tmp_path):
    row = "Coventry,GB,Europe/London,en,Coventry,US,America/New_York,en,,active,,twin town,"
    twinnings_load_csv(path=write(tmp_path, row))
    assert set(City.objects.values_list("name", "country")) == {
        ("Coventry", "GB"), ("Coventry", "US"),
    }


def test_a_file_may_date_a_change_today_in_either_city(tmp_path, monkeypatch):
    from django.utils import timezone

    from exchanges.services.twinnings import twinnings_parse_csv

    # 08:30 on 2 June in Tokyo, still 1 June in UTC and in Chicago.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2030, 6, 1, 23, 30,
                                                                   tzinfo=datetime.UTC))
    row = "Chicago,US,America/Chicago,en,Osaka,JP,Asia/Tokyo,ja,1973,suspended,{},sister city,"
    [parsed] = twinnings_parse_csv(path=write(tmp_path, row.format("2030-06-02")))
    assert parsed.status_changed == datetime.date(2030, 6, 2)
    with pytest.raises(TwinningsFileError, match="in the future"):
        twinnings_parse_csv(path=write(tmp_path, row.format("2030-06-03")))
