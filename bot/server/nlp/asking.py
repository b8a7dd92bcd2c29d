"""Whether a message asks something, and whether it takes leave: read from its wording.

The classifier reads "hvilke fag må jeg ha da" as goodbye ("ha" is half of "ha det"),
"ugh ok. who do I contact then" as a yes and "ok i will ask nav. bye" as a question about
NAV's courses. These patterns let the rules over its reading tell a question, a farewell
and a reply apart (bot/server/nlp/nonsense.py, bot/server/nlp/components.py).
"""

from __future__ import annotations

import re

# A question word opening a sentence or a clause: "ugh. so who decides that".
_ASKS = re.compile(
    r"(?:^|[.,!?;:]\s*|\b(?:so|and|but|then|og|men|så|da|då)\s+)"
    r"(?:hva|kva|ka|hvem|kven|hvor|kor|kvar|når|hvordan|korleis|koss|hvorfor|kvifor|"
    r"hvilke\w*|kvilke\w*|what|which|how|where|when|who|why)\b", re.IGNORECASE)
_FAREWELL = re.compile(
    r"\bha\s*det\b|\bhadet|\bha\s+en\b|\bha\s+ein\b|\bbye\b|goodbye|farvel|snakkes|"
    r"\bgod\s*natt|\bgo\s*natt|\bsees\b|\bsjåast\b|see you|takk for (nå|no|meg|hjelpa?|hjelpen)",
    re.IGNORECASE)
# A farewell that ends the message: "ok i will ask nav. bye", "takk, da søker jeg. ha det!"
_ENDS_WITH_FAREWELL = re.compile(
    r"(?:^|[\s.,!;:])(?:bye(?:\s*bye)?|good\s*bye|cya|see\s+you(?:\s+later)?|ha\s*det(?:\s+(?:bra|godt|fint))?|"
    r"hadet(?:\s+bra)?|ha\s+de|farvel|adjø|snakkes|god\s*natt|"
    r"takk\s+for\s+(?:nå|no|na|i\s*dag|praten|hjelpa?|hjelpen)|"
    r"(?:that'?s|thats|that\s+is|that\s+was)\s+(?:all|it)\s+for\s+(?:now|today)|"
    r"det\s+var\s+(?:alt|det)\s+for\s+(?:nå|no|na|i\s*dag))\W*$", re.IGNORECASE)


def asks(text: str) -> bool:
    """A question word opens a sentence or clause of ``text`` (no question mark needed)."""
    return bool(_ASKS.search(text))


def says_farewell(text: str) -> bool:
    return bool(_FAREWELL.search(text))


# Taking leave in so many words, not only thanks for the help ("takk for hjelpen" is
# thanks, and the person may go on).
_GOODBYE = re.compile(
    r"\bha\s*det\b|\bhadet|\bha\s+de\b|\bbye\b|goodbye|farvel|adjø|snakkes|\bgod\s*natt|\bsees\b|"
    r"see\s+you|\bcya\b|\b(?:that'?s|thats|that\s+is|that\s+was)\s+(?:all|it)\s+for\s+(?:now|today)|"
    r"\bdet\s+var\s+(?:alt|det)\s+for\s+(?:nå|no|na|i\s*dag)", re.IGNORECASE)


def says_goodbye(text: str) -> bool:
    """``text`` takes leave in so many words, more than thanks for the help."""
    return bool(_GOODBYE.search(text))


def ends_with_farewell(text: str) -> bool:
    """``text`` ends by taking leave and asks nothing: a remark before a goodbye."""
    return bool(_ENDS_WITH_FAREWELL.search(text)) and "?" not in text and not asks(text)
