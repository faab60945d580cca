"""What the chat refuses and how it says so: :class:`ChatError`, the checks a write
passes before it is saved (text, client id, membership, mutes, contact details) and the
words a refusal is shown in, in the reader's language and register (a pupil is spoken to
with context "to a pupil"). The writes themselves are in ``services/chat.py``."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from exchanges.models import Message, Room, RoomMember
from exchanges.models.rooms import MESSAGE_MAX_LENGTH
from exchanges.pure.contact_details import find_contact_detail
from exchanges.pure.languages import language_name
from exchanges.pure.text_safety import text_clean
from exchanges.selectors.participants import participant_zone

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


def said(adult, pupil):
    """A ``say`` of fixed words: ``adult`` and ``pupil`` (context "to a pupil") are lazy,
    translated when the edge asks, in the reader's language."""
    return lambda to_pupil: str(pupil if to_pupil else adult)


not_member = said(gettext_lazy("You are not a member of this room"),
                    pgettext_lazy("to a pupil", "You are not a member of this room"))
closed = said(gettext_lazy("This room is closed"),
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


def clean_text(value, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ChatError("invalid", f"{field} must be a string")
    _check_storable(value, field=field)
    # Direction overrides go (they would show the text reordered); text that draws
    # nothing, zero-width spaces say, is empty like whitespace.
    value = text_clean(value)
    if not value and not allow_empty:
        raise ChatError("invalid", f"{field} must not be empty",
                        say=said(gettext_lazy("Write something visible before sending."),
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


def clean_client_id(client_id) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX_LENGTH:
        raise ChatError("invalid", f"client_id must be a string of 1–{CLIENT_ID_MAX_LENGTH} chars")
    _check_storable(client_id, field="client_id")
    return client_id


def clean_lang(lang, *, languages) -> str:
    """The language a message is written in, as stored: one of the room's ``languages``
    (compared without case, as BCP 47 tags are), or blank when the sender gave none (an
    older page)."""
    if lang is None or lang == "":
        return ""
    if not isinstance(lang, str):
        raise ChatError("invalid", "lang must be a string (a language code of the room)")
    found = next((code for code in languages if code.lower() == lang.lower()), None)
    if found is None:
        raise ChatError(
            "unknown_language",
            f"lang {lang[:40]!r} is not a language of this room ({', '.join(languages)})",
            say=lambda to_pupil: unknown_language_text(languages, to_pupil=to_pupil),
        )
    return found


def unknown_language_text(languages, *, to_pupil: bool = False) -> str:
    """Names the room's languages in the reader's language (the edge activates it)."""
    if not languages:
        if to_pupil:
            return pgettext("to a pupil", "This room has no languages to choose from: send "
                                          "your message without one.")
        return _("This room has no languages to choose from: send your message without one.")
    names = _(", ").join(language_name(code) for code in languages)
    if to_pupil:
        text = pgettext("to a pupil", "Choose the language of your message among this "
                                      "room's languages: %(languages)s.")
    else:
        text = _("Choose the language of your message among this room's languages: "
                 "%(languages)s.")
    return text % {"languages": names}


def message_in_room(*, room: Room, message_id) -> Message:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", "message_id must be an integer")
    message = Message.objects.filter(room=room, pk=message_id).select_related("author").first()
    if message is None:
        raise ChatError("not_found", "No such message in this room",
                        say=said(gettext_lazy("No such message in this room"),
                                  pgettext_lazy("to a pupil", "No such message in this room")))
    return message


def check_no_contact_details(*, author, text: str) -> None:
    """Pupils cannot move the conversation off the platform: refused, saying why."""
    if getattr(author, "is_pupil", False):
        found = find_contact_detail(text)
        if found is not None:
            # Only pupils meet it, so its words are always a pupil's.
            raise ChatError("contact_detail", found.reason, say=lambda _to_pupil: found.reason)


def check_may_write(*, role: str, muted_until, now, user) -> None:
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


def require_member(*, room: Room, user) -> None:
    if not RoomMember.objects.filter(room_id=room.pk, user_id=user.pk).exists():
        raise ChatError("forbidden", "You are not a member of this room", say=not_member)


def require_open_member(*, room: Room, user, writes: bool = False) -> None:
    state = (
        RoomMember.objects.filter(room_id=room.pk, user_id=user.pk)
        .values_list("room__status", "role", "muted_until")
        .first()
    )
    if state is None:
        raise ChatError("forbidden", "You are not a member of this room", say=not_member)
    status, role, muted_until = state
    if status != Room.Status.OPEN:
        raise ChatError("room_closed", "This room is closed", say=closed)
    if writes:
        check_may_write(role=role, muted_until=muted_until, now=timezone.now(), user=user)


def rate_limited_text(to_pupil: bool) -> str:
    if to_pupil:
        text = pgettext("to a pupil", "At most %(count)d messages in %(seconds)d seconds")
    else:
        text = _("At most %(count)d messages in %(seconds)d seconds")
    return text % {"count": RATE_LIMIT_COUNT, "seconds": int(RATE_LIMIT_WINDOW.total_seconds())}
