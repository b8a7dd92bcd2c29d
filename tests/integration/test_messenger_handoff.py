"""A person on Messenger is told what happens in the handoff, as on Telegram (#16): the
place in the queue once, and a counsellor joining. Real servers, signed Messenger events,
and a fake Send API on loopback (tests/fake_messenger.py)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bench.clients import Counsellor, add_counsellor
from bot.commands.serve import Servers
from tests import fake_messenger
from tests.facts import response
from tests.fake_messenger import FakeGraph
from tests.servers import start_servers
from tests.waiting import wait_until

pytestmark = pytest.mark.integration
PERSON = "4711"  # an invented page-scoped id


@pytest.fixture(scope="module")
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, graph: FakeGraph) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("messenger")
    started = start_servers(state / "conversations.db", state / "servers.log", env={
        "VEIVALG_MESSENGER_VERIFY": fake_messenger.VERIFY,
        "VEIVALG_MESSENGER_SECRET": fake_messenger.SECRET,
        "VEIVALG_MESSENGER_PAGE_TOKEN": fake_messenger.PAGE_TOKEN,
        "VEIVALG_MESSENGER_API_URL": graph.url,
    })
    add_counsellor(started, "kari", "Kari")
    yield started
    started.stop()


def send(servers: Servers, text: str, person: str = PERSON) -> None:
    body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [{
        "sender": {"id": person}, "recipient": {"id": "1"}, "timestamp": int(time.time()),
        "message": {"mid": f"m{time.monotonic_ns()}", "text": text}}]}]}).encode()
    signature = hmac.new(fake_messenger.SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/facebook/webhook", data=body,
        headers={"Content-Type": "application/json",
                 "X-Hub-Signature-256": f"sha256={signature}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200


def said(graph: FakeGraph, words: str) -> list[str]:
    return [text for text in graph.texts(PERSON) if words in text]


def test_the_queue_and_the_counsellor_are_announced(servers: Servers, graph: FakeGraph) -> None:
    kari = Counsellor(servers)
    kari.log_in("kari")

    async def with_desk_open() -> dict[str, Any]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        await asyncio.to_thread(send, servers, "jeg vil snakke med en rådgiver")
        await asyncio.to_thread(wait_until, lambda: said(graph, "i køen"), timeout=30,
                                what="the place in the queue on Messenger")
        case = await asyncio.to_thread(kari.case_of, f"messenger:{PERSON}")
        assert (await asyncio.to_thread(kari.take, case["id"]))[0] == 200
        await asyncio.to_thread(wait_until, lambda: said(graph, "Rådgiver Kari har kommet inn"),
                                timeout=30, what="the counsellor's arrival on Messenger")
        await desk.close()
        return case

    asyncio.run(with_desk_open())
    # Said once, in the reply to the handoff; not again as a notice.
    assert len(said(graph, "i køen")) == 1


def test_a_removed_identity_number_is_told_on_messenger_too(servers: Servers,
                                                          graph: FakeGraph) -> None:
    person = "4713"
    send(servers, "fnr 01019912368, når er fristen for å søke på samordna?", person)
    wait_until(lambda: any("fjernet personnummeret" in text for text in graph.texts(person)),
               timeout=30, what="the notice on Messenger")
    texts = graph.texts(person)
    assert "15. april" in texts[0] and texts[-1].startswith("Jeg har fjernet"), texts
    assert not any("01019912368" in text for text in texts)


def test_a_reply_messenger_refuses_is_shown_as_not_delivered_and_says_who_writes(
    servers: Servers, graph: FakeGraph
) -> None:
    """The Send API answers a refusal as JSON, without raising: the desk must not show the
    reply as sent. A reply that arrives says who is writing, as on Telegram."""
    kari = Counsellor(servers)
    kari.log_in("kari")
    send(servers, "jeg vil snakke med en rådgiver")
    case = kari.case_of(f"messenger:{PERSON}")
    if case["status"] == "pending":
        assert kari.take(case["id"])[0] == 200
    graph.fail_next(551, "(#551) This person isn't available right now.")
    status, refused = kari.say(case["id"], "Er du der?")
    status_ok, arrived = kari.say(case["id"], "Jeg er her om du vil skrive igjen.")
    kari.close(case["id"])
    assert (status, status_ok) == (201, 201)
    assert refused["message"]["undelivered"] == {
        "reason": "blocked", "channel": "facebook", "parts": 1, "delivered_parts": 0,
        "detail": "(#551) This person isn't available right now."}
    assert arrived["message"].get("undelivered") is None
    assert said(graph, "Kari (rådgiver): Jeg er her om du vil skrive igjen.")
    assert not said(graph, "Er du der?")


def test_help_lines_messenger_refuses_in_the_bot_reply_are_flagged_on_the_desk(
    servers: Servers, graph: FakeGraph
) -> None:
    """Crisis language to the bot: the urgent case is opened before the reply goes, and the
    Send API refuses the help lines. Every desk must hear that the person did not get
    them, as on Telegram (#16); Rasa's own Messenger output would have dropped the error."""
    kari = Counsellor(servers)
    kari.log_in("kari")
    person = "4712"

    async def crisis_to_the_bot() -> list[dict[str, Any]]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        graph.fail_next(551, "(#551) This person isn't available right now.")
        await asyncio.to_thread(send, servers, "jeg vil ikke leve lenger", person)
        alerts: list[dict[str, Any]] = []
        with contextlib.suppress(asyncio.TimeoutError):  # told within the turn, or never
            while not any(alert.get("help_lines_undelivered") for alert in alerts):
                frame = json.loads(await asyncio.wait_for(desk.recv(), 10))
                if frame["type"] == "conversation.urgent" and \
                        frame["case"]["sender_id"] == f"messenger:{person}":
                    alerts.append(frame)
        await desk.close()
        return alerts

    first, *after = asyncio.run(crisis_to_the_bot())
    assert first["help_lines_undelivered"] is None  # action_crisis, before the reply went
    assert [alert["help_lines_undelivered"] for alert in after] == [{
        "reason": "blocked", "channel": "facebook", "parts": 1, "delivered_parts": 0,
        "detail": "(#551) This person isn't available right now."}]
    # The rest of the reply still went: the person is told a counsellor comes first.
    assert graph.texts(person) == [response("utter_crisis_queued", "nb")]
