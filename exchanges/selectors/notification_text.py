"""A notification's sentence in the active language, from its msgid and params.

A notice is stored as an English msgid and the values of its placeholders, so the bell
page writes it in whatever language its reader uses now. A value that a language writes
its own way is stored language-neutral under a type tag and written at display time:

- ``{"date": "2027-03-01", "format": "DATE_FORMAT"}``: a day (``format`` is a Django
  format name, a format string, or itself a tagged value such as ``{"pgettext": …}``);
- ``{"datetime": "2027-03-01T17:00:00+00:00", "zone": "Europe/Paris", "format": …}``:
  an instant, shown at its wall-clock time in ``zone``;
- ``{"weekly": [0, "18:00"]}``: a weekly slot ("Mondays 18:00");
- ``{"gettext": "your partner"}``, ``{"pgettext": ["context", "msgid"]}``: a word;
- ``{"join": ["Ana", "Ben"], "sep": " and "}``: names joined by a translated word;
- ``{"message": {...}}``: a nested sentence (see :meth:`Message.as_param`).

Names of people, classes and cities are plain strings and stay as they are.

The constructors are named like the gettext functions (``Message.ngettext``,
``Message.pgettext``) so that ``makemessages`` finds their strings; a notice without
plural or context passes its msgid through ``gettext_noop``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.formats import date_format

from exchanges.pure.weekly_words import WEEKLY_IN_SENTENCE

TEXT_MAX = 300  # Notification.text


@dataclass(frozen=True)
class Message:
    """An English msgid to translate when read: its plural form and the param whose
    number picks the form, or its context, when it has them."""

    msgid: str
    plural: str = ""
    count: str = ""
    context: str = ""

    @classmethod
    def ngettext(cls, singular: str, plural: str, count: str) -> Message:
        return cls(msgid=singular, plural=plural, count=count)

    @classmethod
    def pgettext(cls, context: str, msgid: str) -> Message:
        return cls(msgid=msgid, context=context)

    @classmethod
    def npgettext(cls, context: str, singular: str, plural: str, count: str) -> Message:
        return cls(msgid=singular, plural=plural, count=count, context=context)

    @classmethod
    def of(cls, message: str | Message) -> Message:
        return message if isinstance(message, Message) else cls(msgid=message)

    def as_param(self, params: dict | None = None) -> dict:
        """This message as a tagged value inside another message's params."""
        return {"message": {"msgid": self.msgid, "plural": self.plural, "count": self.count,
                            "context": self.context, "params": params or {}}}


def date_param(day: dt.date | dt.datetime, format: str | dict = "DATE_FORMAT") -> dict:
    """A day, written by the reader's language (a datetime's own calendar day)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return {"date": day.isoformat(), "format": format}


def datetime_param(instant: dt.datetime, zone: str, format: str | dict) -> dict:
    """An instant at its wall-clock time in ``zone``, written by the reader's language."""
    return {"datetime": instant.isoformat(), "zone": zone, "format": format}


def weekly_param(weekday: int, start: dt.time) -> dict:
    return {"weekly": [weekday, f"{start:%H:%M}"]}


def gettext_param(msgid: str) -> dict:
    return {"gettext": msgid}


def pgettext_param(context: str, msgid: str) -> dict:
    return {"pgettext": [context, msgid]}


def join_param(names: list[str], sep: str) -> dict:
    return {"join": list(names), "sep": sep}


def _value(value):
    if not isinstance(value, dict):
        return value
    if "date" in value:
        return date_format(dt.date.fromisoformat(value["date"]), _value(value["format"]))
    if "datetime" in value:
        instant = dt.datetime.fromisoformat(value["datetime"]).astimezone(
            ZoneInfo(value["zone"]))
        return date_format(instant, _value(value["format"]))
    if "weekly" in value:
        weekday, start = value["weekly"]
        return WEEKLY_IN_SENTENCE[weekday] % {"time": start}
    if "gettext" in value:
        return translation.gettext(value["gettext"])
    if "pgettext" in value:
        return translation.pgettext(*value["pgettext"])
    if "join" in value:
        return translation.gettext(value["sep"]).join(value["join"])
    if "message" in value:
        nested = value["message"]
        message = Message(msgid=nested["msgid"], plural=nested.get("plural", ""),
                          count=nested.get("count", ""), context=nested.get("context", ""))
        return message_render(message, nested.get("params", {}))
    raise ValueError(f"Unknown notification param: {sorted(value)}")


def message_render(message: Message, params: dict, *, limit: int | None = None) -> str:
    """The sentence in the active language, shortened visibly past ``limit`` characters
    (the stored ``text`` column; the bell page shows it whole, whatever the language's
    length). Raises KeyError when a placeholder has no value: a notice that cannot be
    written is a bug to catch when it is made."""
    values = {key: _value(value) for key, value in params.items()}
    if message.plural:
        number = int(values[message.count])
        if message.context:
            template = translation.npgettext(message.context, message.msgid,
                                             message.plural, number)
        else:
            template = translation.ngettext(message.msgid, message.plural, number)
    elif message.context:
        template = translation.pgettext(message.context, message.msgid)
    else:
        template = translation.gettext(message.msgid)
    text = template % values
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def notification_text(notification) -> str:
    """The notice in the active language; a row made before notices kept their msgid
    shows the text it was written with."""
    if not notification.message:
        return notification.text
    message = Message(
        msgid=notification.message, plural=notification.message_plural,
        count=notification.message_count, context=notification.message_context,
    )
    try:
        return message_render(message, notification.params)
    except (KeyError, ValueError, TypeError):
        # A msgid whose placeholders changed since the row was written: what it said then.
        return notification.text
