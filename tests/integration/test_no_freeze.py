"""A PostgreSQL that stops answering (a network partition, a hung server) must not freeze
the Rasa server: ``/ops/health`` keeps answering, ``/ops/ready`` says the database is
what failed, and once PostgreSQL answers again so does the bot.

The partition is simulated by stopping (SIGSTOP) every process of a PostgreSQL of this
module's own: connections stay open and nothing answers, the worst case for a client.
The machine's own PostgreSQL is never touched.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.commands.cluster import ensure_database
from bot.commands.serve import Servers, free_ports
from tests.private_services import PrivatePostgres, running
from tests.servers import ALWAYS_OPEN, API_TOKEN, Chat
from tests.waiting import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with running(PrivatePostgres()) as server:
        yield server


@pytest.fixture(scope="module")
def servers(postgres: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Servers]:
    url = postgres.url("veivalg")
    ensure_database(url)
    rasa_port, action_port = free_ports(2)
    running = Servers(rasa_port=rasa_port, action_port=action_port, api_token=API_TOKEN,
                      database_url=url,
                      log_path=tmp_path_factory.mktemp("freeze") / "servers.log",
                      env={**ALWAYS_OPEN, "VEIVALG_DATABASE_TIMEOUT_SECONDS": "2"})
    running.start(timeout=180)
    yield running
    running.stop()


def processes_of(postgres: PrivatePostgres) -> list[int]:
    """The postmaster and every backend it started."""
    postmaster = int((postgres.data / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def get(servers: Servers, path: str, timeout: float) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(servers.rasa_url + path, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


def test_health_answers_and_ready_says_why_while_postgresql_hangs(
        servers: Servers, postgres: PrivatePostgres) -> None:
    chat = Chat(servers)
    assert chat.send("before-the-freeze", "hei")
    frozen = processes_of(postgres)
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    answered: list[int] = []
    try:
        # A message that needs the database, in flight while it hangs.
        sender = threading.Thread(target=lambda: answered.append(chat.post(json.dumps(
            {"sender": "during-the-freeze", "message": "hei"}).encode())[0]))
        sender.start()
        for _ in range(6):
            # Before: the server's event loop waited in the database call with the
            # message, and this never answered. (A socket timeout, not a time measured.)
            assert get(servers, "/ops/health", timeout=10) == (200, {"status": "ok"})
            time.sleep(0.5)  # look again while the message waits for the database
        status, ready = get(servers, "/ops/ready", timeout=30)
        assert status == 503 and ready["checks"]["database"] is False
        assert ready["checks"]["model"] is True
        assert "database" in ready["problems"]
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    sender.join(120)
    assert answered, "the message sent during the freeze got no answer at all"
    wait_until(lambda: get(servers, "/ops/ready", timeout=30)[0], lambda status: status == 200,
               timeout=60, what="ready again once PostgreSQL answers")
    replies = chat.send("after-the-freeze", "Når er fristen for å søke på samordna?")
    assert replies and replies[0].get("text")
