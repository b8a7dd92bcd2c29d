"""Career-centre and occupation actions, run on a tracker loaded from JSON."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.career_centres import ActionAnswerCareerCentre, ValidateCareerCentreForm
from actions.occupations import (
    UNKNOWN,
    ActionAnswerInform,
    ActionAnswerOccupation,
    ValidateOccupationForm,
)


def with_question(tracker: Tracker, intent: str) -> Tracker:
    """The tracker with a user message of ``intent`` in its history."""
    parse_data = {"intent": {"name": intent}}
    tracker.events.append({"event": "user", "text": "...", "parse_data": parse_data})
    return tracker


@pytest.mark.parametrize(
    ("value", "county"),
    [("Alta", "Finnmark"), ("jeg bor i Romsa", "Troms"), ("tromso", "Troms"),
     ("Finnmark", "Finnmark")],
)
def test_the_place_given_becomes_its_county(make_tracker, dispatcher, domain, value, county):
    form = ValidateCareerCentreForm()
    assert form.validate_county(value, dispatcher, make_tracker(), domain) == {"county": county}
    assert dispatcher.messages == []


def test_an_unknown_place_is_asked_for_again(make_tracker, dispatcher, domain):
    form = ValidateCareerCentreForm()
    assert form.validate_county("Narnia", dispatcher, make_tracker(), domain) == {"county": None}
    assert dispatcher.messages[0]["response"] == "utter_place_unknown"


@pytest.mark.parametrize(("language", "label"), [("nb", "Kilde"), ("nn", "Kjelde"),
                                                 ("en", "Source")])
async def test_the_career_centre_is_answered_in_the_persons_language(
    make_tracker, dispatcher, domain, language, label
):
    tracker = make_tracker(county="Troms", language=language)
    assert await ActionAnswerCareerCentre().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert "Karriere Troms" in message["text"]
    assert f"{label}: https://www.tromsfylke.no/" in message["text"]


async def test_without_a_county_the_centre_action_asks_where(make_tracker, dispatcher, domain):
    await ActionAnswerCareerCentre().run(dispatcher, make_tracker(county=None), domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_county"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("rorlegger", "rorlegger"), ("røyrleggjar tror eg", "rorlegger"), ("nurse", "sykepleier")],
)
def test_the_occupation_given_becomes_its_id(make_tracker, dispatcher, domain, value, expected):
    form = ValidateOccupationForm()
    result = form.validate_occupation(value, dispatcher, make_tracker(), domain)
    assert result == {"occupation": expected}


def test_an_unknown_occupation_gets_the_search_link(make_tracker, dispatcher, domain):
    form = ValidateOccupationForm()
    result = form.validate_occupation("astronaut", dispatcher, make_tracker(), domain)
    assert result == {"occupation": UNKNOWN}
    assert dispatcher.messages[0]["response"] == "utter_occupation_unknown"


@pytest.mark.parametrize(
    ("intent", "response", "field"),
    [("ask_occupation_description", "utter_occupation_description", "description"),
     ("ask_occupation_path", "utter_occupation_path", "path")],
)
async def test_the_occupation_is_described_or_its_path_given(
    make_tracker, dispatcher, domain, intent, response, field
):
    tracker = with_question(make_tracker(occupation="rorlegger", language="nn"), intent)
    assert await ActionAnswerOccupation().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == response
    assert "røyrleggjar" in message[field].lower() or message["name"].lower() == "røyrleggjar"
    assert message["url"] == "https://utdanning.no/yrker/beskrivelse/rorlegger"


async def test_an_unknown_occupation_is_forgotten(make_tracker, dispatcher, domain):
    tracker = make_tracker(occupation=UNKNOWN)
    events = await ActionAnswerOccupation().run(dispatcher, tracker, domain)
    assert events == [SlotSet("occupation", None)] and dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "forgets"),
    [("hvordan blir jeg astronaut?", True),  # another occupation, one we do not know
     ("og hvordan blir man det?", False),  # points back to the one discussed
     ("how do I become one", False)],
)
def test_a_new_question_without_a_known_occupation_asks_again(make_tracker, text, forgets):
    tracker = make_tracker(text=text, intent="ask_occupation_path", occupation="rorlegger")
    assert ValidateOccupationForm._asks_about_another(tracker) is forgets


async def test_a_bare_place_outside_a_form_gets_the_centre(make_tracker, dispatcher, domain):
    tracker = make_tracker(text="Bodø", intent="inform", county="Nordland")
    tracker.latest_message["entities"] = [{"entity": "county", "value": "Nordland"}]
    await ActionAnswerInform().run(dispatcher, tracker, domain)
    assert "Nordland" in dispatcher.messages[0]["text"]


async def test_a_bare_occupation_outside_a_form_is_described(make_tracker, dispatcher, domain):
    tracker = make_tracker(text="sveiser", intent="inform")
    tracker.latest_message["entities"] = [{"entity": "occupation", "value": "sveiser"}]
    await ActionAnswerInform().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_occupation_description"
