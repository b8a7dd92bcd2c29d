"""Load: many people holding short conversations at once over the web chat socket, on
one Rasa replica and on two (bot.commands.cluster.Cluster: PostgreSQL conversations, Redis locks
and delivery, one action server).

    python -m bench.load                          # 1 and 2 replicas, 50 and 200 people
    python -m bench.load --people 50 200 --messages 5

For each cluster size, N simulated people open a socket each (round-robin over the
replicas, as a load balancer would spread them), then all talk at once: a greeting, a
few questions about Samordna opptak, vigo and Lånekassen in Bokmål, Nynorsk or English,
and thanks. Each sends the next message as soon as the bot has answered the previous
one (no think time). Figures per run: messages answered per second (answers / wall
time), p50/p95/p99 latency from sending a message to the bot's first answer frame,
errors, and the resident memory of each Rasa replica after the run.

Loopback only. Bounded in count (people x messages) and in time: a run stops its people
after RUN_DEADLINE_SECONDS, and an answer is given up after ANSWER_TIMEOUT_SECONDS. Every
cluster gets a fresh PostgreSQL database, dropped afterwards, and temporary logs; the
whole run has a Redis server of its own (see below). The per-socket rate limit is raised
for the run so that it is not what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import redis
import websockets
from websockets.exceptions import ConnectionClosed

from bench.common import (
    API_TOKEN,
    START_TIMEOUT_SECONDS,
    UNLIMITED,
    heading,
    log_tail,
    machine_summary,
    mib,
    model_missing,
    ms,
    percentile,
    progress,
    read_memory,
    table,
)
from bench.latency import NO_ANSWER_TEXTS, fallback_texts
from bot.commands.cluster import Cluster
from bot.commands.serve import Servers, free_port

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
# By default the run has a Redis server of its own on a free loopback port: the cluster
# tests restart the machine's Redis (tests/cluster/test_restarts.py), which would close
# every socket in the middle of a run. `--redis-url` uses a running one instead, e.g. the
# cluster tests' databases (delivery in 2, locks in 3).
SHARED_REDIS_URL = "redis://127.0.0.1:6379/2"
REDIS_DB = 2
REDIS_LOCK_DB = "3"
REDIS_START_SECONDS = 10

REPLICAS = (1, 2)
PEOPLE = (50, 200)
MESSAGES = 5
MAX_PEOPLE = 1000
MAX_MESSAGES = 20
ANSWER_TIMEOUT_SECONDS = 30
RUN_DEADLINE_SECONDS = 300
OPEN_BATCH = 50  # sockets opened at once, as people arrive
OPEN_TIMEOUT_SECONDS = 60  # the handshake waits behind answers on a busy replica
CLOSE_TIMEOUT_SECONDS = 5
SETTLE_SECONDS = 3  # after start, before the warm-up
WARMUP_MESSAGES = 3  # per replica, not measured: the first answers load things lazily

# What people ask, by language: a greeting, questions (a conversation takes them from a
# different starting point per person), thanks.
GREETINGS = {"nb": "Hei!", "nn": "Hei, eg har eit spørsmål", "en": "Hello!"}
THANKS = {"nb": "Tusen takk!", "nn": "Takk for hjelpa!", "en": "thanks"}
QUESTIONS = {
    "nb": (
        "Når er søknadsfristen til Samordna opptak?",
        "Hvor mange studier kan jeg søke på i Samordna opptak?",
        "Hvordan søker jeg videregående på vigo?",
        "Når er fristen for å søke videregående skole?",
        "Når må jeg søke om studielån i Lånekassen?",
    ),
    "nn": (
        "Kva er fristen for å søkje høgare utdanning?",
        "Kor mange studieønske kan eg ha i Samordna opptak?",
        "Kva er fristen for å søkje på vidaregåande skule?",
        "Korleis søkjer eg vidaregåande på vigo?",
        "Når må eg søkje om stipend frå Lånekassen?",
    ),
    "en": (
        "When is the deadline for Samordna opptak?",
        "How many study programmes can I apply for?",
        "How do I apply to upper secondary school?",
        "When is the deadline for upper secondary school?",
        "When is the deadline for student loans?",
    ),
}
LANGUAGES = ("nb", "nn", "en")


def conversation(person: int, length: int) -> list[str]:
    """A short conversation in one language: greeting, questions, thanks."""
    language = LANGUAGES[person % len(LANGUAGES)]
    questions = QUESTIONS[language]
    if length == 1:
        return [questions[person % len(questions)]]
    closing = [THANKS[language]] if length > 2 else []
    asked = [questions[(person + k) % len(questions)] for k in range(length - 1 - len(closing))]
    return [GREETINGS[language], *asked, *closing]


# --- one run --------------------------------------------------------------------------------

@dataclass
class RunResult:
    replicas: int
    people: int
    messages: int  # per person
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    fallbacks: int = 0
    not_sent: int = 0  # cut by the run's deadline
    opened: int = 0
    open_seconds: float = 0.0
    wall_seconds: float = 0.0
    rss_kib: list[int | None] = field(default_factory=list)
    load_before: float = 0.0
    cpu_percent: dict[str, float] = field(default_factory=dict)  # of one core, while talking
    redis_restarted: bool = False

    @property
    def planned(self) -> int:
        return self.people * self.messages

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.answered / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far, from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def processes(replicas: list[Servers]) -> dict[str, int]:
    """The pids whose CPU a run reports: each Rasa replica and the action server."""
    pids = {f"Rasa {n}": r.processes["rasa"].pid for n, r in enumerate(replicas, start=1)}
    actions = replicas[0].processes.get("actions")
    if actions is not None:
        pids["action server"] = actions.pid
    return pids


def redis_run_id(url: str) -> str | None:
    """Redis's run id, which changes when it restarts (when it is shared, other work on
    the machine can restart it in the middle of a run)."""
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        return str(client.info("server").get("run_id"))
    except redis.RedisError:
        return None
    finally:
        client.close()


def socket_url(replica: Servers, sender: str) -> str:
    return f"ws://127.0.0.1:{replica.rasa_port}/chat/socket?sender={sender}"


class PastDeadlineError(Exception):
    """The run's deadline passed while waiting; what is left is not sent."""


def remaining(deadline: float) -> float:
    return deadline - time.monotonic()


async def receive(socket: Any, deadline: float) -> dict[str, Any]:
    """The next frame, within the answer timeout and the run's deadline."""
    left = remaining(deadline)
    if left <= 0:
        raise PastDeadlineError
    wait = min(ANSWER_TIMEOUT_SECONDS, left)
    try:
        raw = await asyncio.wait_for(socket.recv(), wait)
    except asyncio.TimeoutError:
        if wait < ANSWER_TIMEOUT_SECONDS:
            raise PastDeadlineError from None
        raise
    return json.loads(raw)


async def open_socket(replica: Servers, sender: str, deadline: float) -> Any:
    socket = await websockets.connect(
        socket_url(replica, sender),
        open_timeout=min(OPEN_TIMEOUT_SECONDS, max(1.0, remaining(deadline))),
        close_timeout=CLOSE_TIMEOUT_SECONDS,
        # Browsers send no pings; a replica busy answering must not be dropped for a pong.
        ping_interval=None,
        max_queue=None,
    )
    try:
        await socket.send(json.dumps({"type": "resume"}))  # a new conversation, as the widget
        for expected in ("session", "history"):
            frame = await receive(socket, deadline)
            if frame.get("type") != expected:
                raise RuntimeError(f"expected a {expected} frame, got {frame.get('type')}")
    except BaseException:
        await socket.close()
        raise
    return socket


async def ask(socket: Any, text: str, deadline: float, result: RunResult,
              fallbacks: frozenset[str]) -> None:
    """Send one message; wait for the bot's answer and the end of its turn.

    Latency is until the first bot `message` frame. The turn ends when the bot's typing
    indicator goes off as well (it comes after the answer, or before an apology), so
    that a second answer frame is never taken for the answer to the next question.
    """
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "message", "text": text}, ensure_ascii=False))
    answered = typing_off = False
    while not (answered and typing_off):
        frame = await receive(socket, deadline)
        kind = frame.get("type")
        if kind == "error":
            result.errors[f"error frame ({frame.get('code')})"] += 1
            return
        if kind == "typing" and frame.get("from") == "bot" and not frame.get("on"):
            typing_off = True
        elif kind == "message" and frame.get("from") == "bot" and not answered:
            answered = True
            result.latencies.append(time.perf_counter() - started)
            if frame.get("text") in NO_ANSWER_TEXTS:
                result.errors["apology (no answer)"] += 1
            elif frame.get("text") in fallbacks:
                result.fallbacks += 1


async def converse(socket: Any, messages: list[str], deadline: float, result: RunResult,
                   fallbacks: frozenset[str]) -> None:
    for sent, text in enumerate(messages):
        if remaining(deadline) <= 0:
            result.not_sent += len(messages) - sent
            return
        try:
            await ask(socket, text, deadline, result, fallbacks)
        except PastDeadlineError:
            result.not_sent += len(messages) - sent
            return
        except asyncio.TimeoutError:
            result.errors["timeout"] += 1
            result.not_sent += len(messages) - sent - 1
            return  # the conversation is stuck; a person would leave
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd is not None else "no close frame"
            result.errors[f"socket closed ({code})"] += 1
            result.not_sent += len(messages) - sent - 1
            return
        except Exception as error:  # noqa: BLE001 - counted; the other people go on
            result.errors[f"other ({type(error).__name__})"] += 1
            result.not_sent += len(messages) - sent - 1
            return


async def open_all(replicas: list[Servers], senders: list[str], deadline: float,
                   result: RunResult) -> list[Any | None]:
    """Open the sockets in batches, round-robin over the replicas; None where one failed."""
    sockets: list[Any | None] = []
    for start in range(0, len(senders), OPEN_BATCH):
        if remaining(deadline) <= 0:
            sockets += [None] * (len(senders) - start)
            break
        batch = range(start, min(start + OPEN_BATCH, len(senders)))
        opened = await asyncio.gather(
            *(open_socket(replicas[n % len(replicas)], senders[n], deadline) for n in batch),
            return_exceptions=True,
        )
        for outcome in opened:
            if isinstance(outcome, BaseException):
                result.errors[f"open failed ({type(outcome).__name__})"] += 1
                sockets.append(None)
            else:
                sockets.append(outcome)
    return sockets


async def run_load(replicas: list[Servers], people: int, messages: int,
                   fallbacks: frozenset[str], deadline_seconds: float) -> RunResult:
    result = RunResult(len(replicas), people, messages)
    deadline = time.monotonic() + deadline_seconds
    run_id = uuid.uuid4().hex[:8]
    senders = [f"bench-load-{run_id}-{n}" for n in range(people)]
    started = time.perf_counter()
    sockets = await open_all(replicas, senders, deadline, result)
    result.open_seconds = time.perf_counter() - started
    result.opened = sum(1 for socket in sockets if socket is not None)
    result.not_sent += messages * (people - result.opened)
    progress(f"{result.opened} sockets open in {result.open_seconds:.1f} s; talking")

    talks = [
        converse(socket, conversation(n, messages), deadline, result, fallbacks)
        for n, socket in enumerate(sockets) if socket is not None
    ]
    pids = processes(replicas)
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    own_before = time.process_time()
    started = time.perf_counter()
    try:
        # A backstop: every wait inside is bounded by the deadline already.
        await asyncio.wait_for(asyncio.gather(*talks), max(1.0, remaining(deadline)) + 10)
    except asyncio.TimeoutError:
        progress("the run's deadline cut the conversations short")
    result.wall_seconds = time.perf_counter() - started
    for name, pid in pids.items():
        before, after = cpu_before[name], cpu_seconds(pid)
        if before is not None and after is not None and result.wall_seconds > 0:
            result.cpu_percent[name] = 100 * (after - before) / result.wall_seconds
    result.cpu_percent["load generator"] = (
        100 * (time.process_time() - own_before) / max(result.wall_seconds, 1e-9))
    # Memory while the replicas still hold the sockets and the conversations just ended.
    result.rss_kib = [read_memory(r.processes["rasa"].pid).rss_kib for r in replicas]

    open_sockets = [socket for socket in sockets if socket is not None]
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(
            asyncio.gather(*(s.close() for s in open_sockets), return_exceptions=True),
            CLOSE_TIMEOUT_SECONDS * 3,
        )
    return result


async def warm_up(replicas: list[Servers], fallbacks: frozenset[str]) -> None:
    """A few answers from every replica before measuring, not counted."""
    scratch = RunResult(len(replicas), len(replicas), WARMUP_MESSAGES)
    deadline = time.monotonic() + 120
    for number, replica in enumerate(replicas):
        try:
            socket = await open_socket(replica, f"bench-load-warmup-{uuid.uuid4().hex[:8]}",
                                       deadline)
        except Exception as error:  # noqa: BLE001 - the runs will count it if it lasts
            scratch.errors[f"open failed ({type(error).__name__})"] += 1
            continue
        try:
            await converse(socket, conversation(number, WARMUP_MESSAGES), deadline, scratch,
                           fallbacks)
        finally:
            await socket.close()
    if scratch.error_count or scratch.not_sent:
        progress(f"warm-up trouble: {dict(scratch.errors)}, {scratch.not_sent} not sent")


# --- clusters -------------------------------------------------------------------------------

def drop_database(name: str) -> None:
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    """A Redis server for this run alone, on a free loopback port, kept in memory only."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-redis-") as workdir:
        process = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
             "--appendonly", "no", "--dir", workdir, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )
        url = f"redis://127.0.0.1:{port}/{REDIS_DB}"
        try:
            deadline = time.monotonic() + REDIS_START_SECONDS
            while redis_run_id(url) is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {port}")
                time.sleep(0.1)
            progress(f"private Redis on port {port}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def measure_cluster(replicas: int, people: Sequence[int], messages: int,
                    fallbacks: frozenset[str], deadline_seconds: float,
                    redis_url: str) -> list[RunResult]:
    """Start a cluster on a fresh database, run every load on it, stop it, drop the data."""
    database = f"veivalg_bench_{uuid.uuid4().hex[:8]}"
    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-load-") as workdir:
        cluster = Cluster(
            database_url=f"{POSTGRES}/{database}",
            redis_url=redis_url,
            api_token=API_TOKEN,
            replicas=replicas,
            state_dir=Path(workdir),
            env={"VEIVALG_REDIS_LOCK_DB": REDIS_LOCK_DB,
                 **UNLIMITED},
            with_balancer=False,
        )
        try:
            progress(f"starting {replicas} replica(s) and the action server")
            try:
                cluster.start(timeout=START_TIMEOUT_SECONDS)
            except Exception:
                for log in sorted(Path(workdir).glob("*.log")):
                    print(f"{log.name}:\n{log_tail(log)}", file=sys.stderr)
                raise
            # Right after start a replica's delivery subscription can drop and renew once
            # (redis-py's pub/sub health check, redis/redis-py#1788); an answer published
            # in that second is lost. A short pause keeps that out of the warm-up.
            time.sleep(SETTLE_SECONDS)
            asyncio.run(warm_up(cluster.servers, fallbacks))
            for count in people:
                progress(f"{replicas} replica(s), {count} people x {messages} messages")
                load_before, redis_before = os.getloadavg()[0], redis_run_id(redis_url)
                result = asyncio.run(run_load(cluster.servers, count, messages, fallbacks,
                                              deadline_seconds))
                result.load_before = load_before
                result.redis_restarted = redis_run_id(redis_url) != redis_before
                report_run(result)
                if result.error_count:
                    show_logs(Path(workdir))
                results.append(result)
        finally:
            progress("stopping the cluster, dropping its database")
            cluster.stop()
            try:
                drop_database(database)
            except psycopg2.Error as error:
                print(f"Could not drop database {database}: {error}", file=sys.stderr)
    return results


def show_logs(workdir: Path, lines: int = 15) -> None:
    """The end of each replica's log, to stderr, when a run had errors."""
    for log in sorted(workdir.glob("*.log")):
        print(f"--- {log.name}, last {lines} lines:\n{log_tail(log, lines)}", file=sys.stderr)


# --- output ---------------------------------------------------------------------------------

RUN_HEADERS = ["replicas", "people", "answered", "msg/s", "p50 ms", "p95 ms", "p99 ms",
               "errors", "Rasa RSS MiB"]


def run_row(result: RunResult) -> list[object]:
    latencies = result.latencies
    return [
        result.replicas,
        result.people,
        f"{result.answered}/{result.planned}",
        f"{result.per_second:.1f}",
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 95)),
        ms(percentile(latencies, 99)),
        result.error_count,
        " / ".join(mib(kib) for kib in result.rss_kib),
    ]


def notes(result: RunResult) -> list[str]:
    lines = [f"{result.opened} sockets opened in {result.open_seconds:.1f} s; "
             f"talking took {result.wall_seconds:.1f} s; "
             f"load average {result.load_before:.2f} before"]
    if result.cpu_percent:
        lines.append("CPU while talking, % of one core: " + ", ".join(
            f"{name} {percent:.0f}" for name, percent in result.cpu_percent.items()))
    if result.redis_restarted:
        lines.append("Redis restarted during the run (something else on the machine): "
                     "these figures do not count")
    if result.errors:
        lines.append("errors: " + ", ".join(f"{kind} {n}" for kind, n in
                                            sorted(result.errors.items())))
    if result.fallbacks:
        lines.append(f"answered with 'please rephrase' (not counted as errors): "
                     f"{result.fallbacks}")
    if result.not_sent:
        lines.append(f"messages not sent or not answered by the run's deadline, or left after "
                     f"a failure: {result.not_sent}")
    return lines


def report_run(result: RunResult) -> None:
    heading(f"Load: {result.replicas} replica(s), {result.people} people x "
            f"{result.messages} messages")
    print(table(RUN_HEADERS, [run_row(result)], left=()))
    for line in notes(result):
        print(line)


def report_summary(results: list[RunResult]) -> None:
    heading("Load summary")
    print(table(RUN_HEADERS, [run_row(result) for result in results], left=()))
    by_size = {(r.replicas, r.people): r for r in results}
    rows = []
    for people in sorted({r.people for r in results}):
        one, two = by_size.get((1, people)), by_size.get((2, people))
        if one is None or two is None:
            continue
        ratio = two.per_second / one.per_second if one.per_second else float("nan")
        rows.append([people, f"{one.per_second:.1f}", f"{two.per_second:.1f}", f"{ratio:.2f}",
                     ms(percentile(one.latencies, 95)), ms(percentile(two.latencies, 95))])
    if rows:
        heading("Two replicas against one")
        print(table(["people", "1 replica msg/s", "2 replicas msg/s", "ratio 2/1",
                     "1 replica p95 ms", "2 replicas p95 ms"], rows, left=()))


def measure(replicas: Sequence[int] = REPLICAS, people: Sequence[int] = PEOPLE,
            messages: int = MESSAGES, deadline_seconds: float = RUN_DEADLINE_SECONDS,
            redis_url: str | None = None) -> list[RunResult]:
    """Every cluster size on every load; on a private Redis unless redis_url is given."""
    fallbacks = fallback_texts()
    results: list[RunResult] = []
    with contextlib.ExitStack() as stack:
        url = redis_url or stack.enter_context(private_redis())
        for count in replicas:
            try:
                results += measure_cluster(count, people, messages, fallbacks,
                                           deadline_seconds, url)
            except Exception:  # noqa: BLE001 - reported; the other cluster size still runs
                print(f"The {count}-replica cluster failed:\n{traceback.format_exc()}",
                      file=sys.stderr)
    return results


def bounded(low: int, high: int) -> Any:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number
    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=bounded(1, MAX_PEOPLE), nargs="+",
                        default=list(PEOPLE), help="concurrent conversations per run")
    parser.add_argument("--messages", type=bounded(1, MAX_MESSAGES), default=MESSAGES,
                        help="messages per conversation")
    parser.add_argument("--replicas", type=bounded(1, 4), nargs="+", default=list(REPLICAS),
                        help="cluster sizes to measure")
    parser.add_argument("--deadline", type=bounded(10, 1800), default=RUN_DEADLINE_SECONDS,
                        help="seconds after which a run stops its people")
    parser.add_argument("--redis-url", default=None,
                        help="a running Redis to use (e.g. " + SHARED_REDIS_URL + ") instead "
                        "of a private one; locks go to its database " + REDIS_LOCK_DB)
    args = parser.parse_args(argv)
    if model_missing():
        return 1
    print(machine_summary())
    results = measure(args.replicas, args.people, args.messages, args.deadline,
                      args.redis_url)
    report_summary(results)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Load average at the end: {load}")
    return 0 if results else 1


if __name__ == "__main__":
    raise SystemExit(main())
