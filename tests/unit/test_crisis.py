"""The crisis safety net: never miss a message about suicide or self-harm, and raise no
false alarm on ordinary messages.

The labelled phrasings (tests/unit/crisis_phrasings.yml, tests/crisis/*.yml) were written
separately from the patterns, by people who had not read them, in Bokmål, Nynorsk,
dialect, English and Northern Sami, with hard negatives that use the same words.
"""

from __future__ import annotations

import pytest

from bench.crisis import LABELLED, MASSIVE_DIR, labelled, massive
from bot.shared.crisis import (
    mentions_crisis,
    normalise,
    said_in_crisis,
    sounds_distressed,
    tolerant,
)

SETS = labelled(LABELLED)


def phrasings(section: str) -> list[tuple[str, str, str]]:
    return [(name, language, text) for (name, kind, language), texts in SETS.items()
            if kind == section for text in texts]


@pytest.mark.parametrize(("source", "language", "text"), phrasings("positives"))
def test_a_crisis_message_is_recognised(source: str, language: str, text: str) -> None:
    assert mentions_crisis(text), f"missed ({source}, {language}): {text}"


@pytest.mark.parametrize(("source", "language", "text"), phrasings("negatives"))
def test_the_same_words_in_another_sense_are_not_a_crisis(
    source: str, language: str, text: str
) -> None:
    assert not mentions_crisis(text), f"false alarm ({source}, {language}): {text}"


def test_there_are_many_phrasings_in_every_language() -> None:
    counts: dict[str, int] = {}
    for _, language, _ in phrasings("positives"):
        counts[language] = counts.get(language, 0) + 1
    assert counts["nb"] >= 200 and counts["nn"] >= 100 and counts["en"] >= 140
    assert counts["dialect"] >= 50 and counts["se"] >= 20
    assert len(phrasings("negatives")) >= 300


def test_no_massive_request_raises_an_alarm() -> None:
    if not MASSIVE_DIR.is_dir():
        pytest.fail(f"MASSIVE nb-NO is missing at {MASSIVE_DIR} (set VEIVALG_MASSIVE_DIR)")
    texts = massive()
    assert len(texts) > 13_000
    alarms = [text for text in texts if mentions_crisis(text)]
    assert alarms == []


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_is_not_a_crisis(text: str) -> None:
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("onsker a do", "ønsker å dø"), ("jeg vil ikke vaere her mer", "jeg vil ikke være her mer"),
     ("JEG VIL IKKE LEVE LENGER", "jeg vil ikke leve lenger"), ("want to dieee", "want to die"),
     ("in háliit šat eallit", "in haliit sat eallit"), ("I don’t want to live", "")],
)
def test_typing_without_æøå_capitals_or_diacritics_changes_nothing(typed: str, meant: str) -> None:
    assert mentions_crisis(typed)
    if meant:
        assert mentions_crisis(meant)


def test_æøå_in_patterns_also_match_their_typed_replacements() -> None:
    assert tolerant("dø på") == "d(?:ø|oe|o) p(?:å|aa|a)"
    assert tolerant("[æø]") == "[æø]"  # a character class is left alone
    assert normalise("  Hjeeelp  meg ") == "hjelp meg"


def test_only_understood_crisis_language_counts_not_a_typed_intent() -> None:
    understood = {"text": "jeg vil ikke leve", "intent": {"name": "crisis"}}
    assert said_in_crisis(understood)
    assert not said_in_crisis({"text": "/crisis", "intent": {"name": "crisis"}})
    assert not said_in_crisis({"text": "hei", "intent": {"name": "greet"}})
    assert not said_in_crisis(None)


@pytest.mark.parametrize("text", [
    "fikk ikke jobb, har selvmordstanker",
    "studiet gikk dårlig og nå tenker jeg på selvmord",
    "I study nursing and I have suicidal thoughts",
    "jeg jobber med ungdom og har selv selvmordstanker",
    "I work on weekends and have suicidal thoughts",
    "jeg jobber for mye og har selvmordstanker",
])
def test_work_or_studies_never_excuse_a_persons_own_words(text: str) -> None:
    """Career talk about the subject is excused; a person's own crisis next to a word
    about their job or studies must not be (an excuse once swallowed these)."""
    assert mentions_crisis(text)


def test_the_patterns_read_a_bounded_start_of_any_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A megabyte cost the patterns seconds (bench/crisis_cost.py prints the times): they
    read the first SCAN_CHARS characters, whatever the length, and still find the crisis
    there."""
    from bot.shared import crisis

    read: list[int] = []

    def measured(text: str) -> str:
        read.append(len(text))
        return normalise(text)

    monkeypatch.setattr(crisis, "normalise", measured)
    long_message = "jeg vil ikke leve mer. " + "kniværøå " * 120_000
    assert crisis.mentions_crisis(long_message)
    assert not crisis.is_excused(long_message)
    assert read and max(read) <= crisis.SCAN_CHARS


def test_the_learned_half_reads_one_model_window_at_most() -> None:
    # 2,000 "æ" are over 3,000 tokens: read whole, they took 2 s of a core (fuzz suite).
    from bot.server.nlp import sentence_engine
    from bot.server.nlp.crisis_sense import MAX_TOKENS, one_window

    model = sentence_engine.model()
    cut = one_window(model, "æ" * 2000)
    assert model.token_count("æ" * 2000, True) > 3 * MAX_TOKENS
    assert cut != "æ" * 2000 and model.token_count(cut, True) <= MAX_TOKENS
    assert model.token_count(cut + "ææ", True) > MAX_TOKENS  # the longest start that fits
    assert one_window(model, "jeg vil ikke leve lenger") == "jeg vil ikke leve lenger"


@pytest.mark.parametrize("text", [
    "that was a good one, thanks",  # "od on"
    "mamma ønskjer meg lukke til med eksamen",  # "skjer meg"
    "eg forskjer meg inn i karriereval",
])
def test_crisis_words_inside_other_words_raise_no_alarm(text: str) -> None:
    assert not mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "æ sitt på takkanten og vil hoppe",  # a compound's tail still counts
    "je har ække lyst å leve mer",  # and so does a spelling of "ikke"
    "thinking about how to od on my meds",
])
def test_crisis_words_at_the_end_of_a_compound_still_count(text: str) -> None:
    assert mentions_crisis(text)


@pytest.mark.parametrize(("text", "crisis"), [
    ("skulle ønske jeg kunne forsvinne og ikke våkne", True),
    ("eg håpar eg aldri vaknar att", True),
    ("sometimes i want to vanish and never wake up", True),
    ("jeg vil aldri våkne så tidlig igjen", False),
    ("vil aldri våkne på sofaen igjen etter nattevakt", False),
])
def test_never_waking_up_again(text: str, crisis: bool) -> None:
    assert mentions_crisis(text) is crisis


@pytest.mark.parametrize("text", [
    "i have no job, no school place. i cant do this anymore, i dont see any point to continue",
    "I just can't take it anymore", "i give up on everything", "feeling completely hopeless",
    "what is the point of anything", "eg klarar ikkje dette meir", "jeg gir opp alt",
    "føler meg helt verdiløs", "alt føles meningsløst",
    # Past: a hard time told as a story is asked about, not taken for a crisis.
    "jeg slutta på vg1 i høst, orka ikke mer. har jeg mista retten til videregående nå?",
    "sluttet i jobben, orket bare ikke mer", "eg orka ikkje meir",
])
def test_despair_that_may_be_a_crisis_sounds_distressed(text: str) -> None:
    assert sounds_distressed(text) and not mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "I can't take this job anymore, what are my options for retraining?",
    "I feel like giving up on the course", "I can't do math anymore",
    "kan jeg gi opp studieplassen?", "klarer ikke mer matte i dag", "",
])
def test_tiredness_of_one_thing_does_not_sound_distressed(text: str) -> None:
    assert not sounds_distressed(text)


def test_no_massive_request_sounds_distressed() -> None:
    if not MASSIVE_DIR.is_dir():
        pytest.fail(f"MASSIVE nb-NO is missing at {MASSIVE_DIR} (set VEIVALG_MASSIVE_DIR)")
    assert [text for text in massive() if sounds_distressed(text)] == []


@pytest.mark.parametrize(("source", "language", "text"), phrasings("negatives"))
def test_the_same_words_in_another_sense_do_not_sound_distressed(
    source: str, language: str, text: str
) -> None:
    assert not sounds_distressed(text), f"asked about ({source}, {language}): {text}"


@pytest.mark.parametrize(("text", "crisis"), [
    # ending one's life in the present, the subject after the verb or before it
    ("får jeg ikke til noe innen nyttår, så avslutter jeg livet", True),
    ("eg avsluttar livet mitt snart", True),
    ("jeg tror jeg avslutter livet", True),
    # someone else's, or something else ended
    ("palliativ pleie hjelper folk som avslutter livet", False),
    ("jeg avslutter studiet etter jul", False),
    ("jeg ender opp som lærer uansett", False),
])
def test_ending_ones_life_in_the_present(text: str, crisis: bool) -> None:
    assert mentions_crisis(text) is crisis
