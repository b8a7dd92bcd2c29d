"""The web chat channel: a WebSocket at /chat/socket, the widget and its demo page.

One socket per open chat; the person's sender id comes from the browser, so a reload
resumes the conversation with its history. Everything sent to the person goes through
the delivery interface (bot/server/delivery.py), so a counsellor's reply or a queue update
reaches the socket just as the bot's answers do. Protocol: docs/webchat.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.frames import (
    DISPLAY_KEY,
    Incoming,
    bot_message_frame,
    current_session,
    error_frame,
    history_frame,
    parse_frame,
)
from bot.server.channels.incoming import (
    Rejection,
    as_written,
    check_text,
    clean_text,
    conversation_language,
    failure_replies,
    no_answer_text,
    tell_what_was_removed,
    with_counsellor,
)
from bot.server.channels.limits import (
    RATE_LIMITED,
    Limits,
    limits_of,
    rate_limited_message,
    retry_after,
    too_many,
)
from bot.server.channels.ownership import ResumeKeys, new_web_conversation
from bot.server.channels.security_headers import page_headers, static_headers
from bot.server.database import make_engine, off_loop
from bot.server.delivery import Delivery, LocalDelivery, Socket
from bot.server.insights.satisfaction import SatisfactionBook, answered_by_bot
from bot.server.retention import erase_everywhere
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static" / "chat"
# How long a new socket waits for the widget's `resume` frame before it starts a new
# conversation (a client that says nothing first gets one at once after this).
RESUME_WAIT_SECONDS = 2.0
SESSION_TYPES = frozenset({"resume"})
ENDING_TYPES = frozenset({"end", "erase"})
SHUTDOWN_GRACE_SECONDS = 10
MAX_ASKED = 10_000  # conversations whose last "Var dette nyttig?" is remembered
STATIC_FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}


def make_delivery(settings: Settings) -> Delivery:
    """In-process delivery, or through Redis when several server processes share the work."""
    if settings.redis_url:
        from bot.server.redis_delivery import RedisDelivery

        return RedisDelivery(settings.redis_url)
    return LocalDelivery()


class RateLimit:
    """One socket's share of the process's limits (bot/server/channels/limits.py): every frame
    counts per conversation and per client address, so reconnecting does not reset it."""

    def __init__(self, limits: Limits, ip: str) -> None:
        self.limits = limits
        self.ip = ip

    @classmethod
    def of(cls, request: Request) -> RateLimit:
        limits = limits_of(request.app)
        return cls(limits, limits.client_ip(request))

    async def frame(self, sender_id: str) -> float:
        return await self.limits.frame(sender_id, self.ip)

    async def message(self, sender_id: str) -> float:
        return await self.limits.message(sender_id, self.ip)


def rate_limited_frame(wait: float) -> dict[str, Any]:
    return {**error_frame(Rejection(RATE_LIMITED, rate_limited_message(wait), status=429)),
            "retry_after": retry_after(wait)}


class WebchatOutput(OutputChannel):
    """Sends Rasa's messages for a person through the delivery interface."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "webchat"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.delivery.push(recipient_id, bot_message_frame(message))
        self.sent += 1

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_frame(self, recipient_id: str, frame: dict[str, Any],
                         language: str | None = None) -> None:
        """A desk notice (queue, handoff, typing): the widget shows these frames as they
        are, in its own language. Nothing to report: the delivery keeps a frame until
        the person is back."""
        await self.delivery.push(recipient_id, frame)


def origin_allowed(request: Request, allowed: frozenset[str]) -> bool:
    """Browsers send Origin on a WebSocket upgrade; another site's page must not connect."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser: cross-site hijacking needs one
    if origin in allowed:
        return True
    return urlsplit(origin).netloc == request.headers.get("host")


class WebchatInput(InputChannel):
    """The web chat channel, mounted at /chat/ on the Rasa server."""

    def __init__(self, delivery: Delivery | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.delivery = delivery or make_delivery(self.settings)
        self.keys = ResumeKeys(self.settings.database_url)
        self._turns: set[asyncio.Future] = set()
        self.book = SatisfactionBook(make_engine(self.settings.database_url))
        # Per conversation, the "Var dette nyttig?" last asked: one answer each.
        self._asked: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def url_prefix(self) -> str:
        return "/chat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def get_output_channel(self) -> OutputChannel:
        # Used by Rasa's HTTP API (`output_channel=latest`) to push to this channel.
        return WebchatOutput(self.delivery)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        chat = Blueprint("veivalg_webchat", url_prefix=self.url_prefix())

        @chat.route("", methods=["GET"], strict_slashes=True)
        async def to_demo_page(request: Request) -> HTTPResponse:
            # The page loads widget.js relative to itself, so it must be at /chat/.
            return response.redirect(f"{self.url_prefix()}/")

        @chat.route("/", methods=["GET"], strict_slashes=True)
        async def demo_page(request: Request) -> HTTPResponse:
            return await response.file(
                STATIC_DIR / "index.html", mime_type="text/html",
                headers=page_headers(request, self.settings.trusted_proxies),
            )

        @chat.route("/<name:(widget\\.js|widget\\.css|demo\\.css)>", methods=["GET"])
        async def static_file(request: Request, name: str) -> HTTPResponse:
            return await response.file(
                STATIC_DIR / name,
                mime_type=STATIC_FILES[name],
                headers={"Cache-Control": "public, max-age=300",
                         **static_headers(request, self.settings.trusted_proxies)},
            )

        @chat.middleware("request")
        async def refuse_foreign_origins(request: Request) -> HTTPResponse | None:
            if request.path.endswith("/socket") and not origin_allowed(
                request, self.settings.allowed_origins
            ):
                return response.json(
                    {"error": "origin_not_allowed", "message": "this origin may not connect"},
                    status=403,
                )
            if request.path.endswith("/socket"):
                # Opening a socket counts as a frame of the client's address: a flood of
                # reconnects (each a new conversation) is refused before the upgrade.
                limits = limits_of(request.app)
                wait = await limits.frame(None, limits.client_ip(request))
                if wait:
                    return too_many(wait)
            return None

        @chat.websocket("/socket")
        async def socket(request: Request, ws: Socket) -> None:
            await self.converse(request, ws, on_new_message)

        @chat.listener("before_server_start")
        async def share_delivery(app: Any, _loop: Any) -> None:
            # The desk pushes queue notices and counsellor messages through it.
            app.ctx.delivery = self.delivery
            if hasattr(self.delivery, "start"):
                await self.delivery.start()

        @chat.listener("before_server_stop")
        async def close_sockets(*_: Any) -> None:
            # Finish the answers being made before the sockets go (graceful shutdown).
            if self._turns:
                await asyncio.wait(list(self._turns), timeout=SHUTDOWN_GRACE_SECONDS)
            await self.delivery.close()
            self.keys.close()

        return chat

    async def converse(
        self,
        request: Request,
        ws: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        agent = request.app.ctx.agent
        limit = RateLimit.of(request)
        sender_id = ""
        try:
            first = await self._first_frame(ws)
            sender_id = await self._open(ws, agent, first)
            await self.delivery.attach(sender_id, ws)
            if isinstance(first, Incoming) and first.type not in SESSION_TYPES:
                await self.handle(first, sender_id, request.app, limit, on_new_message)
            while True:
                raw = await ws.recv()
                if raw is None:
                    break
                frame = parse_frame(raw)
                if isinstance(frame, Rejection):
                    await self.delivery.push(sender_id, error_frame(frame))
                    continue
                if frame.type in ENDING_TYPES:
                    await self.end(frame.type, sender_id, ws, request.app)
                    break
                await self.handle(frame, sender_id, request.app, limit, on_new_message)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a dropped socket ends the loop
            logger.info("chat socket closed: %s", type(error).__name__)
        finally:
            if sender_id:
                await self.delivery.detach(sender_id, ws)

    async def _first_frame(self, ws: Any) -> Incoming | Rejection | None:
        """The widget's ``resume`` frame, another frame, or None when the client says
        nothing at first (a new conversation then). A closed socket raises."""
        raw = await ws.recv(timeout=RESUME_WAIT_SECONDS)
        return None if raw is None else parse_frame(raw)

    async def _open(self, ws: Any, agent: Any, first: Any) -> str:
        """Resume the conversation whose secret the client holds, or start a new one;
        send the session and its history to this socket only."""
        resumed = (isinstance(first, Incoming) and first.type == "resume"
                   and await self.keys.matches(first.fields.get("sender"),
                                               first.fields.get("secret")))
        if resumed:
            sender_id, secret = first.fields["sender"], None
            tracker = await agent.tracker_store.retrieve_full_tracker(sender_id)
            events = current_session(tracker, agent.domain)
        else:
            sender_id, secret = new_web_conversation()
            await self.keys.issue(sender_id, secret)
            events = []
        await ws.send(json.dumps(self._session_frame(sender_id, secret)))
        if isinstance(first, Rejection):
            await ws.send(json.dumps(error_frame(first)))
        await ws.send(json.dumps(history_frame(events), ensure_ascii=False))
        return sender_id

    def _session_frame(self, sender_id: str, secret: str | None) -> dict[str, Any]:
        frame = {
            "type": "session",
            "sender": sender_id,
            "resumed": secret is None,
            "limits": {
                "max_chars": self.settings.max_message_chars,
                "messages_per_minute": self.settings.messages_per_minute,
            },
        }
        if secret is not None:
            frame["secret"] = secret  # once, to this socket; the server keeps its hash
        return frame

    async def end(self, kind: str, sender_id: str, ws: Any, app: Any) -> None:
        """"Ny samtale" (``end``): the secret stops opening the conversation. "Slett
        samtalen" (``erase``): the conversation is deleted everywhere as well, and the
        desks drop its cases."""
        await self.keys.forget(sender_id)
        if kind == "erase":
            await erase_everywhere(app, sender_id)
        await ws.send(json.dumps({"type": "ended", "erased": kind == "erase"}))
        await ws.close()

    async def handle(
        self,
        frame: Incoming,
        sender_id: str,
        app: Any,
        limit: RateLimit,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        # Every frame costs a little; a message or a language change costs a turn or a
        # database write, and counts as a message too.
        wait = await limit.frame(sender_id)
        if not wait and frame.type == "language":
            wait = await limit.message(sender_id)
        if wait:
            await self.delivery.push(sender_id, rate_limited_frame(wait))
            return
        if frame.type == "ping":
            await self.delivery.push(sender_id, {"type": "pong"})
        elif frame.type == "typing":
            desk = getattr(app.ctx, "desk", None)  # a counsellor sees the person typing
            if desk is not None:
                await desk.person_event(sender_id, {"event": "typing", "on": frame.fields["on"]})
        elif frame.type == "language":
            await self.set_language(app.ctx.agent, sender_id, frame.fields["language"])
        elif frame.type == "message":
            agent = app.ctx.agent
            await self.take_message(frame.fields, sender_id, agent, limit, on_new_message)
        elif frame.type in ("feedback", "rate"):
            await self.satisfaction(frame, sender_id, app.ctx.agent)

    async def satisfaction(self, frame: Incoming, sender_id: str, agent: Any) -> None:
        """"Var dette nyttig?" answered (once per question asked), or a rating of the
        conversation with a counsellor; stored with no sender id."""
        fields = frame.fields
        language = await conversation_language(agent, sender_id)
        if frame.type == "feedback":
            if self._asked.get(sender_id) != fields["id"]:
                await self.delivery.push(sender_id, error_frame(Rejection(
                    "not_asked", "that question was not asked, or was answered already")))
                return
            del self._asked[sender_id]
            await off_loop(self.book.answer, fields["helpful"], self.name(), language)
        elif not await off_loop(self.book.rate, sender_id, fields["score"],
                                fields.get("comment"), self.name(), language):
            await self.delivery.push(sender_id, error_frame(Rejection(
                "not_asked", "there is no conversation with a counsellor to rate")))
            return
        await self.delivery.push(sender_id, {"type": "thanks", "for": frame.type})

    async def ask_if_useful(self, agent: Any, sender_id: str) -> None:
        """After an answer from the knowledge base: "Var dette nyttig?" (the widget shows
        it under the answer; the person may ignore it)."""
        if not answered_by_bot(await agent.tracker_store.retrieve(sender_id)):
            return
        asked = f"f{secrets.token_hex(8)}"
        self._asked[sender_id] = asked
        self._asked.move_to_end(sender_id)
        while len(self._asked) > MAX_ASKED:
            self._asked.popitem(last=False)
        await self.delivery.push(sender_id, {"type": "feedback", "id": asked})

    async def set_language(self, agent: Any, sender_id: str, language: str) -> None:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.get_or_create_tracker(sender_id)
            if tracker.get_slot("language") == language:
                return  # nothing changes: no row to write
            tracker.update(SlotSet("language", language))
            await agent.tracker_store.save(tracker)

    async def take_message(
        self,
        fields: dict[str, Any],
        sender_id: str,
        agent: Any,
        limit: RateLimit,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        text, rejection = check_text(fields.get("text"), self.settings.max_message_chars)
        if rejection is not None:
            await self.delivery.push(sender_id, error_frame(rejection))
            return
        wait = await limit.message(sender_id)
        if wait:
            await self.delivery.push(sender_id, rate_limited_frame(wait))
            return
        if "id" in fields:
            await self.delivery.push(sender_id, {"type": "ack", "id": fields["id"]})
        title = clean_text(fields.get("title") or "")
        metadata = {DISPLAY_KEY: title} if title else None
        # The turn runs on even if the socket drops meanwhile: Sanic cancels the socket's
        # handler then, and a cancelled turn would lose the question and its answer.
        turn = asyncio.ensure_future(
            self.answer(text, sender_id, metadata, agent, on_new_message)
        )
        self._turns.add(turn)
        turn.add_done_callback(self._turns.discard)
        await asyncio.shield(turn)

    async def answer(
        self,
        text: str,
        sender_id: str,
        metadata: dict[str, Any] | None,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        output = WebchatOutput(self.delivery)
        await self.delivery.push(sender_id, {"type": "typing", "on": True, "from": "bot"})
        try:
            said = await as_written(text, sender_id, agent)
            await on_new_message(
                UserMessage(said, output, sender_id, input_channel=self.name(), metadata=metadata)
            )
        except Exception:  # noqa: BLE001 - the person gets an apology, the log the details
            logger.exception("a web chat message could not be handled")
            if output.sent == 0:
                for reply in failure_replies(text, agent.domain):
                    await output.send_text_message(sender_id, reply)
            return
        finally:
            await self.delivery.push(sender_id, {"type": "typing", "on": False, "from": "bot"})
        if output.sent == 0 and not await with_counsellor(agent, sender_id):
            await output.send_text_message(sender_id, no_answer_text(text))
        elif output.sent:
            await self.ask_if_useful(agent, sender_id)
        await tell_what_was_removed(text, output, sender_id, agent)
