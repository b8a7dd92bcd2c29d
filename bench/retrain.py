"""Retrain and compare: the current model against one trained on the current data plus the
messages leads labelled in the review queue, on the figures that say whether the bot got
worse: held-out intent accuracy, crisis recall and false alarms, out-of-domain messages
answered as career questions.

    make retrain-compare                        # the labelled messages in the database
    make retrain-compare EXPORT=unanswered.yml  # or an export (GET /desk/api/unanswered.yml)

"Before" is models/veivalg.tar.gz (train it first: `make model`); "after" is trained into a
temporary directory and thrown away. Both are measured on the same messages: held-out
examples (tests/nlu/) that repeat no training example of either, the held-out crisis
phrasings (tests/crisis/heldout/), and MASSIVE nb-NO dev (out of domain: a seeded sample
of 500 unless --all-out-of-domain). The exit code
is 1 when "after" is worse: accuracy or out-of-domain by more than a point, or any crisis
message more missed or falsely raised; merge the export into data/nlu/ only when it is 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import heading, machine_summary, progress, table
from bot.shared.settings import PROJECT_DIR

MODEL = PROJECT_DIR / "models" / "veivalg.tar.gz"
CRISIS = "crisis"
TOLERANCE = 0.01  # a point of accuracy or of out-of-domain answers is noise between trainings
# MASSIVE dev messages parsed by each model: a seeded sample (each parse runs the crisis
# net's embedding; all 2,033 take a quarter of an hour per model on a busy machine).
OOD_SAMPLE = 500
SEED = 42


@dataclass(frozen=True)
class Figures:
    accuracy: dict[str, tuple[int, int]]  # language ("all" too) -> (right, of)
    crisis_found: tuple[int, int]
    crisis_false: tuple[int, int]
    ood_wrong: tuple[int, int]


def share(pair: tuple[int, int]) -> float:
    return pair[0] / pair[1] if pair[1] else 0.0


def labelled_examples(export: Path | None) -> str:
    """The Rasa NLU YAML of the labelled messages: a file, or straight from the database."""
    if export is not None:
        return export.read_text(encoding="utf-8")
    from bot.server.database import make_engine
    from bot.server.insights.review import export_yaml
    from bot.shared.settings import Settings

    return export_yaml(make_engine(Settings.from_env().database_url))


def measure(model: Path, heldout: Sequence, crisis: dict[str, list[str]],
            ood: Sequence[str]) -> Figures:
    from bench.nlu import NOT_CAREER, parse_rasa

    texts = [e.text for e in heldout] + crisis["positives"] + crisis["negatives"] + list(ood)
    progress(f"parsing {len(texts)} messages with {model.name}")
    parses = parse_rasa(model, texts)
    said = parses[:len(heldout)]
    rest = parses[len(heldout):]
    positives = rest[:len(crisis["positives"])]
    negatives = rest[len(crisis["positives"]):len(crisis["positives"]) + len(crisis["negatives"])]
    outside = rest[len(crisis["positives"]) + len(crisis["negatives"]):]
    accuracy: dict[str, tuple[int, int]] = {}
    for example, parse in zip(heldout, said, strict=True):
        for key in ("all", example.language):
            right, of = accuracy.get(key, (0, 0))
            accuracy[key] = (right + (parse.final == example.intent), of + 1)
    return Figures(
        accuracy=accuracy,
        crisis_found=(sum(p.final == CRISIS for p in positives), len(positives)),
        crisis_false=(sum(p.final == CRISIS for p in negatives), len(negatives)),
        ood_wrong=(sum(p.final not in NOT_CAREER for p in outside), len(outside)),
    )


def worse(before: Figures, after: Figures) -> list[str]:
    found = []
    if share(after.accuracy["all"]) < share(before.accuracy["all"]) - TOLERANCE:
        found.append("held-out accuracy")
    if after.crisis_found[0] < before.crisis_found[0]:
        found.append("crisis messages recognised")
    if after.crisis_false[0] > before.crisis_false[0]:
        found.append("crisis false alarms")
    if share(after.ood_wrong) > share(before.ood_wrong) + TOLERANCE:
        found.append("out-of-domain messages answered")
    return found


def rows(before: Figures, after: Figures) -> list[list[str]]:
    def cell(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]} ({share(pair):.1%})"

    lines = [[f"held-out accuracy, {key}", cell(before.accuracy[key]), cell(after.accuracy[key]),
              f"{100 * (share(after.accuracy[key]) - share(before.accuracy[key])):+.1f}"]
             for key in sorted(before.accuracy, key=lambda k: (k != "all", k))]
    for label, attr in [("crisis held-out recognised", "crisis_found"),
                        ("crisis held-out false alarms", "crisis_false"),
                        ("out of domain answered (MASSIVE dev)", "ood_wrong")]:
        b, a = getattr(before, attr), getattr(after, attr)
        lines.append([label, cell(b), cell(a), f"{100 * (share(a) - share(b)):+.1f}"])
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retrain", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", type=Path, help="Rasa NLU YAML of labelled messages")
    parser.add_argument("--all-out-of-domain", action="store_true",
                        help=f"every MASSIVE dev message, not a sample of {OOD_SAMPLE}")
    args = parser.parse_args(argv)
    if not MODEL.exists():
        print(f"{MODEL} is missing: run `make model` first.", file=sys.stderr)
        return 2

    from bench.crisis import HELDOUT, labelled, massive_partition
    from bench.nlu import (
        CONFIG_PATH,
        HELDOUT_DIR,
        NLU_DIR,
        held_out,
        load_heldout,
        load_training_data,
        prepare_environment,
        train_rasa,
        training_index,
        with_examples,
        workspace,
    )

    prepare_environment()
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    added = RasaYAMLReader().reads(labelled_examples(args.export))
    if not added.intent_examples:
        print("No labelled messages: label groups in the review queue (/desk/insights/) "
              "first.", file=sys.stderr)
        return 2
    current = load_training_data(CONFIG_PATH, NLU_DIR)
    known = {(m.get("text"), m.get("intent")) for m in current.intent_examples}
    new = [m for m in added.intent_examples if (m.get("text"), m.get("intent")) not in known]
    combined = with_examples(current, [*current.intent_examples, *new])
    examples, _ = load_heldout(HELDOUT_DIR)
    heldout, repeats = held_out(training_index(combined), examples)
    crisis: dict[str, list[str]] = {"positives": [], "negatives": []}
    for (_, section, _), texts in labelled(HELDOUT).items():
        if section in crisis:
            crisis[section] += texts
    ood = massive_partition("dev.jsonl")
    if not args.all_out_of_domain:
        ood = random.Random(SEED).sample(ood, min(OOD_SAMPLE, len(ood)))

    heading("Retrain and compare")
    print(machine_summary())
    print(f"{len(new)} new training examples for {len({m.get('intent') for m in new})} intents "
          f"({len(added.intent_examples) - len(new)} already in data/nlu/); "
          f"{len(heldout)} held-out messages ({len(repeats)} left out: they repeat training "
          "data)")
    before = measure(MODEL, heldout, crisis, ood)
    with workspace() as workdir:
        progress("training the model with the labelled messages (several minutes)")
        started = time.monotonic()
        model, _ = train_rasa(CONFIG_PATH, combined, workdir, "after")
        progress(f"trained in {time.monotonic() - started:.0f} s")
        after = measure(model, heldout, crisis, ood)
    print(table(["figure", "before", "after", "change (points)"], rows(before, after)))
    problems = worse(before, after)
    if problems:
        print(f"\nWorse after: {', '.join(problems)}. Do not merge these examples as they are.")
        return 1
    print("\nNot worse on any figure: the examples can be merged into data/nlu/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
