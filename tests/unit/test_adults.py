"""The age a person says they are, and whether that makes them an adult
(bot/shared/adults.py)."""

from __future__ import annotations

import pytest

from bot.shared.adults import ages_in, says_an_adults_age


@pytest.mark.parametrize(("text", "ages"), [
    ("jeg er 32 og jobber i butikk", [32]),
    ("I'm 45, can I still apply?", [45]),
    ("sønnen min er 19 år", [19]),
    # the subject left out, as a clause begins
    ("hei har ikke fulfort vgs, er 27 na. har jeg rett til a ta videregaende??", [27]),
    ("Er 31 og har ikke studiekompetanse", [31]),
    ("ka om eg berre ventar til eg e 23, slepp eg påbygg då?", [23]),
    ("e e 20 no", [20]),  # "I am" typed in dialect
    # someone named, then how old
    ("kva med bror min som er 17, kan han byte program?", [17]),
    ("and my sister who's 22, can she use it?", [22]),
    # an age turned, "år" typed without å
    ("bare sa du vet: jeg har fylt 41 ar", [41]),
    ("she turned 19 in may", [19]),
    # numbers that are no age
    ("ein skule som er 30 minutt unna", []),
    ("det er 25 plasser igjen", []),
    ("snittet er 45 poeng", []),
    ("fristen er 15. april", []),
])
def test_the_ages_a_message_says(text: str, ages: list[int]) -> None:
    assert ages_in(text) == ages


@pytest.mark.parametrize(("text", "adult"), [("im 24", False), ("im 25", True),
                                             ("eg er 52", True), ("hun er 17", False)])
def test_adults_count_from_25(text: str, adult: bool) -> None:
    assert says_an_adults_age(text) is adult
