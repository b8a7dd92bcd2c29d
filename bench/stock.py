"""Stock Rasa against Veivalg in one run: the same messages, sent by the same code.

    PYTHONPATH=. .venv/bin/python -m bench.stock [--quick] [--unseeded] [--replicas N]

The stock bot is the one `rasa init --no-prompt --init-dir <temp>` writes and trains
(the moodbot: English, 7 intents, no action server, conversations and locks in memory).
What this benchmark changes in it, and nothing else:

- Every Rasa command runs with RASA_TELEMETRY_ENABLED=false (offline: no telemetry
  calls), RASA_CACHE_DIRECTORY in the temporary folder, and without our PYTHONPATH.
- Seeded: `rasa init` trains at once, unseeded (Rasa then seeds with the clock), so
  afterwards its config.yml gets Rasa's default pipeline and policies written out (what
  Rasa fills in for the empty `pipeline:` and `policies:`,
  rasa/engine/recipes/config_files/default_config.yml) with `random_seed: 42` added to
  DIETClassifier, ResponseSelector, UnexpecTEDIntentPolicy and TEDPolicy, and
  `rasa train --force` trains the model that is measured. `--unseeded` measures the
  model `rasa init` trained instead (and saves that second training).
- The server runs as `rasa run --enable-api` in the project folder, with its own
  credentials.yml (REST channel) and endpoints.yml, plus `--auth-token`, `--interface
  127.0.0.1`, a free port and `--model` naming the model.

Ours runs as the other benchmarks start it (bench.common.running_servers: bot.commands.serve.Servers
with its action server, a temporary SQLite database). With ``--replicas N`` ours is then
measured again in the scale-out configuration on this machine (bot.commands.cluster.Cluster,
as `make run-cluster` starts it: N Rasa servers behind nginx, one action server, a fresh
PostgreSQL database on the machine's server, a private Redis), the load through nginx.
One bot at a time: the stock server is started, measured and stopped, then ours. For each:

(a) one long conversation of 300 messages after 10 warm-up messages in other
    conversations: p50/p95/max of messages 1-50 against 251-300, one at a time over one
    keep-alive connection (bench.latency's messages and code);
(b) REST load: 1 conversation of 100 messages, then 20 and then 50 conversations at
    once of 5 messages each (bench.load's conversations; each sends its next message when
    the previous one is answered): messages answered per second, p50/p95, errors;
(c) peak (VmHWM) and current (VmRSS) memory of each Rasa server process afterwards.

Loopback only. Every series is bounded in count and time, every wait has a limit; the
servers are stopped and the temporary folder removed on the way out, on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench.common import (
    API_TOKEN,
    START_TIMEOUT_SECONDS,
    UNLIMITED,
    Memory,
    RestClient,
    child_pids,
    heading,
    log_tail,
    machine_summary,
    mib,
    model_missing,
    ms,
    percentile,
    progress,
    read_memory,
    running_servers,
    table,
)
from bench.latency import (
    NO_ANSWER_TEXTS,
    Series,
    fallback_texts,
    latency_row,
    long_messages,
    send_series,
    spread_messages,
)
from bench.load import (
    ANSWER_TIMEOUT_SECONDS,
    POSTGRES,
    REDIS_LOCK_DB,
    RUN_DEADLINE_SECONDS,
    RunResult,
    conversation,
    cpu_seconds,
    drop_database,
    private_redis,
    remaining,
)
from bot.commands.cluster import Cluster
from bot.commands.serve import STOP_GRACE_SECONDS, VENV_BIN, answers, free_port, stop_on_signals

SEED = 42
SEEDED_COMPONENTS = ("DIETClassifier", "ResponseSelector", "UnexpecTEDIntentPolicy",
                     "TEDPolicy")
TRAIN_TIMEOUT_SECONDS = 1200  # one training; the stock bot took 1-2 minutes on 2 cores
SERIES_TIMEOUT_SECONDS = 900  # (a) per bot: 310 messages at even 2 s each
WARMUP_MESSAGES = 10


@dataclass(frozen=True)
class Sizes:
    """How much is sent: the full run, or --quick for a smoke test."""

    long_messages: int
    window: int
    loads: tuple[tuple[int, int], ...]  # (conversations at once, messages each)


FULL = Sizes(long_messages=300, window=50, loads=((1, 100), (20, 5), (50, 5)))
QUICK = Sizes(long_messages=30, window=10, loads=((1, 10), (5, 2)))


# --- the stock bot ----------------------------------------------------------------------------

@dataclass
class StockBot:
    project: Path
    model: Path
    init_seconds: float
    train_seconds: float | None  # the seeded training; None with --unseeded

    def describe_model(self) -> str:
        return f"{self.model.name}, {self.model.stat().st_size / 2**20:.1f} MiB"


def stock_env(project: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        RASA_CACHE_DIRECTORY=str(project.parent / "rasa-cache"),
        # The same quieting of libraries that bot.commands.serve gives our servers.
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def run_rasa(args: list[str], project: Path, log: Path, what: str) -> float:
    """Run one Rasa command in the project folder; its seconds, or an error with its log."""
    progress(f"{what} (output in {log.name})")
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as output:
        # subprocess.run kills the child on any exception, Ctrl-C and its timeout included.
        completed = subprocess.run(
            [str(VENV_BIN / "rasa"), *args], cwd=project, env=stock_env(project),
            stdout=output, stderr=subprocess.STDOUT, timeout=TRAIN_TIMEOUT_SECONDS,
            check=False,
        )
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        print(f"{what} failed (exit {completed.returncode}):\n{log_tail(log)}",
              file=sys.stderr)
        raise RuntimeError(f"{what} failed")
    return seconds


def seeded_config(stock_config: dict[str, Any]) -> dict[str, Any]:
    """Rasa's default pipeline and policies, written out, with a seed for what is random."""
    default_file = resources.files("rasa.engine.recipes") / "config_files/default_config.yml"
    defaults = yaml.safe_load(default_file.read_text(encoding="utf-8"))
    config = dict(stock_config)
    for key in ("pipeline", "policies"):
        if config.get(key):
            raise RuntimeError(f"rasa init's config.yml has a {key} of its own now; "
                               "this benchmark expected Rasa's defaults")
        config[key] = [
            {**component, "random_seed": SEED}
            if component["name"] in SEEDED_COMPONENTS else component
            for component in defaults[key]
        ]
    return config


def build_stock_bot(workdir: Path, seeded: bool) -> StockBot:
    project = workdir / "stock"
    project.mkdir()
    log = workdir / "stock-training.log"
    init_seconds = run_rasa(["init", "--no-prompt", "--init-dir", str(project)], project,
                            log, "rasa init: stock project and its training")
    trained = sorted((project / "models").glob("*.tar.gz"))
    if len(trained) != 1:
        raise RuntimeError(f"rasa init left {len(trained)} models, expected one")
    if not seeded:
        return StockBot(project, trained[0], init_seconds, None)
    config_path = project / "config.yml"
    config = seeded_config(yaml.safe_load(config_path.read_text(encoding="utf-8")))
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    train_seconds = run_rasa(
        ["train", "--force", "--fixed-model-name", "stock-seeded", "--out", "models"],
        project, log, f"rasa train --force: the stock bot with random_seed {SEED}")
    return StockBot(project, project / "models" / "stock-seeded.tar.gz", init_seconds,
                    train_seconds)


@dataclass
class Server:
    """What the measurements need of a running bot: where it is and its processes."""

    name: str
    host: str
    port: int
    processes: dict[str, int]  # label -> pid; the first is the Rasa server


@contextlib.contextmanager
def stock_server(bot: StockBot, workdir: Path) -> Iterator[Server]:
    """`rasa run --enable-api` for the stock bot, until it answers /status; stopped after."""
    port = free_port()
    log_path = workdir / "stock-server.log"
    with log_path.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--enable-api", "--auth-token", API_TOKEN,
             "--interface", "127.0.0.1", "--port", str(port), "--model", str(bot.model)],
            cwd=bot.project, env=stock_env(bot.project), stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop it below
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            # /status answers only once the model is loaded.
            while not answers(f"http://127.0.0.1:{port}/status?token={API_TOKEN}"):
                if process.poll() is not None or time.monotonic() > deadline:
                    print(f"The stock Rasa server did not start. Its log:\n"
                          f"{log_tail(log_path)}", file=sys.stderr)
                    raise RuntimeError("the stock Rasa server did not start")
                time.sleep(0.2)
            yield Server("stock Rasa", "127.0.0.1", port, {"stock Rasa server": process.pid})
        finally:
            process.terminate()
            try:
                process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- (b) REST load ----------------------------------------------------------------------------

@dataclass
class RestRun(RunResult):
    """bench.load's figures for one run, and replies that held no message: a bot with no
    answer for what it was told (the stock bot, in English, to Norwegian) may say nothing,
    which is its answer rather than a server error."""

    empty: int = 0


async def rest_conversation(session: aiohttp.ClientSession, url: str, sender: str,
                            messages: list[str], deadline: float, result: RestRun,
                            fallbacks: frozenset[str]) -> None:
    """One conversation over the REST channel: each message once the last is answered."""
    for sent, text in enumerate(messages):
        left = remaining(deadline)
        if left <= 0:
            result.not_sent += len(messages) - sent
            return
        wait = min(ANSWER_TIMEOUT_SECONDS, left)
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text},
                                    timeout=aiohttp.ClientTimeout(total=wait)) as answer:
                status, raw = answer.status, await answer.read()
        except asyncio.TimeoutError:
            if wait < ANSWER_TIMEOUT_SECONDS:  # the run's deadline, not a slow answer
                result.not_sent += len(messages) - sent
                return
            result.errors["timeout"] += 1
            result.not_sent += len(messages) - sent - 1
            return  # the conversation is stuck; a person would leave
        except aiohttp.ClientError as error:
            result.errors[f"other ({type(error).__name__})"] += 1
            result.not_sent += len(messages) - sent - 1
            return
        seconds = time.perf_counter() - started
        if status != 200:
            result.errors[f"HTTP {status}"] += 1
            continue
        result.latencies.append(seconds)
        try:
            texts = {str(m.get("text", "")) for m in json.loads(raw) if isinstance(m, dict)}
        except (ValueError, TypeError):
            result.errors["not a JSON list"] += 1
            continue
        if not texts:
            result.empty += 1
        elif texts & NO_ANSWER_TEXTS:
            result.errors["apology (no answer)"] += 1
        elif texts & fallbacks:
            result.fallbacks += 1


async def rest_load(server: Server, conversations: int, messages: int,
                    fallbacks: frozenset[str]) -> RestRun:
    """`conversations` conversations at once; answers per second over the wall time."""
    result = RestRun(1, conversations, messages)
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    url = f"http://{server.host}:{server.port}{RestClient.path}"
    run_id = uuid.uuid4().hex[:8]
    rasa_label, rasa_pid = next(iter(server.processes.items()))
    cpu_before = cpu_seconds(rasa_pid)
    own_before = time.process_time()
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector) as session:
        talks = [rest_conversation(session, url, f"bench-stock-{run_id}-{n}",
                                   conversation(n, messages), deadline, result, fallbacks)
                 for n in range(conversations)]
        started = time.perf_counter()
        try:
            # A backstop: every wait inside is bounded by the deadline already.
            await asyncio.wait_for(asyncio.gather(*talks), max(1.0, remaining(deadline)) + 10)
        except asyncio.TimeoutError:
            progress("the run's deadline cut the conversations short")
        result.wall_seconds = time.perf_counter() - started
    cpu_after = cpu_seconds(rasa_pid)
    if cpu_before is not None and cpu_after is not None and result.wall_seconds > 0:
        result.cpu_percent[rasa_label] = 100 * (cpu_after - cpu_before) / result.wall_seconds
    result.cpu_percent["load generator"] = (
        100 * (time.process_time() - own_before) / max(result.wall_seconds, 1e-9))
    return result


# --- one bot ----------------------------------------------------------------------------------

@dataclass
class BotResult:
    name: str
    fallbacks: frozenset[str]
    warmup: Series = field(default_factory=Series)
    long: Series = field(default_factory=Series)
    loads: list[RestRun] = field(default_factory=list)
    memory: list[tuple[str, int, Memory]] = field(default_factory=list)
    reconnects: int = 0


def measure_bot(server: Server, fallbacks: frozenset[str], sizes: Sizes) -> BotResult:
    result = BotResult(server.name, fallbacks)
    run_id = f"bench-stock-{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + SERIES_TIMEOUT_SECONDS
    client = RestClient(server.host, server.port)
    try:
        progress(f"{server.name}: {WARMUP_MESSAGES} warm-up messages")
        result.warmup = send_series(
            client, spread_messages(f"{run_id}-warmup", WARMUP_MESSAGES, 2), deadline)
        progress(f"{server.name}: (a) one conversation of {sizes.long_messages} messages")
        result.long = send_series(client, long_messages(run_id, sizes.long_messages),
                                  deadline)
    finally:
        client.close()
        result.reconnects = client.reconnects
    for conversations, messages in sizes.loads:
        progress(f"{server.name}: (b) {conversations} conversation(s) x {messages} messages")
        result.loads.append(asyncio.run(rest_load(server, conversations, messages,
                                                  fallbacks)))
    for label, pid in server.processes.items():
        result.memory.append((label, pid, read_memory(pid)))
        result.memory += [(f"{label} (child)", child, read_memory(child))
                          for child in child_pids(pid)]
    return result


@contextlib.contextmanager
def our_cluster(replicas: int) -> Iterator[Server | None]:
    """Ours in the scale-out configuration on this machine: ``replicas`` Rasa servers behind
    nginx, one action server, a fresh PostgreSQL database and a private Redis; None when
    nginx is not installed. Stopped, and the database dropped, after."""
    database = f"veivalg_bench_{uuid.uuid4().hex[:8]}"
    with private_redis() as redis_url, \
            tempfile.TemporaryDirectory(prefix="veivalg-bench-stock-cluster-") as workdir:
        cluster = Cluster(database_url=f"{POSTGRES}/{database}", redis_url=redis_url,
                          api_token=API_TOKEN, replicas=replicas, state_dir=Path(workdir),
                          env={"VEIVALG_REDIS_LOCK_DB": REDIS_LOCK_DB, **UNLIMITED})
        try:
            cluster.start(timeout=START_TIMEOUT_SECONDS)
            if cluster.balancer is None:
                progress("no nginx: the replicas are not measured")
                yield None
                return
            processes = {f"Veivalg Rasa replica {n}": replica.processes["rasa"].pid
                         for n, replica in enumerate(cluster.servers, start=1)}
            processes["Veivalg action server"] = cluster.servers[0].processes["actions"].pid
            yield Server(f"Veivalg, {replicas} replicas", "127.0.0.1",
                         int(cluster.balancer_port or 0), processes)
        finally:
            cluster.stop()
            drop_database(database)


def measure(sizes: Sizes, seeded: bool, replicas: int = 0
            ) -> tuple[StockBot, str, list[BotResult]]:
    """The stock bot, what its model is (gone with the temporary folder), the results:
    stock, ours, and ours with ``replicas`` replicas when that is 2 or more."""
    results: list[BotResult] = []
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-stock-") as workdir:
        bot = build_stock_bot(Path(workdir), seeded)
        model = bot.describe_model()
        progress("starting the stock Rasa server")
        with stock_server(bot, Path(workdir)) as server:
            results.append(measure_bot(server, fallback_texts(bot.project / "domain.yml"),
                                       sizes))
    progress("starting our servers")
    with running_servers(UNLIMITED) as servers:
        ours = Server("Veivalg", servers.host, servers.rasa_port, {
            "Veivalg Rasa server": servers.processes["rasa"].pid,
            "Veivalg action server": servers.processes["actions"].pid,
        })
        results.append(measure_bot(ours, fallback_texts(), sizes))
    if replicas >= 2:
        progress(f"starting {replicas} replicas of ours behind nginx")
        with our_cluster(replicas) as cluster_server:
            if cluster_server is not None:
                results.append(measure_bot(cluster_server, fallback_texts(), sizes))
    return bot, model, results


# --- output -----------------------------------------------------------------------------------

def report_training(bot: StockBot, model: str) -> None:
    heading("Stock Rasa bot (rasa init), training")
    rows = [["rasa init --no-prompt (writes the project, trains unseeded)",
             f"{bot.init_seconds:.1f}"]]
    if bot.train_seconds is not None:
        rows.append([f"rasa train --force, random_seed {SEED} (the model measured)",
                     f"{bot.train_seconds:.1f}"])
    print(table(["step", "seconds"], rows))
    print(f"model measured: {model}")


def report(bot: StockBot, model: str, results: Sequence[BotResult], sizes: Sizes) -> None:
    report_training(bot, model)

    last_start = max(sizes.long_messages - sizes.window, 0)
    heading(f"(a) One long conversation of {sizes.long_messages} messages "
            "(REST, sequential, keep-alive, loopback)")
    rows = []
    for result in results:
        rows += [
            latency_row(f"{result.name}, messages 1-{sizes.window}", result.long, 0,
                        sizes.window),
            latency_row(f"{result.name}, messages {last_start + 1}-{sizes.long_messages}",
                        result.long, last_start, sizes.long_messages),
        ]
    print(table(["series", "messages", "p50 ms", "p95 ms", "max ms"], rows))
    for result in results:
        for label, series in (("warm-up", result.warmup), ("(a)", result.long)):
            failures = {k: v for k, v in series.failures(result.fallbacks).items() if v}
            if failures or series.timed_out:
                detail = ", ".join(f"{count} {kind}" for kind, count in failures.items())
                stopped = "; stopped early at the time limit" if series.timed_out else ""
                print(f"note: {result.name} {label}: {detail}{stopped}")
        if result.reconnects:
            print(f"note: {result.name}: the connection was reopened {result.reconnects} "
                  "time(s)")

    heading("(b) REST load: conversations at once, each message sent when the last is "
            "answered")
    rows = []
    for result in results:
        for run in result.loads:
            rows.append([
                result.name, f"{run.people} x {run.messages}",
                f"{run.answered}/{run.planned}", f"{run.per_second:.1f}",
                ms(percentile(run.latencies, 50)), ms(percentile(run.latencies, 95)),
                str(run.error_count),
                f"{next(iter(run.cpu_percent.values()), float('nan')):.0f}",
            ])
    print(table(["bot", "conversations x messages", "answered", "msg/s", "p50 ms", "p95 ms",
                 "errors", "Rasa CPU %"], rows, left=(0, 1)))
    for result in results:
        for run in result.loads:
            what = f"note: {result.name}, {run.people} x {run.messages}:"
            if run.errors:
                print(what, ", ".join(f"{kind} {n}" for kind, n in sorted(run.errors.items())))
            if run.empty:
                print(what, f"{run.empty} replies held no message (not errors)")
            if run.fallbacks:
                print(what, f"{run.fallbacks} answered with 'please rephrase' (not errors)")
            if run.not_sent:
                print(what, f"{run.not_sent} not sent: the deadline, or left after a failure")

    heading("(c) Memory of each server process after its measurements")
    print(table(["process", "pid", "peak MiB (VmHWM)", "now MiB (VmRSS)"], [
        [label, str(pid), mib(memory.peak_kib), mib(memory.rss_kib)]
        for result in results for label, pid, memory in result.memory
    ]))

    heading("Summary")
    rows = []
    for result in results:
        early = result.long.seconds[:sizes.window]
        late = result.long.seconds[last_start:sizes.long_messages]
        _, _, rasa_memory = result.memory[0]
        rows.append([
            result.name,
            f"{ms(percentile(early, 50))} -> {ms(percentile(late, 50))}",
            " / ".join(f"{run.per_second:.1f}" for run in result.loads),
            mib(rasa_memory.peak_kib),
        ])
    loads = " / ".join(str(run.people) for run in results[0].loads) if results else ""
    print(table(["bot", f"(a) p50 ms, 1-{sizes.window} -> {last_start + 1}-"
                        f"{sizes.long_messages}",
                 f"(b) msg/s, {loads} at once", "(c) Rasa peak MiB"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stock", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke test: {QUICK.long_messages} messages in (a), "
                        f"loads {', '.join(f'{c} x {m}' for c, m in QUICK.loads)}")
    parser.add_argument("--unseeded", action="store_true",
                        help="measure the model rasa init trained; skip the seeded training")
    parser.add_argument("--replicas", type=int, default=0, metavar="N",
                        help="also measure ours as N Rasa replicas behind nginx on this "
                        "machine (PostgreSQL, a private Redis), as `make run-cluster` runs")
    args = parser.parse_args(argv)
    if model_missing():
        return 1
    stop_on_signals()  # SIGTERM too stops the servers and removes the temporary folder
    sizes = QUICK if args.quick else FULL
    print(f"Stock Rasa against Veivalg, {datetime.now():%Y-%m-%d %H:%M}")
    print(machine_summary())
    try:
        bot, model, results = measure(sizes, seeded=not args.unseeded, replicas=args.replicas)
    except KeyboardInterrupt:
        print("Interrupted; the servers are stopped.", file=sys.stderr)
        return 130
    report(bot, model, results, sizes)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Load average at the end: {load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
