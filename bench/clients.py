"""The clients that tests and benchmarks share: a counsellor at the desk API, as the desk
page uses it, and the conversation id a REST caller gets.

They live in bench/ because the tests already import bench (bench.crisis, bench.retrain,
bench.load) while the benchmarks must not depend on tests/. The benchmarks' timed
keep-alive REST client stays in bench.common: its timing is measurement.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request
from typing import Any

import websockets

from bot.commands.serve import Servers
from bot.server.channels.ownership import channel_of, rest_conversation
from bot.server.database import make_engine
from bot.server.handoff.accounts import Accounts

PASSWORD = "et-langt-testpassord"


def conversation(sender: str) -> str:
    """The conversation id for a REST caller's sender; an id with its channel as it is."""
    return sender if channel_of(sender) in {"web", "telegram", "messenger", "rest"} \
        else rest_conversation(sender)


def add_counsellor(servers: Servers, login: str, name: str) -> int:
    """An invented counsellor in the servers' database."""
    accounts = Accounts(make_engine(servers.database_url), session_minutes=60)
    return accounts.add(login, name, PASSWORD).id


class Counsellor:
    """One counsellor's browser: a cookie jar for the desk session, and its socket."""

    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.servers.rasa_url + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            with error:
                raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def log_in(self, login: str, password: str = PASSWORD) -> tuple[int, Any]:
        return self.call("POST", "/desk/api/login", {"login": login, "password": password})

    def cases(self) -> list[dict[str, Any]]:
        status, body = self.call("GET", "/desk/api/cases")
        assert status == 200, body
        return body["cases"]

    def case_of(self, sender: str) -> dict[str, Any]:
        wanted = conversation(sender)
        matching = [case for case in self.cases() if case["sender_id"] == wanted]
        assert matching, f"no case for {sender}"
        return matching[0]

    def take(self, case_id: int) -> tuple[int, Any]:
        return self.call("POST", f"/desk/api/cases/{case_id}/take", {})

    def say(self, case_id: int, text: str) -> tuple[int, Any]:
        return self.call("POST", f"/desk/api/cases/{case_id}/messages", {"text": text})

    def close(self, case_id: int) -> tuple[int, Any]:
        return self.call("POST", f"/desk/api/cases/{case_id}/close", {})

    def cookie(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    async def socket(self) -> Any:
        return await websockets.connect(
            f"ws://127.0.0.1:{self.servers.rasa_port}/desk/socket",
            extra_headers={"Cookie": self.cookie()},
        )
