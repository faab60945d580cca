"""One way to write dates and times in English: weekday, day, month, a 24-hour clock."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    with translation.override("en"):
        return Template(source).render(Context(context))


def test_english_dates_and_times_follow_the_platforms_format():
    when = dt.datetime(2026, 12, 7, 18, 5)
    assert render("{{ d|date }}", d=when.date()) == "Mon 7 Dec 2026"
    assert render("{{ d|time }}", d=when) == "18:05"
    assert render('{{ d|date:"SHORT_DATETIME_FORMAT" }}', d=when) == "Mon 7 Dec, 18:05"
    assert render('{{ d|date:"DATETIME_FORMAT" }}', d=when) == "Mon 7 Dec 2026, 18:05"
