"""The systems compared, and each one trained, cross-validated and run on the held-out set."""

from __future__ import annotations

import math
import sys
import traceback
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import progress
from bench.nlu.baselines import run_tfidf
from bench.nlu.data import SEED, Example, Parse, as_examples, with_examples
from bench.nlu.rasa_models import LOADED_MIB, parse_rasa, train_rasa
from bench.nlu.scores import Scores, score

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData


@dataclass(frozen=True)
class System:
    key: str
    label: str
    config: Path | None  # a Rasa config; None for the scikit-learn baseline

    @property
    def is_rasa(self) -> bool:
        return self.config is not None


@dataclass
class SystemResult:
    system: System
    train_seconds: float = math.nan
    heldout: list[Parse] = field(default_factory=list)
    extra: list[Parse] = field(default_factory=list)  # ours: tuning + MASSIVE dev parses
    fold_scores: list[Scores] = field(default_factory=list)
    fold_seconds: list[float] = field(default_factory=list)
    out_of_fold: dict[int, Parse] = field(default_factory=dict)  # index in intent_examples
    error: str | None = None
    loaded_mib: float = math.nan  # memory the full model took in this process


def run_system(system: System, data: TrainingData, texts: Sequence[str], workdir: Path,
               name: str) -> tuple[list[Parse], float]:
    """Train `system` on `data`, parse `texts`; the parses and the training seconds."""
    if system.config is None:
        return run_tfidf(as_examples(data), texts)
    model, seconds = train_rasa(system.config, data, workdir, name)
    try:
        return parse_rasa(model, texts), seconds
    finally:
        model.unlink(missing_ok=True)


def cross_validate(system: System, data: TrainingData, folds: int, workdir: Path,
                   result: SystemResult) -> None:
    from sklearn.model_selection import StratifiedKFold

    examples = data.intent_examples
    others = [message for message in data.training_examples if not message.get("intent")]
    labels = [message.get("intent") for message in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    with warnings.catch_warnings():
        # Intents with fewer examples than folds are split as well as they can be.
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(labels, labels))
    for fold, (train_index, test_index) in enumerate(splits, start=1):
        progress(f"{system.key}: fold {fold} of {folds}, training on {len(train_index)} "
                 f"examples")
        train = with_examples(data, [examples[i] for i in train_index] + others)
        parses, seconds = run_system(system, train, [examples[i].get("text") for i in test_index],
                                     workdir, f"{system.key}-fold{fold}")
        result.fold_seconds.append(seconds)
        result.fold_scores.append(score([labels[i] for i in test_index],
                                        [parse.intent for parse in parses]))
        result.out_of_fold.update(zip(test_index.tolist(), parses, strict=True))


def evaluate(system: System, data: TrainingData, heldout: Sequence[Example],
             extra_texts: Sequence[str], folds: int | None, workdir: Path) -> SystemResult:
    result = SystemResult(system)
    try:
        if folds:
            cross_validate(system, data, folds, workdir, result)
        progress(f"{system.key}: training on all {len(data.intent_examples)} examples")
        texts = [example.text for example in heldout] + list(extra_texts)
        parses, result.train_seconds = run_system(system, data, texts, workdir,
                                                  f"{system.key}-all")
        result.heldout, result.extra = parses[:len(heldout)], parses[len(heldout):]
        result.loaded_mib = LOADED_MIB.get(f"{system.key}-all", math.nan)
    except Exception:
        result.error = traceback.format_exc()
        print(f"{system.label} failed:\n{result.error}", file=sys.stderr)
    return result
