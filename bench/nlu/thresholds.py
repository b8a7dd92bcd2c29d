"""The FallbackClassifier's thresholds: the sweep over out-of-fold parses and MASSIVE, and
the pair chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bench.nlu.data import NOT_CAREER, NOT_IN_SCOPE, OUT_OF_SCOPE, Parse
from bench.nlu.evaluation import SystemResult
from bench.nlu.output import Output
from bench.nlu.scores import pct, share

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData


THRESHOLDS = tuple(round(0.30 + 0.05 * step, 2) for step in range(13))  # 0.30 .. 0.90
AMBIGUITIES = tuple(round(0.02 * step, 2) for step in range(11))  # 0.00 .. 0.20
# The pair is chosen with a margin under the goal: with 1000 tuning messages the standard
# error of a 5 % share is 0.7 points, so "5 % on the tuning sample" can be 6 % in use.
TUNING_WRONG_LIMIT = 0.04
# Rasa's defaults when config.yml leaves them out (rasa/nlu/classifiers/fallback_classifier.py).
RASA_FALLBACK_THRESHOLD = 0.3
RASA_AMBIGUITY_THRESHOLD = 0.1


def fallback_thresholds(config: Path) -> tuple[float, float] | None:
    """The FallbackClassifier's (threshold, ambiguity_threshold), None without one."""
    document = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    for component in document.get("pipeline") or []:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            return (float(component.get("threshold", RASA_FALLBACK_THRESHOLD)),
                    float(component.get("ambiguity_threshold", RASA_AMBIGUITY_THRESHOLD)))
    return None


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
