"""`python -m bench` (`make bench`): training, start, latency, web chat, handoff, Telegram.

Each part prints its own table as it finishes; a summary of the headline figures comes
last. The fresh-clone figure takes minutes and runs on its own:
`python -m bench.startup --fresh-clone`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bench import handoff, latency, startup, telegram, training, webchat
from bench.common import heading, machine_summary, mib, model_missing, ms, percentile, table

T = TypeVar("T")


def attempt(name: str, run: Callable[[], T]) -> T | None:
    """Run one benchmark; a failure is reported and the others still run."""
    try:
        return run()
    except Exception:
        print(f"The {name} benchmark failed:\n{traceback.format_exc()}", file=sys.stderr)
        return None


def summary_rows(
    trained: tuple[training.NluSize, list[training.TrainingRun]] | None,
    starts: list[startup.StartRun] | None,
    replies: latency.LatencyResult | None,
) -> list[list[str]]:
    rows: list[list[str]] = []
    if trained:
        size, runs = trained
        took = f"{runs[0].seconds:.1f} s" if runs[0].returncode == 0 else "failed"
        rows.append(["model training", took,
                     f"{size.examples} NLU examples, {size.intents} intents"])
    if starts:
        ready = [run.ready_seconds for run in starts if run.ready_seconds is not None]
        if ready:
            rows.append(["server start, median", f"{statistics.median(ready):.1f} s",
                         f"of {len(ready)} of {len(starts)} starts, until both answer"])
    if replies:
        spread = replies.spread.seconds
        rows.append(["reply p50 / p95 / max",
                     f"{ms(percentile(spread, 50))} / {ms(percentile(spread, 95))} / "
                     f"{ms(max(spread, default=float('nan')))} ms",
                     f"{len(spread)} messages, {latency.SPREAD_CONVERSATIONS} conversations"])
        early = replies.long.seconds[:latency.WINDOW]
        late = replies.long.seconds[-latency.WINDOW:]
        rows.append(["long conversation p50", f"{ms(percentile(early, 50))} -> "
                     f"{ms(percentile(late, 50))} ms",
                     f"messages 1-{latency.WINDOW} -> last {len(late)} "
                     f"of {len(replies.long.seconds)}"])
        for name, processes in sorted(replies.memory.items()):
            _, memory = processes[0]
            rows.append([f"{name} server memory", f"{mib(memory.peak_kib)} MiB peak",
                         f"{mib(memory.rss_kib)} MiB resident after the run"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    print(f"Veivalg benchmarks, {datetime.now():%Y-%m-%d %H:%M}")
    print(machine_summary())

    trained = attempt("training", lambda: training.measure(runs=1))
    if trained:
        training.report(*trained)
    starts = replies = None
    if not model_missing():
        starts = attempt("startup", startup.measure)
        if starts:
            startup.report(starts)
        replies = attempt("latency", latency.measure)
        if replies:
            latency.report(replies)
        attempt("web chat", webchat.run)
        attempt("handoff", handoff.run)
        attempt("telegram", telegram.run)

    heading("Summary")
    print(table(["figure", "value", "of what"], summary_rows(trained, starts, replies),
                left=(0, 2)))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    # Other work on 2 cores moves these figures; a load well above what we add shows it.
    print(f"Load average at the end: {load}")
    print("Not run here (minutes): python -m bench.startup --fresh-clone")
    return 0 if trained and starts and replies else 1


if __name__ == "__main__":
    raise SystemExit(main())
