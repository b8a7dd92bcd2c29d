"""A question that needs guidance: what a counsellor can help with, then the offer of one.

A long message that tells a situation reads as a need for guidance as a whole, even when
it ends in a plain question the bot can answer: "I'm on AAP after a back injury and would
like to retrain for something office based. can i study and keep the benefit?". Then the
question gets its answer, with its source, before the offer of a counsellor (the next
step of the rule), instead of only "that is what our counsellors help with"; a question
the way to an occupation we know, or what the work is, gets that. A short
message, one whose last sentences ask no plain question ("…treng verkeleg nokon å prate
med om det"), or one whose question is about what to choose ("what are my options?") or
about this service, gets the counsellor's side as before.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.another_place import answer_for_veterans, writes_as_a_veteran
from actions.answers import CAREER_CENTRE, KNOWLEDGE, asks_where_to_get_help, names_a_place
from actions.conversation import language_of
from actions.finance_follow_ups import finance_answer_meant
from actions.in_context import ABOUT_THE_SERVICE, GUIDANCE_INTENT, ContextReading
from actions.levels import application_helped_with, level_before
from actions.occupation_answers import (
    REGULATED_INTENT,
    answer_occupation_asked,
    regulated_from_abroad,
)
from actions.offers import as_if_said
from actions.several_questions import SeveralQuestions, question_after_context
from bot.shared.crisis import CRISIS_ACTION
from bot.shared.knowledge import render_answer
from bot.shared.occupations import occupations

# Asking the bot's opinion on what to choose is a need for guidance, whatever was asked
# before: "men ærlig talt, hva mener dere han burde velge?" after upper secondary's choices
# is not about how many programmes he may list.
_ASKS_WHAT_TO_CHOOSE = re.compile(
    r"\b(?:hva|kva|ka)\s+(?:mener|meiner|synes|syns|synest|tenker|tenkjer|anbefaler|"
    r"tilrår|råder|rår)\s+(?:dere|du|de|dykk)\b|"
    r"\b(?:bør|burde)\s+(?:jeg|eg|æ|han|hun|ho|hen|vi|me|dei|de)\s+(?:velge|velje|satse)\b|"
    r"\bwhat\s+(?:do|would)\s+you\s+(?:think|recommend|suggest|advise|do)\b|"
    r"\bwhich\s+(?:one\s+)?(?:should|would)\s+(?:i|he|she|they|we)\b|"
    r"\bwhat\s+(?:should|would)\s+(?:i|he|she|they|we)\s+(?:choose|pick|take|study)\b|"
    # what suits: "hvilket program passer for henne?", "which course suits me best"
    r"\b(?:hva|kva|ka|hvilke[nt]?|kva\s+for|which|what)\b(?:\s+\w+){0,3}?\s+"
    r"(?:passer|passar|suits?|fits?)\s+(?:best\s+)?(?:for\s+)?(?:meg|deg|henne|han|ham|oss|"
    r"dykk|dere|me|him|her|us|you|them|sønnen|dottera|dattera|datteren|sonen|my)\b|"
    r"\b(?:hva|kva|what|which)(?:\s+\w+){0,2}?\s+(?:er|is|would\s+be)\s+best\s+for\b|"
    # whether it is worth it: "er det i det hele tatt noe poeng å ta utdanning i min alder?"
    # (the part alone read as how points are counted), "is it even worth it at my age?"
    r"\b(?:noe|noko|nåkka|noen|nokon)\s+(?:poeng|vits|vitsa|hensikt)\s+(?:i\s+|med\s+)?(?:å|a)\b|"
    r"\b(?:is\s+there\s+)?any\s+point\s+(?:in|to)\b|\b(?:is\s+it|it's|would\s+it\s+be)\s+"
    r"(?:even\s+|really\s+|still\s+)?worth\s+(?:it|(?:\w+ing))\b|"
    r"\b(?:lønner|lønnar|løner)\s+det\s+seg\b",
    re.IGNORECASE)


def asks_what_to_choose(text: str) -> bool:
    return bool(_ASKS_WHAT_TO_CHOOSE.search(text))


# The story's need for guidance stands over a question about this service or a counsellor.
NOT_ANSWERED_HERE = frozenset({GUIDANCE_INTENT, *ABOUT_THE_SERVICE})


class ActionPersonalGuidance(Action):
    def __init__(self, several: SeveralQuestions | None = None,
                 context: ContextReading | None = None) -> None:
        self.several = several or SeveralQuestions(KNOWLEDGE)
        self.context = context or ContextReading(KNOWLEDGE)

    def name(self) -> str:
        return "action_personal_guidance"

    def _answer_a_regulated_occupation(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker) -> bool:
        """Who authorises the occupation, for a person trained abroad in one regulated by
        law who asks something vague ("…bachelor i farmasi fra Damaskus … vil jobbe som
        farmasøyt igjen. Hva må jeg gjøre?"); False for any other message."""
        if not regulated_from_abroad(tracker.latest_message, occupations()):
            return False
        entries = self.several.knowledge.for_intent(REGULATED_INTENT)
        dispatcher.utter_message(text=render_answer(entries, language_of(tracker)))
        return True

    def _utter_guidance(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        text = (tracker.latest_message or {}).get("text") or ""
        if writes_as_a_veteran(text) \
                and answer_for_veterans(dispatcher, tracker, self.several.knowledge):
            return  # "eg er veteran frå Forsvaret, er det noko eige tilbod for meg?"
        if not self._answer_a_regulated_occupation(dispatcher, tracker):
            dispatcher.utter_message(response="utter_personal_guidance")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        # "hva om jeg ikke er enig i resultatet?" right after prior learning (0.59 a need
        # for guidance): read with the question before, it asks about that.
        # "I'm 32 btw, does that change anything?" after the grant: the extra loan from 30.
        if asks_where_to_get_help(text) and names_a_place(tracker):
            # "hvem kan hjelpe meg å lage en plan? jeg bor i Gjøvik": the centre there.
            return as_if_said(tracker, CAREER_CENTRE)
        # "treng hjelp med vgs-søknaden, kva gjer eg": how one applies there.
        choosing = asks_what_to_choose(text)
        meant = finance_answer_meant(tracker, self.several.knowledge) or (
            None if choosing else application_helped_with(text)
            or await self.context.topic_of_what_if(tracker))
        if meant is not None and meant != GUIDANCE_INTENT:
            return as_if_said(tracker, meant)  # its own rule answers it
        asked = question_after_context(text)
        if asked is None or "?" not in asked or asks_what_to_choose(asked):
            # No plain question after the story ("…treng verkeleg nokon å prate med om
            # det" asks for a person, not for the price of this service), or one that asks
            # what suits ("hvilket program passer for henne?" is no question of rights).
            self._utter_guidance(dispatcher, tracker)
            return []
        reading = await self.several.read(
            text, story_first=True, level_before=level_before(tracker, self.several.knowledge))
        if reading is not None and reading.crisis:
            return [FollowupAction(CRISIS_ACTION)]
        answerable = [intent for intent in (reading.answerable if reading else [])
                      if intent not in NOT_ANSWERED_HERE]
        if reading is None or not answerable:
            if not await answer_occupation_asked(dispatcher, self.several.nlu,
                                                 self.several.threshold, asked,
                                                 language_of(tracker), occupations()):
                self._utter_guidance(dispatcher, tracker)
            return []
        self.several.answer(dispatcher, replace(reading, answerable=answerable),
                            language_of(tracker))
        return []
