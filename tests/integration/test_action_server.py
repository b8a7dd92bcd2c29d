"""The action server answers only the Rasa server: on loopback, with a shared secret."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.commands.serve import Servers
from tests.servers import Chat

pytestmark = pytest.mark.integration

ACTION_TOKEN_HEADER = "X-Veivalg-Action-Token"  # endpoints.yml sends it

# What Rasa posts to run an action, for a conversation a forger makes up.
FORGED = {
    "next_action": "action_handoff",
    "sender_id": "someone-else",
    "tracker": {"sender_id": "someone-else", "slots": {}, "latest_message": {},
                "events": [], "paused": False, "active_loop": {}},
    "domain": {},
    "version": "3.6.21",
}


def post_action(servers: Servers, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"{servers.action_url}/webhook", data=json.dumps(FORGED).encode(),
        headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel writes them) listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_a_call_without_the_secret_is_refused(servers: Servers) -> None:
    assert post_action(servers, {}) == 403
    assert post_action(servers, {ACTION_TOKEN_HEADER: "guessed"}) == 403
    with urllib.request.urlopen(f"{servers.action_url}/health", timeout=10) as answer:
        assert answer.status == 200  # probes need no secret


def test_the_rasa_server_shows_the_secret(servers: Servers, chat: Chat) -> None:
    assert post_action(servers, {ACTION_TOKEN_HEADER: servers.action_token}) != 403
    # Every answer from the knowledge base runs a custom action.
    assert "15. april" in chat.texts("actions-secret", "når er fristen for samordna opptak?")


def test_it_listens_on_loopback_only(servers: Servers) -> None:
    assert listening_addresses(servers.action_port) == {"0100007F"}  # 127.0.0.1
