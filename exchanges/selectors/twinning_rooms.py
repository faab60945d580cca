"""What a room closed by its twinning's suspension or termination says, in the reader's
language. The room keeps one English reason (its members may read different languages)
and ``Room.closed_by_twinning``, which says the reason is the twinning's; the page says it
again from the status change it came from."""

import datetime as dt
import re

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    ClassroomExchange,
    Match,
    PupilGroup,
    Room,
    Twinning,
    TwinningStatusChange,
)
from exchanges.models.lifecycle import FILE_REASON, reason_shown
from exchanges.selectors.notification_text import Message, date_param

# Rooms an ending closes with its own reason: the open ones, and those its twinning's
# suspension closed (reactivation leaves them closed, and the suspension's words would no
# longer say why).
CLOSES_WITH_ITS_REASON = Q(status=Room.Status.OPEN) | Q(closed_by_twinning=True)

REASON_LIMIT = 200  # Room.closed_reason's length


def twinning_closed_reason(twinning: Twinning, change: TwinningStatusChange) -> str:
    """The stored reason (English): the twinning's status, since when, and why."""
    text = (
        f"The twinning {twinning} is {change.to_status} since {change.effective:%d %B %Y}: "
        f"{change.reason_english}"
    )
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def twinning_status_since(twinning: Twinning, change: TwinningStatusChange) -> str:
    """"The twinning … is suspended (terminated) since …", in the active language; "was
    suspended (terminated) on …" once its status is another (a room left closed after
    the twinning is active again, or a suspension's words kept through a termination)."""
    return _status_since(str(twinning), change.to_status, change.effective,
                         over=twinning.status != change.to_status)


def _status_since(name: str, status: str, effective: dt.date, *, over: bool = False) -> str:
    values = {"twinning": name, "date": date_format(effective, "DATE_FORMAT")}
    if over and status == Twinning.Status.TERMINATED:
        return _("The twinning %(twinning)s was terminated on %(date)s") % values
    if over:
        return _("The twinning %(twinning)s was suspended on %(date)s") % values
    if status == Twinning.Status.TERMINATED:
        return _("The twinning %(twinning)s is terminated since %(date)s") % values
    return _("The twinning %(twinning)s is suspended since %(date)s") % values


def twinning_status_since_param(twinning: Twinning, change: TwinningStatusChange) -> dict:
    """:func:`twinning_status_since` as a notification param, written when it is read."""
    values = {"twinning": str(twinning), "date": date_param(change.effective)}
    if change.to_status == Twinning.Status.TERMINATED:
        message = gettext_noop("The twinning %(twinning)s is terminated since %(date)s")
    else:
        message = gettext_noop("The twinning %(twinning)s is suspended since %(date)s")
    return Message(msgid=message).as_param(values)


def _room_twinning_id(room: Room) -> int | None:
    if room.match_id:
        return Match.objects.filter(pk=room.match_id).values_list("twinning_id", flat=True).first()
    if room.exchange_id:
        return (
            ClassroomExchange.objects.filter(pk=room.exchange_id)
            .values_list("twinning_id", flat=True).first()
        )
    return (
        PupilGroup.objects.filter(room=room)
        .values_list("pairing__exchange__twinning_id", flat=True).first()
    )


def room_twinning_reason(room: Room) -> str | None:
    """The room's reason in the active language when its twinning's suspension or
    termination closed it (None otherwise: the caller shows the stored reason). Two or
    three queries."""
    # The flag, not the words' shape: a teacher's close that replaced the twinning's
    # clears it, and their words, however they begin, are shown as written.
    if not room.closed_by_twinning:
        return None
    changes = (
        TwinningStatusChange.objects.filter(
            twinning_id=_room_twinning_id(room),
            to_status__in=(Twinning.Status.SUSPENDED, Twinning.Status.TERMINATED),
        )
        .select_related("twinning__city_a", "twinning__city_b")
        .order_by("-effective", "-created_at", "-id")
    )
    # The change whose words the room keeps, not always the last halt: a termination after
    # a suspension finds the rooms closed already, and they keep the suspension's words.
    change = next(
        (c for c in changes if twinning_closed_reason(c.twinning, c) == room.closed_reason),
        None,
    )
    if change is not None:
        return _("%(since)s: %(reason)s") % {
            "since": twinning_status_since(change.twinning, change),
            "reason": change.reason_display,
        }
    return _stored_reason_said_again(room.closed_reason)


# What twinning_closed_reason writes (the month in English, as %B gives it).
_STORED = re.compile(
    r"The twinning (?P<name>.+?) is (?P<status>suspended|terminated) since "
    r"(?P<day>\d{2}) (?P<month>[A-Za-z]+) (?P<year>\d{4}): (?P<reason>.*)", re.DOTALL,
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _stored_reason_said_again(stored: str) -> str | None:
    """The stored words said in the active language when no status change gives them
    any more (the twinning renamed since): its name and reason as stored, its date in
    the reader's format. None for words of another shape."""
    found = _STORED.fullmatch(stored)
    if found is None or found["month"] not in _MONTHS:
        return None
    try:
        effective = dt.date(int(found["year"]), _MONTHS.index(found["month"]) + 1,
                            int(found["day"]))
    except ValueError:
        return None
    return _("%(since)s: %(reason)s") % {
        "since": _status_since(found["name"], found["status"], effective),
        # Only the data file's words are the platform's to translate.
        "reason": reason_shown(found["reason"], data_file=found["reason"] == FILE_REASON),
    }
