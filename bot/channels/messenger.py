"""Facebook Messenger: Rasa's connector, configured from the environment, with a refusal
that says so when a request is not signed by Meta, and pushes through the same path as
every channel (its output channel, used by the desk for counsellor replies).

Settings: VEIVALG_MESSENGER_VERIFY, VEIVALG_MESSENGER_SECRET, VEIVALG_MESSENGER_PAGE_TOKEN,
VEIVALG_MESSENGER_API_URL (the tests point it at a fake Send API on loopback).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fbmessenger import MessengerClient
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.incoming import check_encodable
from bot.settings import Settings

logger = logging.getLogger(__name__)


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
                      settings.messenger_page_token)
        channel.api_url = settings.messenger_api_url
        return channel

    @property
    def configured(self) -> bool:
        return bool(self.fb_verify and self.fb_secret and self.fb_access_token)

    def client(self) -> MessengerClient:
        client = MessengerClient(self.fb_access_token)
        if self.api_url:
            client.graph_url = self.api_url.rstrip("/")
        return client

    def get_output_channel(self) -> OutputChannel | None:
        return MessengerBot(self.client()) if self.configured else None

    def signed(self, request: Request) -> bool:
        """Meta signs the body with the app secret: X-Hub-Signature-256 (or the older
        SHA-1 header). Only these two hashes are accepted."""
        for header, prefix in (("X-Hub-Signature-256", "sha256="), ("X-Hub-Signature", "sha1=")):
            given = request.headers.get(header, "")
            if given.startswith(prefix):
                return self.validate_hub_signature(self.fb_secret, request.body, given)
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        messenger = Blueprint("veivalg_messenger", __name__)

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
            handler = Messenger(self.fb_access_token, on_new_message)
            handler.client = self.client()
            await handler.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return messenger
