"""The answers about one occupation: what the work is, how to get there, what it pays.

Shared by the actions that answer an occupation question, a follow-up naming another
occupation, and a pay question that names one.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import first_readings, previous_question
from actions.in_context import (
    ABOUT_THE_SERVICE,
    asks_how_long_it_lasts,
    previous_answered_question,
    reads_as_follow_up,
)
from actions.nlu_client import NluClient
from bot.shared.abroad import (
    RECOGNITION_INTENT,
    RECOGNITION_QUESTIONS,
    REGULATED_INTENT,
    educated_abroad,
    tells_of_a_degree_from_abroad,
)
from bot.shared.knowledge import KnowledgeBase
from bot.shared.language import answer_language
from bot.shared.occupations import Occupation, OccupationFinder

OCCUPATION_SLOT = "occupation"  # the slot, and the entity of an occupation named
DESCRIPTION_INTENT = "ask_occupation_description"
PATH_INTENT = "ask_occupation_path"
# "hva tjener en elektriker?", then "hva med rørlegger?": pay and prospects, for the one named.
PROSPECTS_INTENT = "ask_job_prospects"
# Occupations regulated by law (knowledge: foreign_education.regulated and
# .health_authorisation): authorised health personnel, by Helsedirektoratet, and teachers.
# Education from abroad is not enough for them: they need an authorisation too.
REGULATED_OCCUPATIONS = frozenset({
    "lege", "sykepleier", "intensivsykepleier", "anestesisykepleier", "operasjonssykepleier",
    "helsesykepleier", "jordmor", "vernepleier", "tannlege", "farmasoyt", "fysioterapeut",
    "helsefagarbeider", "ambulansearbeider", "psykolog",
    "laerer", "grunnskolelaerer", "barnehagelaerer", "yrkesfaglaerer",
})



def regulated_from_abroad(parse: dict[str, Any] | None, finder: OccupationFinder) -> bool:
    """Whether a message names an occupation regulated by law and education from abroad:
    such a person needs an authorisation, whatever else they ask."""
    occupation = degree_in(parse, finder)
    return occupation is not None and occupation.id in REGULATED_OCCUPATIONS \
        and educated_abroad((parse or {}).get("text") or "")


# The recognition reading must be one the classifier weighed.
RECOGNITION_AMONG_THE_FIRST = 3


def recognition_meant(tracker: Tracker, finder: OccupationFinder) -> str | None:
    """For a message the classifier could not place that tells of a degree from abroad:
    how it is recognised (who authorises it, for an occupation regulated by law), when the
    classifier weighed that reading. "Hi, I came to Norway from Syria 3 years ago. I have a
    bachelor in civil engineering from Damascus … I want to use my degree. Where do I
    start?" (the fallback; 0.36 Samordna opptak's deadline, 0.35 a job search, 0.20
    recognition) got topic buttons. None for any other message."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    if not tells_of_a_degree_from_abroad(text) \
            or RECOGNITION_INTENT not in first_readings(tracker, RECOGNITION_AMONG_THE_FIRST):
        return None
    return REGULATED_INTENT if regulated_from_abroad(latest, finder) else RECOGNITION_INTENT


def occupation_of(value: Any, finder: OccupationFinder) -> Occupation | None:
    """The occupation a slot value names: an id from the entity, or an answer's text."""
    text = str(value or "")
    return finder.get(text) or finder.find(text)


def occupation_in(parse: dict[str, Any] | None, finder: OccupationFinder) -> Occupation | None:
    """The occupation a message's parse names (its ``occupation`` entity), if any."""
    named = next((entity.get("value") for entity in (parse or {}).get("entities") or []
                  if entity.get("entity") == OCCUPATION_SLOT), None)
    return occupation_of(named, finder) if named else None


# A degree is often named by its field, not its occupation: "a nursing degree from the
# Philippines", "studerte medisin i Syria", "sykepleierutdanning fra Polen". Only where a
# degree from abroad is the topic: elsewhere "og sykepleie?" is a study programme.
_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), occupation_id) for pattern, occupation_id in (
        (r"\bnursing\b|\bsykepleie\w*|\bsjukepleie\w*|\bsykepleierutdann\w*|"
         r"\bsjukepleiarutdann\w*", "sykepleier"),
        (r"\bmedicine\b|\bmedical\s+degree|\bmedisin\b|\blegeutdann\w*", "lege"),
        (r"\bpharmacy\b|\bfarmasi\b", "farmasoyt"),
        (r"\bdentistry\b|\bodontologi\w*|\btannlegeutdann\w*", "tannlege"),
        (r"\bphysiotherapy\b|\bfysioterapi\b", "fysioterapeut"),
        (r"\bpsychology\b|\bpsykologi\b", "psykolog"),
        (r"\bteaching\s+degree|\bteacher\s+training|\blærerutdann\w*|\blærarutdann\w*",
         "laerer"),
        (r"\bengineering\b|\bingeniørfag\w*|\bingeniørutdann\w*", "ingenior"),
    ))


def degree_in(parse: dict[str, Any] | None, finder: OccupationFinder) -> Occupation | None:
    """The occupation a message about a degree names, by its name or by its field."""
    named = occupation_in(parse, finder)
    if named is not None:
        return named
    text = (parse or {}).get("text") or ""
    return next((finder.get(occupation_id) for pattern, occupation_id in _FIELDS
                 if pattern.search(text)), None)


def occupation_after_recognition(tracker: Tracker, finder: OccupationFinder,
                                 knowledge: KnowledgeBase) -> str | None:
    """For a message naming an occupation right after a question about education from
    abroad ("what about my husband, he has an engineering degree from Pune"): who
    authorises it when it is regulated by law, else how a degree is recognised. None for
    any other message."""
    occupation = degree_in(tracker.latest_message, finder)
    if occupation is None:
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] not in RECOGNITION_QUESTIONS:
        return None
    return REGULATED_INTENT if occupation.id in REGULATED_OCCUPATIONS else RECOGNITION_INTENT


# Getting "there" right after a question about an occupation: "korleis kjem eg meg dit?"
# (out of scope, 0.72), "how does she get there from 10th grade?" (the fallback).
_GETS_THERE = re.compile(
    r"\b(?:hvordan|korleis|koss|åssen|how)\s+(?:kommer|kjem|kjeme|kommar|do|does|can|could|"
    r"would|should)\s+(?:jeg|eg|æ|man|ein|en|i|you|one|she|he|han|hun|ho|de|dei|they|vi|we)\s+"
    r"(?:meg\s+|mæ\s+|seg\s+|deg\s+|oss\s+)?(?:get\s+)?(?:dit|there)\b", re.IGNORECASE)
OCCUPATION_QUESTIONS = frozenset({DESCRIPTION_INTENT, PATH_INTENT, PROSPECTS_INTENT})


def way_there_meant(tracker: Tracker, finder: OccupationFinder) -> Occupation | None:
    """The occupation asked about just before, for a question how to get "there", or a
    short one how long it takes that names no other occupation ("kor lang tid tek det?"
    after the way to become a carpenter, or "how long does it take?" after what one does:
    the fallback); None for any other message."""
    text = (tracker.latest_message or {}).get("text") or ""
    how_long = asks_how_long_it_lasts(text) and reads_as_follow_up(text) \
        and not finder.find_all(text)
    if not (_GETS_THERE.search(text) or how_long) \
            or previous_question(tracker) not in OCCUPATION_QUESTIONS:
        return None
    return occupation_of(tracker.get_slot(OCCUPATION_SLOT), finder)


JOB_SEARCH_INTENT = "ask_job_search"
# Read this weakly as finding work, a question right after one about an occupation may ask
# its prospects.
JOBS_AFTER_BELOW = 0.60
# Whether there is work once trained: "finnes det jobber å få når man er ferdig?", "is it
# easy to get a job after?", "får ein jobb etterpå?".
_JOBS_AFTER = re.compile(
    r"\b(?:jobb\w*|jobs?|arbeid\w*|work)\b.{0,30}\b(?:når|etter|etterpå|after\w*|once|"
    r"ferdig\w*|finished|done|qualified|utdann\w*|trained)\b|"
    r"\b(?:når|etter|etterpå|after\w*|once|ferdig\w*)\b.{0,30}\b(?:jobb\w*|jobs?|arbeid\w*|work)\b",
    re.IGNORECASE)


def prospects_meant(tracker: Tracker, finder: OccupationFinder) -> Occupation | None:
    """The occupation asked about just before, for a question read weakly as finding work
    whether there is work once trained ("finnes det jobber å få når man er ferdig?" after
    the way to become a medical secretary, 0.53): its pay and prospects. None otherwise."""
    read = (tracker.latest_message or {}).get("intent") or {}
    text = (tracker.latest_message or {}).get("text") or ""
    if read.get("name") != JOB_SEARCH_INTENT \
            or float(read.get("confidence") or 0.0) >= JOBS_AFTER_BELOW \
            or not _JOBS_AFTER.search(text) or finder.find_all(text) \
            or previous_question(tracker) not in OCCUPATION_QUESTIONS:
        return None
    return occupation_of(tracker.get_slot(OCCUPATION_SLOT), finder)


def utter_occupation(
    dispatcher: CollectingDispatcher, occupation: Occupation, question: str, language: str
) -> None:
    language = answer_language(language)
    name = occupation.name(language)
    common = {
        "name": name[:1].upper() + name[1:] if question == DESCRIPTION_INTENT else name,
        "url": occupation.url,
        "article": "an" if name[:1] in "aeiou" else "a",
    }
    if question == PATH_INTENT:
        dispatcher.utter_message(
            response="utter_occupation_path", path=occupation.path[language], **common
        )
    elif question == PROSPECTS_INTENT:
        # No figures of ours: they change every year. The occupation's own page has them.
        dispatcher.utter_message(response="utter_occupation_prospects", **common)
    else:
        dispatcher.utter_message(
            response="utter_occupation_description",
            description=occupation.description[language],
            code=occupation.styrk08,
            **common,
        )


# Each part of an occupation that a question may ask, in its own words: the pay ("and what
# do they earn"), the way there ("og hvor lang er utdanninga?"), what the work is.
ASKS_PAY = re.compile(r"\b(?:pay|paid|salary|salaries|wages?|earn\w*|lønn\w*|løn|løna|lønna|"
                      r"tjene\w*|tener|tjen)\b", re.IGNORECASE)
_ASKS_THE_WAY = re.compile(
    r"\b(?:hvordan|åssen|korleis|koss|how)\s+(?:\w+\s+){0,3}(?:bli|blir|become|becoming)\b|"
    r"\b(?:hvor|kor|how)\s+(?:lang|long)\s+(?:er|e|is)\s+(?:utdanning\w*|the\s+(?:education|"
    r"training|study|studies))\b|\bwhat\s+(?:education|training)\b|"
    r"\b(?:hva|kva|ka)\s+(?:slags\s+)?utdanning\b", re.IGNORECASE)
_ASKS_WHAT_IT_IS = re.compile(
    r"\b(?:hva|kva|ka)\s+(?:gjør|gjer)\s+(?:en|ein|man|dei|de|ho|han|hun)\b|"
    r"\bwhat\s+(?:does|do)\s+(?:an?|the|they|he|she)\b.{0,40}?\bdo\b|"
    r"\barbeidsoppg[aå]v\w*", re.IGNORECASE)
_PARTS = ((DESCRIPTION_INTENT, _ASKS_WHAT_IT_IS), (PATH_INTENT, _ASKS_THE_WAY),
          (PROSPECTS_INTENT, ASKS_PAY))
# Two parts are asked with a joining word or a second question between them.
_JOINED = re.compile(r"\s(?:og|and|&)\s|[?,;]\s*\S", re.IGNORECASE)


def other_parts_asked(text: str, answered: str) -> list[str]:
    """The other parts of an occupation a question asks beside the one ``answered``: "hva
    gjør en tømrer og hva tjener de?" asks what the work is and what it pays."""
    if not _JOINED.search(text):
        return []
    return [intent for intent, asks in _PARTS if intent != answered and asks.search(text)]


async def answer_occupation_asked(dispatcher: CollectingDispatcher, nlu: NluClient,
                                  threshold: float, asked: str, language: str,
                                  finder: OccupationFinder) -> bool:
    """The path to an occupation, or what the work is, when the question of a message read
    alone asks it of one we know ("I'm 41 … always wanted to teach. What's the route to
    becoming a teacher?"); False when it does not."""
    parse = await nlu.parse(asked)
    intent = (parse or {}).get("intent") or {}
    if intent.get("name") not in (PATH_INTENT, DESCRIPTION_INTENT) \
            or float(intent.get("confidence") or 0.0) < threshold:
        return False
    occupation = occupation_in(parse, finder)
    if occupation is None:
        return False
    utter_occupation(dispatcher, occupation, intent["name"], language)
    return True
