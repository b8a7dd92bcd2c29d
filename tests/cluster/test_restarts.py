"""The servers around the replicas fail and come back: the bot says something sensible
meanwhile, recovers, and loses no message it acknowledged. Runs after test_replicas."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from bot.cluster import Cluster
from bot.serve import Servers
from tests.cluster.conftest import socket_on
from tests.servers import Chat, Person, push

pytestmark = pytest.mark.integration

POSTGRES_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1] \
    if Path("/etc/postgresql").exists() else "15"
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
               "--port", "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
               "--logfile", "/var/log/redis/ci.log"]


def ready(replica: Servers) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{replica.rasa_url}/ops/ready", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def wait_until_ready(replica: Servers, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready(replica)[0] == 200:
            return
        time.sleep(0.5)
    raise AssertionError(f"not ready again: {ready(replica)}")


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


def test_postgresql_restarted(cluster: Cluster) -> None:
    replica = cluster.servers[1]
    chat = Chat(replica)
    assert "15. april" in chat.texts("r-postgres", "når er fristen for samordna opptak?")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", POSTGRES_VERSION, "main",
                    "restart"], check=True, timeout=120)
    # Whatever the first message meets, the server answers and stays up.
    status, replies = chat.post(json.dumps({"sender": "r-postgres",
                                            "message": "takk"}).encode())
    assert status in (200, 503) and replies and replies[0]["text"]
    wait_until_ready(replica)
    assert "15. november" in chat.texts("r-postgres", "når må jeg søke lånekassen?")
    history = said(chat, "r-postgres")
    assert history[0] == "når er fristen for samordna opptak?"  # acknowledged, kept
    assert history[-1] == "når må jeg søke lånekassen?"


def test_redis_restarted(cluster: Cluster) -> None:
    holder, other = cluster.servers

    async def push_across() -> dict:
        async with websockets.connect(socket_on(holder, "r-redis")) as socket:
            person = Person(socket)
            await person.opening()
            await person.send(type="message", text="takk")
            await person.until("message")
            await asyncio.to_thread(push, other, "r-redis", "greet")  # from the other replica
            return await person.until("message")

    assert "Veivalg" in asyncio.run(push_across())["text"]
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], timeout=30)
    time.sleep(1)
    subprocess.run(REDIS_START, check=True, timeout=30)
    for replica in cluster.servers:
        wait_until_ready(replica)

    async def push_after_restart() -> dict:
        async with websockets.connect(socket_on(holder, "r-redis")) as socket:
            person = Person(socket)
            await person.opening()
            await asyncio.sleep(2)  # the replicas subscribe again
            await asyncio.to_thread(push, other, "r-redis", "goodbye")
            return await person.until("message")

    assert asyncio.run(push_after_restart())["text"].startswith("Ha det bra")
    assert "15. april" in Chat(other).texts("r-redis", "når er fristen for samordna opptak?")
