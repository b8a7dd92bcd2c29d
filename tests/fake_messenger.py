"""A fake Messenger Send API (Meta's Graph API) on loopback: records what the bot sends.

The Rasa server is pointed at it with VEIVALG_MESSENGER_API_URL, so that a Messenger
message can be answered in tests without reaching Meta. It runs in a thread of the test
process, like bench/fake_telegram.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bench.loopback import LoopbackApp
from bot.commands.serve import free_port

VERIFY = "verify-token-for-tests"
SECRET = "app-secret-for-tests"
PAGE_TOKEN = "page-token-for-tests"
API_VERSION = "v2.12"


@dataclass
class FakeGraph(LoopbackApp):
    port: int = field(default_factory=free_port)
    sent: list[dict[str, Any]] = field(default_factory=list)
    _failures: list[tuple[int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{API_VERSION}"

    def texts(self, recipient: str) -> list[str]:
        """What the bot wrote to one person (typing and seen marks left out)."""
        with self._lock:
            messages = [call["message"] for call in self.sent
                        if (call.get("recipient") or {}).get("id") == recipient
                        and isinstance(call.get("message"), dict)]
        # A message with buttons is a template whose text sits in its payload.
        return [message.get("text")
                or ((message.get("attachment") or {}).get("payload") or {}).get("text", "")
                for message in messages]

    def fail_next(self, code: int, message: str, times: int = 1) -> None:
        """The next ``times`` messages (typing marks aside) get the Send API's error."""
        with self._lock:
            self._failures.extend([(code, message)] * times)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != PAGE_TOKEN:
            return web.json_response({"error": {"message": "Invalid OAuth access token",
                                                "code": 190}}, status=400)
        payload = await request.json()
        with self._lock:
            failure = self._failures.pop(0) if self._failures and "message" in payload \
                else None
        if failure is not None:
            code, message = failure
            return web.json_response({"error": {"message": message, "code": code}}, status=400)
        with self._lock:
            self.sent.append(payload)
        recipient = (payload.get("recipient") or {}).get("id")
        return web.json_response({"recipient_id": recipient, "message_id": f"m{len(self.sent)}"})

    def routes(self, app: web.Application) -> None:
        app.router.add_post(f"/{API_VERSION}/me/messages", self._handle)
