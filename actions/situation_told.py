"""A person telling their situation before asking: "kom til norge i fjor", "går i 10. nå",
"har jobba i barnehage i 4 år uten utdanning".

On a phone, people often send what a counsellor needs to know first, in a line or two,
and the question after. Such a line asks nothing, so the classifier reads it as out of
scope ("kom til norge i fjor", 0.95) or does not understand it: the bot answered a
newcomer "Det kan jeg dessverre ikke hjelpe deg med". A line that tells something of the
person's schooling, work, age, arrival or where they live, and asks nothing, is thanked
for and the question asked for; the actions that read the next question read it with
what was told (an age, a level, a place).
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.levels import names_a_level
from bot.shared.adults import ages_in
from bot.shared.asking import (
    NONSENSE_KEY,
    asks_anything,
    asks_to_reach_a_counsellor,
    says_farewell,
)

TELL_ME_MORE = "utter_tell_me_more"
# A line of one's situation is short; a longer message without a question is a story the
# rest of the bot reads (several questions, the fallback's choices).
MAX_WORDS = 14

# What a counsellor asks about, as people tell it: school and dropping out, work or its
# lack, arriving in Norway or moving, papers one lacks (where one lives: ``_AT_HOME``).
_SITUATION = re.compile(
    r"\b(?:g[aå]r|gikk|gjekk|tar|tek|tok|studerer|studerar|studying|study|studied|"
    r"ferdig|fullf[oø]r\w*|finished|graduated|droppa|droppet|dropped|slutta|sluttet|"
    r"quit|hoppa\s+av|hoppet\s+av|avbr[oø]t|avbraut)\b|"
    r"\b(?:jobb\w*|arbeid\w*|work\w*|job|employed|unemployed|ledig|permittert|oppsagt|"
    r"sagt\s+opp|laid\s+off|fired)\b|"
    r"\b(?:kom|kommet|komme|came|come|moved|flytta|flytte|flyttet|flytter)\s+(?:til|to|hit|"
    r"here|fr[aå]|from)\b|\b(?:innvandr\w*|flyktning\w*|refugee\w*|asylum)\b|"
    r"\b(?:uten|utan|without|mangler|manglar|har\s+ikke|har\s+ikkje|har\s+itj|no|"
    r"don'?t\s+have|do\s+not\s+have|have\s+no)\s+"
    r"(?:\w+\s+){0,2}(?:fagbrev\w*|utdanning\w*|vitnem[aå]l\w*|papir\w*|education|degree|"
    r"diploma|studiekompetanse|qualifications?)\b|"
    # how much Norwegian one speaks: "ho snakkar lite norsk enno" (0.87 out of scope)
    r"\b(?:snakk\w*|kan|speaks?|speak|forst[aå]r|skj[oø]nner)\s+(?:\w+\s+)?(?:lite|litt|"
    r"d[aå]rl[ei]g|little|no|some|bare\s+litt)\s+(?:norsk|norwegian)\b|"
    r"\b(?:my|his|her)\s+norwegian\s+is\b|\bnorsken\s+(?:min|mi|hans|hennes|hennar)\b",
    re.IGNORECASE)
_AT_HOME = re.compile(r"\b(?:bor|bur|held\s+til|holder\s+til|live|living|lives)\b",
                      re.IGNORECASE)


def tells_a_situation(text: str, beyond_home: bool = False) -> bool:
    """Whether ``text`` is a short line that tells the person's situation and asks
    nothing: no question word, no question mark, no wish for a person, no farewell.
    ``beyond_home``: more than where the person lives (a bare place told gets its career
    centre; "går i 10. klasse i drammen" tells a pupil's situation)."""
    text = text.strip()
    if not text or "?" in text or len(text.split()) > MAX_WORDS:
        return False
    if asks_anything(text) or asks_to_reach_a_counsellor(text) or says_farewell(text):
        return False
    return bool(_SITUATION.search(text) or ages_in(text) or names_a_level(text)
                or (not beyond_home and _AT_HOME.search(text)))


def thank_and_ask(dispatcher: CollectingDispatcher, tracker: Tracker,
                  beyond_home: bool = False) -> bool:
    """Thank for a situation told (``beyond_home``: more than where one lives) and ask what
    the person wonders; False (nothing said) when the latest message is no such line, or
    markup or mash that names a level ("<b>vgs</b>": the NLU's nonsense guard marked it)."""
    latest = tracker.latest_message or {}
    if latest.get(NONSENSE_KEY) or not tells_a_situation(latest.get("text") or "",
                                                         beyond_home):
        return False
    dispatcher.utter_message(response=TELL_ME_MORE)
    return True
