"""The REST channel (``/webhooks/rest/webhook``) with the input checks Rasa's lacks.

Rasa's own RestInput answers malformed JSON with a bare 400, a missing message with an
empty list, a JSON array with a 500, and a request without a sender by putting it in a
shared conversation called "default". This one answers each with a clear error, keeps
Rasa's request and response format, and is registered under the same name, ``rest``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.incoming import (
    Rejection,
    as_written,
    check_encodable,
    check_sender,
    check_text,
    failure_replies,
    no_answer_text,
    tell_what_was_removed,
    with_counsellor,
)
from bot.server.channels.limits import body_too_large, limits_of, too_many
from bot.server.channels.ownership import rest_conversation
from bot.server.privacy import redact_value
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)


def error_response(rejection: Rejection) -> HTTPResponse:
    return response.json(
        {"error": rejection.code, "message": rejection.message}, status=rejection.status
    )


def _parse_body(request: Request) -> tuple[dict[str, Any], Rejection | None]:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, Rejection("invalid_encoding", "the request body must be UTF-8 encoded JSON")
    except json.JSONDecodeError as error:
        return {}, Rejection("invalid_json", f"the request body is not valid JSON ({error.msg})")
    except RecursionError:
        return {}, Rejection("invalid_json", "the request body's JSON is nested too deeply")
    if not isinstance(body, dict):
        return {}, Rejection(
            "invalid_json",
            'the request body must be a JSON object: {"sender": ..., "message": ...}',
        )
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return {}, Rejection("invalid_metadata", "'metadata' must be a JSON object")
    unreadable = check_encodable(body)
    return ({}, unreadable) if unreadable else (body, None)


class RestChannel(RestInput):
    """Rasa's REST channel with input validation; same URL, same JSON."""

    def __init__(self, max_message_chars: int | None = None) -> None:
        self.settings = Settings.from_env()
        self.max_message_chars = max_message_chars or self.settings.max_message_chars

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint("veivalg_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            oversized = body_too_large(request, self.settings.max_channel_bytes)
            if oversized is not None:
                return oversized
            limits = limits_of(request.app, self.settings)
            ip = limits.client_ip(request)
            wait = await limits.message(None, ip)  # before any work, even for garbage
            if wait:
                return too_many(wait)
            body, rejection = _parse_body(request)
            rejection = rejection or check_sender(body.get("sender"))
            if rejection is None:
                wait = await limits.message(body["sender"], None)
                if wait:
                    return too_many(wait)
            text, rejection = (
                ("", rejection) if rejection
                else check_text(body.get("message"), self.max_message_chars)
            )
            if rejection:
                return error_response(rejection)
            collector = CollectingOutputChannel()
            # The caller's sender is its credential; the conversation is named by a digest.
            conversation = rest_conversation(body["sender"])
            try:
                said = await as_written(text, conversation, request.app.ctx.agent)
                await on_new_message(
                    UserMessage(
                        said,
                        collector,
                        conversation,
                        input_channel=self.name(),
                        metadata=redact_value(body.get("metadata")),
                    )
                )
            except Exception:  # noqa: BLE001 - e.g. the database restarting: say sorry
                logger.exception("a REST message could not be handled")
                for reply in failure_replies(text, request.app.ctx.agent.domain):
                    await collector.send_text_message(conversation, reply)
                return response.json(collector.messages, status=503)
            agent = request.app.ctx.agent
            if not collector.messages and not await with_counsellor(agent, conversation):
                await collector.send_text_message(conversation, no_answer_text(text))
            await tell_what_was_removed(text, collector, conversation, agent)
            return response.json(collector.messages)

        return webhook
