"""A fake Telegram Bot API on loopback: records calls, answers as Telegram does.

It runs in a thread of the test's or the benchmark's process (bench.telegram). Tests can
make it answer the next calls with 429 (and a retry_after) or 5xx, as the real API does
under load or trouble.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bench.loopback import LoopbackApp
from bot.commands.serve import free_port

TOKEN = "123456:TEST-token-for-a-fake-bot"
SECRET = "test-webhook-secret_1"
MAX_MESSAGE_CHARS = 4096  # the real API refuses longer texts


@dataclass
class Call:
    method: str
    payload: dict[str, Any]
    at: float


@dataclass
class FakeTelegram(LoopbackApp):
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)
    # (status, body, method or None for any method), answered in order.
    failures: list[tuple[int, dict[str, Any], str | None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None,
                  description: str | None = None, method: str | None = None) -> None:
        """Answer the next ``times`` calls (of ``method`` only, if given: a typing action
        must not take a failure meant for a message) with ``status``, as Telegram does: a
        JSON body with ``ok: false`` and a description ("Forbidden: bot was blocked by the
        user")."""
        if description is None:
            description = "Too Many Requests" if status == 429 else "Bad"
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._lock:
            self.failures.extend([(status, body, method)] * times)

    def sent(self, chat_id: int | str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == "sendMessage"
                    and (chat_id is None or str(c.payload["chat_id"]) == str(chat_id))]

    def texts(self, chat_id: int | str) -> list[str]:
        return [call.payload["text"] for call in self.sent(chat_id)]

    def wait_for(self, predicate: Any, timeout: float = 20) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [call for call in self.calls if predicate(call)]
            if found:
                return found
            time.sleep(0.05)  # between two looks at the calls received, not a guessed delay
        recent = [(call.method, str(call.payload)[:80]) for call in self.calls[-6:]]
        raise AssertionError(f"the fake Telegram API never got the expected call: {recent}")

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.failures.clear()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        payload = await request.json()
        with self._lock:
            self.calls.append(Call(method, payload, time.monotonic()))
            failure = next((f for f in self.failures if f[2] in (None, method)), None)
            if failure is not None:
                self.failures.remove(failure)
        if failure is not None:
            return web.json_response(failure[1], status=failure[0])
        if method == "sendMessage" and len(payload.get("text", "")) > MAX_MESSAGE_CHARS:
            return web.json_response({"ok": False, "error_code": 400,
                                      "description": "Bad Request: message is too long"},
                                     status=400)
        if method == "sendMessage":
            result: Any = {"message_id": len(self.calls), "chat": {"id": payload["chat_id"]},
                           "date": int(time.time()), "text": payload.get("text", "")}
        else:
            result = True
        return web.json_response({"ok": True, "result": result})

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/bot{token}/{method}", self._handle)


_update_ids = iter(range(1, 10**9))


def text_update(chat_id: int, text: str, language: str = "nb",
                chat_type: str = "private") -> dict[str, Any]:
    """A Telegram update for a text message from an invented person."""
    return {"update_id": next(_update_ids), "message": {
        "message_id": next(_update_ids), "date": int(time.time()), "text": text,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Testperson",
                 "language_code": language},
        "chat": {"id": chat_id if chat_type == "private" else -chat_id, "type": chat_type},
    }}


def button_update(chat_id: int, data: str, title: str) -> dict[str, Any]:
    return {"update_id": next(_update_ids), "callback_query": {
        "id": str(next(_update_ids)), "data": data,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Testperson"},
        "message": {"message_id": 1, "chat": {"id": chat_id, "type": "private"},
                    "reply_markup": {"inline_keyboard": [[{"text": title,
                                                           "callback_data": data}]]}},
    }}
