"""Small pieces of wording shared by the bot's responses and the channels' own notices."""

from __future__ import annotations

from bot.nlp.language import BOKMAAL, ENGLISH, NYNORSK, answer_language

# (one, many): "1 minutt", "5 minutter"; Nynorsk "minutt" is the same in both.
_MINUTES = {BOKMAAL: ("minutt", "minutter"), NYNORSK: ("minutt", "minutt"),
            ENGLISH: ("minute", "minutes")}


def minutes(count: int | float | None, language: str | None) -> str:
    """``count`` minutes in ``language`` with the right number: "1 minutt", "about 3 minutes"."""
    number = round(count or 0)
    one, many = _MINUTES[answer_language(language)]
    return f"{number} {one if number == 1 else many}"
