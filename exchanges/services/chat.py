"""Chat writes in a room: messages, corrections, reports (reads: selectors/chat.py).

Every write is saved before its event is broadcast (after commit, to every server
process through the channel layer), so a ``message`` event is an acknowledgement that
the message is in the database. Refusals are :class:`ChatError` with a protocol code the
consumer turns into an ``error`` frame; the checks that raise them and their words are in
``services/chat_refusals.py``.

Safe rooms (issue 14): moderators (teachers) read but do not write (``read_only``); a
muted member is refused until the mute ends (``muted``); a pupil's text carrying an
e-mail address, phone number, web address or social-media handle is refused before it
is saved (``contact_detail``). Adults' texts are not checked.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from exchanges.models import Correction, Message, Report, Room, RoomMember
from exchanges.models.rooms import MESSAGE_MAX_LENGTH
from exchanges.realtime.broadcast import broadcast_to_room, send_to_member
from exchanges.realtime.protocol import correction_event, message_event, message_reported_event
from exchanges.selectors.chat import message_with_author
from exchanges.selectors.room_languages import room_languages
from exchanges.services.chat_refusals import (
    RATE_LIMIT_COUNT,
    RATE_LIMIT_WINDOW,
    REPORT_MAX_LENGTH,
    ChatError,
    check_may_write,
    check_no_contact_details,
    clean_client_id,
    clean_lang,
    clean_text,
    closed,
    message_in_room,
    not_member,
    rate_limited_text,
    require_member,
    require_open_member,
    said,
)
from exchanges.services.moderation import report_notify_teachers

# --- Messages -----------------------------------------------------------------------


def message_send(*, room: Room, author, body, client_id, lang=None,
                 languages=None) -> tuple[Message, bool]:
    """Save a message and broadcast it after commit; ``(message, created)``.

    ``lang`` is the language the author says they write in: one of the room's
    ``languages`` (looked up when not given), else ``unknown_language``; None or blank
    stores a blank one (an older page).

    Idempotent on ``(room, author, client_id)``: a retry returns the original message
    with ``created=False`` and broadcasts nothing (the caller re-sends it to the sender
    as its acknowledgement). More than ``RATE_LIMIT_COUNT`` messages in
    ``RATE_LIMIT_WINDOW`` per person and room raise ``rate_limited``; the count is in
    the database so it holds across server processes.
    """
    if languages is None and lang:
        languages = room_languages(room=room)
    message, created = _message_save(room=room, author=author, body=body, client_id=client_id,
                                     lang=lang, languages=languages or ())
    if created:
        # Runs once the INSERT is committed (at once outside an outer transaction).
        broadcast_to_room(room_id=room.pk, payload=message_event(message, corrections=[]))
    return message, created


def message_clean(*, author, body, client_id, lang=None,
                  languages=()) -> tuple[str, str, str]:
    """The checks of a send that need no database (the room's ``languages`` are read
    before): ``(body, client_id, lang)`` as stored, or ChatError (the batched path of the
    room socket runs them before queueing)."""
    body = clean_text(body, field="body", max_length=MESSAGE_MAX_LENGTH)
    client_id = clean_client_id(client_id)
    lang = clean_lang(lang, languages=languages)
    check_no_contact_details(author=author, text=body)
    return body, client_id, lang


def _message_save(*, room: Room, author, body, client_id, lang,
                  languages) -> tuple[Message, bool]:
    body, client_id, lang = message_clean(author=author, body=body, client_id=client_id,
                                          lang=lang, languages=languages)
    now = timezone.now()
    if not transaction.get_connection().in_atomic_block:
        message = _message_insert_checked(
            room_id=room.pk, author=author, body=body, client_id=client_id, lang=lang, now=now
        )
        if message is not None:
            return message, True
    # The checked INSERT wrote nothing (or runs in a caller's transaction): find out
    # why, with the same checks in Python (a retry, closed, not a member, too fast).
    return _message_save_slow(room=room, author=author, body=body, client_id=client_id,
                              lang=lang, since=now - RATE_LIMIT_WINDOW)


# PostgreSQL and SQLite (3.35+) both run it; every value is a parameter.
_INSERT_CHECKED_SQL = """
INSERT INTO exchanges_message (room_id, author_id, body, client_id, lang, created_at)
SELECT %s, %s, %s, %s, %s, %s
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


def _checked_params(*, room_id: int, author, body: str, client_id: str, lang: str, now,
                    ops) -> list:
    return [room_id, author.pk, body, client_id, lang, ops.adapt_datetimefield_value(now),
            room_id, author.pk, Room.Status.OPEN.value,
            RoomMember.Role.MEMBER.value, ops.adapt_datetimefield_value(now),
            author.pk, room_id, ops.adapt_datetimefield_value(now - RATE_LIMIT_WINDOW),
            RATE_LIMIT_COUNT]


def _saved_message(message_id: int, *, room_id: int, author, body: str, client_id: str,
                   lang: str, now, alias: str) -> Message:
    message = Message(id=message_id, room_id=room_id, author=author, body=body,
                      client_id=client_id, lang=lang, created_at=now)
    message._state.adding = False
    message._state.db = alias
    return message


def _message_insert_checked(*, room_id: int, author, body: str, client_id: str, lang: str,
                            now) -> Message | None:
    """One statement, one round trip, its own commit: INSERT the message only if the
    author is a member (not a moderator, not muted) of the open room, is under the rate
    limit and has not sent
    this client_id before. None when it inserted nothing (any of those failed)."""
    connection = transaction.get_connection()
    params = _checked_params(room_id=room_id, author=author, body=body, client_id=client_id,
                             lang=lang, now=now, ops=connection.ops)
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_CHECKED_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return _saved_message(row[0], room_id=room_id, author=author, body=body,
                          client_id=client_id, lang=lang, now=now, alias=connection.alias)


def _message_save_slow(*, room: Room, author, body: str, client_id: str, lang: str,
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
        raise ChatError("forbidden", "You are not a member of this room", say=not_member)
    status, recent_count, earlier_id, role, muted_until = state
    if earlier_id is not None:
        return message_with_author(earlier_id), False
    if status != Room.Status.OPEN:
        raise ChatError("room_closed", "This room is closed", say=closed)
    check_may_write(role=role, muted_until=muted_until, now=timezone.now(), user=author)
    if recent_count >= RATE_LIMIT_COUNT:
        raise ChatError(
            "rate_limited",
            f"At most {RATE_LIMIT_COUNT} messages in "
            f"{int(RATE_LIMIT_WINDOW.total_seconds())} seconds",
            say=rate_limited_text,
        )
    try:
        message = _message_insert(room_id=room.pk, author=author, body=body, client_id=client_id,
                                  lang=lang)
    except IntegrityError:
        # A concurrent retry with the same client_id was saved first.
        earlier = Message.objects.filter(
            room_id=room.pk, author_id=author.pk, client_id=client_id
        ).values_list("id", flat=True)
        if not earlier:
            raise
        return message_with_author(earlier[0]), False
    return message, True


def _message_insert(*, room_id: int, author, body: str, client_id: str, lang: str) -> Message:
    """The one write of a send: a single INSERT, its own transaction in autocommit.

    Inside a caller's transaction it runs in a savepoint, so that a duplicate
    client_id does not break the caller's transaction.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return Message.objects.create(
                room_id=room_id, author=author, body=body, client_id=client_id, lang=lang
            )
    return Message.objects.create(room_id=room_id, author=author, body=body, client_id=client_id,
                                  lang=lang)


@transaction.atomic
def correction_send(*, room: Room, author, message_id, corrected) -> tuple[Correction, bool]:
    """A member proposes a corrected version of a partner's message of the room (one's
    own message is refused: a correction is what a partner offers). Sending the same
    correction again returns the stored one with ``False`` and broadcasts nothing."""
    corrected = clean_text(corrected, field="corrected", max_length=MESSAGE_MAX_LENGTH)
    check_no_contact_details(author=author, text=corrected)
    # The room's row is locked before it is read open: a close being saved holds it until
    # the close commits, and the correction then finds the room closed. No key update, so
    # the messages' inserts (which share the key) go on meanwhile.
    Room.objects.select_for_update(no_key=True).filter(pk=room.pk).exists()
    require_open_member(room=room, user=author, writes=True)
    message = message_in_room(room=room, message_id=message_id)
    if message.author_id == author.pk:
        raise ChatError("own_message", "You cannot correct your own message",
                        say=said(gettext_lazy("You cannot correct your own message: your "
                                               "partner can."),
                                  pgettext_lazy("to a pupil", "You cannot correct your own "
                                                "message: your partner can.")))
    # The message row is locked before its hiding is read: a teacher hiding it meanwhile
    # holds the lock until the hiding commits, and the correction then sees it. The lock
    # also stores the same correction sent twice at once (a double click, a retry after a
    # reconnect) once.
    message.hidden_at = (Message.objects.select_for_update().filter(pk=message.pk)
                         .values_list("hidden_at", flat=True).first())
    if message.hidden_at is not None:
        raise ChatError("hidden", "A teacher hid this message: it cannot be corrected",
                        say=said(gettext_lazy("A teacher hid this message: it cannot be "
                                               "corrected"),
                                  pgettext_lazy("to a pupil", "A teacher hid this message: it "
                                                "cannot be corrected")))
    if corrected == message.body:  # both cleaned the same way: nothing would be corrected
        raise ChatError("unchanged", "The correction is the message as it was",
                        say=said(gettext_lazy("The correction is the message as it was: "
                                               "change what should be corrected."),
                                  pgettext_lazy("to a pupil", "The correction is the message "
                                                "as it was: change what should be corrected.")))
    same = (Correction.objects.filter(message=message, author=author, corrected=corrected)
            .select_related("author", "message").first())
    if same is not None:
        return same, False
    correction = Correction.objects.create(message=message, author=author, corrected=corrected)
    broadcast_to_room(room_id=room.pk, payload=correction_event(correction))
    return correction, True


@transaction.atomic
def message_report(*, room: Room, reporter, message_id, reason) -> Report:
    """A member reports a message to the moderators (once per message and person: a
    second report is refused with ``already_reported``); in a classroom exchange's room
    both teachers are notified at once, and the reporter's sockets in the room hear
    ``message.reported``. A closed room's
    history can still be reported: a room often closes because of what was said."""
    reason = clean_text(reason, field="reason", max_length=REPORT_MAX_LENGTH, allow_empty=True)
    require_member(room=room, user=reporter)
    message = message_in_room(room=room, message_id=message_id)
    if message.author_id == reporter.pk:
        raise ChatError("own_message", "You cannot report your own message",
                        say=said(gettext_lazy("You cannot report your own message."),
                                  pgettext_lazy("to a pupil",
                                                "You cannot report your own message.")))
    report, created = Report.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if not created:
        # Thanking for it again would say a second reason reached the moderators: it
        # did not (one report per message and person).
        raise ChatError("already_reported", "This message was already reported by you",
                        say=said(gettext_lazy("You already reported this message."),
                                  pgettext_lazy("to a pupil",
                                                "You already reported this message.")))
    report_notify_teachers(report=report)
    # The reporter's other tabs (and, after a report over HTTP, the page's own socket)
    # stop offering a second report, which the server would refuse.
    send_to_member(room_id=room.pk, user_id=reporter.pk,
                   payload=message_reported_event(message.pk))
    return report
