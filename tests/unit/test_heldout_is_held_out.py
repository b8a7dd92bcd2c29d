"""The held-out sets are held out: no test message repeats a training example.

A test message equal to a training example once case, punctuation, æ/ø/å and the place or
occupation named are set aside, or one word from one, or the same sentence in another
spelling, measures memory, not understanding (issue 11: 22 % of tests/nlu did). Training
examples are data/nlu's and data/crisis's (the crisis net's learned half). What counts as
a repeat is defined, and explained, in bot/server/nlp/heldout.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.server.nlp import heldout
from bot.server.nlp.heldout import Example, TrainingIndex, key

LANGUAGES = ("nb", "nn", "en", "se")
# Fewer held-out messages than this and an intent's figure is noise.
MIN_PER_INTENT = 3

# Crisis phrasings that repeat a training example, left to the crisis sets' owner.
KNOWN_CRISIS_REPEATS = Path(__file__).parent / "crisis_repeats_known.yml"


@pytest.fixture(scope="module")
def training() -> TrainingIndex:
    examples = heldout.pipeline_training_examples()
    assert len(examples) > 1000, "no training examples read: has data/nlu changed shape?"
    return TrainingIndex(examples)


def described(repeats: list[heldout.Repeat]) -> str:
    return "\n".join(str(repeat) for repeat in repeats)


def test_no_heldout_message_repeats_a_training_example(training: TrainingIndex) -> None:
    tests = heldout.nlu_examples(heldout.heldout_files())
    assert {Path(example.source).stem for example in tests} == set(LANGUAGES)
    repeats = training.repeats(tests)
    assert not repeats, "held-out messages that repeat training examples (rewrite or drop " \
        "them, never edit the training example instead):\n" + described(repeats)


def test_every_heldout_intent_has_enough_messages() -> None:
    tests = heldout.nlu_examples(heldout.heldout_files())
    counts: dict[str, int] = {}
    for example in tests:
        counts[example.intent] = counts.get(example.intent, 0) + 1
    assert not {intent: n for intent, n in counts.items() if n < MIN_PER_INTENT}


def test_no_crisis_phrasing_repeats_a_training_example(training: TrainingIndex) -> None:
    phrasings = heldout.phrasing_examples(heldout.crisis_phrasing_files())
    assert len(phrasings) > 100, "no crisis phrasings read"
    repeats = training.repeats(phrasings)
    listed = yaml.safe_load(KNOWN_CRISIS_REPEATS.read_text(encoding="utf-8")) or {}
    known = {(source, text) for source, texts in listed.items() for text in texts}
    new = [repeat for repeat in repeats if (repeat.test.source, repeat.test.text) not in known]
    assert not new, "crisis phrasings that repeat training examples:\n" + described(new)
    gone = known - {(repeat.test.source, repeat.test.text) for repeat in repeats}
    assert not gone, (f"no longer repeat a training example; take them off "
                      f"{KNOWN_CRISIS_REPEATS.name}: {sorted(gone)}")


# --- what counts as a repeat --------------------------------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    ("Hei! Hvordan søker jeg?", "hei hvordan søker jeg"),
    ("hvordan søker jeg på høyskole", "hvordan soker jeg pa hoyskole"),
    ("særlig", "saerlig"),
    ("Kárášjohka", "karasjohka"),
    ("I don't know", "i dont know"),
    ("ｆｕｌｌ width", "full width"),
    ("hva gjør en sveiser", "hva gjør en rørlegger"),  # an occupation is an occupation
    ("karrieresenter i Tromsø", "karrieresenter i Møre og Romsdal"),  # a place is a place
])
def test_these_are_one_message(one: str, other: str) -> None:
    assert key(one) == key(other)


def index(*examples: tuple[str, str]) -> TrainingIndex:
    return TrainingIndex(Example(text, intent, "train") for text, intent in examples)


@pytest.mark.parametrize(("test", "training", "how"), [
    ("kan jeg ta påbygg", "kan jeg ta påbygg?", "exact"),
    ("kostar det noko å få vurdert realkompetansen",
     "kostar det noko å få realkompetansen vurdert", "reordered"),
    ("ja takk", "ja", "one word"),  # inserted
    ("praksiskandidat", "praksiskandidat krav", "one word"),  # deleted
    ("hvor søker jeg læreplass", "hvor søker man læreplass", "one word"),  # replaced
    ("kan jeg sende vitnemål digitalt", "kan eg sende vitnemålet digitalt", "similar"),
])
def test_a_repeat_is_found(test: str, training: str, how: str) -> None:
    found = index((training, "some_intent")).repeat_of(Example(test, "some_intent", "test"))
    assert found is not None and found.how == how


@pytest.mark.parametrize(("test", "training"), [
    ("hei", "nei"),  # two one-word messages are always one word apart
    ("hva er fagbrev", "hva er et fagbrev egentlig"),  # two words more
    ("how do I get an apprenticeship", "how long is an apprenticeship"),
])
def test_a_different_message_is_no_repeat(test: str, training: str) -> None:
    assert index((training, "some_intent")).repeat_of(Example(test, "some_intent", "t")) is None


def test_near_counts_only_within_an_intent_and_exact_always() -> None:
    training = index(("frist studielån", "ask_student_finance_deadline"),
                     ("hva er fagskole", "ask_fagskole"))
    # A minimal pair: the hardest test there is, and its answer was not seen.
    assert training.repeat_of(Example("frist vigo", "ask_upper_secondary_deadline", "t")) is None
    assert training.repeat_of(Example("hva er fagskole?", "ask_pabygg", "t")) is not None


def test_a_negative_phrasing_repeats_what_is_trained_as_another_intent() -> None:
    training = index(("hvordan blir man spion", "ask_occupation_path"),
                     ("vil ikke leve lenger", "crisis"))
    negative = Example("hvordan blir man gravferdskonsulent", "crisis", "t", negative=True)
    assert training.repeat_of(negative) is not None
    assert training.repeat_of(
        Example("vil ikke leve mer", "crisis", "t", negative=True)) is None


def test_the_crisis_nets_own_negatives_teach_only_that_it_is_no_crisis() -> None:
    training = TrainingIndex([Example("vil ikke leve på nav resten av livet", "crisis",
                                      "data/crisis", negative=True)])
    near = "vil ikke leve på nav resten av livet mitt"
    assert training.repeat_of(Example(near, "crisis", "t", negative=True)) is not None
    assert training.repeat_of(Example(near, "crisis", "t")) is None
