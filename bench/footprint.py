"""What one conversation costs the shared services: PostgreSQL rows and bytes, Redis keys
and bytes, and the database connections a replica holds under load (docs/capacity.md).

    python -m bench.footprint [--people 50] [--messages 7] [--handoffs 5]

One Rasa replica and the action server (bot.commands.cluster.Cluster, what `make run-cluster`
starts, without nginx) on a fresh PostgreSQL database on 127.0.0.1:5432
(`veivalg_bench_<random>`, dropped afterwards) and a Redis server of the run's own. After
a warm-up, N people talk at once over the web chat socket (bench/load.py's conversations:
a greeting, questions, thanks), each sending the next message when the last is answered;
then H more people each ask for a counsellor, who is online, takes the case, writes
one message and closes it (the desk client of bench/clients.py). Rows per table,
bytes per table (`pg_total_relation_size`), Redis keys by pattern (ids replaced by `*`,
with whether they expire) and the keys' memory (`MEMORY USAGE`) are counted before and after each
part; the differences divided by the people are the figures. The connections to the
database (`pg_stat_activity`) are sampled every 0.1 s while the N people talk.

Loopback only; bounded like bench/load.py (an answer is waited for 30 s at most, a run
stops after 300 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg2
import redis
import websockets

from bench.clients import Counsellor, add_counsellor
from bench.common import (
    API_TOKEN,
    START_TIMEOUT_SECONDS,
    UNLIMITED,
    heading,
    log_tail,
    machine_summary,
    model_missing,
    progress,
    table,
)
from bench.latency import fallback_texts
from bench.load import (
    POSTGRES,
    REDIS_LOCK_DB,
    RUN_DEADLINE_SECONDS,
    drop_database,
    private_redis,
    receive,
    run_load,
    warm_up,
)
from bot.commands.cluster import Cluster
from bot.shared.settings import PROJECT_DIR

ALWAYS_OPEN = str(PROJECT_DIR / "tests" / "fixtures" / "always_open.yml")
HANDOFF_TEXT = "Jeg vil snakke med en rådgiver"
ID = re.compile(r"[0-9a-f]{8,}|\d+")


def rows_and_bytes(database: str) -> dict[str, tuple[int, int]]:
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = sorted(name for (name,) in cursor.fetchall())
            counts = {}
            for name in tables:
                cursor.execute(f'SELECT count(*), pg_total_relation_size(\'"{name}"\') '
                               f'FROM "{name}"')
                counts[name] = cursor.fetchone()
            return counts
    finally:
        connection.close()


def redis_keys(url: str, databases: tuple[int, ...]) -> tuple[Counter[str], int]:
    """Keys by pattern (`db N: pattern (expires|kept)`), and the bytes they take
    (`MEMORY USAGE`, summed: Redis' used_memory moves with buffers and fragmentation)."""
    patterns: Counter[str] = Counter()
    memory = 0
    base = url.rsplit("/", 1)[0]
    for db in databases:
        client = redis.Redis.from_url(f"{base}/{db}")
        try:
            for key in client.scan_iter(count=1000):
                name = ID.sub("*", key.decode(errors="replace"))
                lasts = "expires" if client.ttl(key) >= 0 else "kept"
                patterns[f"db {db}: {name} ({lasts})"] += 1
                memory += int(client.memory_usage(key) or 0)
        finally:
            client.close()
    return patterns, memory


class ConnectionSampler(threading.Thread):
    """The most connections to the database seen at once, by application."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                while not self.stop_event.is_set():
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                   (self.database,))
                    self.peak = max(self.peak, cursor.fetchone()[0])
                    self.stop_event.wait(0.1)
        finally:
            connection.close()


async def ask_for_counsellors(cluster: Cluster, people: int) -> list[str]:
    """People who each ask for a counsellor while one is online; the counsellor takes
    each case, writes one message and closes it. Returns the bot's first answers."""
    replica = cluster.servers[0]
    add_counsellor(replica, "fp-kari", "Kari")
    kari = Counsellor(replica)
    status, _ = kari.log_in("fp-kari")
    if status != 200:
        raise RuntimeError(f"the counsellor's login answered {status}")
    desk = await kari.socket()  # online while the people ask
    answers = []
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    try:
        for _ in range(people):
            async with websockets.connect(f"ws://127.0.0.1:{replica.rasa_port}/chat/socket",
                                          open_timeout=60) as socket:
                await socket.send(json.dumps({"type": "resume"}))
                sender = (await receive(socket, deadline))["sender"]
                await receive(socket, deadline)  # the (empty) history
                await socket.send(json.dumps({"type": "message", "text": HANDOFF_TEXT},
                                             ensure_ascii=False))
                while True:
                    frame = await receive(socket, deadline)
                    if frame.get("type") == "message" and frame.get("from") == "bot":
                        answers.append(frame.get("text", ""))
                        break
                cases = await asyncio.to_thread(kari.cases)
                for case in (c for c in cases if c["sender_id"] == sender):
                    for step in (kari.take, lambda n: kari.say(n, "Hei, jeg heter Kari."),
                                 kari.close):
                        status, body = await asyncio.to_thread(step, case["id"])
                        if status not in (200, 201):
                            raise RuntimeError(f"the desk answered {status}: {body}")
    finally:
        await desk.close()
    return answers


def difference(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]],
               people: int) -> list[list[str]]:
    rows = []
    for name in sorted(after):
        added = after[name][0] - before.get(name, (0, 0))[0]
        grown = after[name][1] - before.get(name, (0, 0))[1]
        if added or grown:
            rows.append([name, str(added), f"{added / people:.1f}",
                         f"{grown / people / 1024:.1f}"])
    return rows


def key_difference(before: Counter[str], after: Counter[str], people: int) -> list[list[str]]:
    return [[pattern, str(after[pattern] - before[pattern]),
             f"{(after[pattern] - before[pattern]) / people:.2f}"]
            for pattern in sorted(after) if after[pattern] != before[pattern]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--messages", type=int, default=7)
    parser.add_argument("--handoffs", type=int, default=5)
    options = parser.parse_args(argv)
    if not (1 <= options.people <= 500 and 2 <= options.messages <= 20
            and 1 <= options.handoffs <= 50):
        parser.error("--people 1-500, --messages 2-20, --handoffs 1-50")
    if model_missing():
        return 1
    print(machine_summary())
    database = f"veivalg_bench_{uuid.uuid4().hex[:8]}"
    fallbacks = fallback_texts()
    with private_redis() as redis_url, \
            tempfile.TemporaryDirectory(prefix="veivalg-bench-fp-") as workdir:
        dbs = (int(redis_url.rsplit("/", 1)[1]), int(REDIS_LOCK_DB))
        cluster = Cluster(
            database_url=f"{POSTGRES}/{database}", redis_url=redis_url, api_token=API_TOKEN,
            replicas=1, state_dir=Path(workdir), with_balancer=False,
            env={"VEIVALG_REDIS_LOCK_DB": REDIS_LOCK_DB, "VEIVALG_OPENING_HOURS": ALWAYS_OPEN,
                 **UNLIMITED},
        )
        try:
            progress("starting one replica and the action server")
            try:
                cluster.start(timeout=START_TIMEOUT_SECONDS)
            except Exception:
                for log in sorted(Path(workdir).glob("*.log")):
                    print(f"{log.name}:\n{log_tail(log)}", file=sys.stderr)
                raise
            time.sleep(3)
            asyncio.run(warm_up(cluster.servers, fallbacks))
            rows_before, (keys_before, memory_before) = (rows_and_bytes(database),
                                                         redis_keys(redis_url, dbs))
            sampler = ConnectionSampler(database)
            sampler.start()
            progress(f"{options.people} people x {options.messages} messages")
            result = asyncio.run(run_load(cluster.servers, options.people, options.messages,
                                          fallbacks, RUN_DEADLINE_SECONDS))
            sampler.stop_event.set()
            sampler.join(5)
            time.sleep(1)  # the last turns' writes
            rows_talk, (keys_talk, memory_talk) = (rows_and_bytes(database),
                                                   redis_keys(redis_url, dbs))
            progress(f"{options.handoffs} people asking for a counsellor")
            asked = asyncio.run(ask_for_counsellors(cluster, options.handoffs))
            time.sleep(1)
            rows_handoff, (keys_handoff, memory_handoff) = (rows_and_bytes(database),
                                                            redis_keys(redis_url, dbs))
        finally:
            progress("stopping the cluster, dropping its database")
            cluster.stop()
            drop_database(database)

    heading(f"PostgreSQL per conversation: {options.people} people x {options.messages} "
            f"messages ({result.answered}/{result.planned} answered, "
            f"{result.error_count} errors, {result.per_second:.1f} msg/s)")
    print(table(["table", "rows added", "rows per conversation", "KiB per conversation"],
                difference(rows_before, rows_talk, options.people)))
    heading("Redis per conversation (after its sockets closed)")
    print(table(["key pattern", "keys added", "per conversation"],
                key_difference(keys_before, keys_talk, options.people)))
    print(f"Redis keys' memory {memory_before} -> {memory_talk} bytes: "
          f"{(memory_talk - memory_before) / options.people / 1024:.2f} KiB per conversation")
    heading(f"A conversation that asks for a counsellor ({len(asked)}/{options.handoffs} "
            "answered)")
    print(f"the bot's first answer: {asked[0]!r}" if asked else "no answer")
    print(table(["table", "rows added", "rows per conversation", "KiB per conversation"],
                difference(rows_talk, rows_handoff, options.handoffs)))
    print(table(["key pattern", "keys added", "per conversation"],
                key_difference(keys_talk, keys_handoff, options.handoffs)))
    print(f"Redis keys' memory {memory_talk} -> {memory_handoff} bytes")
    heading("Database connections")
    print(f"at most {sampler.peak} connections to the database at once while "
          f"{options.people} people talked to one replica and the action server")
    print(machine_summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
