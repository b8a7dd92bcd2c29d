"""What one message can cost in the crisis safety net: the worst case of a long message.

    python -m bench.crisis_cost [--sizes 4096 65536 1048576] [--give-up 60]

The patterns (bot/shared/crisis.py) run on every message before anything else. Some of them
look a few words around a word (``\\w*kniv\\w*``, ``(?:\\S+\\s+){0,4}?``), which costs
more than linear time on text built to make them backtrack. For each adversarial shape
and size this prints the time of the whole check (``mentions_crisis`` and ``is_excused``)
as it runs now, on the first ``SCAN_CHARS`` characters, and of the same patterns over the
whole text, as they ran before (#12). A size whose unbounded time passes ``--give-up``
seconds is not tried larger. No model is loaded: the learned half cuts its input at
2,000 characters itself (bot/server/nlp/crisis_sense.py).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from bench.common import heading, machine_summary, table
from bot.shared.crisis import _CRISIS, _EXCUSED, SCAN_CHARS, is_excused, mentions_crisis, normalise

SIZES = [4096, 16_384, 65_536, 262_144, 1_048_576]


def shapes() -> dict[str, Callable[[int], str]]:
    rng = random.Random(12)
    words = ("jeg vil ikke leve mer orker ikke tabletter brua hopp kniv glass selvmord "
             "jobbe med studere om ha det for godt siste melding").split()
    return {
        "one long word": lambda n: "a" * n,
        "long word with æøå": lambda n: ("kniværøå" * (n // 8 + 1))[:n],
        "crisis words, shuffled": lambda n: " ".join(rng.choice(words) for _ in range(n // 5))[:n],
        "near misses": lambda n: ("jeg vil ikke " * (n // 13 + 1))[:n],
        "spaces and dots": lambda n: (". " * (n // 2 + 1))[:n],
        "gap bait": lambda n: ("jobbe x " * (n // 8 + 1))[:n],
    }


def bounded(text: str) -> None:
    mentions_crisis(text)
    is_excused(text)


def unbounded(text: str) -> None:
    """The same work over the whole text, as before the cut."""
    normalised = normalise(text)
    _EXCUSED.search(normalised)
    _CRISIS.search(_EXCUSED.sub(" ", normalised))


def timed(check: Callable[[str], None], text: str) -> float:
    started = time.perf_counter()
    check(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--give-up", type=float, default=60.0,
                        help="seconds after which a shape is not tried at larger sizes")
    args = parser.parse_args(argv)
    heading("Crisis patterns: the cost of one long message")
    print(machine_summary())
    print(f"The patterns read the first {SCAN_CHARS} characters.\n")
    rows = []
    worst_now = 0.0
    for name, make in shapes().items():
        too_slow = False
        for size in args.sizes:
            text = make(size)
            now = timed(bounded, text)
            worst_now = max(worst_now, now)
            before = "-" if too_slow else f"{timed(unbounded, text) * 1000:.0f}"
            if not too_slow and float(before) / 1000 > args.give_up:
                too_slow = True
            rows.append([name, f"{size:,}", f"{now * 1000:.1f}", before])
    print(table(["message", "characters", "now (ms)", "whole text, before (ms)"], rows, left=(0,)))
    print(f"\nWorst case now: {worst_now * 1000:.1f} ms for one message.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
