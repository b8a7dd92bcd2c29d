"""Telegram: a webhook channel whose replies and pushes really arrive.

Rasa 3.6's Telegram connector builds its output channel with ``asyncio.run()`` inside the
running server loop, so a message sent from outside the person's own request (a
counsellor's reply, a queue notice) fails. This channel talks to the Bot API with its
own small aiohttp client on the server's loop, so every reply and every push works. The
API's base URL is a setting, which the tests point at a fake Bot API on loopback.

Settings: VEIVALG_TELEGRAM_TOKEN, VEIVALG_TELEGRAM_SECRET, VEIVALG_TELEGRAM_WEBHOOK_URL,
VEIVALG_TELEGRAM_API_URL, VEIVALG_TELEGRAM_SET_WEBHOOK (docs/configuration.md).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.delivery_report import (
    BLOCKED,
    REFUSED,
    UNREACHABLE,
    NotDelivered,
)
from bot.server.channels.frames import DISPLAY_KEY
from bot.server.channels.help_lines import OnUndelivered, UndeliveredReplies
from bot.server.channels.incoming import (
    as_written,
    check_text,
    conversation_language,
    failure_replies,
    no_answer_text,
    tell_what_was_removed,
    with_counsellor,
)
from bot.server.channels.limits import body_too_large, limits_of
from bot.server.channels.notices import as_shown, notice, notice_text
from bot.server.channels.ownership import TELEGRAM, telegram_conversation
from bot.server.database import make_engine, off_loop
from bot.server.insights.satisfaction import RATE, THANKS, SatisfactionBook, answered_by_bot
from bot.shared.language import DEFAULT_LANGUAGE, LANGUAGES
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data
ATTEMPTS = 4
SERVER_ERROR_BACKOFF = (0.5, 1.0, 2.0)
LONGEST_RETRY_AFTER = 30.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update whose handling failed before anything reached the person gets 503, and
# Telegram delivers it again; after this many failures the person gets an apology.
ATTEMPTS_BEFORE_APOLOGY = 3
REDELIVERY_SECONDS = 5

# Satisfaction buttons' callback data: never sent to Rasa as a message.
USEFUL_PAYLOAD, RATE_PAYLOAD = "veivalg:nyttig:", "veivalg:vurdering:"
USEFUL_BUTTONS = {"nb": ("👍 Nyttig", "👎 Ikke nyttig"), "nn": ("👍 Nyttig", "👎 Ikkje nyttig"),
                  "en": ("👍 Helpful", "👎 Not helpful")}
NOT_KEPT = {"nb": "Svaret kunne ikke lagres.", "nn": "Svaret kunne ikkje lagrast.",
            "en": "The answer could not be saved."}


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line or space if possible."""
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text or not pieces else pieces


def language_from_telegram(code: str | None) -> str:
    """Telegram's language_code for a person we have not heard from before."""
    code = (code or "").lower()
    if code.startswith("nn"):
        return "nn"
    if code.startswith(("nb", "no")):
        return "nb"
    return "en" if code.startswith("en") else DEFAULT_LANGUAGE


def _is_chat_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63


def _message_problem(message: object) -> str | None:
    if not isinstance(message, dict):
        return "must be an object"
    chat, sender = message.get("chat"), message.get("from", {})
    if not isinstance(chat, dict) or not _is_chat_id(chat.get("id")):
        return "needs a chat with an integer id"
    if not isinstance(sender, dict) or not isinstance(sender.get("language_code", ""), str):
        return "from: an object whose language_code is a string"
    keyboard = message.get("reply_markup", {})
    keyboard = keyboard.get("inline_keyboard", []) if isinstance(keyboard, dict) else None
    if not isinstance(keyboard, list) or not all(
        isinstance(row, list) and all(isinstance(button, dict) for button in row)
        for row in keyboard
    ):
        return "reply_markup: an object with rows of buttons"
    return None


def update_problem(update: dict[str, Any]) -> str | None:
    """Why an update is not one the Bot API sends (in the parts this channel reads), or
    None. Other kinds of update pass, and are ignored."""
    for kind in ("message", "edited_message"):
        problem = _message_problem(update[kind]) if kind in update else None
        if problem:
            return f"{kind}: {problem}"
    query = update.get("callback_query", {})
    if not isinstance(query, dict):
        return "callback_query: must be an object"
    problem = _message_problem(query["message"]) if "message" in query else None
    return f"callback_query.message: {problem}" if problem else None


class TelegramApi:
    """The Bot API calls we use, retried as Telegram asks: 429 after `retry_after`,
    5xx and network errors with backoff; then it gives up with a log line."""

    def __init__(self, token: str, base_url: str) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        return self._session

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """The method's result, or None when Telegram refused or could not be reached."""
        result, _ = await self.request(method, payload)
        return result

    async def request(self, method: str,
                      payload: dict[str, Any]) -> tuple[Any, NotDelivered | None]:
        """The method's result, or why there is none."""
        url = f"{self.base_url}/bot{self.token}/{method}"
        problem = ""
        for attempt in range(ATTEMPTS):
            wait = SERVER_ERROR_BACKOFF[min(attempt, len(SERVER_ERROR_BACKOFF) - 1)]
            try:
                async with self._client().post(url, json=payload) as answer:
                    body = await answer.json(content_type=None)
                    body = body if isinstance(body, dict) else {}
                    if answer.status == 200 and body.get("ok"):
                        return body.get("result"), None
                    description = str(body.get("description") or "")
                    problem = f"HTTP {answer.status}" + (f": {description}" if description else "")
                    if answer.status == 429:
                        retry_after = (body.get("parameters") or {}).get("retry_after", 1)
                        wait = min(float(retry_after), LONGEST_RETRY_AFTER)
                    elif answer.status < 500:
                        logger.error("Telegram refused %s: %s %s", method, answer.status,
                                     description)
                        # 403: the bot may not write to this chat (blocked, account gone).
                        reason = BLOCKED if answer.status == 403 else REFUSED
                        return None, NotDelivered(reason, problem)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                problem = type(error).__name__
                logger.warning("Telegram %s failed (%s)", method, problem)
            if attempt < ATTEMPTS - 1:
                await asyncio.sleep(wait)
        logger.error("Telegram %s: gave up after %d attempts", method, ATTEMPTS)
        return None, NotDelivered(UNREACHABLE, f"{problem}, {ATTEMPTS} attempts")

    async def send_message(self, chat_id: int | str, text: str,
                           buttons: list[dict[str, str]] | None = None) -> int | None:
        """The last piece's message id when every piece went, else None."""
        sent, _ = await self.deliver(chat_id, text, buttons)
        return sent

    async def deliver(self, chat_id: int | str, text: str,
                      buttons: list[dict[str, str]] | None = None
                      ) -> tuple[int | None, NotDelivered | None]:
        """The last piece's message id, or why a piece did not arrive. A long text stops at
        the first piece that fails: the pieces after it would read out of context."""
        pieces = split_text(text)
        sent: int | None = None
        for number, piece in enumerate(pieces):
            payload: dict[str, Any] = {"chat_id": chat_id, "text": piece,
                                       "disable_web_page_preview": True}
            if buttons and number == len(pieces) - 1:
                payload["reply_markup"] = {"inline_keyboard": [
                    [{"text": button["title"], "callback_data": button["payload"]}]
                    for button in buttons
                    if len(button["payload"].encode()) <= MAX_CALLBACK_BYTES
                ]}
            result, failure = await self.request("sendMessage", payload)
            if failure is None and not isinstance(result, dict):
                failure = NotDelivered(REFUSED, "sendMessage gave no message")
            if failure is not None:
                return None, replace(failure, parts=len(pieces), delivered_parts=number)
            sent = result.get("message_id")
        return sent, None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def chat_of(update: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The chat an update comes from, and who wrote it (None, {} when there is none)."""
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict):
        query = update.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
        sender = query.get("from") if isinstance(query, dict) else None
    else:
        sender = message.get("from")
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return (chat_id if isinstance(chat_id, int | str) else None,
            sender if isinstance(sender, dict) else {})


def chat_id_of(sender_id: str) -> str:
    return sender_id.removeprefix(f"{TELEGRAM}:")


class TelegramOutput(OutputChannel):
    """Sends to one person's Telegram chat: replies, counsellor messages and notices."""

    def __init__(self, api: TelegramApi, on_undelivered: OnUndelivered | None = None) -> None:
        self.api = api
        self.on_undelivered = on_undelivered
        self.sent = 0
        # The last message sent, and whether it has buttons of its own: an answer without
        # gets "Nyttig" / "Ikke nyttig" under it (TelegramInput.ask_if_useful).
        self.last_message: int | None = None
        self.last_had_buttons = False

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A reply in the person's turn; one that did not arrive is reported (the help
        lines reach the desk: bot/server/channels/help_lines.py)."""
        failure = await self.deliver(recipient_id, message)
        if failure is not None and self.on_undelivered is not None:
            await self.on_undelivered(recipient_id, message, replace(failure, channel=self.name()))

    async def deliver(self, recipient_id: str, message: dict[str, Any]) -> NotDelivered | None:
        """Send a message; why it did not arrive, or None (ReportsDelivery)."""
        # Telegram shows every message as from the bot: a counsellor's says who writes.
        text = as_shown(message)
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in message.get("buttons") or []
        ]
        if not (text or buttons):
            return None
        self.last_message, failure = await self.api.deliver(chat_id_of(recipient_id),
                                                            text or "…", buttons)
        self.last_had_buttons = bool(buttons)
        self.sent += 1
        return failure

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_frame(self, recipient_id: str, frame: dict[str, Any],
                         language: str | None) -> NotDelivered | None:
        """A desk notice (queue place, counsellor joined or left, rating, typing) as
        Telegram can show it; why a notice with words did not arrive, or None."""
        kind = frame.get("type")
        chat_id = chat_id_of(recipient_id)
        text = notice_text(frame, language)
        if text is not None:
            _, failure = await self.api.deliver(chat_id, text)
            return failure
        if kind == "rate":
            return await self.ask_for_rating(chat_id, language)
        if kind == "typing" and frame.get("on"):
            # Not worth reporting: the counsellor's message itself is.
            await self.api.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})
        return None

    async def ask_for_rating(self, chat_id: str, language: str | None) -> NotDelivered | None:
        """The 1-5 rating after a counsellor conversation; why it did not arrive, or None."""
        language = language if language in RATE else "nb"
        _, failure = await self.api.request("sendMessage", {
            "chat_id": chat_id, "text": RATE[language],
            "reply_markup": {"inline_keyboard": [[
                {"text": str(score), "callback_data": f"{RATE_PAYLOAD}{score}"}
                for score in range(1, 6)]]}})
        return failure


class Failures:
    """How often each recent update failed, so that Telegram's redeliveries of an update
    that keeps failing end in an apology instead of silence. Bounded: an update id is
    forgotten after `keep` newer failures."""

    def __init__(self, keep: int = 1000) -> None:
        self.keep = keep
        self._counts: OrderedDict[Any, int] = OrderedDict()

    def another(self, update_id: Any) -> int:
        """Count one more failure of `update_id`; how many it has had."""
        count = self._counts.pop(update_id, 0) + 1
        self._counts[update_id] = count
        while len(self._counts) > self.keep:
            self._counts.popitem(last=False)
        return count


class TelegramInput(InputChannel):
    """Telegram's webhook at /webhooks/telegram/webhook."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.api = TelegramApi(self.settings.telegram_token, self.settings.telegram_api_url)
        self.failures = Failures()
        self.book = SatisfactionBook(make_engine(self.settings.database_url))
        self.undelivered = UndeliveredReplies()

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        return cls()

    @property
    def configured(self) -> bool:
        return bool(self.settings.telegram_token and self.settings.telegram_secret)

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self.api, self.undelivered.report)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("veivalg_telegram", __name__)

        @telegram.listener("after_server_start")
        async def reach_the_desk(app: Any, _loop: Any) -> None:
            self.undelivered.attach(app)

        @telegram.listener("after_server_start")
        async def set_webhook(app: Any, _loop: Any) -> None:
            if self.configured and self.settings.telegram_set_webhook:
                await self.api.call("setWebhook", {
                    "url": self.settings.telegram_webhook_url,
                    "secret_token": self.settings.telegram_secret,
                    "allowed_updates": ["message", "edited_message", "callback_query"],
                })

        @telegram.listener("before_server_stop")
        async def close(*_: Any) -> None:
            await self.api.close()

        @telegram.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "not_configured"}, status=503)
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.settings.telegram_secret.encode()):
                return response.json({"error": "forbidden"}, status=403)
            oversized = body_too_large(request, self.settings.max_channel_bytes)
            if oversized is not None:
                return oversized
            update = request.json if isinstance(request.json, dict) else None
            problem = "must be a JSON object" if update is None else update_problem(update)
            if problem:
                return response.json({"error": "invalid_update", "message": problem}, status=400)
            if await self.too_fast(request.app, update):
                # Answered 200, not 429: Telegram would deliver the update again and again,
                # and hold back everybody else's updates meanwhile.
                return response.json({"ok": True, "dropped": "rate_limited"})
            agent = request.app.ctx.agent
            try:
                await self.handle(update, agent, on_new_message)
            except Exception:  # noqa: BLE001 - Telegram redelivers, or the person hears why
                logger.exception("a Telegram update could not be handled")
                if self.failures.another(update.get("update_id")) < ATTEMPTS_BEFORE_APOLOGY:
                    # Nothing reached the person: Telegram delivers the update again.
                    return response.json({"error": "not_handled"}, status=503,
                                         headers={"Retry-After": str(REDELIVERY_SECONDS)})
                await self.apologise(update, agent)
            return response.json({"ok": True})

        return telegram

    async def too_fast(self, app: Any, update: dict[str, Any]) -> bool:
        """Whether the chat sends faster than a person can (the message is then dropped);
        the person is told so, at most once a minute. Per chat only: every update comes
        from Telegram's own servers, so an address says nothing."""
        chat_id, sender = chat_of(update)
        if chat_id is None:
            return False
        limits = limits_of(app, self.settings)
        conversation = f"telegram-{chat_id}"
        if not await limits.message(conversation, None):
            return False
        if not await limits.notice(conversation):
            language = language_from_telegram(sender.get("language_code"))
            await self.api.send_message(chat_id, notice("too_fast", language))
        return True

    async def apologise(self, update: dict[str, Any], agent: Any) -> None:
        """Tell the person, after the last attempt, that their message was not handled,
        with the help lines first if it spoke of a crisis."""
        message = update.get("message") or {}
        chat, text = message.get("chat") or {}, message.get("text")
        if chat.get("type") != "private" or not isinstance(text, str):
            return
        for reply in failure_replies(text, agent.domain):
            await self.api.send_message(chat["id"], reply)

    async def language_of(self, agent: Any, sender_id: str, sender: dict[str, Any]) -> str:
        slot = await conversation_language(agent, sender_id)
        return slot if slot in LANGUAGES else language_from_telegram(sender.get("language_code"))

    async def handle(self, update: dict[str, Any], agent: Any,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        if "callback_query" in update:
            await self.button_pressed(update["callback_query"], agent, on_new_message)
            return
        edited = "edited_message" in update
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
            return  # an update type we do not subscribe to
        chat, sender = message["chat"], message.get("from") or {}
        sender_id = telegram_conversation(chat["id"])
        if chat.get("type") != "private":
            kind = "private_only"
        elif edited:
            kind = "edited"
        elif not isinstance(message.get("text"), str):
            kind = "only_text"  # sticker, photo, voice, document, location...
        else:
            await self.take_text(message["text"], sender_id, agent, on_new_message)
            return
        language = await self.language_of(agent, sender_id, sender)
        await self.api.send_message(chat["id"], notice(kind, language))

    async def button_pressed(self, query: dict[str, Any], agent: Any,
                             on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        message = query.get("message") or {}
        chat = message.get("chat") or {}
        payload = query.get("data")
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        title = next((button.get("text") for row in keyboard for button in row
                      if isinstance(button, dict) and button.get("callback_data") == payload),
                     None)
        if (chat.get("type") == "private" and title is not None and isinstance(payload, str)
                and payload.startswith((USEFUL_PAYLOAD, RATE_PAYLOAD))):
            await self.satisfaction(query, payload, chat["id"], message, agent)
            return
        await self.api.call("answerCallbackQuery", {"callback_query_id": query.get("id")})
        if chat.get("type") != "private" or not isinstance(payload, str):
            return
        if title is None:
            return  # not a button of this message: Telegram's client made it up
        await self.take_text(payload, telegram_conversation(chat["id"]), agent, on_new_message,
                             {DISPLAY_KEY: title}, pressed=True)

    async def satisfaction(self, query: dict[str, Any], payload: str, chat_id: Any,
                           message: dict[str, Any], agent: Any) -> None:
        """"Nyttig" / "Ikke nyttig" under an answer, or a 1-5 rating after a counsellor
        conversation: kept anonymously (bot/server/insights/satisfaction.py); the buttons go, so
        each is answered once."""
        sender_id = telegram_conversation(chat_id)
        language = await self.language_of(agent, sender_id, query.get("from") or {})
        value = payload.rsplit(":", 1)[-1]
        if payload.startswith(USEFUL_PAYLOAD) and value in ("0", "1"):
            await off_loop(self.book.answer, value == "1", self.name(), language)
            kept = True
        elif payload.startswith(RATE_PAYLOAD) and value in ("1", "2", "3", "4", "5"):
            kept = await off_loop(self.book.rate, sender_id, int(value), None, self.name(),
                                  language)
        else:
            kept = False
        await self.api.call("editMessageReplyMarkup", {
            "chat_id": chat_id, "message_id": message.get("message_id"),
            "reply_markup": {"inline_keyboard": []}})
        await self.api.call("answerCallbackQuery", {
            "callback_query_id": query.get("id"),
            "text": (THANKS if kept else NOT_KEPT).get(language, THANKS["nb"])})

    async def ask_if_useful(self, output: TelegramOutput, sender_id: str, agent: Any) -> None:
        """An answer from the knowledge base gets two buttons under it, on the message
        itself (no extra message in the chat)."""
        if output.last_message is None or output.last_had_buttons:
            return
        if not answered_by_bot(await agent.tracker_store.retrieve(sender_id)):
            return
        language = await self.language_of(agent, sender_id, {})
        yes, no = USEFUL_BUTTONS.get(language, USEFUL_BUTTONS["nb"])
        await self.api.call("editMessageReplyMarkup", {
            "chat_id": chat_id_of(sender_id), "message_id": output.last_message,
            "reply_markup": {"inline_keyboard": [[
                {"text": yes, "callback_data": f"{USEFUL_PAYLOAD}1"},
                {"text": no, "callback_data": f"{USEFUL_PAYLOAD}0"}]]}})

    async def take_text(self, text: str, sender_id: str, agent: Any,
                        on_new_message: Callable[[UserMessage], Awaitable[Any]],
                        metadata: dict[str, Any] | None = None, pressed: bool = False) -> None:
        if text.strip() == "/start":
            text = "hei"  # Telegram's "start" button: greet like any first hello
        cleaned, rejection = check_text(text, self.settings.max_message_chars)
        output = TelegramOutput(self.api, self.undelivered.report)
        if rejection is not None:
            await self.api.send_message(chat_id_of(sender_id), rejection.message)
            return
        try:
            said = cleaned if pressed else await as_written(cleaned, sender_id, agent)
            await on_new_message(UserMessage(said, output, sender_id,
                                             input_channel=self.name(), metadata=metadata))
        except Exception:
            if output.sent == 0:
                raise  # nothing was said: the update can be delivered again
            logger.exception("a Telegram message was answered in part")
            return
        if output.sent == 0 and not await with_counsellor(agent, sender_id):
            await output.send_text_message(sender_id, no_answer_text(cleaned))
        elif output.sent:
            await self.ask_if_useful(output, sender_id, agent)  # buttons on the answer
        await tell_what_was_removed(cleaned, output, sender_id, agent)
