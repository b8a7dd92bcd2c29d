"""Career-centre and occupation actions, run on a tracker loaded from JSON."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import KNOWLEDGE
from actions.career_centres import (
    ActionAnswerCareerCentre,
    ActionAskCounty,
    ValidateCareerCentreForm,
)
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.occupations import (
    UNKNOWN,
    ActionAnswerInform,
    ActionAnswerOccupation,
    ValidateOccupationForm,
)
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from tests.facts import COUNTIES, centre_problems, occupation_on_file
from tests.unit.action_fakes import NoNlu, conversation, user
from tests.unit.test_in_context import TableNlu


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


@pytest.mark.parametrize("county", COUNTIES)
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
async def test_the_career_centre_is_answered_in_the_persons_language(
    make_tracker, dispatcher, domain, county, language
):
    tracker = make_tracker(county=county, language=language)
    assert await ActionAnswerCareerCentre().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert centre_problems(message["text"], county, language) == []


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


@pytest.mark.parametrize(("text", "confidence", "response"), [
    ("btw blir det regn i oslo i morgen?", 0.95, "utter_out_of_scope"),
    # Unknown names are read as out of scope less surely, and are short.
    ("profesjonell e-sport gamer", 0.67, "utter_occupation_unknown"),
    ("e-sport", 0.95, "utter_occupation_unknown"),
])
def test_another_errand_as_the_answer_ends_the_form_out_of_scope(
        make_tracker, dispatcher, domain, text, confidence, response):
    tracker = make_tracker(text=text, intent="out_of_scope")
    tracker.latest_message["intent"]["confidence"] = confidence
    result = ValidateOccupationForm().validate_occupation(text, dispatcher, tracker, domain)
    assert result == {"occupation": UNKNOWN}
    assert [m["response"] for m in dispatcher.messages] == [response]


@pytest.mark.parametrize(
    ("intent", "response", "field"),
    [("ask_occupation_description", "utter_occupation_description", "description"),
     ("ask_occupation_path", "utter_occupation_path", "path")],
)
@pytest.mark.parametrize(
    ("language", "name"), [("nb", "rørlegger"), ("nn", "røyrleggjar"), ("en", "plumber")]
)
async def test_the_occupation_is_described_or_its_path_given(
    make_tracker, dispatcher, domain, intent, response, field, language, name
):
    tracker = with_question(make_tracker(occupation="rorlegger", language=language), intent)
    assert await ActionAnswerOccupation().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == response
    # A description starts with the name, so it is capitalised there.
    assert message["name"] == (name.capitalize() if field == "description" else name)
    assert message[field] == occupation_on_file("rorlegger")[field][language]
    assert message["url"] == "https://utdanning.no/yrker/beskrivelse/rorlegger"
    # STYRK-08 7126 is plumbers and pipe fitters; the path answer carries no code.
    assert message.get("code") == ("7126" if field == "description" else None)


@pytest.mark.parametrize(("asked", "intent", "responses"), [
    ("hva gjør en rørlegger og hva tjener de?", "ask_occupation_description",
     ["utter_occupation_description", "utter_occupation_prospects"]),
    ("how do I become a plumber, and how much do they earn?", "ask_occupation_path",
     ["utter_occupation_path", "utter_occupation_prospects"]),
    ("kva gjer ein røyrleggjar, og kor lang er utdanninga?", "ask_occupation_description",
     ["utter_occupation_description", "utter_occupation_path"]),
    # one part asked: one answer
    ("hvordan blir jeg rørlegger? vil gjerne jobbe med hendene", "ask_occupation_path",
     ["utter_occupation_path"]),
])
async def test_each_part_of_an_occupation_asked_is_answered(
    make_tracker, dispatcher, domain, asked, intent, responses
):
    """"what does a carpenter do and what's the pay like?" got what the work is alone."""
    tracker = make_tracker(occupation="rorlegger")
    tracker.events.append({"event": "user", "text": asked,
                           "parse_data": {"intent": {"name": intent}}})
    assert await ActionAnswerOccupation().run(dispatcher, tracker, domain) == []
    assert [message["response"] for message in dispatcher.messages] == responses


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
    [message] = dispatcher.messages
    assert centre_problems(message["text"], "Nordland", "nb") == []


async def test_a_bare_occupation_outside_a_form_is_described(make_tracker, dispatcher, domain):
    tracker = make_tracker(text="sveiser", intent="inform")
    tracker.latest_message["entities"] = [{"entity": "occupation", "value": "sveiser"}]
    await ActionAnswerInform().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_occupation_description"


async def test_a_detail_read_as_inform_is_read_with_the_question_before(tracker_dict, domain):
    # "im 31 btw" (inform, naming no place or occupation) after a question about
    # unemployment benefit: that answer's sentence on the age, with the offer of a
    # counsellor.
    before = "I get dagpenger and want to take a course, can I keep the money?"
    nlu = TableNlu({f"{before.rstrip('?')}?. im 31 btw": ("ask_nav_benefits_studying", 0.8)})
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, nlu))
    tracker = conversation(tracker_dict, user(before, "ask_nav_benefits_studying"),
                           user("im 31 btw", "inform"), language="en")
    dispatcher = CollectingDispatcher()
    await ActionAnswerInform(clarify=clarify).run(dispatcher, tracker, domain)
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer"
    assert "you must be 25 or older" in reply["quote"]


@pytest.mark.parametrize(("text", "unknown"), [
    ("hva gjør egentlig en havbruksoperatør", True),
    ("what does a logistics worker actually do", True),
    # names none: the form asks which one
    ("hva gjør de egentlig?", False),
])
async def test_an_unknown_occupation_named_in_the_question_is_not_asked_for_again(
        make_tracker, dispatcher, domain, text, unknown):
    tracker = make_tracker(text=text, intent="ask_occupation_description", occupation=None)
    events = await ValidateOccupationForm().run(dispatcher, tracker, domain)
    said = [m.get("response") for m in dispatcher.messages]
    if unknown:
        assert said == ["utter_occupation_unknown"]
        assert SlotSet("occupation", UNKNOWN) in events
    else:
        assert said == [] and SlotSet("occupation", UNKNOWN) not in events


async def test_a_sum_after_an_answer_is_not_read_with_it(tracker_dict, domain):
    """"ok thx. whats 2+2 btw" after a loan for part-time study: the nonsense guard made it
    the fallback, and read with the question before it got that answer again."""
    before = "and if i do online courses part time from here instead?"
    nlu = TableNlu({f"{before.rstrip('?')}?. ok thx. whats 2+2 btw":
                    ("ask_study_finance_part_time", 0.9)})
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, nlu))
    sum_asked = user("ok thx. whats 2+2 btw", "nlu_fallback")
    sum_asked["parse_data"]["nonsense"] = True
    tracker = conversation(tracker_dict, user(before, "ask_study_finance_part_time"),
                           {"event": "bot", "text": render_answer(
                               KNOWLEDGE.for_intent("ask_study_finance_part_time"), "en")},
                           sum_asked, language="en")
    dispatcher = CollectingDispatcher()
    await clarify.run(dispatcher, tracker, domain)
    assert not any(m.get("text") for m in dispatcher.messages)  # no career answer
    assert dispatcher.messages[0]["response"] in {"utter_default", "utter_clarify"}


@pytest.mark.parametrize("value", ["Troms og Finnmark", "vi bor i Viken"])
def test_a_county_split_in_2024_is_said_to_be_split(make_tracker, dispatcher, domain, value):
    form = ValidateCareerCentreForm()
    assert form.validate_county(value, dispatcher, make_tracker(), domain) == {"county": None}
    assert dispatcher.messages[0]["response"] == "utter_former_county"


@pytest.mark.parametrize(("text", "response"), [
    ("where is the career centre for Troms og Finnmark", "utter_former_county"),
    ("hvor er nærmeste karrieresenter", "utter_ask_county"),
])
async def test_the_county_is_asked_for_with_the_split_when_a_former_one_is_named(
    tracker_dict, dispatcher, domain, text, response
):
    tracker = conversation(tracker_dict, user(text, "ask_career_centre"))
    assert await ActionAskCounty().run(dispatcher, tracker, domain) == []
    assert [message["response"] for message in dispatcher.messages] == [response]


async def test_a_former_county_named_alone_is_said_to_be_split(tracker_dict, dispatcher, domain):
    tracker = conversation(tracker_dict, user("i live in Viken", "inform"))
    assert await ActionAnswerInform().run(dispatcher, tracker, domain) == []
    assert [message["response"] for message in dispatcher.messages] == ["utter_former_county"]


@pytest.mark.parametrize(("text", "meant"), [
    # going to school there, after an apprenticeship: applied for as anywhere, through
    # upper secondary's application; an apprenticeship there as an apprenticeship
    ("vi bor på voss, men han vil kanskje gå på skole i bergen. kan han søke der?",
     "ask_upper_secondary_application"),
    ("vi bur på voss, men han vil ha læreplass i bergen. kan han søkje der?",
     "ask_apprenticeship"),
    # only where one lives, or guidance there: the centre there
    ("vi bor i bergen", None),
    ("kan vi få snakke med nokon i bergen", None),
])
async def test_a_town_told_with_going_to_school_there_is_no_centre(
        tracker_dict, domain, text, meant):
    tracker = conversation(tracker_dict, user("hva er egentlig en lærekandidat?",
                                              "ask_apprenticeship"),
                           {"event": "bot", "text": render_answer(
                               KNOWLEDGE.for_intent("ask_apprenticeship"), "nb")},
                           user(text, "inform"), county="Vestland")
    tracker.latest_message["entities"] = [{"entity": "county", "value": "Vestland"}]
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerInform().run(dispatcher, tracker, domain)
    said = [e for e in events if e.get("event") == "user"]
    if meant is None:
        assert said == [] and centre_problems(dispatcher.messages[0]["text"], "Vestland",
                                              "nb") == []
    else:
        assert [e["parse_data"]["intent"]["name"] for e in said] == [meant]
