"""Reply latency through the REST channel, and the servers' memory afterwards.

(a) Many conversations: 200 messages over 40 conversations, taken in turn so that
    consecutive messages belong to different conversations, after 10 warm-up messages.
(b) One long conversation of 300 messages: the first 50 against the last 50, to show
    whether a reply gets slower as the conversation grows (bench/stock.py measures a
    stock `rasa init` bot the same way, beside ours).
(c) Peak (VmHWM) and current (VmRSS) memory of both server processes after the run.

Messages go one at a time over one keep-alive connection, to loopback only.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.common import (
    API_TOKEN,
    UNLIMITED,
    Memory,
    Reply,
    RestClient,
    child_pids,
    heading,
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
from bot.commands.serve import Servers
from bot.server.channels.incoming import NO_ANSWER
from bot.server.channels.ownership import rest_conversation
from bot.shared.settings import PROJECT_DIR

# What people ask: Samordna opptak, videregående (vigo), Lånekassen, and the small talk
# around it, in Bokmål, Nynorsk and English. The mix of intents and languages matters
# more than the exact words.
QUESTIONS: tuple[str, ...] = (
    "Hei!",
    "Når er søknadsfristen til Samordna opptak?",
    "Hvor mange studier kan jeg søke på i Samordna opptak?",
    "Hvordan søker jeg videregående på vigo?",
    "Når er fristen for å søke videregående skole?",
    "Når må jeg søke om studielån i Lånekassen?",
    "Tusen takk!",
    "Kva er fristen for å søkje høgare utdanning?",
    "Kor mange studieønske kan eg ha i Samordna opptak?",
    "Kva er fristen for å søkje på vidaregåande skule?",
    "Når må eg søkje om stipend frå Lånekassen?",
    "Hello!",
    "When is the deadline for Samordna opptak?",
    "When is the deadline for student loans?",
    "How do I apply to upper secondary school?",
    "thanks",
)

WARMUP_MESSAGES = 10
SPREAD_MESSAGES = 200
SPREAD_CONVERSATIONS = 40
LONG_MESSAGES = 300
WINDOW = 50
PROBE_REPEATS = 5
# A bound on the whole run: 510 messages at even a slow 500 ms each is about 4 minutes.
RUN_TIMEOUT_SECONDS = 900


@dataclass
class Series:
    """Replies to a series of messages, and how many of them were not real answers."""

    replies: list[Reply] = field(default_factory=list)
    timed_out: bool = False

    @property
    def seconds(self) -> list[float]:
        return [reply.seconds for reply in self.replies]

    def failures(self, fallback_texts: frozenset[str]) -> dict[str, int]:
        counts = {"http errors": 0, "empty": 0, "apologies": 0, "fallbacks": 0}
        for reply in self.replies:
            if reply.status != 200:
                counts["http errors"] += 1
            elif not reply.messages:
                counts["empty"] += 1
            elif set(reply.texts) & NO_ANSWER_TEXTS:
                counts["apologies"] += 1
            elif set(reply.texts) & fallback_texts:
                counts["fallbacks"] += 1
        return counts


NO_ANSWER_TEXTS = frozenset(NO_ANSWER.values())


def fallback_texts(domain_path: Path = PROJECT_DIR / "domain.yml") -> frozenset[str]:
    """The 'please rephrase' texts (`utter_default`) of a bot's domain, so that
    misunderstood questions show in the table."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8"))
    variants = (domain.get("responses") or {}).get("utter_default") or []
    return frozenset(variant["text"] for variant in variants if "text" in variant)


def send_series(
    client: RestClient, messages: Sequence[tuple[str, str]], deadline: float
) -> Series:
    """Send (sender, text) pairs in order; stop early, and say so, past the deadline."""
    series = Series()
    for sender, text in messages:
        if time.monotonic() > deadline:
            series.timed_out = True
            break
        series.replies.append(client.send(sender, text))
    return series


def spread_messages(run_id: str, count: int, conversations: int) -> list[tuple[str, str]]:
    """Message i goes to conversation i mod n, so conversations interleave as in real use."""
    return [
        (f"{run_id}-conv-{index % conversations:02d}", QUESTIONS[index % len(QUESTIONS)])
        for index in range(count)
    ]


def long_messages(run_id: str, count: int) -> list[tuple[str, str]]:
    return [(f"{run_id}-long", QUESTIONS[index % len(QUESTIONS)]) for index in range(count)]


@dataclass(frozen=True)
class Probe:
    label: str
    events: int | None
    median_seconds: float


def probe_tracker(client: RestClient, sender: str, label: str) -> Probe:
    """How long the HTTP API takes to load and serialise one conversation's tracker (the
    REST channel keeps a sender's conversation under its own id: rest_conversation)."""
    timings: list[float] = []
    events: int | None = None
    for _ in range(PROBE_REPEATS):
        status, tracker, seconds = client.request(
            "GET", f"/conversations/{rest_conversation(sender)}/tracker?token={API_TOKEN}"
        )
        timings.append(seconds)
        if status == 200 and isinstance(tracker, dict):
            events = len(tracker.get("events") or [])
    return Probe(label, events, percentile(timings, 50))


def probe_parse(client: RestClient) -> Probe:
    """NLU alone (POST /model/parse): the part of a reply that cannot depend on history."""
    body = json.dumps({"text": QUESTIONS[1]}).encode()
    timings = [
        client.request("POST", f"/model/parse?token={API_TOKEN}", body)[2]
        for _ in range(PROBE_REPEATS)
    ]
    return Probe("POST /model/parse (NLU only)", None, percentile(timings, 50))


@dataclass
class LatencyResult:
    warmup: Series
    spread: Series
    long: Series
    probes: list[Probe]
    memory: dict[str, list[tuple[int, Memory]]]
    reconnects: int


def server_memory(servers: Servers) -> dict[str, list[tuple[int, Memory]]]:
    """Memory of each server process and of any child it started (pid, memory)."""
    memory: dict[str, list[tuple[int, Memory]]] = {}
    for name, process in servers.processes.items():
        pids = [process.pid, *child_pids(process.pid)]
        memory[name] = [(pid, read_memory(pid)) for pid in pids]
    return memory


def measure() -> LatencyResult:
    run_id = f"bench-{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    progress("starting the servers")
    with running_servers(UNLIMITED) as servers:
        client = RestClient(servers.host, servers.rasa_port)
        try:
            progress(f"{WARMUP_MESSAGES} warm-up messages")
            warmup = send_series(
                client, spread_messages(f"{run_id}-warmup", WARMUP_MESSAGES, 2), deadline
            )
            progress(f"{SPREAD_MESSAGES} messages over {SPREAD_CONVERSATIONS} conversations")
            spread = send_series(
                client, spread_messages(run_id, SPREAD_MESSAGES, SPREAD_CONVERSATIONS), deadline
            )
            progress(f"one conversation of {LONG_MESSAGES} messages")
            long = send_series(client, long_messages(run_id, LONG_MESSAGES), deadline)
            # What loading a whole history costs, and NLU alone: if (b) grows, these tell
            # whether the history or the NLU is to blame.
            short_sender = spread_messages(run_id, 1, SPREAD_CONVERSATIONS)[0][0]
            probes = [
                probe_tracker(client, short_sender, "GET tracker, one of the 40 conversations"),
                probe_tracker(client, f"{run_id}-long", "GET tracker, the long conversation"),
                probe_parse(client),
            ]
        finally:
            client.close()
        memory = server_memory(servers)
    return LatencyResult(warmup, spread, long, probes, memory, client.reconnects)


def latency_row(label: str, series: Series, start: int = 0, stop: int | None = None) -> list[str]:
    seconds = series.seconds[start:stop]
    return [label, str(len(seconds)), ms(percentile(seconds, 50)), ms(percentile(seconds, 95)),
            ms(max(seconds, default=float("nan")))]


def report(result: LatencyResult) -> None:
    heading("Reply latency, REST channel (sequential, keep-alive, loopback)")
    last_start = max(LONG_MESSAGES - WINDOW, 0)
    rows = [
        latency_row(f"(a) {SPREAD_CONVERSATIONS} conversations", result.spread),
        latency_row(f"(b) long conversation, messages 1-{WINDOW}", result.long, 0, WINDOW),
        latency_row(
            f"(b) long conversation, messages {last_start + 1}-{LONG_MESSAGES}",
            result.long, last_start, LONG_MESSAGES,
        ),
        latency_row(f"    long conversation, all {LONG_MESSAGES}", result.long),
    ]
    print(table(["series", "messages", "p50 ms", "p95 ms", "max ms"], rows))
    _report_answers(result)

    heading(f"For comparison: whole history and NLU alone (HTTP API, median of {PROBE_REPEATS})")
    print(table(
        ["probe", "events", "median ms"],
        [[probe.label, "-" if probe.events is None else str(probe.events),
          ms(probe.median_seconds)] for probe in result.probes],
    ))

    heading("Server memory after the run")
    memory_rows = [
        [name if index == 0 else f"{name} (child)", str(pid), mib(mem.peak_kib), mib(mem.rss_kib)]
        for name, processes in sorted(result.memory.items())
        for index, (pid, mem) in enumerate(processes)
    ]
    print(table(["process", "pid", "peak MiB (VmHWM)", "now MiB (VmRSS)"], memory_rows))


def _report_answers(result: LatencyResult) -> None:
    """Say if replies were errors or apologies: fast failures would flatter the figures."""
    texts = fallback_texts()
    for label, series in (("warm-up", result.warmup), ("(a)", result.spread),
                          ("(b)", result.long)):
        failures = {key: value for key, value in series.failures(texts).items() if value}
        if failures or series.timed_out:
            detail = ", ".join(f"{count} {key}" for key, count in failures.items())
            stopped = "; stopped early at the time limit" if series.timed_out else ""
            print(f"note: {label}: {detail}{stopped}")
    if result.reconnects:
        print(f"note: the connection was reopened {result.reconnects} time(s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    if model_missing():
        return 1
    print(machine_summary())
    report(measure())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
