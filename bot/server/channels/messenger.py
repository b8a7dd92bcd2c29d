"""Facebook Messenger: Rasa's connector, configured from the environment, with a refusal
that says so when a request is not signed by Meta, and pushes through the same path as
every channel (its output channel, used by the desk for counsellor replies).

Settings: VEIVALG_MESSENGER_VERIFY, VEIVALG_MESSENGER_SECRET, VEIVALG_MESSENGER_PAGE_TOKEN,
VEIVALG_MESSENGER_API_URL (the tests point it at a fake Send API on loopback).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from fbmessenger import MessengerClient
from fbmessenger.elements import Text as FBText
from fbmessenger.sender_actions import SenderAction
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.delivery_report import BLOCKED, REFUSED, UNREACHABLE, NotDelivered
from bot.server.channels.help_lines import OnUndelivered, UndeliveredReplies
from bot.server.channels.incoming import (
    as_written,
    check_encodable,
    check_text,
    tell_what_was_removed,
)
from bot.server.channels.limits import body_too_large, limits_of
from bot.server.channels.notices import as_shown, notice_text
from bot.server.channels.ownership import MESSENGER, messenger_conversation
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)


class PageClient(MessengerClient):
    """Meta's client, addressed by conversation id: ``messenger:<psid>`` goes to <psid>."""

    def send(self, payload: Any, recipient_id: str, *args: Any, **kwargs: Any) -> Any:
        return super().send(payload, psid_of(recipient_id), *args, **kwargs)

    def send_action(self, sender_action: Any, recipient_id: str, *args: Any,
                    **kwargs: Any) -> Any:
        return super().send_action(sender_action, psid_of(recipient_id), *args, **kwargs)


# What a reply may hold besides text; a reply with any of these goes Rasa's way.
NOT_ONLY_TEXT = ("buttons", "quick_replies", "custom", "image", "attachment", "elements")


class MessengerOutput(MessengerBot):
    """Rasa's Messenger output, with the desk's notices (the place in the queue, a
    counsellor joining or leaving) as messages, as Telegram shows them, and a report when a
    message does not arrive (ReportsDelivery; in the person's turn, ``on_undelivered``)."""

    def __init__(self, messenger_client: MessengerClient,
                 on_undelivered: OnUndelivered | None = None) -> None:
        super().__init__(messenger_client)
        self.on_undelivered = on_undelivered

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A reply in the person's turn. Rasa's own sending drops the Send API's answer, so
        a text reply goes through ``deliver``, and one that did not arrive is reported
        (the help lines reach the desk: bot/server/channels/help_lines.py)."""
        if not message.get("text") or any(message.get(key) for key in NOT_ONLY_TEXT):
            await super().send_response(recipient_id, message)
            return
        failure = await self.deliver(recipient_id, message)
        if failure is not None and self.on_undelivered is not None:
            await self.on_undelivered(recipient_id, message, replace(failure, channel=self.name()))

    async def deliver(self, recipient_id: str, message: dict[str, Any]) -> NotDelivered | None:
        """Send a message from the desk; why it did not arrive, or None. The Send API
        answers an error as JSON rather than raising: a refusal must not look sent. A long
        text stops at the first paragraph that fails, as Rasa sends it paragraph by
        paragraph."""
        parts = [part for part in as_shown(message).strip().split("\n\n") if part] or ["…"]
        for number, part in enumerate(parts):
            try:
                # Meta's client is synchronous (requests): off the event loop.
                answer = await asyncio.to_thread(
                    self.messenger_client.send, FBText(text=part).to_dict(), recipient_id,
                    "RESPONSE")
            except Exception as error:  # noqa: BLE001 - requests: the Graph API is away
                failure = NotDelivered(UNREACHABLE, type(error).__name__)
            else:
                failure = graph_failure(answer)
            if failure is not None:
                return replace(failure, parts=len(parts), delivered_parts=number)
        return None

    async def send_frame(self, recipient_id: str, frame: dict[str, Any],
                         language: str | None) -> NotDelivered | None:
        """A desk notice as a message, read back like any other (``deliver``): why a
        notice with words did not arrive, or None. Typing is not worth reporting."""
        text = notice_text(frame, language)
        if text is not None:
            return await self.deliver(recipient_id, {"text": text})
        if frame.get("type") == "typing" and frame.get("on"):
            self.messenger_client.send_action(SenderAction("typing_on").to_dict(), recipient_id)
        return None


def graph_failure(answer: Any) -> NotDelivered | None:
    """Why the Send API did not take a message, from its answer; None when it did. Meta's
    codes: 551 and 10 (with subcode 2018108 or 2018278) mean the person cannot be reached
    (blocked the page, or the 24-hour window has passed)."""
    if isinstance(answer, dict) and answer.get("message_id"):
        return None
    error = (answer or {}).get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return NotDelivered(REFUSED, "the Send API gave no message id")
    detail = str(error.get("message") or "")
    blocked = error.get("code") in (551, 10) or error.get("error_subcode") in (2018108, 2018278)
    return NotDelivered(BLOCKED if blocked else REFUSED, detail)


def psid_of(conversation_id: str) -> str:
    return conversation_id.removeprefix(f"{MESSENGER}:")


class PageMessages(Messenger):
    """Rasa's Messenger handler, with the checks every channel applies: the text is
    cleaned of identity numbers, "/..." typed by a person stays text, and the
    conversation lives in the ``messenger:`` namespace."""

    def __init__(self, page_access_token: str, on_new_message: Any, agent: Any,
                 max_chars: int, on_undelivered: OnUndelivered | None = None) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = PageClient(page_access_token)
        self.agent = agent
        self.max_chars = max_chars
        self.on_undelivered = on_undelivered

    async def _handle_user_message(self, text: str, sender_id: str,
                                   metadata: dict[str, Any] | None) -> None:
        conversation = messenger_conversation(sender_id)
        cleaned, rejection = check_text(text, self.max_chars)
        if rejection is not None:  # said back, as the Telegram channel does
            await MessengerBot(self.client).send_text_message(conversation, rejection.message)
            return
        said = await as_written(cleaned, conversation, self.agent)
        await self._answer(said, conversation, metadata)

    async def _answer(self, text: str, conversation: str,
                      metadata: dict[str, Any] | None) -> None:
        """Rasa's ``Messenger._handle_user_message``, with our output channel instead of
        the one Rasa builds there (which cannot tell whether a reply arrived)."""
        output = MessengerOutput(self.client, self.on_undelivered)
        await output.send_action(conversation, sender_action="mark_seen")
        message = UserMessage(text, output, conversation, input_channel=self.name(),
                              metadata=metadata)
        await output.send_action(conversation, sender_action="typing_on")
        try:
            await self.on_new_message(message)
            await tell_what_was_removed(text, output, conversation, self.agent)
        except Exception:  # noqa: BLE001 - as Rasa's handler: Meta gets its 200 either way
            logger.exception("a Messenger message could not be handled")
        finally:
            await output.send_action(conversation, sender_action="typing_off")


ATTACHMENTS = ("audio", "image", "video", "file")  # Rasa reads the url of these kinds


def _event_problem(event: dict[str, Any]) -> str | None:
    sender = event.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("id"), str) or not sender["id"]:
        return "sender.id must be a string"
    if not event.get("message"):
        postback = event["postback"]
        ok = isinstance(postback, dict) and isinstance(postback.get("payload"), str)
        return None if ok else "postback: an object with a string payload"
    message = event["message"]
    if not isinstance(message, dict):
        return "message must be an object"
    quick = message.get("quick_reply")
    if quick is not None and not (isinstance(quick, dict)
                                  and isinstance(quick.get("payload") or "", str)):
        return "quick_reply: an object with a string payload"
    if "text" in message and not isinstance(message["text"], str):
        return "message.text must be a string"
    if "attachments" not in message:
        return None
    attachments = message["attachments"]
    first = attachments[0] if isinstance(attachments, list) and attachments else None
    if not isinstance(first, dict) or "type" not in first:
        return "message.attachments: a list of attachments with a type"
    if first["type"] in ATTACHMENTS and not (isinstance(first.get("payload"), dict)
                                             and isinstance(first["payload"].get("url"), str)):
        return "an attachment needs a payload with a url"
    return None


def event_problem(payload: dict[str, Any]) -> str | None:
    """Why a webhook call is not one Meta sends, in the parts Rasa's handler reads (it
    acts on the first event with a message or a postback), or None."""
    entries = payload.get("entry")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("messaging"), list)
        and all(isinstance(event, dict) for event in entry["messaging"])
        for entry in entries
    ):
        return "entry: a list of objects, each with a list of messaging events"
    for entry in entries:
        for event in entry["messaging"]:
            if event.get("message") or event.get("postback"):
                return _event_problem(event)
    return None


class MessengerInput(FacebookInput):
    """Messenger's webhook at /webhooks/facebook/webhook."""

    api_url = ""  # Meta's Graph API unless set: fbmessenger's own default

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        settings = Settings.from_env()
        channel = cls(settings.messenger_verify, settings.messenger_secret,
                      settings.messenger_page_token, settings.max_message_chars)
        channel.api_url = settings.messenger_api_url
        return channel

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str,
                 max_chars: int | None = None) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.max_chars = max_chars or Settings.from_env().max_message_chars
        self.undelivered = UndeliveredReplies()

    @property
    def configured(self) -> bool:
        return bool(self.fb_verify and self.fb_secret and self.fb_access_token)

    def client(self) -> PageClient:
        client = PageClient(self.fb_access_token)
        if self.api_url:
            client.graph_url = self.api_url.rstrip("/")
        return client

    def get_output_channel(self) -> OutputChannel | None:
        return MessengerOutput(self.client(), self.undelivered.report) if self.configured \
            else None

    def signed(self, request: Request) -> bool:
        """Meta signs the body with the app secret: X-Hub-Signature-256 (or the older
        SHA-1 header). Only these two hashes are accepted."""
        for header, prefix in (("X-Hub-Signature-256", "sha256="), ("X-Hub-Signature", "sha1=")):
            given = request.headers.get(header, "")
            if given.startswith(prefix):
                return self.validate_hub_signature(self.fb_secret, request.body, given)
        return False

    @staticmethod
    def limited(app: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                ) -> Callable[[UserMessage], Awaitable[Any]]:
        """``on_new_message`` for people who write no faster than a person can; the rest
        is dropped, and Meta still gets its 200 (it retries, then disables, a webhook
        that refuses). Per sender only: every call comes from Meta's servers."""

        async def within_limits(message: UserMessage) -> Any:
            if await limits_of(app).message(message.sender_id, None):
                logger.info("a Messenger message over the rate limit was dropped")
                return None
            return await on_new_message(message)

        return within_limits

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        messenger = Blueprint("veivalg_messenger", __name__)

        @messenger.listener("after_server_start")
        async def reach_the_desk(app: Any, _loop: Any) -> None:
            self.undelivered.attach(app)

        @messenger.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @messenger.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token", "")
            if self.configured and hmac.compare_digest(token, self.fb_verify):
                return response.text(request.args.get("hub.challenge", ""))
            return response.text("failure, invalid token", status=403)

        @messenger.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.json({"error": "not_configured"}, status=503)
            oversized = body_too_large(request, Settings.from_env().max_channel_bytes)
            if oversized is not None:
                return oversized
            if not self.signed(request):
                logger.warning("Messenger webhook call without a valid signature refused")
                return response.json({"error": "invalid_signature"}, status=403)
            if not isinstance(request.json, dict):
                return response.json({"error": "invalid_update"}, status=400)
            problem = check_encodable(request.json) or event_problem(request.json)
            if problem:
                message = problem if isinstance(problem, str) else problem.message
                return response.json({"error": "invalid_update", "message": message},
                                     status=400)
            messages = PageMessages(self.fb_access_token,
                                    self.limited(request.app, on_new_message),
                                    request.app.ctx.agent, self.max_chars,
                                    self.undelivered.report)
            messages.client = self.client()
            await messages.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return messenger
