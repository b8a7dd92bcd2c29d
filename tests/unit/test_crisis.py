"""The crisis safety net: never miss a message about suicide or self-harm.

The phrasings in crisis_phrasings.yml were written separately from the patterns, in all
four languages, including indirect ones and hard negatives with the same words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlp.crisis import mentions_crisis

PHRASINGS = yaml.safe_load(
    (Path(__file__).parent / "crisis_phrasings.yml").read_text(encoding="utf-8")
)


def phrasings(kind: str) -> list[tuple[str, str]]:
    return [(lang, text) for lang, texts in PHRASINGS[kind].items() for text in texts]


@pytest.mark.parametrize(("language", "text"), phrasings("positives"))
def test_a_crisis_message_is_recognised(language: str, text: str) -> None:
    assert mentions_crisis(text), f"missed ({language}): {text}"


@pytest.mark.parametrize(("language", "text"), phrasings("negatives"))
def test_the_same_words_in_another_sense_are_not_a_crisis(language: str, text: str) -> None:
    assert not mentions_crisis(text), f"false alarm ({language}): {text}"


def test_there_are_many_phrasings_in_every_language() -> None:
    counts = {lang: len(texts) for lang, texts in PHRASINGS["positives"].items()}
    assert counts["nb"] >= 60 and counts["nn"] >= 30 and counts["en"] >= 40 and counts["se"] >= 5


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_is_not_a_crisis(text: str) -> None:
    assert not mentions_crisis(text)
