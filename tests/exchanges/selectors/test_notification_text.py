"""A notice's sentence is written from its msgid and params in the active language."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from exchanges.models import Notification
from exchanges.selectors.notification_text import (
    Message,
    date_param,
    datetime_param,
    join_param,
    message_render,
    notification_text,
    pgettext_param,
    weekly_param,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = Message.ngettext(
    "%(name)s confirmed your slot: %(count)d session is planned.",
    "%(name)s confirmed your slot: %(count)d sessions are planned.",
    "count",
)
RETENTION = ("On %(date)s the pupils' accounts, messages and wall posts of %(exchange)s "
             "are deleted. Export the wall before then if you want to keep it.")
LONG_DATE = "long date in a sentence (Django date format)"


def _in(language: str, message, params: dict) -> str:
    with translation.override(language):
        return message_render(Message.of(message), params)


def test_the_plural_form_follows_the_count_in_the_reader_language():
    one = _in("fr", CONFIRMED, {"name": "Nora", "count": 1})
    six = _in("fr", CONFIRMED, {"name": "Nora", "count": 6})
    with translation.override("fr"):
        assert one == translation.ngettext(CONFIRMED.msgid, CONFIRMED.plural, 1) % {
            "name": "Nora", "count": 1}
        assert six == translation.ngettext(CONFIRMED.msgid, CONFIRMED.plural, 6) % {
            "name": "Nora", "count": 6}
    assert one != six and "Nora" in six and "6" in six
    assert _in("en", CONFIRMED, {"name": "Nora", "count": 6}) == (
        "Nora confirmed your slot: 6 sessions are planned.")


@pytest.mark.parametrize("language", ["en", "fr", "de", "ja"])
def test_a_date_is_written_as_the_reader_language_writes_it(language):
    day = dt.date(2027, 3, 1)
    params = {"date": date_param(day, pgettext_param(LONG_DATE, "d F Y")), "exchange": "7B ↔ 7c"}
    with translation.override(language):
        expected = date_format(day, translation.pgettext(LONG_DATE, "d F Y"))
        sentence = translation.gettext(RETENTION) % {"date": expected, "exchange": "7B ↔ 7c"}
    assert _in(language, RETENTION, params) == sentence
    if language != "en":
        assert sentence != _in("en", RETENTION, params)


def test_an_instant_is_shown_at_its_wall_clock_time_in_the_stored_zone():
    instant = dt.datetime(2027, 3, 10, 19, tzinfo=dt.UTC)
    params = {"name": "Bruno", "when": datetime_param(instant, "America/New_York",
                                                       "SHORT_DATETIME_FORMAT")}
    text = _in("de", "%(name)s cancelled your session on %(when)s.", params)
    with translation.override("de"):
        local = date_format(instant.astimezone(ZoneInfo("America/New_York")),
                            "SHORT_DATETIME_FORMAT")
    # New York is still on standard time (UTC-5) on 10 March 2027.
    assert local in text and "14:00" in text and text.startswith("Bruno hat")


def test_a_weekly_slot_names_and_joined_names_follow_the_reader_language():
    slot = _in("fr", "%(name)s proposes %(slot)s (%(zone)s) for your sessions.",
               {"name": "Nora", "slot": weekly_param(0, dt.time(18)), "zone": "Europe/Paris"})
    # Inside a sentence the slot is written as a sentence writes it: "propose le lundi à".
    assert "Nora propose le lundi à 18:00 (Europe/Paris)" in slot
    assert "montags um 18:00" in _in("de", "%(name)s proposes %(slot)s (%(zone)s) for your "
                                     "sessions.", {"name": "Nora", "zone": "Europe/Berlin",
                                                   "slot": weekly_param(0, dt.time(18))})
    partners = Message.ngettext("Your partner is %(names)s: your room is open.",
                                "Your partners are %(names)s: your room is open.", "count")
    params = {"names": join_param(["Ana", "Ben"], " and "), "count": 2}
    with translation.override("de"):
        joined = translation.gettext(" and ").join(["Ana", "Ben"])
    assert joined in _in("de", partners, params) and joined != "Ana and Ben"


def test_a_nested_sentence_is_written_in_the_reader_language_too():
    since = Message(msgid="The twinning %(twinning)s is suspended since %(date)s").as_param(
        {"twinning": "Coventry – Dresden", "date": date_param(dt.date(2027, 3, 1))})
    outer = "%(since)s: your proposed match across it is withdrawn."
    english = _in("en", outer, {"since": since})
    german = _in("de", outer, {"since": since})
    assert english.startswith("The twinning Coventry – Dresden is suspended since")
    assert "Coventry – Dresden" in german and german != english


def test_a_missing_placeholder_is_an_error_when_the_notice_is_written():
    with pytest.raises(KeyError):
        _in("fr", CONFIRMED, {"count": 2})


def test_a_row_from_before_msgids_shows_its_stored_text():
    old = Notification.objects.create(user=UserFactory(), kind="match.declined",
                                      text="Ihr vorgeschlagener Partner hat abgelehnt.")
    with translation.override("fr"):
        assert notification_text(old) == "Ihr vorgeschlagener Partner hat abgelehnt."


def test_a_row_whose_params_no_longer_fit_its_msgid_shows_its_stored_text():
    row = Notification.objects.create(
        user=UserFactory(), kind="slot.confirmed", text="as written then",
        message=CONFIRMED.msgid, message_plural=CONFIRMED.plural, message_count="count",
        params={"count": 2},
    )
    assert notification_text(row) == "as written then"


def test_the_page_shows_a_long_notice_whole_and_the_column_keeps_it_shortened():
    """A sentence longer in French than in English is not cut on the bell page; the
    stored text (300 characters) is shortened visibly."""
    from exchanges.services.notifications import notification_create

    reader = UserFactory(language="en")
    row = notification_create(
        user=reader, kind="classroom.exchange_ended", message=RETENTION,
        params={"date": date_param(dt.date(2027, 3, 5)), "exchange": "7B ↔ " + "x" * 200},
    )
    assert len(row.text) == 300 and row.text.endswith("…")
    with translation.override("fr"):
        shown = notification_text(row)
    assert len(shown) > 300 and shown.endswith(_in("fr", RETENTION, {
        "date": date_param(dt.date(2027, 3, 5)), "exchange": "x"})[-40:])
