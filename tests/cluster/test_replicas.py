"""Two Rasa replicas on a real PostgreSQL and Redis (the tests' own)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

from bench.clients import PASSWORD, Counsellor
from bot.commands.cluster import Cluster
from tests.cluster.conftest import socket_on
from tests.servers import API_TOKEN, Chat, resume

pytestmark = pytest.mark.integration


def test_person_on_one_replica_and_counsellor_on_the_other(cluster: Cluster) -> None:
    replica_a, replica_b = cluster.servers
    kari = Counsellor(replica_b)
    assert kari.log_in("kari")[0] == 200

    async def conversation() -> None:
        desk = await kari.socket()
        assert json.loads(await desk.recv())["type"] == "hello"
        async with websockets.connect(socket_on(replica_a)) as socket:
            person = await resume(socket)
            await person.opening()
            await person.send(type="message", text="jeg vil snakke med en rådgiver")
            queued = await person.until("message")
            assert "i køen" in queued["text"]

            created = json.loads(await asyncio.wait_for(desk.recv(), 15))
            while created["type"] != "conversation.created":
                created = json.loads(await asyncio.wait_for(desk.recv(), 15))
            case_id = created["case"]["id"]
            assert (await asyncio.to_thread(kari.take, case_id))[0] == 200
            joined = await person.until("handoff")
            assert joined["event"] == "joined" and joined["name"] == "Kari"

            await asyncio.to_thread(kari.say, case_id, "Hei fra replika B!")
            said = await person.until("message", **{"from": "counsellor"})
            assert said["text"] == "Hei fra replika B!"

            await person.send(type="message", text="hei tilbake fra replika A")
            while True:  # the desk on B gets what the person wrote on A
                event = json.loads(await asyncio.wait_for(desk.recv(), 15))
                if event["type"] == "message.created" \
                        and event["message"]["text"] == "hei tilbake fra replika A":
                    assert event["message"]["from"] == "user"
                    break
            await asyncio.to_thread(kari.close, case_id)
            closed = await person.until("message", **{"from": "bot"})
            assert "avsluttet" in closed["text"]
        await desk.close()

    asyncio.run(conversation())


def test_messages_from_both_replicas_are_taken_one_at_a_time_in_order(cluster: Cluster) -> None:
    chats = [Chat(replica) for replica in cluster.servers]
    messages = [f"hei nummer {n}" for n in range(12)]

    def send(n: int) -> None:
        assert chats[n % 2].send("c-concurrent", messages[n])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(send, range(len(messages))))

    events = chats[0].tracker("c-concurrent")["events"]
    said = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(said) == sorted(messages) and len(said) == len(set(said)), [
        (e["event"], e.get("text") or e.get("name")) for e in events]
    # One at a time: every message is answered before the next one is taken.
    kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
    assert kinds == ["user", "bot"] * len(messages)


def test_a_replica_killed_mid_conversation(cluster: Cluster) -> None:
    replica_a, replica_b = cluster.servers

    async def before_and_after() -> None:
        async with websockets.connect(socket_on(replica_b)) as socket:
            person = await resume(socket)
            first, _ = await person.opening()
            await person.send(type="message", text="Når er fristen for samordna opptak?")
            assert "15. april" in (await person.until("message"))["text"]
            await person.until("typing", on=False)  # the turn is stored
        killed = replica_b.processes["rasa"]
        os.kill(killed.pid, signal.SIGKILL)  # no goodbye
        killed.wait(10)
        async with websockets.connect(socket_on(replica_a)) as socket:
            person = await resume(socket, first)  # the secret the widget kept
            session, history = await person.opening()
            assert session["resumed"]
            assert history["messages"][0]["text"] == "Når er fristen for samordna opptak?"
            await person.send(type="message", text="kor mange studieval kan eg ha?")
            assert "ti studieønske" in (await person.until("message"))["text"]

    asyncio.run(before_and_after())
    replica_b.start_rasa()  # back, for the tests after this one
    replica_b.wait_ready(240)


def test_through_the_load_balancer(cluster: Cluster) -> None:
    if cluster.balancer is None:
        pytest.fail("nginx is not installed: `make test` installs it")

    async def chat_through_nginx() -> str:
        url = cluster.url.replace("http://", "ws://") + "/chat/socket"
        async with websockets.connect(url) as socket:
            person = await resume(socket)
            await person.opening()
            await person.send(type="message", text="Når er fristen for samordna opptak?")
            return (await person.until("message"))["text"]

    assert "15. april" in asyncio.run(chat_through_nginx())
    balanced = Chat(cluster.servers[0], base_url=cluster.url)
    for _ in range(4):  # round robin over both replicas; each answers the same
        assert "15. april" in balanced.texts("c-nginx-rest", "når er fristen for samordna?")


def test_the_desk_through_the_load_balancer_and_rasas_api_not(cluster: Cluster) -> None:
    """A browser's Origin matches the Host nginx passes on (with its port), and Rasa's
    HTTP API is not reachable through nginx."""
    if cluster.balancer is None:
        pytest.fail("nginx is not installed: `make test` installs it")

    def log_in(password: str) -> int:
        request = urllib.request.Request(
            f"{cluster.url}/desk/api/login", method="POST",
            data=json.dumps({"login": "kari", "password": password}).encode(),
            headers={"Content-Type": "application/json", "Origin": cluster.url},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            refused.close()
            return refused.code

    assert log_in("feil-passord-x") == 401  # refused for the password, not the Origin
    assert log_in(PASSWORD) == 200
    for path in ("/status", f"/conversations/c-nginx/tracker?token={API_TOKEN}"):
        try:
            urllib.request.urlopen(f"{cluster.url}{path}", timeout=30).close()
            raise AssertionError(f"{path} answered through nginx")
        except urllib.error.HTTPError as refused:
            refused.close()
            assert refused.code == 404, path


def test_login_failures_count_on_every_replica(cluster: Cluster) -> None:
    """Password guessing spread over the replicas meets one count (kept in Redis)."""
    replica_a, replica_b = cluster.servers
    guessers = [Counsellor(replica_a), Counsellor(replica_b)]
    statuses = [guessers[n % 2].log_in("c-gjetter", f"feil-{n:02}-passord")[0]
                for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert guessers[0].log_in("c-gjetter", "feil-06-passord")[0] == 429


async def test_the_replicas_count_one_conversation_together(cluster: Cluster) -> None:
    """Rate limits live in Redis: a flood split over two replicas is refused as one. Each
    replica sees 30 pings here, within a burst of 40 (VEIVALG_FRAMES_PER_MINUTE, 120), so
    only shared counting refuses any."""
    replica_a, replica_b = cluster.servers
    async with websockets.connect(socket_on(replica_a)) as on_a, \
            websockets.connect(socket_on(replica_b)) as on_b:
        a = await resume(on_a)
        session, _ = await a.opening()
        b = await resume(on_b, session)  # the same conversation, on the other replica
        await b.opening()
        for _ in range(30):
            await a.send(type="ping")
            await b.send(type="ping")
        error = await a.until("error")
        assert error["code"] == "rate_limited"
