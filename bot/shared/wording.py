"""Small pieces of wording shared by the bot's responses and the channels' own notices."""

from __future__ import annotations

from bot.shared.language import BOKMAAL, ENGLISH, NYNORSK, answer_language

# (one, many): "1 minutt", "5 minutter"; Nynorsk "minutt" is the same in both.
_MINUTES = {BOKMAAL: ("minutt", "minutter"), NYNORSK: ("minutt", "minutt"),
            ENGLISH: ("minute", "minutes")}


def minutes(count: int | float | None, language: str | None) -> str:
    """``count`` minutes in ``language`` with the right number: "1 minutt", "about 3 minutes"."""
    number = round(count or 0)
    one, many = _MINUTES[answer_language(language)]
    return f"{number} {one if number == 1 else many}"


# Said before the answer when a message held a national identity number: it was removed
# before the bot read it (bot/server/privacy.py), and the person should know not to send one.
IDENTITY_NUMBER_REMOVED = {
    BOKMAAL: "Jeg har fjernet personnummeret fra meldingen din, så det blir ikke lagret. "
             "Du trenger aldri oppgi det her.",
    NYNORSK: "Eg har fjerna personnummeret frå meldinga di, så det blir ikkje lagra. "
             "Du treng aldri oppgi det her.",
    ENGLISH: "I have removed the national identity number from your message, so it is not "
             "stored. You never need to give it here.",
}


def identity_number_removed(language: str | None) -> str:
    return IDENTITY_NUMBER_REMOVED[answer_language(language)]
