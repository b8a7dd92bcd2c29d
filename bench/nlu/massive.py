"""MASSIVE nb-NO: out-of-domain messages for the thresholds and the handoff figures, and
its own intent figures (our pipeline and the TF-IDF baseline trained on it).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import progress
from bench.nlu.baselines import run_tfidf
from bench.nlu.data import Example
from bench.nlu.evaluation import System, run_system
from bench.nlu.output import Output
from bench.nlu.scores import duration, pct, score, seconds_text

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData


MASSIVE_ENV = "VEIVALG_MASSIVE_DIR"
MASSIVE_DEFAULT_DIR = Path("/work/shared/data/massive-nb")
MASSIVE_TRAIN_GOAL_SECONDS = 20 * 60


def massive_dir() -> Path:
    return Path(os.environ.get(MASSIVE_ENV) or MASSIVE_DEFAULT_DIR)


def read_massive(name: str) -> list[Example]:
    """utt -> intent from one MASSIVE partition (train.jsonl or dev.jsonl)."""
    examples = []
    with (massive_dir() / name).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                examples.append(Example(record["utt"], record["intent"], "nb"))
    return examples


def massive_training_data(examples: Sequence[Example]) -> TrainingData:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData(training_examples=[
        Message.build(text=example.text, intent=example.intent) for example in examples
    ])


def report_massive(out: Output, ours_config: Path, workdir: Path) -> None:
    out.heading("MASSIVE nb-NO: trained on train.jsonl, tested on dev.jsonl")
    train, dev = read_massive("train.jsonl"), read_massive("dev.jsonl")
    truth = [example.intent for example in dev]
    texts = [example.text for example in dev]
    rows = []
    progress(f"MASSIVE: TF-IDF + LinearSVC on {len(train)} utterances")
    parses, seconds = run_tfidf(train, texts)
    scores = score(truth, [parse.intent for parse in parses])
    rows.append(["TF-IDF + LinearSVC", seconds_text(seconds), pct(scores.accuracy),
                 pct(scores.macro_f1), "-"])
    progress(f"MASSIVE: our pipeline on {len(train)} utterances (minutes)")
    ours = System("ours", "ours (config.yml)", ours_config)
    try:
        parses, seconds = run_system(ours, massive_training_data(train), texts, workdir,
                                     "ours-massive")
        scores = score(truth, [parse.intent for parse in parses])
        final = score(truth, [parse.final for parse in parses])
        rows.insert(0, [ours.label, seconds_text(seconds), pct(scores.accuracy),
                        pct(scores.macro_f1), pct(final.accuracy)])
        goal = "met" if seconds < MASSIVE_TRAIN_GOAL_SECONDS else "not met"
        note = (f"Training goal < {MASSIVE_TRAIN_GOAL_SECONDS // 60} min: {goal} "
                f"({duration(seconds)}).")
    except Exception:
        print(f"Training our pipeline on MASSIVE failed:\n{traceback.format_exc()}",
              file=sys.stderr)
        rows.insert(0, [ours.label, "failed", "-", "-", "-"])
        note = "Training our pipeline on MASSIVE failed (see stderr)."
    intents = len({example.intent for example in train})
    out.table(["system", "train s", "dev accuracy %", "dev macro-F1 %", "final accuracy %"],
              rows)
    out.note(f"{len(train)} training and {len(dev)} dev utterances, {intents} intents. "
             f"{note}")
