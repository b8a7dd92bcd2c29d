"""NLU figures: intent recognition of our pipeline against Rasa's default pipeline and a
TF-IDF + LinearSVC baseline, the FallbackClassifier's thresholds, and handoff quality.

    python -m bench.nlu [--skip-massive] [--skip-cv] [--skip-default] [--folds 5]
                        [--heldout DIR]

Trains on data/nlu/ (every file, with synonyms, regexes and lookup tables) and tests on the
held-out utterances in tests/nlu/{nb,nn,en,se}.yml (the file name is the language), which
are never trained on: one that repeats a training example, even nearly (bot/server/nlp/heldout.py),
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
import os
import random
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

from bench.common import machine_summary, progress
from bench.nlu.baselines import default_config
from bench.nlu.data import (
    CONFIG_PATH,
    DEFAULT_FOLDS,
    HELDOUT_DIR,
    HELDOUT_ENV,
    NLU_DIR,
    OUT_OF_SCOPE,
    SEED,
    TUNING_SAMPLE,
    Example,
    held_out,
    load_heldout,
    load_training_data,
    training_index,
)
from bench.nlu.evaluation import System, evaluate
from bench.nlu.handoff import report_handoff
from bench.nlu.massive import massive_dir, read_massive, report_massive
from bench.nlu.output import (
    CONFUSION_NAME,
    REPORT_DIR,
    REPORT_NAME,
    Output,
    plot_confusion,
    rel,
    reports_ignored,
)
from bench.nlu.rasa_models import prepare_environment, workspace
from bench.nlu.reports import report_cv, report_data, report_heldout
from bench.nlu.scores import duration
from bench.nlu.thresholds import fallback_thresholds, report_thresholds
from bench.nlu.variants import VARIANTS, variant_config
from bot.server.nlp.heldout import Repeat


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
