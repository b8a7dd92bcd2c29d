"""Every custom action, run on a tracker loaded from JSON, as rasa-demo tests them."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.language import ActionDetectLanguage
from bot.shared.topics import title
from tests.facts import ANSWER_FACTS, answer_problems, entries_on_file
from tests.unit.test_follow_ups import conversation, injected_intent, user


@pytest.mark.parametrize(
    ("text", "slot_before", "events"),
    [
        ("Kva er fristen for å søkje?", "nb", [SlotSet("language", "nn")]),
        ("When is the deadline?", "nb", [SlotSet("language", "en")]),
        ("Hvordan søker jeg?", "nn", [SlotSet("language", "nb")]),
        ("Hvordan søker jeg?", "nb", []),  # unchanged: no event
        ("takk", "nn", []),  # tells nothing: keep Nynorsk
        ("/ask_student_finance_deadline", "nn", []),  # a button press is not writing
        ("EXTERNAL: goodbye", "nb", []),  # triggered through the HTTP API
    ],
)
async def test_detect_language_sets_the_slot_only_when_the_message_tells(
    make_tracker, dispatcher, domain, text: str, slot_before: str, events: list
) -> None:
    tracker = make_tracker(text=text, language=slot_before)
    assert await ActionDetectLanguage().run(dispatcher, tracker, domain) == events
    assert dispatcher.messages == []


def test_every_answer_on_file_has_its_facts_written_down() -> None:
    general = {entry["intent"] for entry in entries_on_file() if entry.get("county") is None}
    assert general == set(ANSWER_FACTS)


@pytest.mark.parametrize("intent", sorted(ANSWER_FACTS))
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
async def test_answer_question_tells_the_facts_in_the_persons_language(
    make_tracker, dispatcher, domain, intent: str, language: str
) -> None:
    # asked by the topic's name, as a button sends it (the fixture's text asks Samordna
    # opptak's deadline, which another topic's reading would rightly yield to)
    tracker = make_tracker(text=title(intent, language), intent=intent, language=language)
    assert await ActionAnswerQuestion().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages  # one answer: every entry for the question, then sources
    assert answer_problems(message["text"], intent, language) == []


async def test_a_person_writing_sami_gets_the_answer_in_bokmaal(
    make_tracker, dispatcher, domain
) -> None:
    # No knowledge entry has Sami text; Bokmål is the fallback (bot.shared.language).
    tracker = make_tracker(intent="ask_student_finance_deadline", language="se")
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert answer_problems(message["text"], "ask_student_finance_deadline", "nb") == []


async def test_answer_question_without_an_answer_on_file_says_so(
    make_tracker, dispatcher, domain
) -> None:
    tracker = make_tracker(intent="ask_something_we_do_not_know")
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert [message["response"] for message in dispatcher.messages] == ["utter_default"]


@pytest.mark.parametrize("text", ["hvor mye koster det å studere?",
                                  "koster det noe å gå på folkehøgskole",
                                  "how much does university cost in norway",
                                  "må eg betale noko for eksamen?",
                                  "koster fagprøven noe?"])
async def test_the_price_of_studying_is_not_answered_as_the_price_of_this_service(
    make_tracker, dispatcher, domain, text: str
) -> None:
    tracker = make_tracker(text=text, intent="ask_service_free_anonymous")
    assert await ActionAnswerQuestion().run(dispatcher, tracker, domain) == []
    assert [message["response"] for message in dispatcher.messages] in (
        ["utter_clarify"], ["utter_default"])


@pytest.mark.parametrize(("text", "topic"), [
    ("do you have to pay anything to go to fagskole?", "ask_fagskole"),
    ("koster det noe å gå på fagskule?", "ask_fagskole"),
    ("må man betale for realkompetansevurdering?", "ask_prior_learning")])
async def test_the_price_of_a_school_whose_answer_has_it_gets_that_answer(
    make_tracker, dispatcher, domain, text: str, topic: str
) -> None:
    """"do you have to pay anything to go to fagskole?" (0.66 this service's price): the
    answer on fagskole says what it costs; "you" is anyone here, not the service."""
    tracker = make_tracker(text=text, intent="ask_service_free_anonymous")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    [said] = [event for event in events if event.get("event") == "user"]
    assert said["parse_data"]["intent"]["name"] == topic


@pytest.mark.parametrize("text", ["er dette gratis?", "koster det noe å snakke med en veileder?",
                                  "is it free to chat with a counsellor about my studies?"])
async def test_the_price_of_this_service_is_still_answered(
    make_tracker, dispatcher, domain, text: str
) -> None:
    tracker = make_tracker(text=text, intent="ask_service_free_anonymous")
    assert await ActionAnswerQuestion().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert "gratis" in message["text"] or "free" in message["text"]


@pytest.mark.parametrize(("entities", "centre"), [
    ([{"entity": "county", "value": "Buskerud"}], True),
    ([], False),
])
async def test_who_can_help_where_i_live_gets_the_career_centre(dispatcher, domain, entities,
                                                                centre):
    tracker = conversation(user("hvem kan hjelpe meg med dette der jeg bor? bor i drammen",
                                "ask_counsellor_help", entities))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert (injected_intent(events) == "ask_career_centre") == centre
    assert bool(dispatcher.messages) != centre  # otherwise what a counsellor helps with


@pytest.mark.parametrize("text", [
    "ok. and where can she get help with job search in stavanger?",
    "hvor kan jeg få hjelp med cv-en i Stavanger?",
    # read as an adult's trade certificate, the topic before
    "where in stavanger do i ask about all this",
])
async def test_where_to_get_help_in_a_place_gets_its_career_centre(dispatcher, domain, text):
    tracker = conversation(user(text, "ask_job_search",
                                [{"entity": "county", "value": "Rogaland"}]))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_career_centre"


async def test_what_counsellors_help_with_is_answered_though_a_place_is_named(dispatcher,
                                                                               domain):
    """"what kind of things can the counsellors help me with? … taxi driver in Oslo" got
    Oslo's career centre."""
    tracker = conversation(user("what kind of things can the counsellors help me with? I'm 45, "
                                "engineer from Iran, working as taxi driver in Oslo and feel "
                                "stuck", "ask_counsellor_help",
                                [{"entity": "county", "value": "Oslo"}]))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None
    assert KNOWLEDGE.intent_answered(dispatcher.messages[0]["text"]) == "ask_counsellor_help"


async def test_who_can_help_in_a_place_read_as_a_need_for_guidance_gets_its_centre(
        dispatcher, domain):
    from actions.personal_guidance import ActionPersonalGuidance

    tracker = conversation(user("hvem kan hjelpe meg å lage en plan? jeg bor i Gjøvik",
                                "ask_personal_guidance",
                                [{"entity": "county", "value": "Innlandet"}]))
    events = await ActionPersonalGuidance().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_career_centre"


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # whether anyone is there now, read as what this service is: the hours, and whether
    # counsellors are on the chat now
    ("er det noen der nå", "ask_about_service", "ask_opening_hours"),
    ("is anyone there right now?", "ask_service_free_anonymous", "ask_opening_hours"),
    # only whether anyone is there: a greeting's, not the hours
    ("er det noen der?", "ask_about_service", None),
    # the counsellors named as "they": "are they there now?" after a wish for one
    ("are they there now?", "ask_about_service", "ask_opening_hours"),
    ("er dei på jobb no?", "ask_about_service", "ask_opening_hours"),
])
async def test_whether_anyone_is_there_now_asks_the_hours(dispatcher, domain, text, read_as,
                                                          meant):
    events = await ActionAnswerQuestion().run(dispatcher, conversation(user(text, read_as)),
                                              domain)
    assert injected_intent(events) == meant


async def test_a_day_asked_after_the_hours_read_as_the_service_asks_the_hours(dispatcher,
                                                                            domain):
    """"what about saturdays?" after the opening hours (read as the chat's price)."""
    tracker = conversation(user("when are you open", "ask_opening_hours"),
                           user("what about saturdays?", "ask_service_free_anonymous"))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_opening_hours"


@pytest.mark.parametrize(("before", "text", "meant"), [
    # a day asked right after a wish for a counsellor, whose answer gave the hours
    (user("can i talk to a real human pls", "human_handoff"), "are u open on saturdays",
     "ask_opening_hours"),
    # whether this chat is open, whatever came before
    (user("hva er fristen for vgs", "ask_upper_secondary_deadline"),
     "are u open on saturdays", "ask_opening_hours"),
    (user("hei", "greet"), "er dere åpne i romjula", "ask_opening_hours"),
    # a day named after a question on something else: not the hours
    (user("can i talk to a real human pls", "human_handoff"), "i work on saturdays",
     "ask_opening_hours"),
    (user("hva er fristen for vgs", "ask_upper_secondary_deadline"), "i work on saturdays",
     None),
])
async def test_whether_the_chat_is_open_read_as_out_of_scope_asks_the_hours(
        dispatcher, domain, before, text, meant):
    """"are u open on saturdays" after "can i talk to a real human" (0.58 out of scope)."""
    from actions.answers import ActionOutOfScope

    tracker = conversation(before, user(text, "out_of_scope"))
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant
