"""One choke point per guarantee, with two replicas (issue 16): the long-wait reminder is
sent once, whichever replica's watcher sees the wait (the claim in the shared database,
CaseBook.claim_long_wait), and the action server reaches the desk through nginx's internal
listener, so that it needs no one replica (bot/commands/cluster.py, deploy/nginx.conf.template)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import sqlalchemy as sa
import websockets

from bench.clients import Counsellor
from bot.commands.cluster import Cluster
from tests.cluster.conftest import LONG_WAIT_MINUTES, socket_on
from tests.servers import Chat, Person, resume

pytestmark = pytest.mark.integration

# Desk.watch_queue looks every third of VEIVALG_LONG_WAIT_MINUTES (1-20 s): two rounds of
# both replicas' watchers after the first reminder, and a little more.
WATCH_ROUND = max(1.0, min(20.0, LONG_WAIT_MINUTES * 60 / 3))
QUIET_AFTER = 2 * WATCH_ROUND + 5


def is_long_wait(message: dict[str, Any]) -> bool:
    """utter_long_wait, in whatever language: the only reply offering to leave a question."""
    return any(button.get("payload") == "/leave_question"
               for button in message.get("buttons") or [])


async def counsellor_online(cluster: Cluster) -> tuple[Counsellor, Any]:
    """Kari with the desk open on replica 2: people can be queued."""
    kari = Counsellor(cluster.servers[1])
    assert (await asyncio.to_thread(kari.log_in, "kari"))[0] == 200
    desk = await kari.socket()
    assert json.loads(await desk.recv())["type"] == "hello"
    return kari, desk


async def ask_for_a_counsellor(person: Person) -> tuple[dict[str, Any], str]:
    session, _ = await person.opening()
    await person.send(type="message", text="jeg vil snakke med en rådgiver")
    return session, (await person.until("message"))["text"]


async def close_case_of(kari: Counsellor, sender: str) -> None:
    for case in await asyncio.to_thread(kari.cases):
        if case["sender_id"] == sender:
            if case["status"] == "pending":
                await asyncio.to_thread(kari.take, case["id"])
            await asyncio.to_thread(kari.close, case["id"])


def wait_longer(database_url: str, sender: str, seconds: float) -> None:
    """As if the person had been in the queue that much longer."""
    engine = sa.create_engine(database_url, future=True)
    try:
        with engine.begin() as connection:
            changed = connection.execute(
                sa.text("UPDATE desk_cases SET waiting_since = waiting_since - :seconds "
                        "WHERE sender_id = :sender AND status = 'pending'"),
                {"seconds": seconds, "sender": sender}).rowcount
        assert changed == 1, f"no case in the queue for {sender}"
    finally:
        engine.dispose()


def test_a_long_wait_is_told_once_by_one_of_the_replicas(cluster: Cluster) -> None:
    replica_a, replica_b = cluster.servers

    async def wait_in_the_queue() -> str:
        kari, desk = await counsellor_online(cluster)
        async with websockets.connect(socket_on(replica_a)) as socket:
            person = await resume(socket)
            session, queued = await ask_for_a_counsellor(person)
            assert "i køen" in queued
            sender = session["sender"]
            try:
                await asyncio.to_thread(wait_longer, cluster.database_url, sender, 3600)
                told = await person.until("message")
                while not is_long_wait(told):
                    told = await person.until("message")
                # Both watchers look again, twice: nothing more is said to the person.
                quiet_until = time.monotonic() + QUIET_AFTER
                while (left := quiet_until - time.monotonic()) > 0:
                    try:
                        again = await person.receive(timeout=left)
                    except asyncio.TimeoutError:
                        break
                    assert not (again["type"] == "message" and is_long_wait(again)), again
            finally:
                await close_case_of(kari, sender)
        await desk.close()
        return sender

    sender = asyncio.run(wait_in_the_queue())
    events = Chat(replica_b).tracker(sender)["events"]
    reminders = [event for event in events
                 if event["event"] == "bot" and is_long_wait(event.get("data") or {})]
    assert len(reminders) == 1, [(e["event"], e.get("text")) for e in events]


def test_the_action_server_reaches_the_desk_while_replica_1_is_away(cluster: Cluster) -> None:
    if cluster.balancer is None:
        pytest.fail("nginx is not installed: `make test` installs it")
    replica_1, replica_2 = cluster.servers

    async def ask_on_replica_2() -> str:
        kari, desk = await counsellor_online(cluster)
        async with websockets.connect(socket_on(replica_2)) as socket:
            person = await resume(socket)
            session, answer = await ask_for_a_counsellor(person)
            await close_case_of(kari, session["sender"])
        await desk.close()
        return answer

    replica_1.stop_one("rasa")
    try:
        answer = asyncio.run(ask_on_replica_2())
        # The desk said yes, through nginx, not "nobody is online" for want of replica 1.
        assert "i køen" in answer, answer
        parse = Chat(replica_2, base_url=cluster.internal_url).parse("hei")
        assert parse["intent"]["name"], parse
    finally:
        replica_1.start_rasa()  # back, for the tests after this one
        replica_1.wait_ready(240)
