"""What a room closed by its twinning's suspension or termination says, in the reader's
language. The room keeps one English reason (its members may read different languages,
and reactivation finds the rooms it closed by it); the page says it again from the status
change it came from."""

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
from exchanges.selectors.notification_text import Message, date_param

REASON_LIMIT = 200  # Room.closed_reason's length


def twinning_closed_reason(twinning: Twinning, change: TwinningStatusChange) -> str:
    """The stored reason (English): the twinning's status, since when, and why."""
    text = (
        f"The twinning {twinning} is {change.to_status} since {change.effective:%d %B %Y}: "
        f"{change.reason}"
    )
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def twinning_status_since(twinning: Twinning, change: TwinningStatusChange) -> str:
    """"The twinning … is suspended (terminated) since …", in the active language."""
    values = {"twinning": str(twinning), "date": date_format(change.effective, "DATE_FORMAT")}
    if change.to_status == Twinning.Status.TERMINATED:
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
    """The room's reason in the active language when its twinning's last halt closed it
    (None otherwise: the caller shows the stored reason). Two or three queries."""
    if not room.closed_reason.startswith("The twinning "):
        return None
    twinning_id = _room_twinning_id(room)
    change = (
        TwinningStatusChange.objects.filter(
            twinning_id=twinning_id,
            to_status__in=(Twinning.Status.SUSPENDED, Twinning.Status.TERMINATED),
        )
        .select_related("twinning__city_a", "twinning__city_b")
        .order_by("-effective", "-created_at", "-id")
        .first()
    )
    if change is None or twinning_closed_reason(change.twinning, change) != room.closed_reason:
        return None
    return _("%(since)s: %(reason)s") % {
        "since": twinning_status_since(change.twinning, change), "reason": change.reason,
    }
