"""The room WebSocket (protocol in ../shared/DESIGN.md): parse, validate, call services.

Services save first and broadcast after commit through the channel layer group of the
room, so a ``message`` event reaching its sender is the acknowledgement that it is
stored. Bad input gets an ``error`` frame and the socket stays open.
"""

import json
import logging

from channels.consumer import get_handler_name
from channels.db import aclose_old_connections
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from exchanges.realtime import protocol, refusal_words, room_steps
from exchanges.realtime.admission import frames
from exchanges.realtime.broadcast import room_group, user_group
from exchanges.realtime.db import db
from exchanges.realtime.fanout import fanout
from exchanges.realtime.outbox import OutboxMixin
from exchanges.realtime.presence_beat import presence_beat
from exchanges.realtime.rate_limit import frame_allowed
from exchanges.realtime.room_frames import RoomFramesMixin
from exchanges.selectors.interface_language import supported_language
from exchanges.selectors.rooms import room_access
from exchanges.services import chat

logger = logging.getLogger(__name__)


def _handshake_language(scope, user) -> str:
    """The language the room's page is read in, for the error frames' text: the account's
    choice, else the language cookie or the browser's Accept-Language, as for pages."""
    stored = supported_language(getattr(user, "language", ""))
    if stored:
        return stored
    cookie = supported_language((scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            header = value.decode("latin-1")
            for code, _quality in translation.trans_real.parse_accept_lang_header(header):
                found = supported_language(code)
                if found:
                    return found
    return settings.LANGUAGE_CODE


class RoomConsumer(RoomFramesMixin, OutboxMixin, AsyncJsonWebsocketConsumer):
    room = None
    joined = False
    grouped = False  # in the room's and the user's channel-layer groups
    fanned = False  # in the room's fan-out (exchanges.realtime.fanout)
    entered = False  # presence_join may have written this socket's row
    closing = False
    pupil = False  # the reader is a pupil: refusals in the pupil register
    held: list[str] | None = None  # the room's frames that came during connect()

    async def __call__(self, scope, receive, send):
        # However the consumer ends (a clean disconnect, a handler that raised, the
        # server cancelling it), the socket leaves the heartbeat and its presence row
        # goes: a row the heartbeat kept beating would show a ghost online for ever.
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()
            self.outbox_stop()

    async def dispatch(self, message):
        # Channels cleans database connections before every handler, a hop to its
        # single database thread for each frame and each delivered message. Handlers
        # here reach the ORM only through ``db()``, which cleans up around each call,
        # so the hop is skipped; room_close still calls aclose_old_connections().
        if message["type"] == "websocket.receive":
            # The client's frames, the most frequent: straight to the room's checks
            # (past Channels' handler lookup and its websocket_receive and receive).
            await self.receive(text_data=message.get("text"))
            return
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- Connection -------------------------------------------------------------------

    async def connect(self):
        user = self.scope.get("user")
        # Accept before closing so the client sees our close code (a refused
        # handshake would only show an HTTP 403).
        if user is None or not user.is_authenticated:
            await self._refuse(protocol.CLOSE_NOT_LOGGED_IN)
            return
        access = await db(room_access)(
            room_id=self.scope["url_route"]["kwargs"]["room_id"], user=user
        )
        if access.error is not None:
            await self._refuse(access.error)
            return
        # The user itself, not the auth middleware's lazy wrapper: each attribute read
        # through the wrapper costs a call, and every frame reads a few.
        user = getattr(user, "_wrapped", user)
        self.user, self.room, self.role = user, access.room, access.role
        # Read on every frame: plain ints, not the models' pk properties.
        self.user_id, self.room_id = user.pk, access.room.pk
        self.language = _handshake_language(self.scope, user)
        self.pupil = user.is_pupil
        self.group = room_group(self.room.pk)
        self.last_typing = 0.0
        self.grouped = True
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        # Before the join's reads, so that no message falls between last_message_id and
        # the subscription; held until room.joined (and the replay) are queued.
        self.held, self.fanned = [], True
        await fanout().join(self.room.pk, self)
        await self.accept()
        joined = await db(room_steps.join)(
            self.room, user, self.channel_name, self.scope.get("session")
        )
        if joined is None or isinstance(joined, int):
            await self._close_once(protocol.CLOSE_NOT_LOGGED_IN if joined is None else joined)
            return
        # From here on _leave undoes the join (a join that failed half-way leaves at
        # most a row that nobody beats, purged once stale).
        self.entered = True
        members, online, last_id, hidden, muted_until = joined
        self.joined = True
        presence_beat().add(self.room, user, self.channel_name)
        await self.send_json(
            protocol.joined_event(
                room=self.room,
                user=user,
                members=members,
                online=online,
                last_id=last_id,
                hidden_ids=hidden,
                muted_until=muted_until,
            )
        )
        after = self._query_int("after")
        if after is not None:
            await self._send_replay(after)
            corrections_after = self._query_int("corrections_after")
            if corrections_after is not None:
                await self._send_corrections_replay(corrections_after, after)
        held, self.held = self.held, None
        for text in held:
            self.push_text(text)

    async def _refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    def _query_int(self, name: str) -> int | None:
        query = self.scope.get("query_string", b"").decode("latin-1")
        for part in query.split("&"):
            key, _, value = part.partition("=")
            # isascii: str.isdigit() also accepts digits such as "²" that int() refuses;
            # a bigint has at most 19 digits (and int() refuses over 4 300).
            if key == name and value.isascii() and value.isdigit() and len(value) <= 19:
                return int(value)
        return None

    async def _send_replay(self, after: int) -> None:
        # In chunks, so a long absence does not load the whole room at once.
        while True:
            events = await db(room_steps.replay)(self.room, self.user, after)
            for event in events:
                await self.send_json(event)
            if len(events) < 500:
                return
            after = events[-1]["id"]

    async def _send_corrections_replay(self, after: int, up_to_message_id: int) -> None:
        """``?corrections_after=<id>`` beside ``?after=``: the corrections the socket
        missed on messages it already shows (later messages came with theirs)."""
        while True:
            events = await db(room_steps.replay_corrections)(self.room, after, up_to_message_id)
            for event in events:
                await self.send_json(event)
            if len(events) < 500:
                return
            after = events[-1]["id"]

    async def disconnect(self, code):
        await self._leave()

    # --- Outgoing frames: all through the outbox (exchanges.realtime.outbox) ---------

    async def send(self, text_data=None, bytes_data=None, close=False):
        if text_data is not None:
            OutboxMixin.push_text(self, text_data)
        if close:
            self.push_close(close if isinstance(close, int) and close is not True else None)

    async def send_json(self, content, close=False):
        # Channels' send_json calls its parent's send, past this class: queue it here.
        await self.send(text_data=await self.encode_json(content), close=close)

    async def close(self, code=None, reason=None):
        self.push_close(code)

    def push_text(self, text: str) -> None:
        """A room frame from the fan-out or the channel layer."""
        if self.held is not None:
            self.held.append(text)
        elif self.joined:
            OutboxMixin.push_text(self, text)

    def outbox_overflowed(self) -> None:
        self.closing, self.joined = True, False

    async def _leave(self) -> None:
        """Undo the join once, each step on its own so that one failing (the database
        gone) does not keep the others from running."""
        steps = []
        if self.fanned:
            steps.append(lambda: fanout().leave(self.room.pk, self))
        if self.grouped:
            steps += [
                lambda: self.channel_layer.group_discard(self.group, self.channel_name),
                lambda: self.channel_layer.group_discard(
                    user_group(self.user.pk), self.channel_name
                ),
            ]
        if self.entered:
            steps += [
                lambda: presence_beat().remove(self.channel_name),
                lambda: db(room_steps.leave)(self.room, self.user, self.channel_name),
            ]
        self.grouped = self.entered = self.joined = self.fanned = False
        for step in steps:
            try:
                await step()
            except Exception:  # the stale row is purged by the others' heartbeat
                logger.exception("leaving room %s failed for %s", self.room.pk, self.channel_name)

    # --- Client frames ----------------------------------------------------------------

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[" * 100000
            return _InvalidJson()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.joined:
            return
        if not frames.enter():
            await self._busy(text_data)
            return
        try:
            await self._receive(text_data, **kwargs)
        finally:
            frames.leave()

    async def _busy(self, text_data) -> None:
        """The process is at its bound of frames in flight (exchanges.realtime.admission):
        the frame is refused unhandled; its client_id tells the page which message to send
        again."""
        extra = {}
        if text_data and len(text_data) <= protocol.MAX_FRAME_BYTES:
            content = await self.decode_json(text_data)
            client_id = content.get("client_id") if isinstance(content, dict) else None
            if isinstance(client_id, str):
                extra["client_id"] = client_id
        text = refusal_words.busy_text(language=self.language, to_pupil=self.pupil)
        await self._error("server_busy", text, **extra)

    async def _receive(self, text_data, **kwargs):
        if not text_data:
            await self._refused_frame("invalid_json", "Send JSON text frames")
            return
        if protocol.frame_bytes(text_data) > protocol.MAX_FRAME_BYTES:
            await self._refused_frame(
                "too_long", f"A frame is at most {protocol.MAX_FRAME_BYTES} bytes"
            )
            return
        await self.receive_json(await self.decode_json(text_data))

    async def receive_json(self, content, **kwargs):
        if isinstance(content, _InvalidJson):
            await self._refused_frame("invalid_json", "The frame is not valid JSON")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self._refused_frame("invalid", "A frame is a JSON object with a string type")
            return
        handler = self._handlers.get(content["type"])
        if handler is None:
            # repr() escapes what JSON cannot carry (lone surrogates); the length is capped.
            await self._refused_frame("unknown_type", f"Unknown type {content['type'][:40]!r}")
            return
        # The client_id tells the sender which pending message was refused.
        client_id = content.get("client_id")
        extra = {"client_id": client_id} if isinstance(client_id, str) else {}
        limit = await frame_allowed(
            user_id=self.user_id, room_id=self.room_id, frame_type=content["type"]
        )
        if limit is not None:
            await self._error("rate_limited", self._limit_text(content["type"], limit), **extra)
            return
        try:
            await handler(self, content)
        except chat.ChatError as exc:
            with translation.override(self.language):
                text = exc.text(to_pupil=self.pupil)
            # Said before the close too: the sender learns its message was not saved
            # (the client_id), rather than waiting on it for ever.
            await self._error(exc.code, text, **extra)
            if exc.code == "room_closed":
                await self._close_once(protocol.CLOSE_ROOM_CLOSED)
        except Exception:
            # A bug or a database outage: the frame fails, the socket stays (a client
            # retries a message by its client_id).
            logger.exception("room %s: %s frame failed", self.room.pk, content["type"])
            text = refusal_words.server_error_text(language=self.language, to_pupil=self.pupil)
            await self._error("server_error", text, **extra)

    async def _refused_frame(self, code: str, detail: str) -> None:
        """An error for a frame that never reached a handler, counted against the
        sender's ``invalid`` budget so that a flood of them is cut off too."""
        limit = await frame_allowed(
            user_id=self.user_id, room_id=self.room_id, frame_type="invalid"
        )
        if limit is not None:
            code, detail = "rate_limited", self._limit_text("invalid frames", limit)
        await self._error(code, detail)

    def _limit_text(self, what: str, limit) -> str:
        return refusal_words.frame_limit_text(what, limit, language=self.language,
                                              to_pupil=self.pupil)

    async def _error(self, code: str, detail: str, **extra) -> None:
        await self.send_json(protocol.error_event(code, detail, **extra))

    # --- Group events (from any process, see exchanges.realtime.broadcast) ------------

    async def room_broadcast(self, event):
        if self.joined or self.held is not None:
            self.push_text(await self.encode_json(event["payload"]))

    async def member_event(self, event):
        """An event for this user in one room (exchanges.realtime.broadcast.send_to_member);
        the user's group holds their sockets of every room."""
        if event.get("room_id") == self.room_id and (self.joined or self.held is not None):
            self.push_text(await self.encode_json(event["payload"]))

    async def room_close(self, event):
        await aclose_old_connections()
        await self._close_once(event.get("code", protocol.CLOSE_ROOM_CLOSED))

    async def user_logout(self, event):
        """The user logged out or changed the password (exchanges.realtime.signals)."""
        await self._close_once(event.get("code", protocol.CLOSE_NOT_LOGGED_IN))

    async def _close_once(self, code: int) -> None:
        # One password reset can send two close events; the server refuses a second
        # websocket.close. No frame is handled once closing.
        if self.closing:
            return
        self.closing, self.joined = True, False
        await self.close(code=code)


class _InvalidJson:
    """Marks a frame that did not parse, so receive_json can answer with an error."""
