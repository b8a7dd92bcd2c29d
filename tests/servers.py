"""Real servers for integration and browser tests: the action server and Rasa with the
trained model, started as `make run` starts them, and a client that talks to them."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from bench.clients import conversation
from bot.commands.serve import MODEL_PATH, Servers, free_ports

API_TOKEN = "integration-test-token"


class Chat:
    """Talks to the REST channel as a person would, and to the HTTP API as an operator."""

    def __init__(self, servers: Servers, base_url: str | None = None) -> None:
        self.servers = servers
        self.base_url = base_url or servers.rasa_url  # e.g. a load balancer in front

    def post(self, body: bytes, path: str = "/webhooks/rest/webhook") -> tuple[int, Any]:
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={"Content-Type": "application/json"},
        )
        return self._exchange(request, timeout=60)

    @staticmethod
    def _exchange(request: urllib.request.Request, timeout: float) -> tuple[int, Any]:
        """The status and JSON answer of a request, an error status included."""
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
                return response.status, None if response.status == 204 else json.loads(body)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        status, replies = self.post(json.dumps({"sender": sender, "message": message}).encode())
        assert status == 200, replies
        return replies

    def texts(self, sender: str, message: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.send(sender, message))

    def get(self, path: str, token: str | None = API_TOKEN) -> tuple[int, Any]:
        separator = "&" if "?" in path else "?"
        url = self.base_url + path + (f"{separator}token={token}" if token else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            error.close()
            return error.code, None

    def put(self, path: str, document: Any, token: str = API_TOKEN) -> tuple[int, Any]:
        """An operator's PUT to Rasa's HTTP API (e.g. /model), with the token."""
        request = urllib.request.Request(
            f"{self.base_url}{path}?token={token}", data=json.dumps(document).encode(),
            headers={"Content-Type": "application/json"}, method="PUT")
        return self._exchange(request, timeout=120)

    def parse(self, text: str) -> dict[str, Any]:
        """What the Rasa server's NLU makes of a text (HTTP API, no conversation)."""
        status, parsed = self.post(json.dumps({"text": text}).encode(),
                                   f"/model/parse?token={API_TOKEN}")
        assert status == 200, parsed
        return parsed

    def tracker(self, sender: str) -> dict[str, Any]:
        """The stored conversation of a REST sender or of a conversation id."""
        status, tracker = self.get(f"/conversations/{conversation(sender)}/tracker")
        assert status == 200
        return tracker


FIXTURES = Path(__file__).parent / "fixtures"
# Tests run at any hour: the desk is open unless a test says otherwise.
ALWAYS_OPEN = {"VEIVALG_OPENING_HOURS": str(FIXTURES / "always_open.yml")}
# Every test talks from 127.0.0.1: the per-address limits would count the whole suite as
# one very busy person. Tests of those limits set their own (test_abuse_limits.py).
ONE_ADDRESS = {"VEIVALG_IP_MESSAGES_PER_MINUTE": "100000",
               "VEIVALG_IP_FRAMES_PER_MINUTE": "100000"}


def start_servers(database: Path, log_path: Path, env: dict[str, str] | None = None) -> Servers:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make model` (make test does)")
    rasa_port, action_port = free_ports(2)
    servers = Servers(
        rasa_port=rasa_port,
        action_port=action_port,
        api_token=API_TOKEN,
        database_url=f"sqlite:///{database}",
        log_path=log_path,
        env={**ALWAYS_OPEN, **ONE_ADDRESS, **(env or {})},
    )
    try:
        servers.start(timeout=180)
    except Exception:
        print(log_path.read_text())
        raise
    return servers


def push(servers: Servers, sender: str, intent: str) -> None:
    """A message from outside the person's own request, through Rasa's HTTP API."""
    request = urllib.request.Request(
        f"{servers.rasa_url}/conversations/{conversation(sender)}/trigger_intent"
        f"?output_channel=latest&token={API_TOKEN}",
        data=json.dumps({"name": intent}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


class Person:
    """One open chat socket."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def send(self, **frame: Any) -> None:
        await self.socket.send(json.dumps(frame))

    async def receive(self, timeout: float = 30) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))

    async def until(self, kind: str, **match: Any) -> dict[str, Any]:
        """The next frame of this type (and these field values), skipping others."""
        while True:
            frame = await self.receive()
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def opening(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return await self.until("session"), await self.until("history")


def socket_url(servers: Servers) -> str:
    return f"ws://127.0.0.1:{servers.rasa_port}/chat/socket"


async def resume(socket: Any, session: dict[str, Any] | None = None) -> Person:
    """Open the conversation of an earlier ``session`` frame on ``socket`` (a new one
    when None), as the widget does with its first frame."""
    person = Person(socket)
    keys = {"sender": session["sender"], "secret": session["secret"]} if session else {}
    await person.send(type="resume", **keys)
    return person
