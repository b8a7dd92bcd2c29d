"""What every fuzz test shares: Hypothesis settings, a raw HTTP client, the count of
inputs tried per channel, and a watch on the servers' log."""

from __future__ import annotations

import http.client
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from bench.clients import Counsellor
from bench.fake_telegram import FakeTelegram
from bot.commands.serve import Servers
from bot.server.channels.incoming import NO_ANSWER
from bot.shared.settings import STATE_DIR
from tests.fake_messenger import FakeGraph
from tests.servers import Chat

# ≥ 1,000 per channel in CI; VEIVALG_FUZZ_EXAMPLES=100 for a quick look while editing,
# 20000 for a long hunt.
EXAMPLES = int(os.environ.get("VEIVALG_FUZZ_EXAMPLES", "1000"))

# The same inputs on every run (derandomize), no example database between runs, and
# no shrinking: a crash is counted and reported with its input, and the run goes on, so
# the figures say how many inputs were tried and how many crashed.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)

RESULTS = STATE_DIR / "results" / "fuzz.json"


@dataclass
class Tally:
    """What one channel's fuzzing did: inputs tried, how each was answered, crashes."""

    channel: str
    tried: int = 0
    refused: int = 0  # a clear 4xx or an error frame
    accepted: int = 0  # 2xx, or frames without an error
    answered: int = 0  # reached Rasa and got the bot's answer
    crashes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)  # input's time, input

    def record(self, status: int, given: Any, answered: bool = False) -> None:
        self.note_time(given)
        self.tried += 1
        if status >= 500:
            self.crashes.append(f"{status} for {shown(given)}")
        elif status >= 400:
            self.refused += 1
        else:
            self.accepted += 1
            self.answered += answered
        self.seconds = time.monotonic() - self.started

    def note_time(self, given: Any) -> None:
        """Keep the five inputs that took longest (since the previous input ended)."""
        now = time.monotonic()
        took = now - (self.started + self.seconds)
        self.slowest = sorted([*self.slowest, (took, shown(given, 120))], reverse=True)[:5]

    def crash(self, what: str, given: Any) -> None:
        self.note_time(given)
        self.tried += 1
        self.crashes.append(f"{what} for {shown(given)}")
        self.seconds = time.monotonic() - self.started

    def as_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "tried": self.tried, "refused": self.refused,
                "accepted": self.accepted, "answered": self.answered,
                "crashes": len(self.crashes), "seconds": round(self.seconds, 1),
                "slowest": [[round(took, 2), given] for took, given in self.slowest]}


TALLIES: dict[str, Tally] = {}


def tally_for(channel: str) -> Tally:
    TALLIES[channel] = Tally(channel)
    return TALLIES[channel]


def shown(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def write_results() -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(
        {"examples": EXAMPLES, "channels": [t.as_json() for t in TALLIES.values()]}, indent=2
    ) + "\n")


def summary_lines() -> list[str]:
    lines = [f"{'channel':<12}{'tried':>7}{'refused':>9}{'accepted':>10}{'answered':>10}"
             f"{'crashes':>9}{'seconds':>9}"]
    for t in TALLIES.values():
        lines.append(f"{t.channel:<12}{t.tried:>7}{t.refused:>9}{t.accepted:>10}"
                     f"{t.answered:>10}{len(t.crashes):>9}{t.seconds:>9.1f}")
    return lines


class Http:
    """Raw HTTP to one server: any method, path, body and headers, nothing added but
    Host and Content-Length (urllib would add a Content-Type of its own)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()


# Lines that mean something went wrong on the server: Python's tracebacks, and records
# logged at ERROR or CRITICAL by Rasa ("... ERROR    rasa.core...") or Sanic ("[ERROR]").
PROBLEM = re.compile(r"Traceback \(most recent call last\)|\bERROR\b|\bCRITICAL\b")


class ServerLog:
    """The servers' log file, read from a mark on: what the fuzzing made them log."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def since_mark(self) -> str:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            return log.read().decode("utf-8", "replace")

    def problems(self) -> list[str]:
        """Each problem line with the nine lines after it (a traceback's first frames)."""
        lines, found, after = self.since_mark().splitlines(), [], 0
        for number, line in enumerate(lines):
            if number >= after and PROBLEM.search(line):
                found.append("\n".join(lines[number:number + 10]))
                after = number + 10
        return found


COUNSELLOR = "fuzz-kari"


@dataclass
class Fuzzing:
    servers: Servers
    telegram: FakeTelegram
    graph: FakeGraph
    log: ServerLog
    http: Http

    # Not the raw Http: these check the servers before and after the fuzzing, as the
    # other suites' clients do.
    def rest_replies(self, sender: str, text: str = "Hei") -> list[str]:
        return [reply.get("text", "") for reply in Chat(self.servers).send(sender, text)]

    def desk_cookie(self) -> str:
        counsellor = Counsellor(self.servers)
        status, body = counsellor.log_in(COUNSELLOR)
        assert status == 200, body
        return counsellor.cookie()

    def assert_clean(self, tally: Tally) -> None:
        """No input crashed the server or made it log a problem, and every input counted."""
        assert not tally.crashes, "\n".join(tally.crashes[:10])
        problems = self.log.problems()
        assert not problems, "the servers logged problems:\n\n" + "\n\n".join(problems[:5])
        assert tally.tried >= EXAMPLES


def a_real_answer(replies: list[str]) -> bool:
    """The bot answered (not silence, not the apology for a message it could not handle)."""
    return bool(replies) and all(reply and reply not in NO_ANSWER.values() for reply in replies)
