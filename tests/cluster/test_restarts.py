"""The servers around the replicas fail and come back: the bot says something sensible
meanwhile, recovers, and loses no message it acknowledged. Runs after test_replicas.

PostgreSQL and Redis are the tests' own (tests/private_services.py), so restarting them
disturbs nothing else on the machine; each test checks that the restart really happened."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets

from bot.commands.cluster import Cluster
from bot.commands.serve import Servers
from bot.server.handoff.hub import EVENTS
from bot.server.redis_delivery import CHANNEL
from tests.cluster.conftest import socket_on
from tests.private_services import PrivatePostgres, PrivateRedis
from tests.servers import Chat, push, resume
from tests.waiting import wait_until

pytestmark = pytest.mark.integration


def ready(replica: Servers) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{replica.rasa_url}/ops/ready", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def wait_until_ready(replica: Servers, timeout: float = 60) -> None:
    wait_until(lambda: ready(replica), lambda seen: seen[0] == 200, timeout=timeout,
               what=f"the replica on port {replica.rasa_port} ready again")


def subscribers(redis: PrivateRedis) -> dict[str, int]:
    """How many subscriptions Redis itself counts on the replicas' channels (the cluster
    uses database 0), for pushes to people and for desk events."""
    client = redis.client()
    try:
        counted = client.pubsub_numsub(f"{CHANNEL}:0", f"{EVENTS}:0")
        return {name.decode(): count for name, count in counted}
    finally:
        client.close()


def said(chat: Chat, sender: str) -> list[str]:
    return [e["text"] for e in chat.tracker(sender)["events"] if e["event"] == "user"]


def test_each_replica_says_it_is_healthy_and_ready(cluster: Cluster) -> None:
    for replica in cluster.servers:
        with urllib.request.urlopen(f"{replica.rasa_url}/ops/health", timeout=10) as answer:
            assert json.loads(answer.read()) == {"status": "ok"}
        status, body = ready(replica)
        assert status == 200 and body["checks"] == {"model": True, "database": True,
                                                    "redis": True}


def test_action_server_stopped_and_started(cluster: Cluster) -> None:
    first, second = cluster.servers
    chat = Chat(second)
    first.stop_one("actions")
    try:
        question = {"sender": "r-actions", "message": "når er fristen for samordna?"}
        status, replies = chat.post(json.dumps(question).encode())
        assert status == 200 and "noe gikk galt" in replies[0]["text"]
    finally:
        first.start_actions()
        first.wait_ready(60)
    assert "15. april" in chat.texts("r-actions", "når er fristen for samordna?")


def test_postgresql_restarted(cluster: Cluster, private_postgres: PrivatePostgres) -> None:
    replica = cluster.servers[1]
    chat = Chat(replica)
    assert "15. april" in chat.texts("r-postgres", "når er fristen for samordna opptak?")
    started = private_postgres.start_time()
    private_postgres.restart()
    assert private_postgres.start_time() > started, "PostgreSQL was not restarted"
    # Whatever the first message meets, the server answers and stays up.
    status, replies = chat.post(json.dumps({"sender": "r-postgres",
                                            "message": "takk"}).encode())
    assert status in (200, 503) and replies and replies[0]["text"]
    wait_until_ready(replica)
    assert "15. november" in chat.texts("r-postgres", "når må jeg søke lånekassen?")
    history = said(chat, "r-postgres")
    assert history[0] == "når er fristen for samordna opptak?"  # acknowledged, kept
    assert history[-1] == "når må jeg søke lånekassen?"


def test_redis_restarted(cluster: Cluster, private_redis: PrivateRedis) -> None:
    holder, other = cluster.servers
    # Each replica subscribes once to each channel.
    subscribed = {f"{CHANNEL}:0": len(cluster.servers), f"{EVENTS}:0": len(cluster.servers)}
    assert subscribers(private_redis) == subscribed

    async def push_across() -> tuple[dict, dict]:
        async with websockets.connect(socket_on(holder)) as socket:
            person = await resume(socket)
            session, _ = await person.opening()
            await person.send(type="message", text="takk")
            await person.until("message")
            # From the other replica:
            await asyncio.to_thread(push, other, session["sender"], "greet")
            return session, await person.until("message")

    session, pushed = asyncio.run(push_across())
    assert "Veivalg" in pushed["text"]
    started = private_redis.run_id()
    private_redis.restart()
    assert private_redis.run_id() not in (None, started), "Redis was not restarted"
    for replica in cluster.servers:
        wait_until_ready(replica)
    # A new Redis knows no subscriptions: a push reaches the holder once it subscribed again.
    wait_until(lambda: subscribers(private_redis), lambda seen: seen == subscribed,
               timeout=30, what=f"every replica subscribed again {subscribed}")

    async def push_after_restart() -> dict:
        async with websockets.connect(socket_on(holder)) as socket:
            person = await resume(socket, session)
            await person.opening()
            await asyncio.to_thread(push, other, session["sender"], "goodbye")
            return await person.until("message")

    assert asyncio.run(push_after_restart())["text"].startswith("Ha det bra")
    assert "15. april" in Chat(other).texts("r-redis", "når er fristen for samordna opptak?")
