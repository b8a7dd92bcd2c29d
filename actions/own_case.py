"""An application or case of one's own, told by its number: the bot cannot see it, and its
answer says where the person can (``ask_own_case``)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.conversation import first_readings
from actions.in_context import previous_answered_question
from bot.shared.knowledge import KnowledgeBase

OWN_CASE_INTENT = "ask_own_case"
# "my application number is 4471", "søknadsnummeret mitt er …", "saksnr 2291".
_ITS_NUMBER = re.compile(
    r"\b(?:søknads|soknads|saks|referanse)(?:nummer\w*|nr\b)|"
    r"\b(?:application|case|reference|file)\s+(?:number|no\b|nr\b|#)", re.IGNORECASE)
# The reading must be one the classifier weighed.
OWN_CASE_AMONG_THE_FIRST = 3
# Whom to ask or contact: "hvem kan jeg spørre om det da", "hvem skal hun kontakte da?",
# "who do I call then".
_WHOM_TO_ASK = re.compile(
    r"\b(?:hvem|kven|kem|kæm|who)\b.{0,25}\b(?:kontakt\w*|contact\w*|ringe|ringje|call|"
    r"spør\w*|ask|snakke|snakka|talk|henvend\w*|vende|wende)\b|"
    r"\b(?:hvor|kvar|kor|where)\s+(?:kan|skal|bør|do|can|should)\s+(?:jeg|eg|hun|han|ho|vi|i|"
    r"she|he|we)\s+(?:spør\w*|ask|turn|henvend\w*|vende)\b", re.IGNORECASE)


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


def whom_to_ask_about_it(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """Whom to ask, right after the answer that the bot cannot see one's application:
    that answer's word on it ("hvem kan jeg spørre om det da", 0.77 what this service is).
    None otherwise."""
    text = (tracker.latest_message or {}).get("text") or ""
    before = previous_answered_question(tracker, knowledge)
    if before is None or before[1] != OWN_CASE_INTENT or not _WHOM_TO_ASK.search(text):
        return None
    return OWN_CASE_INTENT
