"""Where to get guidance face to face: the career centre in the person's county.

The county comes from the place the person names (a town, a county or a Northern Sami
place name); when they have not named one, ``career_centre_form`` asks. It stays in the
``county`` slot for the rest of the conversation.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.another_place import COUNTY_SLOT, county_in, utter_centre
from actions.answers import KNOWLEDGE
from bot.shared.knowledge import KnowledgeBase
from bot.shared.places import names_a_former_county

# A county split in 2024 places no one: the person is told so and asked where they live.
FORMER_COUNTY_RESPONSE = "utter_former_county"


class ValidateCareerCentreForm(FormValidationAction):
    def name(self) -> str:
        return "validate_career_centre_form"

    def validate_county(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        county = county_in(slot_value)
        if county is None:
            dispatcher.utter_message(response=FORMER_COUNTY_RESPONSE
                                     if names_a_former_county(str(slot_value or ""))
                                     else "utter_place_unknown")
        return {COUNTY_SLOT: county}


class ActionAskCounty(Action):
    """Asks where the person lives; first says that the county they named was split."""

    def name(self) -> str:
        return "action_ask_county"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        dispatcher.utter_message(response=FORMER_COUNTY_RESPONSE
                                 if names_a_former_county(text) else "utter_ask_county")
        return []


class ActionAnswerCareerCentre(Action):
    """Sends the career centre of the county the person gave."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self.knowledge = knowledge or KNOWLEDGE

    def name(self) -> str:
        return "action_answer_career_centre"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        county = county_in(tracker.get_slot(COUNTY_SLOT))
        if not utter_centre(dispatcher, tracker, self.knowledge, county):
            dispatcher.utter_message(response="utter_ask_county")
        return []
