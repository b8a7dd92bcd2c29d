"""Whether a person writes as an adult: the age they say they are, or the word.

Adults count from 25: the county's follow-up service for young people runs to 24, and
prior learning for higher education is for those 25 or older. Both processes read it: the
NLU's rules over the classifier (an adult asking about upper secondary) and the actions (an
adult's own reading kept, the extra loan from 30).
"""

from __future__ import annotations

import re

ADULT_FROM_AGE = 25
_AGE = re.compile(r"\b(?:jeg er|eg er|eg e|æ e|e er|e e|i'?m|i am|im|he'?s|she'?s|he is|she is|"
                  r"han er|hun er|ho er|turning|turns|turned|fyller|fyllar|fylt|fylte|"
                  # someone named, then how old: "bror min som er 17", "my son who's 16"
                  r"som er|som e|who is|who'?s)\s+(\d{2})\b"
                  r"(?!\s*(?:%|prosent|kr|poeng|plass\w*|min\w*|km|mil\b|timar|timer|hours))|"
                  # "år" typed without å: "jeg har fylt 41 ar"
                  r"\b(\d{2}) ?(?:år|ar|years? old|yo)\b|"
                  # the subject left out, as a clause begins: "har ikke fulfort vgs, er 27 na"
                  r"(?:^|[,.;!?]\s*)(?:er|e)\s+(\d{2})\b(?!\s*(?:%|prosent|kr|poeng|plass))",
                  re.IGNORECASE)


def ages_in(text: str) -> list[int]:
    """The ages a message says the person is: "jeg er 32", "I'm 45", "19 år"."""
    return [int(age) for match in _AGE.finditer(text) for age in match.groups() if age]


def says_an_adults_age(text: str) -> bool:
    return any(age >= ADULT_FROM_AGE for age in ages_in(text))
