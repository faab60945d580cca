"""The room protocol's vocabulary (see ../shared/DESIGN.md): close codes and the
server events, built from plain attributes so that every layer can use them."""

CLOSE_NOT_LOGGED_IN = 4401  # also when the user logs out or changes the password
# Not sent: a non-member gets CLOSE_NO_ROOM, the same answer as for a room that does not
# exist, so that room ids cannot be enumerated. Kept so that old clients still know it.
CLOSE_NOT_MEMBER = 4403
CLOSE_NO_ROOM = 4404  # no such room for you
CLOSE_ROOM_CLOSED = 4410
# The client read too slowly: more than the server's bound of frames waited for it. Not
# final: the page reconnects with ?after=<last id> and replays what it missed.
CLOSE_TOO_SLOW = 4408

# A client text frame longer than this (in UTF-8 bytes) is refused unparsed: the longest
# valid frame (a 2 000-character message, 8 000 bytes at most, with its client_id) is
# below it.
MAX_FRAME_BYTES = 16 * 1024


def person(user) -> dict:
    return {"id": user.pk, "name": user.public_name}


def correction_event(correction) -> dict:
    """``lang`` is the corrected message's (a correction is written in it), so the page
    marks the text without looking for the message; its callers load the message."""
    return {
        "type": "correction",
        "id": correction.pk,
        "message_id": correction.message_id,
        "author": person(correction.author),
        "corrected": correction.corrected,
        "lang": correction.message.lang,
        "created_at": correction.created_at.isoformat(),
    }


HIDDEN_PLACEHOLDER = "This message was hidden by a teacher."


def message_event(message, *, corrections=None) -> dict:
    """The ``message`` event; pass ``corrections=[]`` for a new message (no query).

    A message a moderator hid keeps its place in history with ``hidden: true`` and an
    empty body: its text (and its corrections, which quote it) is never sent again.
    ``lang`` is the language the body is written in (blank when unknown), for the page to
    mark it; a hidden message's placeholder is the page's own words, so it has none.
    """
    if getattr(message, "hidden_at", None) is not None:
        return {
            "type": "message",
            "id": message.pk,
            "author": person(message.author),
            "body": "",
            "lang": "",
            "hidden": True,
            "created_at": message.created_at.isoformat(),
            "client_id": message.client_id,
            "corrections": [],
        }
    if corrections is None:
        corrections = message.corrections.all()  # prefetched by the selectors
    return {
        "type": "message",
        "id": message.pk,
        "author": person(message.author),
        "body": message.body,
        "lang": message.lang,
        "created_at": message.created_at.isoformat(),
        "client_id": message.client_id,
        "corrections": [correction_event(c) for c in corrections],
    }


def message_hidden_event(message_id: int) -> dict:
    """A moderator hid a message: clients replace its text with the placeholder."""
    return {"type": "message.hidden", "id": message_id, "placeholder": HIDDEN_PLACEHOLDER}


def member_muted_event(until) -> dict:
    """To the muted member's own sockets in the room only: the page disables its composer
    until ``until`` (or a ``member.unmuted``)."""
    return {"type": "member.muted", "until": until.isoformat()}


def member_unmuted_event() -> dict:
    return {"type": "member.unmuted"}


def message_reported_event(message_id: int) -> dict:
    """To the reporter's own sockets in the room only (the socket that reported and the
    user's other tabs): the page shows "Reported" instead of Report."""
    return {"type": "message.reported", "message_id": message_id}


def joined_event(*, room, user, members, online, last_id, hidden_ids=(),
                 muted_until=None) -> dict:
    return {
        "type": "room.joined",
        "room": {"id": room.pk, "title": str(room)},
        "you": person(user),
        "members": members,
        "online": online,
        "last_message_id": last_id,
        # Messages a moderator hid: a reconnecting client replaces any it still shows.
        "hidden_ids": list(hidden_ids),
        # When the joining member's own mute ends (None: not muted), for the composer.
        "muted_until": muted_until.isoformat() if muted_until is not None else None,
    }


def read_message_event(message, *, reported_ids) -> dict:
    """A stored message sent again to one reader (history, a reconnect's replay): it says
    whether that reader reported it (``reported``), so the page offers no second report;
    never who else did."""
    return {**message_event(message), "reported": message.pk in reported_ids}


def history_event(messages, *, has_more: bool, reported_ids=frozenset()) -> dict:
    """A page of older messages for one reader (see read_message_event)."""
    return {
        "type": "history",
        "messages": [read_message_event(m, reported_ids=reported_ids) for m in messages],
        "has_more": has_more,
    }


def presence_event(online: list[dict]) -> dict:
    return {"type": "presence", "online": online}


def typing_event(user) -> dict:
    return {"type": "typing", "user": person(user)}


def error_event(code: str, detail: str, **extra) -> dict:
    return {"type": "error", "code": code, "detail": detail, **extra}


def frame_bytes(text: str) -> int:
    """The UTF-8 size of a frame, encoding only those whose length leaves it in doubt
    (a character is 1 to 4 bytes)."""
    if len(text) > MAX_FRAME_BYTES or 4 * len(text) <= MAX_FRAME_BYTES:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))
