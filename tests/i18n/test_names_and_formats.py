"""Language and country names, and dates, in the interface language."""

import datetime as dt

import pytest
from django.utils import dateformat, translation
from django.utils.formats import date_format
from django.utils.translation import pgettext

from exchanges.pure.languages import country_name, language_choices, language_name
from tests.factories import TwinningFactory


@pytest.mark.parametrize("language, english, german, germany", [
    ("en", "English", "German", "Germany"),
    ("fr", "anglais", "allemand", "Allemagne"),
    ("de", "Englisch", "Deutsch", "Deutschland"),
    ("ja", "英語", "ドイツ語", "ドイツ"),
])
def test_names_follow_the_active_language(language, english, german, germany):
    with translation.override(language):
        assert language_name("en") == english
        assert language_name("de") == german
        assert country_name("DE") == germany
    assert country_name("DE", language) == germany
    assert country_name("XX", language) == "XX"


@pytest.mark.parametrize("language, korea, taiwan, iran", [
    ("en", "South Korea", "Taiwan", "Iran"),
    ("fr", "Corée du Sud", "Taïwan", "Iran"),
    ("de", "Südkorea", "Taiwan", "Iran"),
    ("ja", "韓国", "台湾", "イラン"),
])
def test_a_country_with_a_common_name_has_it_in_every_language(language, korea, taiwan, iran):
    # As English says "South Korea", not "Korea, Republic of": the catalogues translate
    # ISO's common names too, and a reader of another language gets the same kind of name.
    assert (country_name("KR", language), country_name("TW", language),
            country_name("IR", language)) == (korea, taiwan, iran)


def test_georgia_has_the_name_its_readers_use_now():
    assert country_name("GE", "ja") == "ジョージア"
    assert country_name("GE", "en") == "Georgia"
    assert country_name("GE", "fr") == "Géorgie"


def test_choice_lists_are_built_in_the_language_asked_for():
    with translation.override("de"):
        german = dict(language_choices())
    with translation.override("fr"):
        french = dict(language_choices())
    assert german["en"] == "Englisch"
    assert french["en"] == "Anglais"  # a list item starts with a capital


@pytest.mark.parametrize("language, date, datetime, short", [
    ("en", "Mon 7 Dec 2026", "Mon 7 Dec 2026, 18:00", "Mon 7 Dec, 18:00"),
    ("fr", "lundi 7 décembre 2026", "lundi 7 décembre 2026 à 18:00", "lun. 7 déc., 18:00"),
    ("de", "Mo., 7. Dezember 2026", "Mo., 7. Dezember 2026, 18:00", "Mo., 7. Dez., 18:00"),
    ("ja", "2026年12月7日(月)", "2026年12月7日(月) 18:00", "12月7日(月) 18:00"),
])
def test_dates_and_a_24_hour_clock_in_each_language(language, date, datetime, short):
    moment = dt.datetime(2026, 12, 7, 18, 0)
    with translation.override(language):
        assert date_format(moment, "DATE_FORMAT") == date
        assert date_format(moment, "DATETIME_FORMAT") == datetime
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == short
        assert date_format(moment, "TIME_FORMAT") == "18:00"


@pytest.mark.django_db
def test_a_twinnings_country_status_kind_and_dates_in_the_readers_language():
    twinning = TwinningFactory(
        since=dt.date(1956, 5, 1), since_precision="month", status="suspended",
        status_changed=dt.date(2022, 3, 22), status_changed_precision="day",
        kind="sister city",
    )
    with translation.override("de"):
        assert twinning.city_b.country_name == "Deutschland"
        assert twinning.since_display == "Mai 1956"
        assert twinning.status_changed_display == "Di., 22. März 2022"
    with translation.override("ja"):
        assert twinning.since_display == "1956年5月"
        assert twinning.city_a.country_name == "英国"


@pytest.mark.parametrize("context, msgid, expected", [
    ("date format: weekday, day, month, time", "l j F, H:i", "12月6日(日) 15:00"),
    ("date format: weekday, day and month", "l j F", "12月6日(日)"),
])
def test_japanese_dates_name_the_weekday_as_japanese_dates_do(context, msgid, expected):
    # 12月6日(日), the weekday's one character in brackets, not (日曜日).
    with translation.override("ja"):
        written = dateformat.format(dt.datetime(2026, 12, 6, 15, 0), pgettext(context, msgid))
    assert written == expected


def test_a_french_short_weekday_takes_its_dot():
    # "lun. 18:00", as the platform's short dates write "lun. 7 déc.".
    with translation.override("fr"):
        format_ = pgettext("date format: short weekday and time", "D H:i")
        assert dateformat.format(dt.datetime(2026, 12, 7, 18, 0), format_) == "lun. 18:00"
