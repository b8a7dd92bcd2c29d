"""Abuse limits against the real servers: rates per conversation and per client address
that survive reconnects and new conversation ids, for every kind of web chat frame and for
REST; size limits on every route, refused in JSON; one callback case a person.

The servers here run with small limits, so that a flood is a handful of frames. Each test
comes from an address of its own (X-Forwarded-For from loopback, a trusted proxy), so the
per-address buckets of one test do not touch another's.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from bot.commands.serve import Servers
from tests.servers import API_TOKEN, Person, resume, socket_url, start_servers

pytestmark = pytest.mark.integration

LIMITS = {
    "VEIVALG_MESSAGES_PER_MINUTE": "2",  # a burst of 5, then one every 30 s
    "VEIVALG_FRAMES_PER_MINUTE": "30",  # a burst of 10
    "VEIVALG_IP_MESSAGES_PER_MINUTE": "6",  # a burst of 5
    "VEIVALG_IP_FRAMES_PER_MINUTE": "60",  # a burst of 20
    "VEIVALG_MAX_CHANNEL_BYTES": "16384",
    "VEIVALG_MAX_REQUEST_BYTES": "65536",
    "VEIVALG_MAX_OPEN_CASES": "3",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("limits")
    servers = start_servers(state / "conversations.db", state / "servers.log", env=LIMITS)
    yield servers
    servers.stop()


def post(servers: Servers, path: str, body: bytes, client: str,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(
        servers.rasa_url + path, data=body,
        headers={"Content-Type": "application/json", "X-Forwarded-For": client,
                 **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), json.loads(error.read() or b"null")


def rest(servers: Servers, sender: str, text: str, client: str,
         **extra: Any) -> tuple[int, dict[str, str], Any]:
    body = json.dumps({"sender": sender, "message": text, **extra}).encode()
    return post(servers, "/webhooks/rest/webhook", body, client)


def connect(servers: Servers, client: str) -> Any:
    return websockets.connect(socket_url(servers), extra_headers={"X-Forwarded-For": client})


async def refused(person: Person) -> dict[str, Any]:
    error = await person.until("error")
    assert error["code"] == "rate_limited", error
    assert error["retry_after"] >= 1
    return error


async def test_a_message_flood_stays_refused_after_a_reconnect(limited: Servers) -> None:
    async with connect(limited, "203.0.113.1") as socket:
        person = await resume(socket)
        session, _ = await person.opening()
        for n in range(5):
            await person.send(type="message", text=f"hei {n}")
            await person.until("message")
        await person.send(type="message", text="hei igjen")
        await refused(person)
    # Old behaviour: a new socket had a new bucket, so reconnecting reset the limit.
    async with connect(limited, "203.0.113.1") as socket:
        person = await resume(socket, session)
        await person.opening()
        await person.send(type="message", text="hei en gang til")
        await refused(person)


async def test_language_frames_count_as_messages(limited: Servers) -> None:
    """Each language frame could write a row; a flood of them is refused like messages."""
    async with connect(limited, "203.0.113.2") as socket:
        person = await resume(socket)
        await person.opening()
        for language in ("nn", "nb", "nn", "nb", "nn", "en"):
            await person.send(type="language", language=language)
        await refused(person)


async def test_every_frame_type_counts(limited: Servers) -> None:
    async with connect(limited, "203.0.113.3") as socket:
        person = await resume(socket)
        session, _ = await person.opening()
        for _ in range(10):
            await person.send(type="ping")
            await person.until("pong")
        await person.send(type="typing", on=True)
        await refused(person)
    async with connect(limited, "203.0.113.3") as socket:
        person = await resume(socket, session)
        await person.opening()
        await person.send(type="ping")
        await refused(person)


async def test_new_conversations_from_one_address_share_its_limit(limited: Servers) -> None:
    for _ in range(5):
        async with connect(limited, "203.0.113.4") as socket:  # a new conversation each
            person = await resume(socket)
            await person.opening()
            await person.send(type="language", language="nn")
            await person.send(type="ping")
            await person.until("pong")
    async with connect(limited, "203.0.113.4") as socket:
        person = await resume(socket)
        await person.opening()
        await person.send(type="language", language="nn")
        await refused(person)
    async with connect(limited, "198.51.100.4") as socket:  # another address is not affected
        person = await resume(socket)
        await person.opening()
        await person.send(type="language", language="nn")
        await person.send(type="ping")
        assert (await person.receive())["type"] == "pong"


async def test_a_flood_of_socket_openings_is_refused_before_the_upgrade(
        limited: Servers) -> None:
    for _ in range(20):
        async with connect(limited, "203.0.113.5") as socket:
            await (await resume(socket)).until("session")
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as too_many:
        async with connect(limited, "203.0.113.5"):
            pass
    assert too_many.value.status_code == 429


async def test_a_socket_frame_over_the_size_limit_closes_the_socket(limited: Servers) -> None:
    async with connect(limited, "203.0.113.6") as socket:
        person = await resume(socket)
        await person.opening()
        await socket.send(json.dumps({"type": "message", "text": "x" * 20_000}))
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            while True:
                await person.receive()
        assert closed.value.code == 1009  # "message too big"


def test_rest_refuses_a_flood_from_one_conversation_and_says_when_to_retry(
        limited: Servers) -> None:
    statuses = [rest(limited, "rest-flood", "hei", f"192.0.2.{n}")[0] for n in range(5)]
    assert statuses == [200] * 5
    status, headers, body = rest(limited, "rest-flood", "hei", "192.0.2.9")
    assert status == 429 and body["error"] == "rate_limited"
    assert int(headers["Retry-After"]) >= 1


def test_rest_refuses_a_flood_from_one_address_across_conversations(limited: Servers) -> None:
    statuses = [rest(limited, f"rest-ip-{n}", "hei", "192.0.2.50")[0] for n in range(5)]
    assert statuses == [200] * 5
    status, headers, body = rest(limited, "rest-ip-new", "hei", "192.0.2.50")
    assert status == 429 and body["error"] == "rate_limited" and "Retry-After" in headers
    assert rest(limited, "rest-ip-other", "hei", "192.0.2.51")[0] == 200


def test_a_forged_forwarded_for_from_a_client_changes_nothing(limited: Servers) -> None:
    """Only a trusted proxy's X-Forwarded-For counts; a client naming addresses after the
    proxy's own hop gains a fresh bucket for none of them."""
    for n in range(5):
        assert rest(limited, f"forged-{n}", "hei", f"10.9.9.{n}, 192.0.2.60")[0] == 200
    assert rest(limited, "forged-new", "hei", "10.9.9.99, 192.0.2.60")[0] == 429


def test_rest_refuses_a_body_over_the_channel_limit_in_json(limited: Servers) -> None:
    status, _, body = rest(limited, "big-metadata", "hei", "192.0.2.70",
                           metadata={"filler": "x" * 20_000})
    assert status == 413 and body["error"] == "request_too_large"


def test_every_route_refuses_a_body_over_the_server_limit_in_json(limited: Servers) -> None:
    body = json.dumps({"text": "hei " * 17_500}).encode()  # 70 kB, over 64 KiB
    status, _, answer = post(limited, f"/model/parse?token={API_TOKEN}", body, "192.0.2.80")
    assert status == 413 and answer["error"] == "request_too_large"
    status, _, answer = post(limited, "/desk/api/login", body, "192.0.2.80")
    assert status == 413 and answer["error"] == "request_too_large"


def test_a_person_asking_again_for_a_callback_keeps_one_case(limited: Servers) -> None:
    def leave(sender: str, question: str) -> tuple[int, Any]:
        body = json.dumps({"sender_id": sender, "contact": "900 00 000",
                           "question": question}).encode()
        status, _, answer = post(limited, "/desk/internal/callbacks", body, "127.0.0.1",
                                 {"Authorization": f"Bearer {API_TOKEN}"})
        return status, answer

    first = leave("callback-1", "Hva koster det?")
    again = leave("callback-1", "Og når er fristen?")
    assert first[0] == again[0] == 200
    assert again[1]["case"]["id"] == first[1]["case"]["id"]
    # The desk takes at most VEIVALG_MAX_OPEN_CASES unresolved cases (3 here).
    assert leave("callback-2", "Spørsmål")[0] == 200
    assert leave("callback-3", "Spørsmål")[0] == 200
    status, answer = leave("callback-4", "Spørsmål")
    assert status == 503 and answer["error"] == "queue_full"
