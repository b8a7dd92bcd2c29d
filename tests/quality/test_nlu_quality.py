"""Floors under how well the trained model understands messages it has not seen.

Loads models/veivalg.tar.gz once (``make test`` trains it before pytest) and parses every
held-out message in tests/nlu/ and every crisis phrasing with Rasa's own
``Agent.parse_message``, as the server does. Without the model these tests fail: a
skipped quality check would pass CI with nothing checked.

The intent compared is the one the bot acts on, after the FallbackClassifier and the
crisis and Sami overrides: ``nlu_fallback`` counts as wrong. ``python -m bench.nlu`` gives
the fuller picture (macro-F1, baselines, thresholds); these floors only catch regressions.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.crisis import MASSIVE_DIR, massive_partition
from bot.commands.serve import MODEL_PATH
from bot.server.nlp import heldout
from bot.shared.crisis import CHECK_KEY, CRISIS_INTENT

pytestmark = pytest.mark.nlu_quality

# Measured 2026-12-03 on main after issue 13 (the sentence embedding, the linear SVM and
# thresholds 0.40 / 0.00) with the knowledge and follow-up intents merged, on the 571
# held-out messages; before it (DIET, 069bd81, 492 messages) the whole set was at 83.7 %.
# Each floor sits a few points under the measured value: the standard error of an
# accuracy near 93 % is 1.1 points on 571 messages and 2-2.5 on one language's 147-236,
# and two trainings on the same data differ a little. A real regression (a broken
# component, a bad threshold, lost training data) costs more.
# The held-out crisis set (tests/crisis/heldout/), whole NLU: see its test below.
HELDOUT_CRISIS = "tests/crisis/heldout/"
# Measured 2026-12-02 at d600ac2 with data/crisis without repeats: 62.5 % (167 of 267)
# for the whole NLU; the patterns alone caught 35-51 % per language before anything was
# mended (bench/README.md).
HELDOUT_CRISIS_FLOOR = 0.55
# Crisis, or asked first how the person is (crisis_check): measured 2026-12-03 at ae67ad6,
# 232 of 267 (86.9 %).
HELDOUT_REACHED_FLOOR = 0.80
# Career questions asked about first: measured 0 of 563 held-out utterances at ae67ad6.
HELDOUT_ASKED_CEILING = 0.01
MASSIVE_SAMPLE = 600
MASSIVE_SEED = 11
ACCURACY_FLOOR = 0.92  # measured at fc0daa6: 95.7 % (554 of 579)
LANGUAGE_FLOORS = {
    "nb": 0.92,  # measured: 94.6 % (227 of 240)
    "nn": 0.91,  # measured: 95.3 % (142 of 149)
    "en": 0.92,  # measured: 97.0 % (160 of 165)
    # Not the classifier's: the language detector routes Sami (SamiRecogniser), so no noise.
    "se": 1.00,  # measured: 100 % (25 of 25)
}


@dataclass(frozen=True)
class Parsed:
    example: heldout.Example
    intent: str  # the intent the bot acts on
    asked: bool = False  # perhaps crisis language: the bot asks how the person is first

    @property
    def language(self) -> str:
        return Path(self.example.source).stem

    @property
    def right(self) -> bool:
        return self.intent == self.example.intent


@pytest.fixture(scope="module")
def agent() -> Iterator[Any]:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make model` (make test does)")
    from rasa.core.agent import Agent

    started = time.monotonic()
    loaded = Agent.load(str(MODEL_PATH))
    print(f"\nmodel loaded in {time.monotonic() - started:.1f} s")
    yield loaded


def parse(agent: Any, examples: list[heldout.Example]) -> list[Parsed]:
    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(example.text) for example in examples]

    started = time.monotonic()
    parsed = asyncio.run(parse_all())
    print(f"\n{len(examples)} messages parsed in {time.monotonic() - started:.1f} s")
    return [Parsed(example, (data.get("intent") or {}).get("name") or "nlu_fallback",
                   bool(data.get(CHECK_KEY)))
            for example, data in zip(examples, parsed, strict=True)]


@pytest.fixture(scope="module")
def heldout_parses(agent: Any) -> list[Parsed]:
    return parse(agent, heldout.nlu_examples(heldout.heldout_files()))


@pytest.fixture(scope="module")
def phrasing_parses(agent: Any) -> list[Parsed]:
    return parse(agent, heldout.phrasing_examples(heldout.crisis_phrasing_files()))


def accuracy(parses: list[Parsed]) -> float:
    return sum(parse.right for parse in parses) / len(parses)


def misses(parses: list[Parsed], limit: int = 25) -> str:
    wrong = [parse for parse in parses if not parse.right]
    lines = [f"  {parse.example.text!r}: {parse.example.intent}, understood {parse.intent}"
             for parse in wrong[:limit]]
    more = f"\n  ... and {len(wrong) - limit} more" if len(wrong) > limit else ""
    return "\n".join(lines) + more


def model_note() -> str:
    trained = time.strftime("%Y-%m-%d %H:%M", time.localtime(MODEL_PATH.stat().st_mtime))
    return (f"(model {MODEL_PATH.name} trained {trained}; `make model` retrains it when the "
            "data or config changed)")


def test_heldout_accuracy_is_above_its_floor(heldout_parses: list[Parsed]) -> None:
    measured = accuracy(heldout_parses)
    print(f"\nheld-out accuracy after the fallback: {measured:.1%} of {len(heldout_parses)}")
    assert measured >= ACCURACY_FLOOR, (
        f"held-out accuracy {measured:.1%} < floor {ACCURACY_FLOOR:.0%} {model_note()}:\n"
        + misses(heldout_parses))


@pytest.mark.parametrize("language", sorted(LANGUAGE_FLOORS))
def test_every_written_language_is_above_its_floor(heldout_parses: list[Parsed],
                                                    language: str) -> None:
    parses = [parse for parse in heldout_parses if parse.language == language]
    assert parses, f"no held-out messages in tests/nlu/{language}.yml"
    measured = accuracy(parses)
    print(f"\n{language}: {measured:.1%} of {len(parses)}")
    assert measured >= LANGUAGE_FLOORS[language], (
        f"{language} accuracy {measured:.1%} < floor {LANGUAGE_FLOORS[language]:.0%} "
        f"{model_note()}:\n" + misses(parses))


def crisis_positives(parses: list[Parsed], held_out: bool) -> list[Parsed]:
    return [parse for parse in parses
            if parse.example.intent == CRISIS_INTENT and not parse.example.negative
            and (HELDOUT_CRISIS in parse.example.source) == held_out]


def test_every_crisis_message_is_recognised(heldout_parses: list[Parsed],
                                            phrasing_parses: list[Parsed]) -> None:
    positives = crisis_positives([*heldout_parses, *phrasing_parses], held_out=False)
    assert len(positives) > 100
    missed = [parse for parse in positives if parse.intent != CRISIS_INTENT]
    assert not missed, "crisis messages not understood as crisis:\n" + misses(missed)


def test_no_crisis_negative_is_taken_for_a_crisis(phrasing_parses: list[Parsed]) -> None:
    negatives = [parse for parse in phrasing_parses if parse.example.negative]
    assert len(negatives) > 50
    alarms = [parse for parse in negatives if parse.intent == CRISIS_INTENT]
    assert not alarms, "false crisis alarms:\n" + "\n".join(
        f"  {parse.example.text!r} ({parse.example.source})" for parse in alarms)


def test_no_training_example_of_another_intent_is_taken_for_a_crisis(agent: Any) -> None:
    """The learned half is retrained with every model: a retrain once took a parent's
    story of feeling stuck ("… så kan ikke bare slutte. hva bør jeg gjøre?", a
    personal-guidance example) for a crisis."""
    examples = [example for example in heldout.training_examples()
                if example.intent != CRISIS_INTENT]
    assert len(examples) > 3000
    alarms = [parsed for parsed in parse(agent, examples) if parsed.intent == CRISIS_INTENT]
    assert not alarms, "training examples taken for a crisis:\n" + "\n".join(
        f"  {parsed.example.text!r} ({parsed.example.intent})" for parsed in alarms)


def test_crisis_never_seen_is_recognised_above_its_floor(phrasing_parses: list[Parsed]) -> None:
    """tests/crisis/heldout/ was written by someone who had seen neither the patterns nor
    the other sets, and nothing was mended on its positives: no 100 % here, a floor."""
    positives = crisis_positives(phrasing_parses, held_out=True)
    assert len(positives) > 200
    measured = sum(parse.intent == CRISIS_INTENT for parse in positives) / len(positives)
    print(f"\nheld-out crisis recall: {measured:.1%} of {len(positives)}")
    assert measured >= HELDOUT_CRISIS_FLOOR, (
        f"held-out crisis recall {measured:.1%} < floor {HELDOUT_CRISIS_FLOOR:.0%} "
        f"{model_note()}")


def test_crisis_never_seen_gets_the_help_lines_above_its_floor(
    phrasing_parses: list[Parsed],
) -> None:
    """As a crisis, or with the question how the person is, which has them too."""
    positives = crisis_positives(phrasing_parses, held_out=True)
    reached = sum(p.intent == CRISIS_INTENT or p.asked for p in positives) / len(positives)
    print(f"\nheld-out crisis messages that get the help lines: {reached:.1%}")
    assert reached >= HELDOUT_REACHED_FLOOR, f"{reached:.1%} {model_note()}"


def test_career_questions_are_seldom_asked_about_first(heldout_parses: list[Parsed]) -> None:
    questions = [p for p in heldout_parses if p.example.intent != CRISIS_INTENT]
    asked = [p for p in questions if p.asked]
    assert len(asked) <= HELDOUT_ASKED_CEILING * len(questions), "\n".join(
        f"  {p.example.text!r} ({p.example.intent})" for p in asked)


def test_no_massive_request_is_taken_for_a_crisis(agent: Any) -> None:
    """A sample of MASSIVE nb-NO dev: alarms, music, weather. The patterns are checked on
    all of MASSIVE in tests/unit/test_crisis.py; here the whole NLU, learned half and DIET
    included."""
    if not MASSIVE_DIR.is_dir():
        pytest.fail(f"MASSIVE nb-NO is missing at {MASSIVE_DIR} (set VEIVALG_MASSIVE_DIR)")
    # A seeded sample keeps make test short; bench/crisis.py parses all 13,547.
    texts = random.Random(MASSIVE_SEED).sample(massive_partition("dev.jsonl"), MASSIVE_SAMPLE)
    examples = [heldout.Example(text, "not crisis", "MASSIVE dev") for text in texts]
    alarms = [parsed.example.text for parsed in parse(agent, examples)
              if parsed.intent == CRISIS_INTENT]
    assert alarms == []


# How people close a chat: the learned half of the crisis net once read "Takk. Det var
# alt." as a farewell in crisis (1.0) and asked "Takk for hjelpa. Det var alt eg lurte
# på." how the person was (0.84).
CLOSINGS = ["Takk. Det var alt.", "Det var alt.", "Takk for hjelpa. Det var alt eg lurte på.",
            "ok, tusen takk! det var det jeg lurte på", "Thanks. That's all.",
            "takk skal du ha, det var alt for i dag"]


def test_a_plain_closing_gets_no_help_lines(agent: Any) -> None:
    examples = [heldout.Example(text, "thank", "closings") for text in CLOSINGS]
    raised = [p.example.text for p in parse(agent, examples)
              if p.intent == CRISIS_INTENT or p.asked]
    assert raised == []
