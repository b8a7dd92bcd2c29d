"""What the benchmarks share: servers on temporary state, a REST client, figures, tables."""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bot.commands.serve import MODEL_PATH, Servers, free_ports
from bot.shared.settings import PROJECT_DIR

API_TOKEN = "bench-token"
# Rasa with TensorFlow takes tens of seconds to load on 2 cores; give it room but stop.
START_TIMEOUT_SECONDS = 240
REQUEST_TIMEOUT_SECONDS = 60
LOG_TAIL_LINES = 40
# Short questions across the three written languages, for the socket and webhook figures.
QUESTIONS = [
    "Når er fristen for å søke på Samordna opptak?",
    "kor mange studieval kan eg ha",
    "When is the deadline for student loans?",
    "hvordan søker jeg videregående",
    "takk",
]


# --- figures ------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation between ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f}"


# --- output -------------------------------------------------------------------------------

def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], left: Sequence[int] = (0,)
) -> str:
    """A plain-text table: the `left` columns (labels) left-aligned, the figures right."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in cells)) if cells else len(headers[i])
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.ljust(widths[i]) if i in left else value.rjust(widths[i])
            for i, value in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def progress(text: str) -> None:
    """Progress goes to stderr so that stdout holds the figures alone."""
    print(f"  ... {text}", file=sys.stderr, flush=True)


def machine_summary() -> str:
    """Enough about the machine to judge the figures: cores, load, versions."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, load average {load}; Python {platform.python_version()}, "
        f"Rasa {metadata.version('rasa')}, rasa-sdk {metadata.version('rasa-sdk')}\n"
        + source_summary()
    )


def source_summary() -> str:
    """Which code was measured: the commit, and files changed since outside bench/."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                              capture_output=True, text=True, timeout=10, check=True)
        changed = subprocess.run(["git", "status", "--porcelain", "--", ".", ":!bench"],
                                 cwd=PROJECT_DIR, capture_output=True, text=True,
                                 timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return "source: not a git checkout"
    files = [line[3:] for line in changed.stdout.splitlines()]
    dirty = f", uncommitted changes in {', '.join(files)}" if files else ""
    return f"source: commit {head.stdout.strip()}{dirty}"


def model_missing() -> bool:
    if MODEL_PATH.exists():
        return False
    print(f"No trained model at {MODEL_PATH}: run `make model` first.", file=sys.stderr)
    return True


# --- memory -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Memory:
    """Peak (VmHWM) and current (VmRSS) resident memory in KiB, as the kernel reports."""

    peak_kib: int | None
    rss_kib: int | None


def read_memory(pid: int) -> Memory:
    fields: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    fields[key] = int(value.split()[0])  # "123456 kB"
    except OSError:
        return Memory(None, None)
    return Memory(fields.get("VmHWM"), fields.get("VmRSS"))


def child_pids(pid: int) -> list[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(child) for child in (task / "children").read_text().split()]
    return children


# --- servers ------------------------------------------------------------------------------

# Every benchmark client talks from 127.0.0.1: the per-address limits (#12) would measure
# themselves, not the bot.
ONE_ADDRESS = {"VEIVALG_IP_MESSAGES_PER_MINUTE": "10000000",
               "VEIVALG_IP_FRAMES_PER_MINUTE": "10000000"}
# A benchmark's conversation sends faster than a person may (30 a minute): it measures the
# bot, not the limit.
UNLIMITED = {"VEIVALG_MESSAGES_PER_MINUTE": "100000", **ONE_ADDRESS}


def new_servers(workdir: Path, env: dict[str, str] | None = None) -> Servers:
    """Servers on free loopback ports with a fresh SQLite database and a log in workdir."""
    rasa_port, action_port = new_port_pair()
    return Servers(
        rasa_port=rasa_port,
        action_port=action_port,
        api_token=API_TOKEN,
        database_url=f"sqlite:///{workdir / 'conversations.db'}",
        log_path=workdir / "servers.log",
        env={**ONE_ADDRESS, **(env or {})},
    )


def log_tail(path: Path | None, lines: int = LOG_TAIL_LINES) -> str:
    if path is None or not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_servers(env: dict[str, str] | None = None) -> Iterator[Servers]:
    """Both servers on temporary state; stopped, and the state removed, on the way out."""
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-") as workdir:
        servers = new_servers(Path(workdir), env)
        try:
            servers.start(timeout=START_TIMEOUT_SECONDS)
        except Exception:
            servers.stop()
            print(f"The servers did not start. Their log:\n{log_tail(servers.log_path)}",
                  file=sys.stderr)
            raise
        try:
            yield servers
        finally:
            servers.stop()


# --- the REST channel ---------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    status: int
    messages: list[dict[str, Any]]
    seconds: float

    @property
    def texts(self) -> list[str]:
        return [message.get("text", "") for message in self.messages]


class RestClient:
    """One keep-alive HTTP connection to the REST channel; one request at a time.

    http.client reuses the socket between requests, so the figures hold the bot's work
    and not a TCP handshake per message, as for a chat widget that keeps its connection.
    """

    path = "/webhooks/rest/webhook"

    def __init__(self, host: str, port: int, timeout: float = REQUEST_TIMEOUT_SECONDS) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.reconnects = 0

    def send(self, sender: str, message: str) -> Reply:
        body = json.dumps({"sender": sender, "message": message}).encode()
        status, parsed, seconds = self.request("POST", self.path, body)
        return Reply(status, parsed if isinstance(parsed, list) else [], seconds)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any, float]:
        """Status, parsed JSON (None if not JSON) and seconds from sending to the last byte."""
        try:
            return self._request(method, path, body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server may drop an idle keep-alive connection; one retry on a new one.
            self.connection.close()
            self.reconnects += 1
            return self._request(method, path, body)

    def _request(self, method: str, path: str, body: bytes | None) -> tuple[int, Any, float]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        seconds = time.perf_counter() - started
        try:
            parsed = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            parsed = None
        return response.status, parsed, seconds

    def close(self) -> None:
        self.connection.close()


def new_port_pair() -> tuple[int, int]:
    first, second = free_ports(2)
    return first, second
