"""Handoff quality: containment of in-scope questions and wrong answers to out-of-domain
messages, at config.yml's thresholds or at the chosen pair.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Sequence

from bench.nlu.data import (
    COUNSELLOR,
    FALLBACK,
    LANGUAGES,
    NOT_CAREER,
    NOT_IN_SCOPE,
    OUT_OF_SCOPE,
    SMALL_TALK,
    Example,
    Parse,
)
from bench.nlu.evaluation import SystemResult
from bench.nlu.output import Output
from bench.nlu.scores import pct, share
from bench.nlu.thresholds import SweepPoint
from bot.shared.crisis import CRISIS_INTENT

CONTAINMENT_GOAL = 0.90
WRONG_LIMIT = 0.05


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
