"""An application or case of one's own, told by its number: the bot cannot see it, and its
answer says where the person can (``ask_own_case``)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.conversation import first_readings

OWN_CASE_INTENT = "ask_own_case"
# "my application number is 4471", "søknadsnummeret mitt er …", "saksnr 2291".
_ITS_NUMBER = re.compile(
    r"\b(?:søknads|soknads|saks|referanse)(?:nummer\w*|nr\b)|"
    r"\b(?:application|case|reference|file)\s+(?:number|no\b|nr\b|#)", re.IGNORECASE)
# The reading must be one the classifier weighed.
OWN_CASE_AMONG_THE_FIRST = 3


def own_case_meant(tracker: Tracker) -> str | None:
    """A message that gives or names its application's or case's number asks about that
    application when the classifier weighed that reading: "I applied in samordna opptak
    in april … when will I get answer? my application number is 4471" (0.49 Samordna
    opptak's deadline, 0.47 one's own case) got the deadline. None otherwise."""
    text = (tracker.latest_message or {}).get("text") or ""
    if _ITS_NUMBER.search(text) \
            and OWN_CASE_INTENT in first_readings(tracker, OWN_CASE_AMONG_THE_FIRST):
        return OWN_CASE_INTENT
    return None
