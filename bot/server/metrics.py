"""Metrics for operators, in Prometheus' text format, served at ``/ops/metrics``.

Counts and timings only: no sender id, no text, no label that could carry either (channel,
reason and intent names come from fixed sets). Each Rasa server process keeps its own
figures, as Prometheus expects: it scrapes every replica and adds them up. Written here
rather than taken from prometheus_client (not among Rasa's dependencies): the text format
is a few lines, and one dependency fewer is one upgrade fewer.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Sequence

# Seconds: a reply takes well under one; a person may wait for a counsellor an hour.
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
WAIT_BUCKETS = (30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MAX_SERIES = 200  # label values per metric: a bug cannot grow the page without end


def _labels(names: Sequence[str], values: Sequence[str]) -> str:
    if not names:
        return ""
    escaped = (str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               for v in values)
    return "{" + ",".join(f'{n}="{v}"' for n, v in zip(names, escaped, strict=True)) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return repr(float(value)) if value != int(value) else str(int(value))


class Counter:
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        self.name, self.help, self.label_names = name, help_text, tuple(labels)
        self._values: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        with self._lock:
            if labels in self._values or len(self._values) < MAX_SERIES:
                self._values[labels] = self._values.get(labels, 0.0) + amount

    def lines(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        with self._lock:
            values = sorted(self._values.items())
        for labels, value in values:
            yield f"{self.name}{_labels(self.label_names, labels)} {_number(value)}"


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name, self.help = name, help_text
        self.buckets = tuple(sorted(buckets)) + (math.inf,)
        self._counts = [0] * len(self.buckets)
        self._sum = 0.0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        with self._lock:
            self._sum += value
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    self._counts[i] += 1

    def lines(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        with self._lock:
            counts, total = list(self._counts), self._sum
        for bound, count in zip(self.buckets, counts, strict=True):
            yield f'{self.name}_bucket{{le="{_number(bound)}"}} {count}'
        yield f"{self.name}_sum {_number(total)}"
        yield f"{self.name}_count {counts[-1]}"


def gauge_lines(name: str, help_text: str, value: float | None) -> list[str]:
    """A gauge read at scrape time; None (its source did not answer) leaves it out."""
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    return lines + ([f"{name} {_number(value)}"] if value is not None else [])


MESSAGES = Counter("veivalg_messages_total", "Messages from people, by channel.", ["channel"])
UNANSWERED = Counter("veivalg_unanswered_total",
                     "Messages the bot could not answer, by intent (nlu_fallback, out_of_scope).",
                     ["intent"])
REPLY_SECONDS = Histogram("veivalg_reply_seconds",
                          "From a person's message to the bot's first reply to it.", REPLY_BUCKETS)
HANDOFFS = Counter("veivalg_handoffs_total", "Cases opened for a counsellor, by reason.",
                   ["reason"])
WAIT_SECONDS = Histogram("veivalg_wait_seconds",
                         "From a case entering the queue to a counsellor taking it.", WAIT_BUCKETS)
SATISFACTION = Counter("veivalg_satisfaction_total",
                       "Answers to 'Var dette nyttig?' (answer) and counsellor ratings, by score.",
                       ["kind", "score"])
ALL = (MESSAGES, UNANSWERED, REPLY_SECONDS, HANDOFFS, WAIT_SECONDS, SATISFACTION)

KNOWN_CHANNELS = frozenset({"webchat", "telegram", "facebook", "messenger", "rest", "desk"})
UNANSWERED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
PENDING_REPLIES = 10_000  # conversations whose message waits for its reply, at most


class ReplyClock:
    """Times each person's message to the bot's first reply, from the stored events
    (the event broker sees every one, whatever the channel). Rasa publishes a turn's
    events when it saves the turn, so the time is the events' own timestamps apart."""

    def __init__(self) -> None:
        self._asked: dict[str, float] = {}
        self._lock = threading.Lock()

    def event(self, event: dict) -> None:
        sender, kind = event.get("sender_id"), event.get("event")
        if not sender:
            return
        if kind == "user":
            channel = event.get("input_channel") or ""
            MESSAGES.inc(channel if channel in KNOWN_CHANNELS else "other")
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in UNANSWERED_INTENTS:
                UNANSWERED.inc(intent)
            with self._lock:
                if len(self._asked) >= PENDING_REPLIES:
                    self._asked.pop(next(iter(self._asked)))
                self._asked[sender] = float(event.get("timestamp") or time.time())
        elif kind == "bot":
            with self._lock:
                asked = self._asked.pop(sender, None)
            replied = float(event.get("timestamp") or time.time())
            if asked is not None and replied >= asked:
                REPLY_SECONDS.observe(replied - asked)


def exposition(gauges: Sequence[list[str]] = ()) -> str:
    lines = [line for metric in ALL for line in metric.lines()]
    for gauge in gauges:
        lines.extend(gauge)
    return "\n".join(lines) + "\n"
