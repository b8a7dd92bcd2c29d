"""What an occupation is about and how to get there, for "what does a plumber do?".

The occupation stays in the ``occupation`` slot, so "and how do I become one?" is
answered for the occupation just discussed; every answer names the occupation, so the
person can see which one the bot meant.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import KNOWLEDGE
from actions.career_centres import (
    COUNTY_SLOT,
    FORMER_COUNTY_RESPONSE,
    ActionAnswerCareerCentre,
)
from actions.conversation import intent_of, language_of, user_messages
from actions.finance_follow_ups import finance_answer_meant
from actions.handoff import ActionClarify
from actions.in_context import previous_answered_question
from actions.levels import schooling_told_there
from actions.occupation_answers import (
    DESCRIPTION_INTENT,
    OCCUPATION_SLOT,
    PATH_INTENT,
    PROSPECTS_INTENT,
    occupation_after_recognition,
    occupation_of,
    other_parts_asked,
    utter_occupation,
)
from actions.offers import as_if_said
from actions.situation_told import thank_and_ask
from bot.shared.occupations import OccupationFinder, occupations
from bot.shared.places import names_a_former_county

# The form is over but the occupation was not one we know: nothing more to answer.
UNKNOWN = "unknown"
# Words that point back to the occupation just discussed: "how do I become one?".
_BACK_REFERENCES = frozenset(
    "det dette den denne dei de dem yrket yrke jobben jobb da då så one it that this those "
    "them job".split()
)
_WORD = re.compile(r"\w+")


def refers_back(text: str) -> bool:
    return any(word in _BACK_REFERENCES for word in _WORD.findall(text.lower()))


def latest_question(tracker: Tracker) -> str:
    """Whether the person last asked what the work is, how to get there, or what it pays."""
    return _latest_question_asked(tracker)[0]


def _latest_question_asked(tracker: Tracker) -> tuple[str, str]:
    """The occupation question last asked, and the message that asked it ("" when none
    did: what the work is, for an occupation named alone)."""
    for event in reversed(user_messages(tracker)):
        intent = intent_of(event)
        if intent in (DESCRIPTION_INTENT, PATH_INTENT, PROSPECTS_INTENT):
            return intent, event.get("text") or ""
    return DESCRIPTION_INTENT, ""


# An answer to "which occupation?" that the classifier is this sure is about something else
# ("btw blir det regn i oslo i morgen?", 0.95) is no occupation it lacks: the form stops with
# the out-of-scope reply. Unknown occupation names read as out of scope far less surely
# ("profesjonell gamer" 0.67, "e-sport" 0.86), and one or two words are a name.
ANOTHER_ERRAND_CONFIDENCE = 0.90


def is_another_errand(tracker: Tracker) -> bool:
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    return (intent.get("name") == "out_of_scope"
            and float(intent.get("confidence") or 0.0) >= ANOTHER_ERRAND_CONFIDENCE
            and len(_WORD.findall(latest.get("text") or "")) > 2)


# Where a question names its occupation: "hva gjør egentlig en havbruksoperatør",
# "hvordan blir jeg X", "what does a logistics worker actually do", "how do I become an
# astronaut".
_END = r"(?:\s+(?:egentlig|eigentleg|eigentlig|da|då))?\s*[?.!]*\s*$"
_NAMED_OCCUPATION = (
    re.compile(rf"\b(?:en|ei|et|ein|eit)\s+([^\W\d_][\w-]{{3,}}){_END}", re.IGNORECASE),
    re.compile(rf"\bbli(?:r)?\s+(?:jeg|eg|æ|man|ein|en|du)\s+([^\W\d_][\w-]{{3,}}){_END}",
               re.IGNORECASE),
    re.compile(r"\bwhat\s+(?:does|do)\s+(?:an?|the)\s+([a-z][\w -]{2,40}?)\s+"
               r"(?:actually\s+|really\s+|even\s+)?do\b", re.IGNORECASE),
    re.compile(r"\bbecome\s+an?\s+([a-z][\w -]{2,40}?)\s*[?.!]*\s*$", re.IGNORECASE),
)


def occupation_named(text: str) -> str | None:
    """The occupation a question names, whether we know it or not; None when it names
    none or points back ("hvordan blir jeg det?")."""
    for pattern in _NAMED_OCCUPATION:
        match = pattern.search(text.strip())
        if match and not refers_back(match.group(1)):
            return match.group(1)
    return None


class ValidateOccupationForm(FormValidationAction):
    def __init__(self, finder: OccupationFinder | None = None) -> None:
        self.finder = finder or occupations()

    def name(self) -> str:
        return "validate_occupation_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        if self._asks_about_another(tracker):
            if occupation_named((tracker.latest_message or {}).get("text") or ""):
                # "hva gjør egentlig en havbruksoperatør": named, but not one we know;
                # asking "which occupation?" would ask what was just said.
                dispatcher.utter_message(response="utter_occupation_unknown")
                events.append(SlotSet(OCCUPATION_SLOT, UNKNOWN))
            else:
                # "how do I become one?" with no occupation before, or a question that
                # must not be answered for the plumber discussed before: ask which.
                events.append(SlotSet(OCCUPATION_SLOT, None))
        return events

    @staticmethod
    def _asks_about_another(tracker: Tracker) -> bool:
        """A new question that names no occupation we know, as the form starts."""
        if tracker.get_slot("requested_slot") == OCCUPATION_SLOT:
            return False  # the form asked; its answer is validated below
        latest = tracker.latest_message or {}
        if (latest.get("intent") or {}).get("name") not in (DESCRIPTION_INTENT, PATH_INTENT):
            return False
        entities = latest.get("entities") or []
        named = any(entity.get("entity") == OCCUPATION_SLOT for entity in entities)
        return not named and not refers_back(latest.get("text") or "")

    def validate_occupation(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value == UNKNOWN:
            return {OCCUPATION_SLOT: None}
        occupation = occupation_of(slot_value, self.finder)
        if occupation is None:
            if is_another_errand(tracker):
                dispatcher.utter_message(response="utter_out_of_scope")
            else:
                dispatcher.utter_message(response="utter_occupation_unknown")
            return {OCCUPATION_SLOT: UNKNOWN}
        return {OCCUPATION_SLOT: occupation.id}


class ActionAnswerOccupation(Action):
    """Describes the occupation, or its education path, as the person asked."""

    def __init__(self, finder: OccupationFinder | None = None) -> None:
        self.finder = finder or occupations()

    def name(self) -> str:
        return "action_answer_occupation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        occupation = occupation_of(tracker.get_slot(OCCUPATION_SLOT), self.finder)
        if occupation is None:
            return [SlotSet(OCCUPATION_SLOT, None)]
        question, asked = _latest_question_asked(tracker)
        # "hva gjør en tømrer og hva tjener de?": each part asked, in turn.
        for part in [question, *other_parts_asked(asked, question)]:
            utter_occupation(dispatcher, occupation, part, language_of(tracker))
        return []


class ActionAnswerInform(Action):
    """A bare place or occupation outside a form: the centre there, or what the work is."""

    def __init__(self, finder: OccupationFinder | None = None,
                 clarify: ActionClarify | None = None) -> None:
        self.finder = finder or occupations()
        self.centres = ActionAnswerCareerCentre()
        self.clarify = clarify or ActionClarify()

    def name(self) -> str:
        return "action_answer_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        entities = {e.get("entity"): e.get("value") for e in
                    (tracker.latest_message or {}).get("entities", [])}
        recognition = occupation_after_recognition(tracker, self.finder, KNOWLEDGE)
        if recognition is not None:
            # "eg er sjukepleiar" after a question whether an education from abroad must
            # be recognised: who authorises a nurse, not what a nurse does.
            return as_if_said(tracker, recognition)
        occupation = occupation_of(entities.get(OCCUPATION_SLOT), self.finder)
        if occupation is not None:
            language = language_of(tracker)
            utter_occupation(dispatcher, occupation, latest_question(tracker), language)
            return []
        meant = finance_answer_meant(tracker, KNOWLEDGE,
                                     town_named=bool(entities.get(COUNTY_SLOT)))
        if meant is not None:  # "i live with my parents in oslo" after the grant
            return as_if_said(tracker, meant)
        before = previous_answered_question(tracker, KNOWLEDGE)
        schooling = schooling_told_there(before[1] if before else None,
                                         (tracker.latest_message or {}).get("text") or "") \
            if entities.get(COUNTY_SLOT) else None
        if schooling is not None:
            # "vi bor på voss, men han vil kanskje gå på skole i bergen. kan han søke der?"
            # after an apprenticeship: applied for as anywhere, not Vestland's centre.
            return as_if_said(tracker, schooling)
        if entities.get(COUNTY_SLOT) and thank_and_ask(dispatcher, tracker, beyond_home=True):
            return []  # "går i 10. klasse i drammen": a pupil's situation, the question next
        if entities.get(COUNTY_SLOT):
            return await self.centres.run(dispatcher, tracker, domain)
        if names_a_former_county((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(response=FORMER_COUNTY_RESPONSE)  # "i live in Viken"
            return []
        # Neither named ("im 23 btw"): what the bot does with a message it did not
        # place, the question before included.
        return await self.clarify.run(dispatcher, tracker, domain)

