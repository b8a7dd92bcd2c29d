"""The handoff actions (actions/handoff.py) with a fake desk: what the person is told, what
the case asks for, and what the tracker gets, for every answer the desk can give.

The yes/no offers and several questions in one message have their own files
(test_offers.py, test_several_questions.py); why a case came to the desk is in
test_insights.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ConversationPaused, SlotSet

from actions.answers import KNOWLEDGE
from actions.handoff import (
    CONTACT_SLOT,
    QUESTION_SLOT,
    ActionClarify,
    ActionDeclineHandoff,
    ActionHandoff,
    ActionOfferHandoff,
    ActionOpeningHours,
    ActionSubmitCallback,
    ValidateCallbackForm,
    summary_of,
    valid_contact,
)
from actions.in_context import ContextReading
from actions.offers import OFFERED_INTENT_SLOT, OFFERED_SLOT
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from bot.shared.topics import title
from bot.shared.wording import minutes
from tests.unit.action_fakes import (
    CLOSED,
    HOURS,
    NOBODY_ONLINE,
    QUEUED,
    FakeDesk,
    NoNlu,
    conversation,
    user,
)

ASK = user("kan jeg snakke med et menneske", "human_handoff", channel="telegram")
CRISIS = user("jeg orker ikke mer, vil ikke leve", "crisis")
NOT_PAUSED = [SlotSet(OFFERED_SLOT, False)]


async def hand_over(desk: FakeDesk, tracker: Any, dispatcher: Any,
                    domain: dict[str, Any]) -> list[dict[str, Any]]:
    return await ActionHandoff(desk).run(dispatcher, tracker, domain)


def responses(dispatcher: Any) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


# --- ActionHandoff ----------------------------------------------------------------------

@pytest.mark.parametrize("language", ["nb", "nn", "en"])
async def test_a_queued_person_hears_place_and_wait_and_the_bot_pauses(
    tracker_dict, dispatcher, domain, language
):
    desk = FakeDesk(QUEUED)
    tracker = conversation(tracker_dict, ASK, language=language)
    events = await hand_over(desk, tracker, dispatcher, domain)
    assert events == [*NOT_PAUSED, ConversationPaused()]
    [said] = dispatcher.messages
    assert said["response"] == "utter_handoff_queued"
    assert said["position"] == 3 and said["wait"] == minutes(12, language)


async def test_the_case_asks_for_what_a_counsellor_needs(tracker_dict, dispatcher, domain):
    desk = FakeDesk(QUEUED)
    question = user("Når er fristen for å søke på Samordna opptak?",
                    "ask_higher_education_deadline", channel="telegram")
    tracker = conversation(tracker_dict, question, ASK, language="nn", county="Vestland")
    await hand_over(desk, tracker, dispatcher, domain)
    [case] = desk.opened
    assert case == {
        "sender_id": tracker.sender_id, "channel": "telegram", "language": "nn",
        "topic": "higher_education", "county": "Vestland", "summary": summary_of(tracker),
        "priority": "medium", "tags": [], "reason": "asked", "alert_text": None,
    }


async def test_a_person_in_crisis_is_urgent_and_gets_no_place_in_the_queue(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(QUEUED)
    tracker = conversation(tracker_dict, CRISIS, ASK)
    events = await hand_over(desk, tracker, dispatcher, domain)
    assert events == [*NOT_PAUSED, ConversationPaused()]
    assert responses(dispatcher) == ["utter_crisis_queued"]
    assert "position" not in dispatcher.messages[0]
    [case] = desk.opened
    assert (case["priority"], case["tags"], case["reason"]) == ("urgent", ["crisis"], "crisis")
    assert case["alert_text"] == ASK["text"]  # the latest words, for the desks' alert


@pytest.mark.parametrize(
    ("said", "urgent"),
    [
        ((CRISIS, ASK), True),
        ((CRISIS, user("hei", "greet"), user("takk", "thank"), ASK), False),  # four back
        ((user("/crisis", "crisis"), ASK), False),  # typed, not understood
    ],
)
async def test_only_crisis_understood_in_the_last_three_messages_makes_it_urgent(
    tracker_dict, dispatcher, domain, said, urgent
):
    desk = FakeDesk(QUEUED)
    await hand_over(desk, conversation(tracker_dict, *said), dispatcher, domain)
    assert desk.opened[0]["priority"] == ("urgent" if urgent else "medium")


async def test_a_person_in_crisis_nobody_can_take_hears_so_and_is_offered_nothing(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(NOBODY_ONLINE, HOURS)
    events = await hand_over(desk, conversation(tracker_dict, CRISIS, ASK), dispatcher, domain)
    assert events == NOT_PAUSED
    assert responses(dispatcher) == ["utter_crisis_no_counsellor"]


@pytest.mark.parametrize(
    ("answer", "response"),
    [(CLOSED, "utter_handoff_closed_hours"), (NOBODY_ONLINE, "utter_handoff_nobody_online")],
)
async def test_nobody_available_gives_the_hours_and_offers_to_leave_a_question(
    tracker_dict, dispatcher, domain, answer, response
):
    desk = FakeDesk(answer)
    tracker = conversation(tracker_dict, ASK, language="en")
    events = await hand_over(desk, tracker, dispatcher, domain)
    assert events == [*NOT_PAUSED, SlotSet(OFFERED_INTENT_SLOT, "leave_question")]
    assert dispatcher.messages[0]["response"] == response
    assert dispatcher.messages[0]["hours"] == HOURS["text"]["en"]
    assert desk.hours_asked == 0  # the answer brought the hours


async def test_an_unreachable_desk_is_asked_for_the_hours_and_the_person_can_leave_a_question(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(None, HOURS)
    events = await hand_over(desk, conversation(tracker_dict, ASK), dispatcher, domain)
    assert events == [*NOT_PAUSED, SlotSet(OFFERED_INTENT_SLOT, "leave_question")]
    assert responses(dispatcher) == ["utter_handoff_nobody_online"]
    assert dispatcher.messages[0]["hours"] == HOURS["text"]["nb"]
    assert desk.hours_asked == 1


async def test_with_no_desk_at_all_the_reply_has_no_hours_but_still_an_offer(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(None, None)
    events = await hand_over(desk, conversation(tracker_dict, ASK), dispatcher, domain)
    assert SlotSet(OFFERED_INTENT_SLOT, "leave_question") in events
    assert dispatcher.messages[0]["hours"] == ""


async def test_a_person_writing_sami_is_tagged_for_a_sami_speaking_counsellor(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(QUEUED)
    await hand_over(desk, conversation(tracker_dict, ASK, language="se"), dispatcher, domain)
    assert (desk.opened[0]["tags"], desk.opened[0]["language"]) == (["sami"], "se")


async def test_guidance_in_sami_asked_in_norwegian_is_tagged_for_a_sami_speaking_counsellor(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(QUEUED)
    asked = user("kan jeg få veiledning på samisk hos dere?", "speak_sami")
    await hand_over(desk, conversation(tracker_dict, asked), dispatcher, domain)
    assert (desk.opened[0]["tags"], desk.opened[0]["language"]) == (["sami"], "nb")


def test_the_summary_quotes_the_last_three_things_the_person_wrote(tracker_dict):
    long = "jeg lurer på " + "veldig " * 60 + "mye"
    said = [user("hei", "greet"), user("/ask_student_grant", "ask_student_grant"),
            user("EXTERNAL: noe", "leave_question"),
            user("hvor mye er stipendet", "ask_student_grant"),
            user(long, "nlu_fallback"), user("kan jeg snakke med noen", "human_handoff")]
    summary = summary_of(conversation(tracker_dict, *said))
    assert summary == ("Tema: Studiefinansiering. Siste meldinger: «hvor mye er stipendet» "
                       f"«{long[:200]}» «kan jeg snakke med noen»")
    assert summary_of(conversation(tracker_dict)) == "Tema: ukjent. Siste meldinger: (ingen)"


# --- offering and declining a counsellor ------------------------------------------------

async def test_offering_a_counsellor_remembers_the_offer(make_tracker, dispatcher, domain):
    events = await ActionOfferHandoff().run(dispatcher, make_tracker(), domain)
    assert events == [SlotSet(OFFERED_SLOT, True)]
    assert responses(dispatcher) == ["utter_offer_counsellor"]


async def test_declining_a_counsellor_forgets_the_offer(make_tracker, dispatcher, domain):
    tracker = make_tracker("nei takk", "deny", **{OFFERED_SLOT: True})
    events = await ActionDeclineHandoff().run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_SLOT, False)]
    assert responses(dispatcher) == ["utter_handoff_declined"]


# --- ActionClarify: one unclear message ---------------------------------------------------

def clarify() -> ActionClarify:
    return ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu(), threshold=0.35))


async def test_unsure_twice_in_a_row_offers_a_counsellor(tracker_dict, dispatcher, domain):
    tracker = conversation(tracker_dict, user("blåbær fisk", "nlu_fallback"),
                           user("sykkel sol", "nlu_fallback"))
    events = await clarify().run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_SLOT, True)]
    assert responses(dispatcher) == ["utter_offer_handoff"]


@pytest.mark.parametrize(("said", "meant", "intent"), [
    ("nei, ikkje kurs, eg meinte fagskule", "fagskule", "ask_fagskole"),
    ("nei jeg mente stipend", "stipend", "ask_student_grant"),
    # not surely a question alone: asked what was meant
    ("nei, jeg mente noe annet", "noe annet", None),
])
async def test_a_correction_gets_the_answer_it_says_was_meant(
    tracker_dict, dispatcher, domain, said, meant, intent
):
    """"nei, ikkje kurs, eg meinte fagskule" after NAV's courses got thanks for a detail."""
    from tests.unit.test_in_context import TableNlu

    nlu = TableNlu({meant: (intent, 0.77)} if intent else {})
    tracker = conversation(tracker_dict, user("kva kurs har nav", "ask_nav_courses"),
                           user(said, "nlu_fallback"), language="nn")
    action = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=nlu, threshold=0.35))
    events = await action.run(dispatcher, tracker, domain)
    assert meant in nlu.asked
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([intent] if intent else [])


HOURS_ASKED = user("kva tid er chatten open?", "ask_opening_hours")
TOLD = user("I'm a nurse from the Philippines", "inform")


@pytest.mark.parametrize(("before", "text", "intent"), [
    # a day asked right after the opening hours
    (HOURS_ASKED, "laurdag òg?", "ask_opening_hours"),
    (HOURS_ASKED, "and on sundays?", "ask_opening_hours"),
    (HOURS_ASKED, "og i sommarferien då, er det nokon der", None),  # no day named
    # a time of day
    (HOURS_ASKED, "eg jobbar til 17, rekk eg det", "ask_opening_hours"),
    (HOURS_ASKED, "hvorfor kan du ikke bare si et klokkeslett", "ask_opening_hours"),
    # nobody answering here asks whether counsellors are on the chat
    (TOLD, "its 11pm, nobody answers?", "ask_opening_hours"),
    (TOLD, "hallo? svarer ingen her", "ask_opening_hours"),
    (TOLD, "kvifor svarar ingen", "ask_opening_hours"),
    (TOLD, "ingen svarer på e-posten fra lånekassen", None),  # someone else
])
async def test_the_hours_asked_unclearly_get_the_hours(
    tracker_dict, dispatcher, domain, before, text, intent
):
    tracker = conversation(tracker_dict, before, user(text, "nlu_fallback"), language="nn")
    events = await clarify().run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([intent] if intent else [])


async def test_unsure_once_asks_which_topic_with_at_most_three_buttons(
    tracker_dict, dispatcher, domain
):
    tracker = conversation(tracker_dict, user("hei", "greet"),
                           user("frist søknad", "nlu_fallback"), language="en")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_student_finance_deadline", "confidence": 0.3},
        {"name": "greet", "confidence": 0.1},  # no title: not a topic to offer
        {"name": "ask_higher_education_deadline", "confidence": 0.1},
        {"name": "ask_student_grant", "confidence": 0.05},
        {"name": "ask_upper_secondary_deadline", "confidence": 0.05},
    ]
    assert await clarify().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify"
    assert message["buttons"] == [
        {"title": title(intent, "en"), "payload": f"/{intent}"}
        for intent in ("ask_student_finance_deadline", "ask_higher_education_deadline",
                       "ask_student_grant")
    ]


async def test_a_deadline_of_a_loan_typed_like_a_search_is_the_loans(
    tracker_dict, dispatcher, domain
):
    # "frist lån" (the fallback): the loan named is student finance's deadline
    tracker = conversation(tracker_dict, user("hei", "greet"), user("frist lån", "nlu_fallback"))
    events = await clarify().run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ["ask_student_finance_deadline"]


SYRIAN_ENGINEER = ("Hi, I came to Norway from Syria 3 years ago. I have a bachelor in civil "
                   "engineering from Damascus and now I work in a warehouse because nobody "
                   "answers my applications. I want to use my degree. Where do I start?")


@pytest.mark.parametrize(("text", "third", "meant"), [
    # a degree from abroad, told at length: how it is recognised
    (SYRIAN_ENGINEER, "ask_foreign_education_recognition", "ask_foreign_education_recognition"),
    # a nursing degree from abroad: who authorises it
    ("Jeg kom fra Filippinene i fjor og har bachelor i sykepleie derfra. Jobber på et "
     "sykehjem som assistent nå. Hvor begynner jeg?", "ask_foreign_education_recognition",
     "ask_regulated_profession"),
    # recognition not weighed by the classifier: as before
    (SYRIAN_ENGINEER, "ask_cv", None),
    # no degree named
    ("Hi, I came to Norway from Syria 3 years ago and work in a warehouse. Where do I start?",
     "ask_foreign_education_recognition", None),
])
async def test_a_degree_from_abroad_not_placed_is_its_recognition(
    tracker_dict, dispatcher, domain, text, third, meant
):
    tracker = conversation(tracker_dict, user(text, "nlu_fallback"), language="en")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_higher_education_deadline", "confidence": 0.36},
        {"name": "ask_job_search", "confidence": 0.35},
        {"name": third, "confidence": 0.2},
    ]
    events = await clarify().run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([meant] if meant else [])


async def test_unsure_once_with_no_topic_in_sight_says_so(tracker_dict, dispatcher, domain):
    tracker = conversation(tracker_dict, user("blåbær fisk", "nlu_fallback"))
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.6}]
    assert await clarify().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_default"]


async def test_a_follow_up_not_understood_offers_the_topic_it_points_back_at_first(
    tracker_dict, dispatcher, domain
):
    tracker = conversation(
        tracker_dict,
        user("I'm 34 and never finished upper secondary, what can I do?",
             "ask_adult_upper_secondary"),
        user("and how long does it take?", "nlu_fallback"), language="en")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_service_free_anonymous", "confidence": 0.26},
        {"name": "ask_opening_hours", "confidence": 0.23},
        {"name": "ask_fagskole", "confidence": 0.1},
    ]
    action = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu(), threshold=0.35),
                           context=ContextReading(KNOWLEDGE, NoNlu()))
    assert await action.run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert [button["payload"] for button in message["buttons"]] == [
        "/ask_adult_upper_secondary", "/ask_service_free_anonymous", "/ask_opening_hours"]


# --- ActionOpeningHours -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("open_now", "online", "response", "offered"),
    [
        (True, 2, "utter_opening_hours_open", "human_handoff"),
        (True, 0, "utter_opening_hours_closed", "leave_question"),  # open, nobody there
        (False, 2, "utter_opening_hours_closed", "leave_question"),
    ],
)
async def test_the_opening_hours_say_whether_someone_can_answer_now(
    make_tracker, dispatcher, domain, open_now, online, response, offered
):
    desk = FakeDesk(hours={**HOURS, "open_now": open_now, "counsellors_online": online})
    tracker = make_tracker("når er de opne?", "ask_opening_hours", language="nn")
    events = await ActionOpeningHours(desk).run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_INTENT_SLOT, offered)]
    [message] = dispatcher.messages
    assert (message["response"], message["hours"]) == (response, HOURS["text"]["nn"])


async def test_opening_hours_from_an_unreachable_desk_offer_nothing(
    make_tracker, dispatcher, domain
):
    events = await ActionOpeningHours(FakeDesk(hours=None)).run(dispatcher, make_tracker(
        "når er dere åpne?", "ask_opening_hours"),
                                                                domain)
    assert events == []
    assert responses(dispatcher) == ["utter_default"]


@pytest.mark.parametrize(("text", "asked"), [
    ("and when does the application open?", "ask_higher_education_deadline"),
    ("when do you open for applications?", None),  # the chat's hours: it names the chat
    ("when does it open", "ask_higher_education_deadline"),  # 0.82 the chat's hours
    ("ok. what time will it open?", "ask_higher_education_deadline"),
    ("og når åpner den?", "ask_higher_education_deadline"),
    ("when does the career centre open?", None),
])
async def test_when_applying_opens_is_the_deadline_of_the_topic_before(
    tracker_dict, dispatcher, domain, text, asked
):
    tracker = conversation(
        tracker_dict,
        user("when is the deadline for uni applications", "ask_higher_education_deadline"),
        {"event": "bot", "text": render_answer(
            KNOWLEDGE.for_intent("ask_higher_education_deadline"), "en")},
        user(text, "ask_opening_hours"), language="en")
    events = await ActionOpeningHours(FakeDesk(hours=HOURS)).run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([asked] if asked else [])
    assert bool(dispatcher.messages) is (asked is None)


@pytest.mark.parametrize(("text", "confidence", "language"), [
    ("how many hours is free there?", 0.59, "en"),
    # how many hours, however sure the reading: an amount, not when the chat is open
    ("how many hours can I get?", 0.78, "en"),
    ("kor mange timar får eg?", 0.9, "nn"),
])
async def test_an_aspect_of_a_centre_read_as_the_chats_hours_is_the_centres(
    tracker_dict, dispatcher, domain, text, confidence, language
):
    """"how many hours is free there?" right after Troms's centre (0.59 the chat's hours)."""
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Troms")
    asked = user(text, "ask_opening_hours")
    asked["parse_data"]["intent"]["confidence"] = confidence
    tracker = conversation(
        tracker_dict,
        user("where is nearest karrieresenter for me? i live in Tromsø", "ask_career_centre",
             [{"entity": "county", "value": "Troms"}]),
        {"event": "bot", "text": render_office(centre, centre.offices[0], language)},
        asked, language=language)
    events = await ActionOpeningHours(FakeDesk(hours=HOURS)).run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_SLOT, True)]
    [message] = dispatcher.messages
    assert message["response"] == "utter_from_the_answer" \
        and ("three hours" in message["quote"] or "tre timar" in message["quote"])


@pytest.mark.parametrize(("text", "confidence"), [
    ("tel sesongjobb?", 0.42),
    # however sure: no question whether something counts is about the chat's hours
    ("tel det at eg har jobba deltid på kafé i helgane medan eg gjekk på skulen?", 0.62),
])
async def test_whether_something_counts_read_as_the_chats_hours_is_the_answer_befores(
    tracker_dict, dispatcher, domain, text, confidence
):
    """"tel sesongjobb?" after the 23/5 rule (0.42 the chat's hours) got the hours."""
    from tests.unit.test_in_context import TableNlu

    before = "kan eg studere utan vitnemål frå vgs? eg er 22"
    asked = user(text, "ask_opening_hours")
    asked["parse_data"]["intent"]["confidence"] = confidence
    tracker = conversation(
        tracker_dict, user(before, "ask_23_5_rule"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_23_5_rule"), "nn")},
        asked, language="nn")
    context = ContextReading(KNOWLEDGE, TableNlu({f"{before}. {text}": ("ask_23_5_rule", 0.9)}))
    await ActionOpeningHours(FakeDesk(hours=HOURS), context).run(dispatcher, tracker, domain)
    said = " ".join(m.get("text") or m.get("quote") or "" for m in dispatcher.messages)
    assert "23/5" in said and HOURS["text"]["nn"] not in said


# --- leaving a question for a callback ----------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Hva koster det å studere i Tromsø?  ", "Hva koster det å studere i Tromsø?"),
        ("ok?", "ok?"),
        ("x" * 2500, "x" * 2000),
        ("ja", None),
        # a yes to the offer is no question to leave
        ("ja takk", None),
        ("yes please", None),
        ("   ", None),
        (None, None),
        (42, None),
    ],
)
async def test_a_question_needs_three_characters_and_is_kept_to_2000(
    make_tracker, dispatcher, domain, typed, kept
):
    form = ValidateCallbackForm()
    slots = await form.validate_callback_question(typed, dispatcher, make_tracker(), domain)
    assert slots == {QUESTION_SLOT: kept}
    # the form asks again by itself: said here too, the request came twice
    assert responses(dispatcher) == []


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("900 00 000", "90000000"),
        ("+47 900-00-000", "+4790000000"),
        ("0047 22.22.22.22", "004722222222"),
        (" kari.nordmann@example.no ", "kari.nordmann@example.no"),
        ("12345678", None),  # a Norwegian number starts with 2-9
        ("900 00 00", None),
        ("kari@example", None),
        ("ring meg", None),
        # in a sentence, as people answer
        ("send det til kari.nordmann@example.no", "kari.nordmann@example.no"),
        ("ring meg på 412 34 567 etter kl 16", "41234567"),
        ("e-post: kari@example.no.", "kari@example.no"),
        ("jeg er født 24.12.2005", None),  # a date is no phone number
        ("250190 12345", None),  # nor part of an identity number
        (None, None),
    ],
)
async def test_a_contact_is_an_email_or_a_norwegian_phone_number(
    make_tracker, dispatcher, domain, typed, kept
):
    form = ValidateCallbackForm()
    tracker = make_tracker(typed if isinstance(typed, str) else None, "inform")
    slots = await form.validate_callback_contact(typed, dispatcher, tracker, domain)
    assert slots == {CONTACT_SLOT: kept}
    assert responses(dispatcher) == ([] if kept else ["utter_invalid_contact"])
    if isinstance(typed, str):
        assert valid_contact(typed) == kept


async def test_a_question_instead_of_contact_details_is_answered_and_they_are_asked_again(
    make_tracker, dispatcher, domain
):
    """"when does he have to apply" typed when asked how a counsellor can reach the
    person got "That doesn't look like an e-mail address", again and again."""
    tracker = make_tracker("when does he have to apply for vgs", "ask_upper_secondary_deadline",
                           language="en")
    slots = await ValidateCallbackForm().validate_callback_contact(
        "when does he have to apply for vgs", dispatcher, tracker, domain)
    assert slots == {CONTACT_SLOT: None}
    assert dispatcher.messages[0]["text"] == render_answer(
        KNOWLEDGE.for_intent("ask_upper_secondary_deadline"), "en")
    assert responses(dispatcher)[-1] == "utter_callback_still_open"


@pytest.mark.parametrize(("typed", "asked"), [
    # a question about leaving one, before leaving it: answered, and asked for again
    ("oh and is it anonymous?", True),
    ("koster det noe å få svar?", True),
    # longer, it is the question to leave
    ("Is it anonymous if I tell the counsellor about my two jobs, my debts and my "
     "plans to move to Bergen next year?", False),
])
async def test_a_question_about_this_service_in_place_of_the_question_is_answered(
    make_tracker, dispatcher, domain, typed, asked
):
    """"oh and is it anonymous?" typed when asked what to ask the counsellor was taken as
    the question to leave, and the person was asked for contact details."""
    intent = "ask_service_free_anonymous"
    tracker = make_tracker(typed, intent, language="en")
    slots = await ValidateCallbackForm().validate_callback_question(
        typed, dispatcher, tracker, domain)
    if asked:
        assert slots == {QUESTION_SLOT: None}
        assert dispatcher.messages[0]["text"] == render_answer(KNOWLEDGE.for_intent(intent), "en")
        assert responses(dispatcher)[-1] == "utter_callback_still_open"
    else:
        assert slots == {QUESTION_SLOT: typed} and dispatcher.messages == []


@pytest.mark.parametrize(("typed", "intent"), [("avbryt", "inform"), ("nei takk", "deny"),
                                               ("never mind", "deny"), ("glem det", "inform"),
                                               # what is typed here is kept from the
                                               # classifier: the words decide
                                               ("greit, eg prøver igjen seinare. ha det",
                                                "leave_question")])
async def test_giving_up_on_the_contact_details_leaves_no_question(
    make_tracker, dispatcher, domain, typed, intent
):
    slots = await ValidateCallbackForm().validate_callback_contact(
        typed, dispatcher, make_tracker(typed, intent), domain)
    assert slots == {CONTACT_SLOT: None, QUESTION_SLOT: None, "requested_slot": None}
    assert responses(dispatcher) == ["utter_callback_dropped"]


async def test_a_question_given_up_is_not_sent(tracker_dict, dispatcher, domain):
    desk = FakeDesk(saved={"status": "saved"})
    tracker = conversation(tracker_dict, user("avbryt", "inform"),
                           **{QUESTION_SLOT: None, CONTACT_SLOT: None})
    events = await ActionSubmitCallback(desk).run(dispatcher, tracker, domain)
    assert events == [SlotSet(QUESTION_SLOT, None), SlotSet(CONTACT_SLOT, None)]
    assert dispatcher.messages == [] and desk.questions == []


@pytest.mark.parametrize(("saved", "response"), [({"status": "saved"}, "utter_callback_saved"),
                                                 (None, "utter_callback_failed")])
async def test_a_left_question_goes_to_the_desk_and_the_contact_leaves_the_tracker(
    tracker_dict, dispatcher, domain, saved, response
):
    desk = FakeDesk(saved=saved)
    tracker = conversation(tracker_dict, user("Hva koster studiet?", "ask_student_grant",
                                              channel="facebook"),
                           **{QUESTION_SLOT: "Hva koster studiet?", CONTACT_SLOT: "90000000"})
    events = await ActionSubmitCallback(desk).run(dispatcher, tracker, domain)
    assert events == [SlotSet(QUESTION_SLOT, None), SlotSet(CONTACT_SLOT, None)]
    assert responses(dispatcher) == [response]
    [question] = desk.questions
    assert question == {"sender_id": tracker.sender_id, "channel": "facebook", "language": "nb",
                        "topic": "student_finance", "summary": summary_of(tracker),
                        "question": "Hva koster studiet?", "contact": "90000000"}


@pytest.mark.parametrize(("before", "text", "first", "intent"), [
    # the thing named is not in the answer just given; the first reading's answer names it
    ("ask_cv", "og søknaden?", "ask_job_application", "ask_job_application"),
    ("ask_cv", "and the cover letter?", "ask_job_application", None),  # no word of it
    # the answer just given names it: left to the reading with it
    ("ask_job_application", "og cv-en?", "ask_cv", None),
])
async def test_a_thing_named_alone_after_an_answer_is_the_first_reading_that_names_it(
        tracker_dict, dispatcher, domain, before: str, text: str, first: str,
        intent: str | None) -> None:
    """"og søknaden?" after the CV (the fallback, 0.38 the job application) got the CV's
    answer again."""
    tracker = conversation(
        tracker_dict, user("hvordan skriver jeg det", before),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent(before), "nb")},
        user(text, "nlu_fallback"), language="nb")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": first, "confidence": 0.38},
        {"name": "continue_topic", "confidence": 0.34}]
    events = await clarify().run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([intent] if intent else [])
