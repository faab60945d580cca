"""Chat writes in a room: messages, corrections, reports (reads: selectors/chat.py).

Every write is saved before its event is broadcast (after commit, to every server
process through the channel layer), so a ``message`` event is an acknowledgement that
the message is in the database. Errors are :class:`ChatError` with a protocol code the
consumer turns into an ``error`` frame.

Safe rooms (issue 14): moderators (teachers) read but do not write (``read_only``); a
muted member is refused until the mute ends (``muted``); a pupil's text carrying an
e-mail address, phone number, web address or social-media handle is refused before it
is saved (``contact_detail``). Adults' texts are not checked.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from exchanges.models import Correction, Message, Report, Room, RoomMember
from exchanges.models.rooms import MESSAGE_MAX_LENGTH
from exchanges.pure.contact_details import find_contact_detail
from exchanges.pure.text_safety import text_clean
from exchanges.realtime.broadcast import broadcast_to_room
from exchanges.realtime.protocol import correction_event, message_event
from exchanges.selectors.chat import message_with_author
from exchanges.selectors.participants import participant_zone
from exchanges.services.moderation import report_notify_teachers

RATE_LIMIT_COUNT = 10
RATE_LIMIT_WINDOW = datetime.timedelta(seconds=10)
CLIENT_ID_MAX_LENGTH = 64
REPORT_MAX_LENGTH = 1000


class ChatError(Exception):
    """A refused chat action; ``code`` is the protocol error code and ``detail`` says why
    in English (logs, clients of the protocol). ``say(to_pupil)``, when a person can meet
    the refusal, writes it for them: the edge calls :meth:`text` in the reader's language
    and register."""

    def __init__(self, code: str, detail: str, *, say=None):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self._say = say

    def text(self, *, to_pupil: bool = False) -> str:
        """What to show a person, in the active language, as a pupil is spoken to (German
        "du") when ``to_pupil``; ``detail`` when no one can meet this refusal through the
        page (a malformed frame)."""
        return str(self._say(to_pupil)) if self._say is not None else self.detail


def _said(adult, pupil):
    """A ``say`` of fixed words: ``adult`` and ``pupil`` (context "to a pupil") are lazy,
    translated when the edge asks, in the reader's language."""
    return lambda to_pupil: str(pupil if to_pupil else adult)


_not_member = _said(gettext_lazy("You are not a member of this room"),
                    pgettext_lazy("to a pupil", "You are not a member of this room"))
_closed = _said(gettext_lazy("This room is closed"),
                pgettext_lazy("to a pupil", "This room is closed"))


# --- Validation ---------------------------------------------------------------------


def _check_storable(value: str, *, field: str) -> None:
    """PostgreSQL refuses NUL in text, and a lone surrogate (JSON allows ``"\\ud800"``)
    has no UTF-8 encoding: both would fail at the INSERT, so they are refused here."""
    if "\x00" in value:
        raise ChatError("invalid", f"{field} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ChatError(
            "invalid", f"{field} contains an unpaired surrogate (U+{ord(value[exc.start]):04X})"
        ) from None


def _clean_text(value, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ChatError("invalid", f"{field} must be a string")
    _check_storable(value, field=field)
    # Direction overrides go (they would show the text reordered); text that draws
    # nothing, zero-width spaces say, is empty like whitespace.
    value = text_clean(value)
    if not value and not allow_empty:
        raise ChatError("invalid", f"{field} must not be empty",
                        say=_said(gettext_lazy("Write something visible before sending."),
                                  pgettext_lazy("to a pupil",
                                                "Write something visible before sending.")))
    if len(value) > max_length:
        raise ChatError(
            "too_long", f"{field} is longer than {max_length} characters",
            say=lambda to_pupil: too_long_text(max_length, to_pupil=to_pupil),
        )
    return value


def too_long_text(max_length: int = MESSAGE_MAX_LENGTH, *, to_pupil: bool = False) -> str:
    """What a person is told of a text past ``max_length`` characters (counted after
    NFC): the refusal here, and the room page's warning before it sends one."""
    if to_pupil:
        text = pgettext("to a pupil", "The text is longer than %(count)d characters.")
    else:
        text = _("The text is longer than %(count)d characters.")
    return text % {"count": max_length}


def _clean_client_id(client_id) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX_LENGTH:
        raise ChatError("invalid", f"client_id must be a string of 1–{CLIENT_ID_MAX_LENGTH} chars")
    _check_storable(client_id, field="client_id")
    return client_id


def _message_in_room(*, room: Room, message_id) -> Message:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", "message_id must be an integer")
    message = Message.objects.filter(room=room, pk=message_id).select_related("author").first()
    if message is None:
        raise ChatError("not_found", "No such message in this room",
                        say=_said(gettext_lazy("No such message in this room"),
                                  pgettext_lazy("to a pupil", "No such message in this room")))
    return message


def _check_no_contact_details(*, author, text: str) -> None:
    """Pupils cannot move the conversation off the platform: refused, saying why."""
    if getattr(author, "is_pupil", False):
        found = find_contact_detail(text)
        if found is not None:
            # Only pupils meet it, so its words are always a pupil's.
            raise ChatError("contact_detail", found.reason, say=lambda _to_pupil: found.reason)


def _check_may_write(*, role: str, muted_until, now, user) -> None:
    if role == RoomMember.Role.MODERATOR:
        raise ChatError("read_only", "moderators read only: teachers cannot write here",
                        # Only teachers meet it.
                        say=lambda _to_pupil: _("moderators read only: teachers cannot write "
                                                "here"))
    if muted_until is not None and muted_until > now:
        # The end is shown in the writer's own zone (looked up here: ``say`` may run in
        # the consumer's event loop) and written as the reader's language writes times;
        # the date is added when the mute ends on another day there.
        zone = participant_zone(user=user)
        local_end = muted_until.astimezone(ZoneInfo(zone or "UTC"))
        same_day = local_end.date() == now.astimezone(local_end.tzinfo).date()
        shape = "TIME_FORMAT" if same_day else "SHORT_DATETIME_FORMAT"

        def say(to_pupil: bool) -> str:
            until = formats.date_format(local_end, shape)
            if zone and to_pupil:
                text = pgettext("to a pupil", "A teacher muted you until %(time)s")
            elif zone:
                text = _("A teacher muted you until %(time)s")
            elif to_pupil:
                text = pgettext("to a pupil", "A teacher muted you until %(time)s UTC")
            else:
                text = _("A teacher muted you until %(time)s UTC")
            return text % {"time": until}

        raise ChatError("muted", f"A teacher muted you until {muted_until:%H:%M} UTC", say=say)


def _require_member(*, room: Room, user) -> None:
    if not RoomMember.objects.filter(room_id=room.pk, user_id=user.pk).exists():
        raise ChatError("forbidden", "You are not a member of this room", say=_not_member)


def _require_open_member(*, room: Room, user, writes: bool = False) -> None:
    state = (
        RoomMember.objects.filter(room_id=room.pk, user_id=user.pk)
        .values_list("room__status", "role", "muted_until")
        .first()
    )
    if state is None:
        raise ChatError("forbidden", "You are not a member of this room", say=_not_member)
    status, role, muted_until = state
    if status != Room.Status.OPEN:
        raise ChatError("room_closed", "This room is closed", say=_closed)
    if writes:
        _check_may_write(role=role, muted_until=muted_until, now=timezone.now(), user=user)


# --- Messages -----------------------------------------------------------------------


def message_send(*, room: Room, author, body, client_id) -> tuple[Message, bool]:
    """Save a message and broadcast it after commit; ``(message, created)``.

    Idempotent on ``(room, author, client_id)``: a retry returns the original message
    with ``created=False`` and broadcasts nothing (the caller re-sends it to the sender
    as its acknowledgement). More than ``RATE_LIMIT_COUNT`` messages in
    ``RATE_LIMIT_WINDOW`` per person and room raise ``rate_limited``; the count is in
    the database so it holds across server processes.
    """
    message, created = _message_save(room=room, author=author, body=body, client_id=client_id)
    if created:
        # Runs once the INSERT is committed (at once outside an outer transaction).
        broadcast_to_room(room_id=room.pk, payload=message_event(message, corrections=[]))
    return message, created


def message_clean(*, author, body, client_id) -> tuple[str, str]:
    """The checks of a send that need no database: ``(body, client_id)`` as stored, or
    ChatError (the batched path of the room socket runs them before queueing)."""
    body = _clean_text(body, field="body", max_length=MESSAGE_MAX_LENGTH)
    client_id = _clean_client_id(client_id)
    _check_no_contact_details(author=author, text=body)
    return body, client_id


def _message_save(*, room: Room, author, body, client_id) -> tuple[Message, bool]:
    body, client_id = message_clean(author=author, body=body, client_id=client_id)
    now = timezone.now()
    if not transaction.get_connection().in_atomic_block:
        message = _message_insert_checked(
            room_id=room.pk, author=author, body=body, client_id=client_id, now=now
        )
        if message is not None:
            return message, True
    # The checked INSERT wrote nothing (or runs in a caller's transaction): find out
    # why, with the same checks in Python (a retry, closed, not a member, too fast).
    return _message_save_slow(room=room, author=author, body=body, client_id=client_id,
                              since=now - RATE_LIMIT_WINDOW)


# PostgreSQL and SQLite (3.35+) both run it; every value is a parameter.
_INSERT_CHECKED_SQL = """
INSERT INTO exchanges_message (room_id, author_id, body, client_id, created_at)
SELECT %s, %s, %s, %s, %s
WHERE EXISTS (
    SELECT 1 FROM exchanges_roommember m JOIN exchanges_room r ON r.id = m.room_id
    WHERE m.room_id = %s AND m.user_id = %s AND r.status = %s
      AND m.role = %s AND (m.muted_until IS NULL OR m.muted_until <= %s)
) AND (
    SELECT COUNT(*) FROM exchanges_message
    WHERE author_id = %s AND room_id = %s AND created_at >= %s
) < %s
ON CONFLICT (room_id, author_id, client_id) DO NOTHING
RETURNING id
"""


def _checked_params(*, room_id: int, author, body: str, client_id: str, now, ops) -> list:
    return [room_id, author.pk, body, client_id, ops.adapt_datetimefield_value(now),
            room_id, author.pk, Room.Status.OPEN.value,
            RoomMember.Role.MEMBER.value, ops.adapt_datetimefield_value(now),
            author.pk, room_id, ops.adapt_datetimefield_value(now - RATE_LIMIT_WINDOW),
            RATE_LIMIT_COUNT]


def _saved_message(message_id: int, *, room_id: int, author, body: str, client_id: str,
                   now, alias: str) -> Message:
    message = Message(id=message_id, room_id=room_id, author=author, body=body,
                      client_id=client_id, created_at=now)
    message._state.adding = False
    message._state.db = alias
    return message


def _message_insert_checked(*, room_id: int, author, body: str, client_id: str,
                            now) -> Message | None:
    """One statement, one round trip, its own commit: INSERT the message only if the
    author is a member (not a moderator, not muted) of the open room, is under the rate
    limit and has not sent
    this client_id before. None when it inserted nothing (any of those failed)."""
    connection = transaction.get_connection()
    params = _checked_params(room_id=room_id, author=author, body=body, client_id=client_id,
                             now=now, ops=connection.ops)
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_CHECKED_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return _saved_message(row[0], room_id=room_id, author=author, body=body,
                          client_id=client_id, now=now, alias=connection.alias)


def _message_save_slow(*, room: Room, author, body: str, client_id: str,
                       since) -> tuple[Message, bool]:
    mine = Message.objects.filter(room_id=OuterRef("room_id"), author_id=OuterRef("user_id"))
    recent = (
        mine.filter(created_at__gte=since)
        .order_by()
        .values("author_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    # One read: membership, room status, recent count and an earlier send.
    state = (
        RoomMember.objects.filter(room_id=room.pk, user_id=author.pk)
        .annotate(
            recent=Coalesce(Subquery(recent), Value(0), output_field=IntegerField()),
            earlier=Subquery(mine.filter(client_id=client_id).values("id")[:1]),
        )
        .values_list("room__status", "recent", "earlier", "role", "muted_until")
        .first()
    )
    if state is None:
        raise ChatError("forbidden", "You are not a member of this room", say=_not_member)
    status, recent_count, earlier_id, role, muted_until = state
    if earlier_id is not None:
        return message_with_author(earlier_id), False
    if status != Room.Status.OPEN:
        raise ChatError("room_closed", "This room is closed", say=_closed)
    _check_may_write(role=role, muted_until=muted_until, now=timezone.now(), user=author)
    if recent_count >= RATE_LIMIT_COUNT:
        raise ChatError(
            "rate_limited",
            f"At most {RATE_LIMIT_COUNT} messages in "
            f"{int(RATE_LIMIT_WINDOW.total_seconds())} seconds",
            say=_rate_limited_text,
        )
    try:
        message = _message_insert(room_id=room.pk, author=author, body=body, client_id=client_id)
    except IntegrityError:
        # A concurrent retry with the same client_id was saved first.
        earlier = Message.objects.filter(
            room_id=room.pk, author_id=author.pk, client_id=client_id
        ).values_list("id", flat=True)
        if not earlier:
            raise
        return message_with_author(earlier[0]), False
    return message, True


def _rate_limited_text(to_pupil: bool) -> str:
    if to_pupil:
        text = pgettext("to a pupil", "At most %(count)d messages in %(seconds)d seconds")
    else:
        text = _("At most %(count)d messages in %(seconds)d seconds")
    return text % {"count": RATE_LIMIT_COUNT, "seconds": int(RATE_LIMIT_WINDOW.total_seconds())}


def _message_insert(*, room_id: int, author, body: str, client_id: str) -> Message:
    """The one write of a send: a single INSERT, its own transaction in autocommit.

    Inside a caller's transaction it runs in a savepoint, so that a duplicate
    client_id does not break the caller's transaction.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return Message.objects.create(
                room_id=room_id, author=author, body=body, client_id=client_id
            )
    return Message.objects.create(room_id=room_id, author=author, body=body, client_id=client_id)


@transaction.atomic
def correction_send(*, room: Room, author, message_id, corrected) -> tuple[Correction, bool]:
    """A member proposes a corrected version of a partner's message of the room (one's
    own message is refused: a correction is what a partner offers). Sending the same
    correction again returns the stored one with ``False`` and broadcasts nothing."""
    corrected = _clean_text(corrected, field="corrected", max_length=MESSAGE_MAX_LENGTH)
    _check_no_contact_details(author=author, text=corrected)
    _require_open_member(room=room, user=author, writes=True)
    message = _message_in_room(room=room, message_id=message_id)
    if message.author_id == author.pk:
        raise ChatError("own_message", "You cannot correct your own message",
                        say=_said(gettext_lazy("You cannot correct your own message: your "
                                               "partner can."),
                                  pgettext_lazy("to a pupil", "You cannot correct your own "
                                                "message: your partner can.")))
    if message.hidden_at is not None:
        raise ChatError("hidden", "A teacher hid this message: it cannot be corrected",
                        say=_said(gettext_lazy("A teacher hid this message: it cannot be "
                                               "corrected"),
                                  pgettext_lazy("to a pupil", "A teacher hid this message: it "
                                                "cannot be corrected")))
    if corrected == message.body:  # both cleaned the same way: nothing would be corrected
        raise ChatError("unchanged", "The correction is the message as it was",
                        say=_said(gettext_lazy("The correction is the message as it was: "
                                               "change what should be corrected."),
                                  pgettext_lazy("to a pupil", "The correction is the message "
                                                "as it was: change what should be corrected.")))
    # The message row is locked so that the same correction sent twice at once (a double
    # click, a retry after a reconnect) is stored once.
    Message.objects.select_for_update().filter(pk=message.pk).first()
    same = Correction.objects.filter(message=message, author=author, corrected=corrected).first()
    if same is not None:
        return same, False
    correction = Correction.objects.create(message=message, author=author, corrected=corrected)
    broadcast_to_room(room_id=room.pk, payload=correction_event(correction))
    return correction, True


@transaction.atomic
def message_report(*, room: Room, reporter, message_id, reason) -> Report:
    """A member reports a message to the moderators (once per message and person: a
    second report is refused with ``already_reported``); in a
    classroom exchange's room both teachers are notified at once. A closed room's
    history can still be reported: a room often closes because of what was said."""
    reason = _clean_text(reason, field="reason", max_length=REPORT_MAX_LENGTH, allow_empty=True)
    _require_member(room=room, user=reporter)
    message = _message_in_room(room=room, message_id=message_id)
    if message.author_id == reporter.pk:
        raise ChatError("own_message", "You cannot report your own message",
                        say=_said(gettext_lazy("You cannot report your own message."),
                                  pgettext_lazy("to a pupil",
                                                "You cannot report your own message.")))
    report, created = Report.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if not created:
        # Thanking for it again would say a second reason reached the moderators: it
        # did not (one report per message and person).
        raise ChatError("already_reported", "This message was already reported by you",
                        say=_said(gettext_lazy("You already reported this message."),
                                  pgettext_lazy("to a pupil",
                                                "You already reported this message.")))
    report_notify_teachers(report=report)
    return report
