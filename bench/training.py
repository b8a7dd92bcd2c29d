"""Model training time: `rasa train` as `make model` runs it, timed on the wall clock.

The model goes to a temporary directory, so models/veivalg.tar.gz is left alone, and so
does Rasa's training cache: `--force` skips the cache anyway, and a cache of our own keeps
the project's .rasa/cache out of it. The NLU example count is printed beside the time
because training time grows with the data.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.common import heading, log_tail, machine_summary, progress, table
from bot.commands.serve import VENV_BIN
from bot.shared.settings import PROJECT_DIR

NLU_DIR = PROJECT_DIR / "data" / "nlu"
SPACY_PIPELINE = PROJECT_DIR / "build" / "spacy-nb" / "meta.json"
# A full training takes about a minute on 2 cores; ten is a hang, not a slow run.
TRAIN_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class NluSize:
    intents: int
    examples: int


@dataclass(frozen=True)
class TrainingRun:
    seconds: float
    returncode: int
    model_bytes: int


def count_examples(block: str) -> int:
    """Examples in Rasa's `examples: |` block: one `- ` line each."""
    return sum(1 for line in block.splitlines() if line.strip().startswith("- "))


def nlu_size(nlu_dir: Path = NLU_DIR) -> NluSize:
    intents: set[str] = set()
    examples = 0
    for path in sorted(nlu_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in document.get("nlu") or []:
            # Synonyms, regexes and lookup tables are not training examples.
            if isinstance(item, dict) and "intent" in item:
                intents.add(item["intent"])
                examples += count_examples(item.get("examples") or "")
    return NluSize(len(intents), examples)


def train_command(out_dir: Path) -> list[str]:
    # The Makefile's arguments, except where the model goes and what it is called.
    return [str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "bench",
            "--out", str(out_dir), "--force", "--quiet"]


def train_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(PROJECT_DIR),
        RASA_CACHE_DIRECTORY=str(cache_dir),
        # What the Makefile exports for every target.
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        RASA_TELEMETRY_ENABLED="false",
    )
    return env


def train_once() -> TrainingRun:
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-train-") as workdir:
        work = Path(workdir)
        log_path = work / "train.log"
        started = time.monotonic()
        with log_path.open("w", encoding="utf-8") as log:
            try:
                completed = subprocess.run(
                    train_command(work / "models"), cwd=PROJECT_DIR,
                    env=train_env(work / "cache"), stdout=log, stderr=subprocess.STDOUT,
                    timeout=TRAIN_TIMEOUT_SECONDS, check=False,
                )
                returncode = completed.returncode
            except subprocess.TimeoutExpired:
                returncode = -1
        seconds = time.monotonic() - started
        model = work / "models" / "bench.tar.gz"
        if returncode != 0 or not model.exists():
            print(f"rasa train failed (code {returncode}). Its output:\n{log_tail(log_path)}",
                  file=sys.stderr)
        return TrainingRun(seconds, returncode, model.stat().st_size if model.exists() else 0)


def measure(runs: int) -> tuple[NluSize, list[TrainingRun]]:
    size = nlu_size()
    results = []
    for index in range(runs):
        progress(f"training {index + 1} of {runs}")
        results.append(train_once())
    return size, results


def report(size: NluSize, runs: list[TrainingRun]) -> None:
    heading("Model training (rasa train --force, as `make model`)")
    rows: list[list[object]] = [
        [f"run {index + 1}", f"{run.seconds:.1f}",
         "ok" if run.returncode == 0 else f"failed ({run.returncode})",
         f"{run.model_bytes / 2**20:.1f}"]
        for index, run in enumerate(runs)
    ]
    print(table(["training", "wall s", "result", "model MiB"], rows))
    print(f"NLU data: {size.examples} examples in {size.intents} intents "
          f"({NLU_DIR.relative_to(PROJECT_DIR)}/*.yml)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.training", description=__doc__)
    parser.add_argument("--runs", type=int, default=1, choices=range(1, 6), metavar="1-5",
                        help="how many trainings to time (default 1)")
    args = parser.parse_args(argv)
    if not SPACY_PIPELINE.exists():
        print(f"{SPACY_PIPELINE.parent} is missing: run `make spacy-model` first.",
              file=sys.stderr)
        return 1
    print(machine_summary())
    size, runs = measure(args.runs)
    report(size, runs)
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
