"""`make run-cluster` survives a replica killed with `kill -9` under load (issue 17).

The cluster is what an operator starts, ``python -m bot.commands.cluster``, as a process of its
own, on the tests' own PostgreSQL and Redis. 20 people talk to it through nginx over the
web chat socket while one Rasa replica is killed with SIGKILL. The cluster must stay up,
say which process stopped, start it again, and every message must be answered.

What a person's client does when its socket drops (the replica under it was killed) is
the retry this test allows: reconnect through nginx with the conversation's secret, and
look at the history the server sends. A message whose question and answer are there was
answered (the answer was lost with the socket, not the conversation); one that is not
there is sent again. The tracker is checked at the end: each message once, answered.
The widget does the same (bot/static/chat/widget.js, ``reconcile``); the printed tally
says how many of the messages sent again had been acknowledged before the kill, the ones
a client that trusted the acknowledgement alone would have lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websockets

from bench.load import conversation
from bot.shared.settings import PROJECT_DIR
from tests.private_services import PrivatePostgres, PrivateRedis
from tests.servers import ALWAYS_OPEN, API_TOKEN, ONE_ADDRESS

pytestmark = pytest.mark.integration

PEOPLE = 20
MESSAGES = 7  # a greeting, five questions, thanks (bench/load.py's conversations)
KILL_AFTER_ANSWERS = 30  # under load: every person has spoken, most have more to say
# A turn killed with its replica leaves the conversation's Redis lock held until it
# expires (Rasa's TICKET_LOCK_LIFETIME, 60 s): the next message waits that long.
ANSWER_TIMEOUT = 120
START_TIMEOUT = 300
RECONNECTS = 20


class ClusterProcess:
    """``python -m bot.commands.cluster`` with its output collected line by line."""

    def __init__(self, state_dir: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.commands.cluster", "--state-dir", str(state_dir)],
            cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [
            threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout),
                                  (self.process.stderr, self.stderr))
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _collect(stream: Any, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, lines: list[str], timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(lines):
                found = re.search(pattern, line)
                if found:
                    return found
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"no line matching {pattern!r} (cluster exit code "
                             f"{self.process.poll()}):\n" + "\n".join(self.output()[-60:]))

    def output(self) -> list[str]:
        return self.stdout + self.stderr

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C: it stops every process
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in self.readers:
            reader.join(10)  # to the end of the output of a stopped process
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()


def rasa_pid(port: int) -> int:
    """The Rasa server process listening on this port (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "bot.server.rasa_server" in args and "--port" in args \
                and args[args.index("--port") + 1] == str(port):
            return int(entry.name)
    raise AssertionError(f"no Rasa server on port {port}")


@dataclass
class Tally:
    answered: int = 0
    drops: int = 0  # sockets lost mid-conversation
    resent: int = 0  # messages sent again after a reconnect (not in the history)
    acked_then_lost: int = 0  # of those, the ones the server had acknowledged
    from_history: int = 0  # answers found in the history after a reconnect
    senders: dict[int, str] = field(default_factory=dict)  # person: conversation id
    enough: asyncio.Event = field(default_factory=asyncio.Event)


async def frame(socket: Any, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


def answered_in(history: dict[str, Any], text: str) -> bool | None:
    """None: the message is not in the history; else whether a bot message follows it."""
    messages = history["messages"]
    for at, message in enumerate(messages):
        if message["from"] == "user" and message["text"] == text:
            return any(later["from"] == "bot" for later in messages[at + 1:])
    return None


async def person(url: str, number: int, tally: Tally) -> None:
    texts = conversation(number, MESSAGES)
    session: dict[str, Any] | None = None
    index, acked, in_flight = 0, False, False
    for _ in range(RECONNECTS):
        try:
            async with websockets.connect(url, open_timeout=60, close_timeout=5) as socket:
                keys = {"sender": session["sender"], "secret": session["secret"]} \
                    if session else {}
                await socket.send(json.dumps({"type": "resume", **keys}))
                opened = await frame(socket)
                assert opened["type"] == "session", opened
                if session is None:
                    session = opened
                    tally.senders[number] = opened["sender"]
                else:
                    assert opened["resumed"], opened
                history = await frame(socket)
                assert history["type"] == "history", history
                if in_flight:  # the socket dropped while this message was on its way
                    found = answered_in(history, texts[index])
                    if found:
                        tally.from_history += 1
                        tally.answered += 1
                        index += 1
                    else:
                        assert found is None, f"{texts[index]!r} stored without its answer"
                        tally.resent += 1
                        tally.acked_then_lost += acked
                    in_flight = False
                while index < len(texts):
                    in_flight, acked = True, False
                    await socket.send(json.dumps({"type": "message", "text": texts[index],
                                                  "id": f"m{index}"}, ensure_ascii=False))
                    answer = typing_off = False
                    while not (answer and typing_off):
                        got = await frame(socket)
                        assert got["type"] != "error", got
                        if got["type"] == "ack":
                            acked = True
                        elif got["type"] == "message" and got.get("from") == "bot":
                            answer = True
                        elif got["type"] == "typing" and got.get("from") == "bot" \
                                and not got.get("on"):
                            typing_off = True
                    in_flight = False
                    index += 1
                    tally.answered += 1
                    if tally.answered >= KILL_AFTER_ANSWERS:
                        tally.enough.set()
                return
        except (websockets.ConnectionClosed, websockets.InvalidHandshake, OSError):
            tally.drops += 1
            await asyncio.sleep(0.5)  # as the widget waits before reconnecting
    raise AssertionError(f"person {number} could not finish after {RECONNECTS} reconnects")


async def talk_and_kill(url: str, victim_port: int, tally: Tally) -> int:
    people = [asyncio.ensure_future(person(url, n, tally)) for n in range(PEOPLE)]
    await asyncio.wait_for(tally.enough.wait(), ANSWER_TIMEOUT)
    pid = rasa_pid(victim_port)
    os.kill(pid, signal.SIGKILL)
    await asyncio.gather(*people)
    return pid


def tracker(port: int, sender: str) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/conversations/{sender}/tracker?token={API_TOKEN}"
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


@pytest.fixture
def running_cluster(tmp_path: Path, private_postgres: PrivatePostgres,
                    private_redis: PrivateRedis) -> Iterator[ClusterProcess]:
    env = {
        **os.environ, **ALWAYS_OPEN, **ONE_ADDRESS,
        "PYTHONPATH": str(PROJECT_DIR),
        "VEIVALG_DATABASE_URL": private_postgres.url("veivalg_faults"),
        "VEIVALG_REDIS_URL": private_redis.url(4),
        "VEIVALG_REDIS_LOCK_DB": "5",
        "VEIVALG_API_TOKEN": API_TOKEN,
        "VEIVALG_MESSAGES_PER_MINUTE": "100000",
    }
    cluster = ClusterProcess(tmp_path / "cluster", env)
    try:
        yield cluster
    finally:
        cluster.stop()


def test_a_replica_killed_under_load_is_started_again_and_no_message_is_lost(
        running_cluster: ClusterProcess) -> None:
    cluster = running_cluster
    cluster.wait_for(r"Veivalg cluster is ready", cluster.stdout, START_TIMEOUT)
    balancer = cluster.wait_for(r"Load balancer\s+http://127\.0\.0\.1:(\d+)/", cluster.stdout, 5)
    if "none: install nginx" in "\n".join(cluster.stdout):
        pytest.fail("nginx is not installed: `make test` installs it")
    ports = [int(cluster.wait_for(rf"Rasa replica {n}\s+http://127\.0\.0\.1:(\d+)/",
                                  cluster.stdout, 5)[1]) for n in (1, 2)]
    url = f"ws://127.0.0.1:{balancer[1]}/chat/socket"

    tally = Tally()
    killed = asyncio.run(talk_and_kill(url, ports[1], tally))
    print(f"\n{PEOPLE} people, {PEOPLE * MESSAGES} messages through nginx; replica 2 "
          f"(pid {killed}) killed after {KILL_AFTER_ANSWERS} answers: {tally.drops} sockets "
          f"dropped, {tally.resent} messages sent again ({tally.acked_then_lost} of them "
          f"acknowledged before), {tally.from_history} answers found in the history")

    assert cluster.process.poll() is None, "\n".join(cluster.output()[-40:])
    assert tally.drops >= 1, "no socket was on the killed replica: nothing was tested"
    assert tally.answered == PEOPLE * MESSAGES
    cluster.wait_for(rf"Rasa replica 2 \(port {ports[1]}\) stopped unexpectedly "
                     r"\(killed by SIGKILL\); starting it again in \d+ s", cluster.stderr, 5)
    cluster.wait_for(rf"Rasa replica 2 \(port {ports[1]}\) is back after", cluster.stderr,
                     START_TIMEOUT)
    assert rasa_pid(ports[1]) != killed

    # Every message is in its conversation once, with the bot's answer after it.
    assert sorted(tally.senders) == list(range(PEOPLE))
    for number, sender in tally.senders.items():
        events = tracker(ports[number % 2], sender)["events"]
        said = [e for e in events if e["event"] in ("user", "bot")]
        texts = Counter(e["text"] for e in said if e["event"] == "user")
        assert sorted(texts.elements()) == sorted(conversation(number, MESSAGES)), (
            sender, texts)
        for at, event in enumerate(said):
            if event["event"] == "user":
                assert at + 1 < len(said) and said[at + 1]["event"] == "bot", (sender, said)
