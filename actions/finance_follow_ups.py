"""A follow-up about student finance that names the person's situation: "og hvis jeg har
barn?" after the grant, "og om eg tek studiet på nett?" after the loan.

Lånekassen's answers split on a few situations: children, a disability, school fees or
an age of 30 or more (extra support), part-time or online study, and study abroad. Such
a follow-up names no topic the classifier can hold on to ("og hvis jeg har barn?" was
``continue_topic`` at 0.73, extra support 0.22), so the bot asked what was meant. Right
after a question about student finance, the situation named gives the answer for it.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.deadlines import DEADLINE_OF, STUDENT_FINANCE_DEADLINE
from actions.in_context import (
    ABOUT_THE_SERVICE,
    SERVICE_READINGS,
    WEAK_CAREER_READING,
    previous_answered_question,
    reads_as_follow_up,
)
from actions.levels import names_a_level
from actions.offers import EXTERNAL_MESSAGE_PREFIX
from bot.shared.abroad import STUDIES_ABROAD, names_studies_abroad
from bot.shared.adults import ages_in
from bot.shared.knowledge import KnowledgeBase

GRANT = "ask_student_grant"
PART_TIME_FINANCE = "ask_study_finance_part_time"
FINANCE_ABROAD = "ask_study_finance_abroad"
FINANCE_QUESTIONS = frozenset(
    question for question, deadline in DEADLINE_OF.items()
    if deadline == STUDENT_FINANCE_DEADLINE)

# Situation named -> the finance question that answers for it.
SITUATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(barn\w*|born(a|et)?|ungar?|unger|children|child|kids?|gravid\w*|"
                r"pregnan\w*|funksjons\w*|disab\w*|skolepeng\w*|skulepeng\w*|tuition|"
                r"fees?)\b", re.IGNORECASE), "ask_student_finance_extra"),
    (re.compile(r"\b(deltid\w*|part[- ]?time|fulltid\w*|full[- ]?time|på nett|pa nett|"
                r"nettstud\w*|online|"
                r"fjernstud\w*|distance)\b", re.IGNORECASE), PART_TIME_FINANCE),
    (STUDIES_ABROAD, FINANCE_ABROAD),  # "og om eg studerer i Polen?"
    # Living at home or away decides the grant: "i live with my parents in oslo", "he's
    # moving to bergen for uni" (the place was read as asking for its career centre).
    (re.compile(r"\b(bor|bur|bo|bu)\s+(hjemme|heime)\b|\bhos\s+(foreldr\w*|mamma|pappa|mor|far)\b|"
                r"\b(live|lives|living)\s+(at\s+home|with\s+(my|his|her|our|their)\s+"
                r"(parents|mum|mom|dad|family))\b|\b(flytt\w*)\s+(hjemmefra|heimanfrå|ut|til)\b|"
                r"\b(moving|move|moves|moved)\s+(out|away|to)\b", re.IGNORECASE),
     GRANT),
)


# Paying a loan back: "do i have to pay it all back", "må eg betale attende heile lånet".
_PAYING_BACK = re.compile(
    r"\b(?:pay|paying|pays|paid)\s+(?:\w+\s+){0,3}?back\b|\brepay\w*|"
    r"\bbetal\w*\s+(?:\w+\s+){0,3}?(?:tilbake|attende|tebake)\b|\b(?:ned|tilbake)betal\w*",
    re.IGNORECASE)
# Nothing the service itself costs is paid back, and no reading outside careers answers it.
_PAYING_BACK_READ_AS = SERVICE_READINGS | {"out_of_scope", "nlu_fallback"}


def paying_back_meant(text: str, intent: str) -> str | None:
    """The grant's question (how much of the loan one need not pay back) for a question
    about paying a loan back read as this service's price or outside careers: "do i have
    to pay it all back" after the loan's deadline (0.53 the chat's price) got the
    sentence on the semester fee. None for any other message or reading."""
    return GRANT if intent in _PAYING_BACK_READ_AS and _PAYING_BACK.search(text) else None


# The loan turned into a grant, asked in so many words: "blir noko av lånet stipend?",
# "blir noko av lånet gjort om til stipend når eg studerer deltid?", "does any of it
# become a grant".
_TURNED_INTO_A_GRANT = re.compile(
    r"\b(?:gjort|gjøres|gjerast)\s+om\s+til\s+stipend\b|\bomgjort\w*|\bomgjer\w*|"
    r"\bomgjøring\w*|\bblir\s+(?:(?:noe|noko|nåkka|litt|en\s+del|ein\s+del|mye|mykje|alt|"
    r"hele|heile)\s+)?(?:av\s+)?(?:lånet|studielånet)\s+(?:til\s+)?stipend\b|"
    r"\b(?:converted|turned|turns?|become|becomes)\s+(?:in(?:to)?\s+)?(?:a\s+)?grants?\b",
    re.IGNORECASE)


def grant_asked(text: str, intent: str) -> str | None:
    """The grant's question, for the loan turned into a grant asked in so many words and
    read as a finance question, the grant's too, however weakly ("blir noko av lånet
    stipend?" right after the loan's deadline, 0.58 the grant, got the deadline again, read
    with the question before). None otherwise."""
    return GRANT if intent in FINANCE_QUESTIONS and _TURNED_INTO_A_GRANT.search(text) else None


MAX_WORDS_WHERE_ONE_LIVES = 10
# From the year one turns 30 there is an extra loan (knowledge: the extra support).
EXTRA_LOAN_FROM_AGE = 30


# An age bound rather than an age: "og om eg er over 30?" after the grant.
_OVER_AN_AGE = re.compile(r"\b(?:over|above|older\s+than|eldre\s+enn|eldre\s+en)\s+(\d{2})\b",
                          re.IGNORECASE)


def situation_named(text: str) -> str | None:
    named = next((intent for pattern, intent in SITUATIONS if pattern.search(text)), None)
    ages = ages_in(text) + [int(age) for age in _OVER_AN_AGE.findall(text)]
    if named is None and any(age >= EXTRA_LOAN_FROM_AGE for age in ages) \
            and not names_a_level(text):
        # "I'm 32 btw, does that change anything?"; "og kan man bli lærling når man er
        # 45?" asks about apprenticeships, not the loan.
        return "ask_student_finance_extra"
    return named


def finance_answer_meant(tracker: Tracker, knowledge: KnowledgeBase,
                         town_named: bool = False) -> str | None:
    """The finance question a short follow-up naming a situation asks, right after a
    question about student finance; None otherwise, or when it is the same question
    (but for where one lives, told with a town: ``town_named``)."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    meant = situation_named(text)
    # Telling where one lives, briefly, answers the grant's condition: "i live with my
    # parents in oslo" asks nothing, but says what the grant turns on.
    told = meant == GRANT and len(text.split()) <= MAX_WORDS_WHERE_ONE_LIVES
    if text.startswith(EXTERNAL_MESSAGE_PREFIX) or not (reads_as_follow_up(text) or told):
        return None
    before = previous_answered_question(tracker, knowledge)
    if meant is None or before is None or before[1] not in FINANCE_QUESTIONS:
        return None
    # Where one lives, told with a town after the grant, is the grant's own condition,
    # not the town's career centre: its answer again. Without a town ("enn om jeg
    # flytter ut?") the answer before is given again with a counsellor offered.
    return meant if meant != before[1] or (town_named and meant == GRANT) else None


def situation_over_a_reading(tracker: Tracker, knowledge: KnowledgeBase, intent: str,
                             confidence: float) -> str | None:
    """``finance_answer_meant`` for a message read as a finance question, or weakly as
    anything: "I have 2 kids, do they give more for this?" after the grant (0.51 the extra
    support) was read again with the grant's question and got the grant once more. A sure
    reading of another topic keeps it ("… hvordan får jeg godkjent utdanningen fra
    utlandet?" after the grant is recognition's)."""
    # (a weak reading: below in_context's bar for a weak career reading)
    if intent not in FINANCE_QUESTIONS and confidence >= WEAK_CAREER_READING:
        return None
    return finance_answer_meant(tracker, knowledge)


# Sure of study abroad, the classifier has heard a country or the word for it.
SURELY_ABROAD = 0.80


def finance_abroad_not_asked(text: str, intent: str, confidence: float) -> str | None:
    """Student finance in general, for a question read unsurely as finance for study abroad
    that speaks of no study abroad: "ok and can I get money from Lånekassen as an EU
    student?" (0.54) and "hi, i got place at OsloMet … i am refugee with permanent
    residence. can I get money from Lånekassen?" got the rules for a degree abroad."""
    if intent != FINANCE_ABROAD or confidence >= SURELY_ABROAD or names_studies_abroad(text):
        return None
    return STUDENT_FINANCE_DEADLINE


NAV_QUESTIONS = frozenset({"ask_nav_benefits_studying", "ask_nav_courses"})
# A loan, a grant or money, in any words.
_MONEY = (r"(?:studie)?l[aå]+n(?:et|a|er|ene)?|loans?|stipend\w*|grants?|studiest[oø]tte|"
          r"peng\w*|money|funding")
# Money named at all: "kan jeg få lån til det?", "will they pay for it?".
_NAMES_MONEY = re.compile(
    rf"\b(?:{_MONEY}|st[oø]tte|support|betal\w*|pay\w*|afford|r[aå]d\s+til|l[aå]+nekass\w*|"
    r"finans\w*|financ\w*)\b", re.IGNORECASE)
# Money asked for: "kan jeg få penger fra lånekassen for påbygg?" (0.56 påbygg), "kan eg ta
# det på nett og få lån til det?" (after fagskole).
_ASKS_FOR_FINANCE = re.compile(
    rf"\b(?:få|fa|get|søke\s+om|søkje\s+om|apply\s+for)\s+(?:\w+\s+){{0,2}}?(?:{_MONEY})\b|"
    r"\bl[aå]+nekass\w*", re.IGNORECASE)
_NAMES_NAV = re.compile(r"\bnav\b|dagpeng\w*|unemployment", re.IGNORECASE)


def schooling_not_its_finance(tracker: Tracker, knowledge: KnowledgeBase,
                              intent: str) -> str | None:
    """The question before, for a follow-up read as part-time study's finance that names
    no money: "can i do it part time, like a few subjects at a time?" after upper
    secondary for adults (0.64 the loan for part-time study) asks how the schooling is
    taken. None for any other message, or after a finance question."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if intent != PART_TIME_FINANCE or text.startswith(EXTERNAL_MESSAGE_PREFIX) \
            or _NAMES_MONEY.search(text) or not reads_as_follow_up(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] in FINANCE_QUESTIONS or not knowledge.for_intent(before[1]):
        return None
    return before[1]


def asks_for_finance(text: str) -> bool:
    """Whether ``text`` asks for a loan, a grant or money in so many words, or names
    Lånekassen."""
    return bool(_ASKS_FOR_FINANCE.search(text))


# Money named alone, as a follow-up: "and loan?", "hva med stipend da?", "kva med
# lånekassen for det?".
_MONEY_ALONE = re.compile(
    rf"^\W*(?:(?:og|and|men|but|så|so)\W+)?(?:(?:hva|kva|ka|what|how)\s+(?:med|about)\s+)?"
    rf"(?:(?:a|an|en|et|ein|eit)\s+)?(?:{_MONEY}|l[aå]+nekass\w*|student\s+(?:loans?|finance))"
    r"(?:\s+(?:da|då|then|og\s+stipend|and\s+grants?|for\s+(?:det|it|that|this)|"
    r"til\s+(?:det|den|dette)))*[\W_]*$", re.IGNORECASE)


def finance_named_alone(tracker: Tracker, knowledge: KnowledgeBase, intent: str) -> str | None:
    """Student finance, for money named alone right after another topic ("and loan?" after
    fagskole, 0.44 going on, got fagskole's answer again): the finance question the topic's
    question names a situation for ("deltid", "abroad"), else the loan's general one. None
    for a finance reading (its own answer), or after a finance or NAV question, whose own
    follow-ups these are."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if intent in FINANCE_QUESTIONS or not _MONEY_ALONE.match(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] in FINANCE_QUESTIONS | NAV_QUESTIONS:
        return None
    return situation_named(before[0]) or STUDENT_FINANCE_DEADLINE


def finance_asked_of_a_topic(text: str, intent: str, knowledge: KnowledgeBase) -> str | None:
    """Student finance, for a question read as another career topic that asks for a loan
    or a grant for it: the finance question its situation names, else the loan's general
    one. None for a finance or NAV reading, or a message that names NAV."""
    if intent in FINANCE_QUESTIONS | SERVICE_READINGS | NAV_QUESTIONS \
            or intent not in knowledge.intents \
            or _NAMES_NAV.search(text) or not asks_for_finance(text):
        return None
    return situation_named(text) or STUDENT_FINANCE_DEADLINE
