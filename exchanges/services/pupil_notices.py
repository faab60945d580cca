"""Each pupil of a class exchange told of a change to its sessions, in simple words and
in-app only (pupils have no e-mail): the other class is named, and any time is written at
the pupil's own school."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from exchanges.models import ClassroomExchange
from exchanges.selectors.class_sessions import exchange_pupils
from exchanges.selectors.notification_text import Message, datetime_param
from exchanges.services.notifications import notification_create


def pupils_tell(*, exchange: ClassroomExchange, kind: str, message: Message,
                params: dict | None = None, **instants: dt.datetime) -> None:
    """``message`` to each pupil of both classes, with ``class`` and ``city`` (the other
    class), ``params``, and each of ``instants`` at the pupil's school time."""
    for pupil in exchange_pupils(exchange=exchange):
        own, other = ((exchange.classroom_a, exchange.classroom_b)
                      if pupil.classroom_id == exchange.classroom_a_id
                      else (exchange.classroom_b, exchange.classroom_a))
        values = {"class": other.name, "city": other.city.name, **(params or {})}
        values.update({key: datetime_param(at, own.city.tz, "SHORT_DATETIME_FORMAT")
                       for key, at in instants.items()})
        notification_create(user=pupil.user, kind=kind, message=message, params=values,
                            url=reverse("dashboard"))
