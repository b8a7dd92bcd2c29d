"""The experience-based trade certificate, asked of in a conversation on an adult's trade
certificate.

Its theory exam, the exam's fee and the years of work it takes are the praksiskandidat
answer's, whatever the classifier made of the follow-up on its own: "kor mye koste
eksamen" after an adult's ways to a trade certificate was read as the grant (0.73), "må
jeg ta teori eksamen på norsk?" after praksiskandidat as improving grades (0.74), "eg har
over fem år med variert arbeid, kva då?" as the 23/5 rule (0.59), "å kost det nokka?" as
this service's price.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.finance_follow_ups import asks_for_finance
from actions.in_context import ABOUT_THE_SERVICE, previous_answered_question
from actions.levels import SURE, names_a_level
from bot.shared.knowledge import KnowledgeBase

PRAKSISKANDIDAT = "ask_praksiskandidat"
# An adult's ways to a trade certificate; the experience-based one is among them.
ADULT_TRADE_CERTIFICATE = frozenset({
    "ask_trade_certificate_adult", PRAKSISKANDIDAT, "ask_fagbrev_on_the_job"})
# Of those, the answers a price asked after is the exam fee's: the others name no price.
_PRICED_BY_THE_EXAM = frozenset({"ask_trade_certificate_adult", PRAKSISKANDIDAT})

_THE_EXAM = re.compile(r"\b(?:eksamen\w*|eksam|teori\w*|theory|exams?|privatist\w*)\b",
                       re.IGNORECASE)
_A_PRICE = re.compile(r"\b(?:kost\w*|betal\w*|pay|paid|costs?|price|pris\w*|fees?|avgift\w*|"
                      r"gratis|free|dyrt|expensive)\b", re.IGNORECASE)
# Years of work told: "over fem år med variert arbeid", "i have 15 years", "12 yrs".
_YEARS_TOLD = re.compile(
    r"\b(?:\d{1,2}|fem|seks|sju|syv|åtte|ni|ti|tolv|femten|tjue|five|six|seven|eight|nine|"
    r"ten|twelve|fifteen|twenty)\s*\+?\s*(?:års?|years?|yrs?)\b", re.IGNORECASE)
# How much work experience it takes: "how much experience do I need exactly?", "kor
# lenge må eg ha jobba?" (praksiskandidat's answer says five years).
_EXPERIENCE_ASKED = re.compile(
    r"\b(?:how\s+much|how\s+many\s+years\s+of)\s+(?:work\s+)?experience\b|"
    r"\bhow\s+(?:long|many\s+years)\s+(?:do|must|should)\s+(?:i|you|one)\s+(?:need\s+to\s+|have\s+to\s+)?"
    r"(?:have\s+)?work(?:ed)?\b|"
    r"\b(?:hvor|kor|kå|ko)\s+(?:mye|mykje|møkje|mange\s+år\s+(?:med\s+)?)\s*(?:arbeids|jobb)?(?:erfaring|praksis)\b|"
    r"\b(?:hvor|kor|kå|ko)\s+lenge\s+(?:må|treng|trenger|skal)\s+(?:jeg|eg|æ|e|man|ein|en)\s+"
    r"(?:ha\s+)?(?:jobbet|jobba|jobbe|arbeidet|arbeidd|arbeida)\b|"
    # "hvor lang praksis trenger man", "kor lang erfaring må eg ha"
    r"\b(?:hvor|kor|kå|ko)\s+lang\s+(?:arbeids|jobb)?(?:erfaring|praksis)\b|"
    r"\bhow\s+long\s+(?:an?\s+)?(?:work\s+)?(?:experience|practice)\b", re.IGNORECASE)
_NAMES_PRAKSISKANDIDAT = re.compile(r"praksiskandidat|experience-based", re.IGNORECASE)
FAGBREV_ON_THE_JOB = "ask_fagbrev_on_the_job"
# Retaking a subject or improving grades, named: "kan jeg ta opp igjen eksamen i norsk?"
_RETAKING = re.compile(r"\b(?:karakter\w*|grades?|forbedr\w*|improv\w*|retak\w*|"
                       r"opp\s+(?:igjen|att|at)|snitt\w*|poeng\w*|points?)\b", re.IGNORECASE)
IMPROVE_GRADES = "ask_improve_grades"


def _the_exam_alone_read_as_retaking(text: str, reading: str) -> bool:
    """"what exams exactly" after praksiskandidat was read surely as retaking a subject
    (0.82): the exam, with no retaking or grades named, is the theory exam just answered."""
    return reading == IMPROVE_GRADES and bool(_THE_EXAM.search(text)) \
        and not _RETAKING.search(text)


# Studies named: the years are the 23/5 rule's ("har 5 år jobb, kan eg studere?").
_STUDIES = re.compile(r"\b(?:stud\w*|23\s*/\s*5)\b", re.IGNORECASE)


def praksiskandidat_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The experience-based trade certificate, for a follow-up to an adult's trade
    certificate that asks about the theory exam or its price, or tells years of work;
    None for any other message, or one read as one of those ways already."""
    latest = tracker.latest_message or {}
    read = latest.get("intent") or {}
    reading = read.get("name") or ""
    text = latest.get("text") or ""
    # A sure reading of another career topic stands: "can NAV pay some norwegian course for
    # health workers?" (0.90 NAV's courses) after praksiskandidat. This service's price
    # does not: "å kost det nokka?" (0.87).
    sure = float(read.get("confidence") or 0.0) >= SURE and reading not in ABOUT_THE_SERVICE \
        and not _the_exam_alone_read_as_retaking(text, reading)
    if sure or reading in ADULT_TRADE_CERTIFICATE or names_a_level(text) \
            or _STUDIES.search(text) or asks_for_finance(text):
        return None  # "kan jeg få lån til å betale eksamen?" asks for money
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] not in ADULT_TRADE_CERTIFICATE:
        return None
    price = _A_PRICE.search(text) and before[1] in _PRICED_BY_THE_EXAM
    # Years told right after praksiskandidat ask whether they are enough: its answer again
    # with a counsellor offered (actions/in_context.py), not the answer alone.
    years = _YEARS_TOLD.search(text) and before[1] != PRAKSISKANDIDAT
    # (fagbrev på jobb's answer says how long its own way takes: «… eitt års praksis …»)
    experience = _EXPERIENCE_ASKED.search(text) and before[1] == "ask_trade_certificate_adult"
    if _THE_EXAM.search(text) or price or years or experience:
        return PRAKSISKANDIDAT if knowledge.for_intent(PRAKSISKANDIDAT) else None
    return None


def experience_for_fagbrev_on_the_job(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """Trade certificate on the job, for how much experience it takes asked right after
    its answer, which says («rundt ett års allsidig praksis»): "hvor lang praksis trenger
    man" was read as the experience-based certificate's (0.92, five years), "kor lang
    erfaring må eg ha" as an adult's ways to one. None otherwise."""
    text = (tracker.latest_message or {}).get("text") or ""
    if not _EXPERIENCE_ASKED.search(text) or _NAMES_PRAKSISKANDIDAT.search(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] != FAGBREV_ON_THE_JOB:
        return None
    return FAGBREV_ON_THE_JOB if knowledge.for_intent(FAGBREV_ON_THE_JOB) else None
