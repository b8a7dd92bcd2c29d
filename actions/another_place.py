"""A place named right after a career-centre answer asks for the centre there.

"ok and in harstad? my sister lives there", "ligg det i bodø?", "alta is 5 hours drive
lol. anything closer": alone, the classifier cannot place them (the fallback, or out of
scope), but the place is found (the county lookup) and the question before was where to
get guidance face to face. The answer is the career centre of the county named, led by
the office nearest the place, as when asked directly; the county is remembered.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of
from actions.in_context import (
    ABOUT_THE_SERVICE,
    previous_answered_question,
    surely_out_of_scope,
)
from bot.shared.knowledge import KnowledgeBase, render_office
from bot.shared.places import county_of, find_county, places_in

COUNTY_SLOT = "county"
CAREER_CENTRE = "ask_career_centre"
# A follow-up about a place is short; a long message that names a town tells more.
MAX_WORDS = 14
# Read surely as out of scope (``surely_out_of_scope``), a message naming a town asks
# about something else there ("hva blir været i bodø i morra" 0.95, "kan du anbefale en
# restaurant i trondheim" 0.92); a follow-up about the place itself reads lower
# ("trondheim er for langt unna" 0.81, "ok and in harstad? my sister lives there" 0.67).
# Unless it asks about the centre itself, its offices or its counsellors: "kjem dei nokon
# gong til Hammerfest?" after Finnmark's centre (0.90 out of scope).
_OF_THE_CENTRE = re.compile(
    r"\b(?:de|dei|dem|they|them|kontor\w*|offices?|senter\w*|centres?|centers?|"
    r"veileder\w*|rettleiar\w*|counsell?ors?|advisers?)\b", re.IGNORECASE)


def county_in(value: Any) -> str | None:
    """The county named by a slot value: an extracted entity or the text of an answer."""
    text = str(value or "")
    return county_of(text) or find_county(text)


def named_places(tracker: Tracker, county: str) -> list[str]:
    """Places in ``county`` the person has named, latest message first: the town decides
    the nearest office, while the slot only remembers the county."""
    found: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found += [p for p in places_in(event.get("text") or "") if county_of(p) == county]
    return found


def county_named(tracker: Tracker) -> str | None:
    """The county of the place the latest message names, if any."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == COUNTY_SLOT:
            county = county_in(entity.get("value"))
            if county is not None:
                return county
    return None


def place_after_career_centre(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The county a short message names right after a career-centre answer, unless it
    asks about something else there; else None."""
    text = (tracker.latest_message or {}).get("text") or ""
    if len(text.split()) > MAX_WORDS or (surely_out_of_scope(tracker)
                                         and not _OF_THE_CENTRE.search(text)):
        return None
    county = county_named(tracker)
    if county is None or knowledge.for_county(county) is None:
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    return county if before is not None and before[1] == CAREER_CENTRE else None


def utter_centre(dispatcher: CollectingDispatcher, tracker: Tracker,
                 knowledge: KnowledgeBase, county: str | None,
                 places: list[str] | None = None) -> bool:
    """Sends the career centre of ``county``, led by the office nearest ``places`` (by
    default the places the person named); False when there is no centre on file for it."""
    centre = knowledge.for_county(county) if county else None
    if county is None or centre is None:
        return False
    office = knowledge.nearest_office(
        county, named_places(tracker, county) if places is None else places)
    dispatcher.utter_message(text=render_office(centre, office, language_of(tracker)))
    return True


def answer_for_county(dispatcher: CollectingDispatcher, tracker: Tracker,
                      knowledge: KnowledgeBase, county: str) -> list[EventType]:
    """The career centre of ``county``, and the county remembered."""
    if not utter_centre(dispatcher, tracker, knowledge, county):
        return []
    return [SlotSet(COUNTY_SLOT, county)]


# The national guidance for veterans of the armed forces is at the career centre on
# Bardufoss (knowledge: Troms); a veteran asking what there is for them gets that office.
VETERANS_COUNTY = "Troms"
VETERANS_PLACE = "Bardufoss"
_VETERAN = re.compile(r"\bveteran(?:en|er|ene|ar|ane|s)?\b", re.IGNORECASE)


def writes_as_a_veteran(text: str) -> bool:
    return bool(_VETERAN.search(text))


# What there is for them: "Heard there's something specifically for veterans?" (read as
# the 23/5 rule, 0.5), "finnes det et eget tilbud for veteraner?".
_FOR_VETERANS = re.compile(
    r"\b(?:for|til)\s+(?:veteran\w*|oss|us)\b|\bspecifically\b|\bspecial\b|\beg(?:e|ne|i)t?\b|"
    r"\btilbu[dt]\b|\btilbod\b|\bopplegg\b|"
    # "is there anyone who helps veterans find civilian work?" (the fallback)
    r"\b(?:helps?|hjelper|hjelpe|hjelpar|hjelpa)\s+veteran\w*", re.IGNORECASE)


def asks_what_there_is_for_veterans(text: str) -> bool:
    """A veteran asking what there is for veterans, whatever the classifier read."""
    return writes_as_a_veteran(text) and bool(_FOR_VETERANS.search(text))


def answer_for_veterans(dispatcher: CollectingDispatcher, tracker: Tracker,
                        knowledge: KnowledgeBase) -> bool:
    """The Troms centre led by its Bardufoss office, for a veteran; False when the
    knowledge base has no such office."""
    if knowledge.nearest_office(VETERANS_COUNTY, [VETERANS_PLACE]) is None:
        return False
    return utter_centre(dispatcher, tracker, knowledge, VETERANS_COUNTY, [VETERANS_PLACE])
