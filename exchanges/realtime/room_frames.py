"""What each client frame of a room socket does (protocol in ../shared/DESIGN.md), once
the consumer (exchanges.realtime.consumers) has parsed it, admitted it and counted it
against the sender's rate limit: a service call, and the answer to the sender if any.

A handler raises chat.ChatError for bad input; the consumer turns it into an ``error``
frame in the page's language.
"""

import asyncio

from exchanges.realtime import protocol, room_steps
from exchanges.realtime.db import db
from exchanges.services import chat, chat_batch

TYPING_INTERVAL = 2.0  # seconds between two typing events of one socket

# How long a socket trusts its copy of the room's languages for a send in one of them. A
# language missing from it is looked up again at once (a member added it to their
# profile, a teacher to the class, since the copy was read): a send is never refused on a
# stale copy. A language taken out of the room meanwhile is still accepted until the copy
# is this old: it only labels a message for screen readers, and a re-read on every send
# would put a query on the path of every message.
LANGUAGES_FRESH_FOR = 60.0


# Message ids are the database's 64-bit integers: a larger one cannot be compared there.
ID_MAX = 2**63 - 1


def _int_or_none(value, field: str):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)
                         and -ID_MAX <= value <= ID_MAX):
        return value
    raise chat.ChatError("invalid", f"{field} must be a message id (an integer) or null")


def _known(lang, languages) -> bool:
    """Whether ``lang`` is one of ``languages`` as chat.clean_lang compares them (a lang
    that is no string is refused whatever the room's languages are)."""
    if not isinstance(lang, str):
        return True
    lang = lang.lower()
    return any(code.lower() == lang for code in languages)


class RoomFramesMixin:
    """For the room consumer: ``user``, ``user_id``, ``room``, ``room_id``, ``group``,
    ``last_typing``, ``send_json`` and ``channel_layer`` come from it."""

    languages: list[str] | None = None  # the room's, once a send carried a lang
    languages_read_at = 0.0  # the event loop's clock

    async def _message_send(self, content):
        if "body" not in content or "client_id" not in content:
            raise chat.ChatError("invalid", "message.send needs body and client_id")
        # "lang" is optional (older pages send none): checked against the room's languages.
        lang = content.get("lang")
        languages = await self._room_languages(lang) if lang else ()
        if chat_batch.batching_available():
            body, client_id, lang = chat.message_clean(
                author=self.user, body=content["body"], client_id=content["client_id"],
                lang=lang, languages=languages,
            )
            message_id = await chat_batch.message_insert_batched(
                room_id=self.room_id, author=self.user, body=body, client_id=client_id,
                lang=lang,
            )
            if message_id is not None:
                return  # saved and published: the room's frame is the acknowledgement
            # Not inserted: the one-message path says why (or acknowledges a retry).
        message, created = await db(chat.message_send)(
            room=self.room,
            author=self.user,
            body=content["body"],
            client_id=content["client_id"],
            lang=lang,
            languages=languages,
        )
        if not created:
            # A retry: acknowledge to the sender only, the room already has it.
            await self.send_json(protocol.message_event(message))  # prefetched

    async def _room_languages(self, lang) -> list[str]:
        """The room's languages, for a send in ``lang``: the socket's copy, read again
        when ``lang`` is not in it or it is older than LANGUAGES_FRESH_FOR. A sender
        naming unknown languages pays a read for each, within the frames' rate limit."""
        now = asyncio.get_running_loop().time()
        if (self.languages is None or now - self.languages_read_at > LANGUAGES_FRESH_FOR
                or not _known(lang, self.languages)):
            self.languages = await db(room_steps.languages)(self.room)
            self.languages_read_at = now
        return self.languages

    async def _history(self, content):
        before = _int_or_none(content.get("before"), "before")
        limit = content.get("limit", 50)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise chat.ChatError("invalid", "limit must be a positive integer")
        # A limit above 100 is clamped to 100 (the page says has_more).
        await self.send_json(await db(room_steps.history)(self.room, self.user, before, limit))

    async def _typing(self, content):
        now = asyncio.get_running_loop().time()
        if now - self.last_typing < TYPING_INTERVAL:
            return  # throttled: typing is a hint, dropping it is harmless
        self.last_typing = now
        # A teacher or a muted pupil cannot send what they type: nobody waits for it.
        if not await db(room_steps.may_type)(self.room_id, self.user_id):
            return
        await self.channel_layer.group_send(
            self.group,
            {"type": "room.broadcast", "payload": protocol.typing_event(self.user)},
        )

    async def _correction_send(self, content):
        if "message_id" not in content or "corrected" not in content:
            raise chat.ChatError("invalid", "correction.send needs message_id and corrected")
        correction, created = await db(chat.correction_send)(
            room=self.room,
            author=self.user,
            message_id=content["message_id"],
            corrected=content["corrected"],
        )
        if not created:
            # Sent before: acknowledge to the sender only, the room already has it.
            await self.send_json(await db(protocol.correction_event)(correction))

    async def _message_report(self, content):
        if "message_id" not in content:
            raise chat.ChatError("invalid", "message.report needs message_id")
        report = await db(chat.message_report)(
            room=self.room,
            reporter=self.user,
            message_id=content["message_id"],
            reason=content.get("reason", ""),
        )
        # Only the reporter learns of it; moderators read reports elsewhere. The service
        # tells the reporter's other sockets too (this one hears it twice: the page
        # thanks once, for the report it sent).
        await self.send_json(protocol.message_reported_event(report.message_id))

    _handlers = {
        "message.send": _message_send,
        "history": _history,
        "typing": _typing,
        "correction.send": _correction_send,
        "message.report": _message_report,
    }
