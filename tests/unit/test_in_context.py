"""A short follow-up read with the question before it (actions/in_context.py): which
messages count as follow-ups, and what the two read together lead to. The Rasa server's
reading is a table here; tests/integration/test_follow_ups.py runs it on the real one."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_aspects import answer_sentences
from actions.answers import KNOWLEDGE, ActionAnswerQuestion, ActionOutOfScope
from actions.follow_ups import ActionContinueTopic
from actions.handoff import ActionClarify
from actions.in_context import (
    ContextReading,
    adds_a_detail,
    answered_as,
    broader_by_its_words,
    last_sentence,
    leans_back,
    reads_as_follow_up,
)
from actions.nlu_client import NluClient
from actions.offers import OFFERED_SLOT
from actions.several_questions import SeveralQuestions
from bot.shared.crisis import CHECK_KEY
from bot.shared.knowledge import render_answer, render_office
from tests.unit.action_fakes import conversation, user

GRANT = "hvor mye får jeg i stipend hvis jeg bor hjemme"


class TableNlu(NluClient):
    """The Rasa server's reading of the texts it is asked about, from a table."""

    def __init__(self, table: dict[str, tuple[str, float]]) -> None:
        super().__init__(base_url="http://127.0.0.1:9", token="")
        self.table = table
        self.asked: list[str] = []

    async def parse(self, text: str) -> dict[str, Any] | None:
        self.asked.append(text)
        intent, confidence = self.table.get(text, ("nlu_fallback", 0.3))
        return {"text": text, "intent": {"name": intent, "confidence": confidence}}


def answered_again(events: Any, dispatcher: CollectingDispatcher) -> str:
    """The answer given again, once checked that the offer of a counsellor came after it."""
    assert events == [SlotSet(OFFERED_SLOT, True)]
    assert dispatcher.messages[1]["response"] == "utter_answer_again_offer_counsellor"
    return str(dispatcher.messages[0]["text"])


@pytest.mark.parametrize("text", [
    "enn om jeg flytter ut?", "og kor lang tid tek det?", "hva må jeg ta da?",
    "what if i start in january", "gjelder det meg som er 22", "hvor lenge varer det",
    # asking who, which or why, without a question mark
    "hvem søker jeg til", "kven skal eg kontakte", "which one is best", "hvorfor det",
    # after a sigh or an "ok"
    "ugh ok. who do I contact then", "ugh. so who decides that", "ok hvem bestemmer det",
    # up to 13 words: people add a detail ("for vaksne", "on my own")
    "må eg betale for det sjølv, eller er det gratis for vaksne?",
    "does my employer have to sign up or can i do it alone?",
])
def test_short_questions_and_openers_read_as_follow_ups(text: str) -> None:
    assert reads_as_follow_up(text)


@pytest.mark.parametrize("text", [
    "asdkjh qwpoeiru", "<>", "12345", "",
    "jeg har jobbet som tømrer i mange år og lurer nå på hva jeg kan gjøre videre?",
    "lønn sykepleier",
])
def test_mash_long_messages_and_bare_words_do_not(text: str) -> None:
    assert not reads_as_follow_up(text)


# Read together, the topic before needs only the fallback's bar (0.45): the two agree
# the message is about the grant, if less surely than a new topic would need.
@pytest.mark.parametrize("confidence", [0.92, 0.45])
async def test_the_same_question_again_gets_its_answer_and_the_offer_of_a_counsellor(
        tracker_dict: dict[str, Any], confidence: float) -> None:
    nlu = TableNlu({f"{GRANT}. enn om jeg flytter ut?": ("ask_student_grant", confidence)})
    tracker = conversation(tracker_dict, user(GRANT, "ask_student_grant"),
                           user("enn om jeg flytter ut?", "continue_topic"), language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer(dispatcher, tracker)
    assert "40 prosent" in answered_again(events, dispatcher)


async def test_another_topic_read_together_is_put_on_the_record_for_its_rule(
        tracker_dict: dict[str, Any]) -> None:
    before = "jeg er 23 og har ikke studiekompetanse"
    nlu = TableNlu({f"{before}. hva må jeg ta da?": ("ask_23_5_rule", 0.81)})
    tracker = conversation(tracker_dict, user(before, "ask_admission_requirements"),
                           user("hva må jeg ta da?", "nlu_fallback"), language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer(dispatcher, tracker)
    said = [event for event in events if event.get("event") == "user"]
    assert said and said[0]["parse_data"]["intent"]["name"] == "ask_23_5_rule"
    assert dispatcher.messages == []  # the rule for ask_23_5_rule answers


@pytest.mark.parametrize("reading", [("ask_student_grant", 0.35), ("ask_student_finance_extra",
                                                                   0.5),
                                     ("out_of_scope", 0.95), ("greet", 0.9)])
async def test_an_unsure_or_unanswerable_reading_leaves_the_message_to_the_bot(
        tracker_dict: dict[str, Any], reading: tuple[str, float]) -> None:
    nlu = TableNlu({f"{GRANT}. enn om jeg flytter ut?": reading})
    tracker = conversation(tracker_dict, user(GRANT, "ask_student_grant"),
                           user("enn om jeg flytter ut?", "continue_topic"), language="nb")
    assert await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker) is None


async def test_without_an_answered_question_before_nothing_is_asked(
        tracker_dict: dict[str, Any]) -> None:
    nlu = TableNlu({})
    tracker = conversation(tracker_dict, user("hei", "greet"),
                           user("enn om jeg flytter ut?", "continue_topic"), language="nb")
    assert await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker) is None
    assert nlu.asked == []


def test_user_uttered_is_what_rasa_sdk_calls_it() -> None:
    assert UserUttered("x")["event"] == "user"


async def test_a_reading_the_crisis_net_is_unsure_of_is_left_to_the_bots_own_question(
        tracker_dict: dict[str, Any]) -> None:
    class UnsureOfCrisis(TableNlu):
        async def parse(self, text: str) -> dict[str, Any] | None:
            parsed = await super().parse(text)
            return {**(parsed or {}), CHECK_KEY: 0.9}

    nlu = UnsureOfCrisis({f"{GRANT}. enn om jeg flytter ut?": ("ask_student_grant", 0.92)})
    tracker = conversation(tracker_dict, user(GRANT, "ask_student_grant"),
                           user("enn om jeg flytter ut?", "continue_topic"), language="nb")
    assert await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker) is None


@pytest.mark.parametrize(("text", "intent", "confidence"), [
    ("what if i start in january?", "out_of_scope", 0.41),
    ("hva koster det?", "ask_service_free_anonymous", 0.80),
    ("og hvis jeg bor i utlandet?", "out_of_scope", 0.55),
])
def test_a_weak_reading_outside_careers_that_leans_back_is_read_again(
        text: str, intent: str, confidence: float) -> None:
    assert leans_back(text, intent, confidence)


@pytest.mark.parametrize(("text", "intent", "confidence"), [
    ("what if i start in january?", "out_of_scope", 0.75),  # sure enough
    ("hvem vant kampen i går?", "out_of_scope", 0.45),  # points back at nothing
    ("er det gratis å snakke med dere?", "ask_service_free_anonymous", 0.75),  # the service
    ("is this service anonymous?", "ask_service_free_anonymous", 0.60),
    ("hva om jeg ikke får noen?", "human_handoff", 0.60),  # a person is never read away
    ("hva koster det?", "ask_student_grant", 0.50),
    ("jeg har jobbet som tømrer i mange år og lurer nå på hva det koster å studere?",
     "out_of_scope", 0.40),  # no follow-up: too long
])
def test_a_sure_reading_a_new_subject_or_the_service_itself_is_not(
        text: str, intent: str, confidence: float) -> None:
    assert not leans_back(text, intent, confidence)


@pytest.mark.parametrize("text", [
    "do we have to give her name or personnummer?", "må jeg oppgi navnet mitt?",
    "trenger dere fødselsnummeret mitt?", "må eg seie kva eg heiter",
    "må jeg si hvem jeg er?",
])
def test_whether_one_must_say_who_one_is_is_about_this_chat_even_after_a_career_answer(
        text: str) -> None:
    assert not leans_back(text, "ask_service_free_anonymous", 0.80,
                          after_a_career_question=True)


@pytest.mark.parametrize("text", ["is this a real person im talking to?",
                                  "snakker jeg med en robot nå?"])
def test_whether_a_person_answers_is_about_this_chat_even_after_a_career_answer(
        text: str) -> None:
    assert not leans_back(text, "ask_about_service", 1.0, after_a_career_question=True)


def weakly(said: dict[str, Any], confidence: float) -> dict[str, Any]:
    said["parse_data"]["intent"]["confidence"] = confidence
    return said


async def test_out_of_scope_that_leans_on_the_question_before_gets_that_answer(
        tracker_dict: dict[str, Any]) -> None:
    before = "when is the deadline for student loans?"
    nlu = TableNlu({f"{before}. what if i start in january?": ("ask_student_finance_deadline",
                                                              0.90)})
    tracker = conversation(tracker_dict, user(before, "ask_student_finance_deadline"),
                           weakly(user("what if i start in january?", "out_of_scope"), 0.41),
                           language="en")
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {})
    assert events == [SlotSet(OFFERED_SLOT, True)]
    # the sentence on the semester it starts in, with a counsellor offered for the rest
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and "15 March" in reply["quote"]


async def test_an_aspect_the_answer_before_says_nothing_on_gets_that_answer_again(
        tracker_dict: dict[str, Any]) -> None:
    """"how long does it take" (out of scope, 0.61) after upper secondary for adults, read
    with it as nothing the bot knows: that answer again with a counsellor offered, not
    "I can't help with that"."""
    before = "i am 26. can i go to upper secondary school in norway at my age?"
    tracker = conversation(tracker_dict, user(before, "ask_adult_upper_secondary"),
                           answer_said("ask_adult_upper_secondary", "en"),
                           weakly(user("how long does it take", "out_of_scope"), 0.61),
                           language="en")
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert events == [SlotSet(OFFERED_SLOT, True)]
    assert dispatcher.messages[0]["text"] == render_answer(
        KNOWLEDGE.for_intent("ask_adult_upper_secondary"), "en")
    assert dispatcher.messages[1]["response"] == "utter_answer_again_offer_counsellor"


async def test_out_of_scope_said_with_confidence_gets_the_out_of_scope_reply(
        tracker_dict: dict[str, Any]) -> None:
    nlu = TableNlu({})
    tracker = conversation(tracker_dict, user("når er fristen for studielån?",
                                              "ask_student_finance_deadline"),
                           weakly(user("hvem vant kampen i går?", "out_of_scope"), 0.95))
    dispatcher = CollectingDispatcher()
    assert await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    assert nlu.asked == []  # nothing read again


def bot(response: str) -> dict[str, Any]:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


@pytest.mark.parametrize(("reply", "leaned_on"), [
    # Answered as the service's price: the next message leans on it.
    ("utter_answer", "må eg betale noko for eksamen?"),
    # The bot asked what was meant: the next message leans on the question before it.
    ("utter_clarify", GRANT),
    ("utter_default", GRANT),
])
async def test_a_question_the_bot_asked_back_about_is_not_leaned_on(
        tracker_dict: dict[str, Any], reply: str, leaned_on: str) -> None:
    nlu = TableNlu({})
    tracker = conversation(
        tracker_dict, user(GRANT, "ask_student_grant"), bot("utter_answer"),
        user("må eg betale noko for eksamen?", "ask_service_free_anonymous"), bot(reply),
        user("kven skal eg kontakte", "nlu_fallback"), language="nn")
    await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker)
    assert nlu.asked == [f"{leaned_on.rstrip(' .')}. kven skal eg kontakte"]


@pytest.mark.parametrize(("before", "reread"), [
    # After a school: "it" is the school, however sure the classifier is of the chat.
    (user("hva er en fagskole", "ask_fagskole"), True),
    # After a question about the service, or with none before: the chat's price.
    (user("er dette anonymt", "ask_service_free_anonymous"), False),
    (user("hei", "greet"), False),
])
async def test_a_price_right_after_a_career_question_is_read_with_it(
        tracker_dict: dict[str, Any], before: dict[str, Any], reread: bool) -> None:
    nlu = TableNlu({f"{before['text']}. koster det noe?": ("ask_fagskole", 0.9)})
    tracker = conversation(tracker_dict, before,
                           user("koster det noe?", "ask_service_free_anonymous"), language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker)
    assert (events is not None) == reread
    assert bool(nlu.asked) == reread


async def test_a_price_right_after_a_question_about_the_service_is_the_services(
        tracker_dict: dict[str, Any]) -> None:
    """"må vi betale for det" (0.77 the service's price) after "kan hun få veiledning hos
    dere på engelsk?" got the answer about the service again, read with it."""
    asked = "hun snakker ikke så godt norsk enda. kan hun få veiledning hos dere på engelsk?"
    nlu = TableNlu({f"{asked}. må vi betale for det": ("ask_about_service", 0.9)})
    tracker = conversation(
        tracker_dict,
        user("min kone mistet alle papirene da de flyktet. kan hun studere uten dokumentasjon?",
             "ask_qualifications_without_papers"),
        user(asked, "ask_about_service"),
        weakly(user("må vi betale for det", "ask_service_free_anonymous"), 0.77))
    dispatcher = CollectingDispatcher()
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker) is None
    assert nlu.asked == []


async def test_a_price_right_after_a_counsellor_was_offered_is_the_counsellors(
        tracker_dict: dict[str, Any]) -> None:
    """"is that free?" (0.95 the service's price) right after "who can i talk to about
    choosing between nursing and teaching?" (a need for guidance, a counsellor offered) got
    the admission requirements asked before it again."""
    nlu = TableNlu({"what grades do i need for nursing?. is that free?":
                    ("ask_admission_requirements", 0.9)})
    tracker = conversation(
        tracker_dict,
        user("what grades do i need for nursing?", "ask_admission_requirements"),
        user("who can i talk to about choosing between nursing and teaching?",
             "ask_personal_guidance"),
        weakly(user("is that free?", "ask_service_free_anonymous"), 0.95))
    dispatcher = CollectingDispatcher()
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker) is None
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", [
    # a yes/no question, verb before subject, without a question mark
    "koster det noe", "må jeg betale noe", "varer det lenge", "tel det med", "do i need one",
    "should i write it in english",
    # going on from before may say more
    "what about my husband, he has an engineering degree from manila",
])
def test_questions_without_a_mark_and_longer_go_ons_read_as_follow_ups(text: str) -> None:
    assert reads_as_follow_up(text)


@pytest.mark.parametrize("text", [
    "hei jeg heter Kari", "jeg er 31", "takk du", "ok det", "lagre i kontakter",
    "my husband has an engineering degree from manila and wants to work as one here",
])
def test_greetings_statements_and_long_new_questions_do_not(text: str) -> None:
    assert not reads_as_follow_up(text)


@pytest.mark.parametrize(("text", "intent", "confidence"), [
    # the chat's price, however sure, with no word pointing back
    ("må jeg betale noe", "ask_service_free_anonymous", 0.86),
    ("should i write it in english or norwegian", "ask_about_service", 0.70),
    # out of scope, fairly sure, but short and pointing back
    ("kor lenge varer det", "out_of_scope", 0.64),
    ("hvem bestemmer om jeg får det", "out_of_scope", 0.67),
])
def test_right_after_a_career_answer_more_is_read_with_it(
        text: str, intent: str, confidence: float) -> None:
    assert leans_back(text, intent, confidence, after_a_career_question=True)
    assert not leans_back(text, intent, confidence)


@pytest.mark.parametrize(("text", "intent", "confidence"), [
    ("er det gratis å chatte med dere", "ask_service_free_anonymous", 0.90),  # names it
    ("hva er karriereveiledning.no", "ask_about_service", 0.70),
    ("vil det regne i morgen", "out_of_scope", 0.81),  # sure enough
    ("hvem vant kampen i går?", "out_of_scope", 0.45),  # points back at nothing
])
def test_right_after_a_career_answer_the_service_and_other_subjects_stay(
        text: str, intent: str, confidence: float) -> None:
    assert not leans_back(text, intent, confidence, after_a_career_question=True)


@pytest.mark.parametrize("together", [("ask_service_free_anonymous", 0.9),
                                      ("nlu_fallback", 0.3)])
async def test_a_price_after_a_career_answer_gets_that_answer_again_if_read_as_the_chat(
        tracker_dict: dict[str, Any], together: tuple[str, float]) -> None:
    before = "kan jeg ta fagbrev som praksiskandidat"
    nlu = TableNlu({f"{before}. må jeg betale noe": together})
    tracker = conversation(tracker_dict, user(before, "ask_praksiskandidat"),
                           user("må jeg betale noe", "ask_service_free_anonymous"),
                           language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker)
    # What the answer says of the price, not the whole answer again.
    assert events == [SlotSet(OFFERED_SLOT, True)]
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer"
    assert said["quote"] == "«Eksamensavgiften betaler du selv.»"


async def test_a_price_right_after_asking_for_a_person_is_this_services(
        tracker_dict: dict[str, Any]) -> None:
    """"kostar det noko?" after "kan eg chatte med nokon om det" got the programmes to
    list again, the career answer before the request."""
    before = "kor mange program kan eg søkje på?"
    nlu = TableNlu({f"{before}. kostar det noko?": ("ask_service_free_anonymous", 0.9)})
    tracker = conversation(tracker_dict, user(before, "ask_upper_secondary_choices"),
                           user("kan eg chatte med nokon om det", "human_handoff"),
                           user("kostar det noko?", "ask_service_free_anonymous"),
                           language="nn")
    dispatcher = CollectingDispatcher()
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker) is None
    assert dispatcher.messages == []


async def test_two_messages_read_as_this_service_without_naming_it_are_the_topic_again(
        tracker_dict: dict[str, Any]) -> None:
    before = "kan jeg få vurdert det jeg kan fra jobben"
    nlu = TableNlu({f"{before}. hvor søker jeg": ("ask_service_free_anonymous", 0.8)})
    tracker = conversation(tracker_dict, user(before, "ask_prior_learning"),
                           user("hvor søker jeg", "nlu_fallback"), language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer(dispatcher, tracker)
    assert answered_again(events, dispatcher) == render_answer(
        KNOWLEDGE.for_intent("ask_prior_learning"), "nb")


async def test_a_follow_up_after_a_follow_up_is_read_with_the_question_both_lean_on(
        tracker_dict: dict[str, Any]) -> None:
    loan = "when do i need to apply for the loan"
    again = "do i have to pay all of it back"
    answer = {"event": "bot", "text": render_answer(
        KNOWLEDGE.for_intent("ask_student_finance_deadline"), "en")}
    nlu = TableNlu({})
    tracker = conversation(
        tracker_dict, user(loan, "ask_student_finance_deadline"), answer,
        user(again, "ask_service_free_anonymous"), answer,
        user("what if i live with my parents", "nlu_fallback"), language="en")
    await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker)
    assert nlu.asked == [f"{loan}. {again}. what if i live with my parents"]


async def test_a_follow_up_after_a_follow_up_answered_as_another_question_leans_on_both(
        tracker_dict: dict[str, Any]) -> None:
    """"deadline?" after vigo was answered for upper secondary; read with it alone, "how
    many programmes can i pick" was Samordna opptak's study choices."""
    vigo = "do i apply to vgs thru vigo like everyone else?"
    deadline = "deadline?"
    nlu = TableNlu({})
    tracker = conversation(
        tracker_dict, user(vigo, "ask_upper_secondary_application"),
        answer("ask_upper_secondary_application", "en"),
        user(deadline, "ask_higher_education_deadline"),
        answer("ask_upper_secondary_deadline", "en"),
        weakly(user("how many programmes can i pick", "ask_higher_education_choices"), 0.46),
        language="en")
    await ContextReading(KNOWLEDGE, nlu).answer(CollectingDispatcher(), tracker)
    assert nlu.asked == [f"{vigo.rstrip('?')}?. {deadline}. how many programmes can i pick"]


def test_going_on_from_a_career_answer_is_read_with_it_however_sure_out_of_scope_is() -> None:
    text = "kva om eg blir sjuk ein lang periode"
    assert leans_back(text, "out_of_scope", 0.89, after_a_career_question=True)
    assert not leans_back(text, "out_of_scope", 0.89)
    assert not leans_back("vil det regne i morgen", "out_of_scope", 0.89,
                          after_a_career_question=True)


async def test_a_price_after_a_career_centre_gets_the_centre_again(
        tracker_dict: dict[str, Any]) -> None:
    # The centre's answer says the guidance is free; its rule answers with the county.
    before = "er det noe karrieresenter i troms"
    centre = KNOWLEDGE.for_county("Troms")
    assert centre is not None
    tracker = conversation(
        tracker_dict, user(before, "ask_career_centre"),
        {"event": "bot", "text": render_office(centre, None, "nb")},
        user("er det gratis?", "ask_service_free_anonymous"), language="nb")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, TableNlu({})).answer_if_leaning(dispatcher, tracker)
    assert [e.get("parse_data", {}).get("intent", {}).get("name")
            for e in events or [] if e.get("event") == "user"] == ["ask_career_centre"]
    assert dispatcher.messages == []



@pytest.mark.parametrize("text", ["gikk ut i 2009 hvis det spiller noen rolle",
                                  "i'm 52, if that makes any difference", "im 52 btw",
                                  "forresten har jeg to barn",
                                  "i am 41 year if this is important",
                                  "i'm 31 btw, does that change anything?",
                                  "jeg er 35 forresten, endrer det noe?",
                                  "eg har to born, har det noko å seie?",
                                  "bor i Alta, spiller det noen rolle?"])
async def test_a_detail_added_for_what_it_is_worth_gets_the_answer_again(
        tracker_dict: dict[str, Any], text: str) -> None:
    before = "how do i get a copy of my old diploma"
    tracker = conversation(tracker_dict, user(before, "ask_diploma"),
                           weakly(user(text, "nlu_fallback"), 0.4), language="en")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, TableNlu({})).answer(dispatcher, tracker)
    assert answered_again(events, dispatcher) == render_answer(
        KNOWLEDGE.for_intent("ask_diploma"), "en")
    assert leans_back(text, "out_of_scope", 0.9, after_a_career_question=True)


@pytest.mark.parametrize("text", ["oi, feil. kva skjer om eg strykar på eksamen?",
                                  "ok. what happens if i move out"])
def test_going_on_after_a_word_or_two_and_what_happens_if(text: str) -> None:
    assert leans_back(text, "out_of_scope", 0.9, after_a_career_question=True)
    assert not leans_back(text, "out_of_scope", 0.9)


@pytest.mark.parametrize("text", ["btw, when is the deadline?", "forresten hva koster det",
                                  "btw vet du om det blir sol i oslo i helga",
                                  "what does that change in the law", "hva endrer seg i år",
                                  "it matters a lot to me",
                                  # after a laugh or a comma: the grant answered again
                                  "lol forresten, hvem tok seieren i kampen i går kveld",
                                  "haha btw who won the game",
                                  # after fagskole: its answer again
                                  "btw will it rain in Hamar tomorrow lol",
                                  # after a career centre in Stavanger: the centre again
                                  "did viking win yesterday btw",
                                  # after retaking a subject: Samordna's deadline again
                                  "har du noen tips til å lese til eksamen forresten"])
def test_a_question_by_the_way_is_a_question_of_its_own(text: str) -> None:
    assert not adds_a_detail(text)
    assert not leans_back(text, "out_of_scope", 0.92, after_a_career_question=True)


@pytest.mark.parametrize("text", ["im 31 btw", "btw have two kids", "btw i have two kids"])
def test_a_detail_by_the_way_is_a_detail(text: str) -> None:
    assert adds_a_detail(text)


@pytest.mark.parametrize("text", ["eg har jobba 4 år på restaurant, held det?",
                                  "does my summer job count?", "er det nok med to år?",
                                  "do my years in the kitchen count?",
                                  "if I did my conscription in the army, is that included in "
                                  "the work experience part?",
                                  "blir det rekna med?"])
async def test_whether_something_counts_is_about_the_answer_before(
        tracker_dict: dict[str, Any], text: str) -> None:
    # The classifier took it for another topic (the 23/5 rule asks for work experience
    # too); the requirements just given are what it asks about.
    before = "korleis blir eg praksiskandidat som kokk"
    nlu = TableNlu({f"{before}. {text}": ("ask_praksiskandidat", 0.92)})
    tracker = conversation(
        tracker_dict, user(before, "ask_praksiskandidat"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_praksiskandidat"), "nn")},
        user(text, "ask_23_5_rule"), language="nn")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer_if_it_counts(dispatcher, tracker)
    assert answered_again(events, dispatcher) == render_answer(
        KNOWLEDGE.for_intent("ask_praksiskandidat"), "nn")


@pytest.mark.parametrize(("text", "read_as", "language"), [
    ("jeg tjener litt ved siden av, gjør det noe?", "ask_job_prospects", "nb"),
    ("I work part time in a cafe, does that matter", "ask_study_finance_part_time", "en"),
    ("eg har ein deltidsjobb, har det noko å seie?", "ask_job_prospects", "nn"),
])
async def test_whether_a_circumstance_matters_is_about_the_answer_before(
        tracker_dict: dict[str, Any], text: str, read_as: str, language: str) -> None:
    """"jeg tjener litt ved siden av, gjør det noe?" after the grant (read as pay and
    prospects): whether it matters there, the grant's answer (its income limit)."""
    before = "hvor mye av lånet kan bli stipend"
    tracker = conversation(
        tracker_dict, user(before, "ask_student_grant"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_student_grant"),
                                               language)},
        user(text, read_as), language=language)
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, TableNlu({})).answer_if_it_counts(dispatcher,
                                                                              tracker)
    assert answered_again(events, dispatcher) == render_answer(
        KNOWLEDGE.for_intent("ask_student_grant"), language)


@pytest.mark.parametrize(("text", "language", "quoted"), [
    ("hva er kravene for det", "nb", "bo borte"),
    ("what are the requirements for that?", "en", "live away from your parents"),
])
async def test_the_conditions_for_it_are_the_answers_sentence_on_them(
        tracker_dict: dict[str, Any], text: str, language: str, quoted: str) -> None:
    """"hva er kravene for det" after the grant (0.78 the admission requirements): the
    grant's sentence on what it takes («For å få det må du bo borte …»)."""
    tracker = conversation(
        tracker_dict, user("hvor mye av lånet kan bli stipend", "ask_student_grant"),
        answer("ask_student_grant", language),
        weakly(user(text, "ask_admission_requirements"), 0.78), language=language)
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and quoted in reply["quote"]


async def test_whether_something_counts_read_as_out_of_scope_is_about_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    """"teller helgejobbing da" after the experience-based trade certificate (out of
    scope): "I can't help with that"."""
    before = "hvordan blir jeg praksiskandidat"
    tracker = conversation(
        tracker_dict, user(before, "ask_praksiskandidat"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_praksiskandidat"), "nb")},
        weakly(user("teller helgejobbing da", "out_of_scope"), 0.7))
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert events == [SlotSet(OFFERED_SLOT, True)]
    assert dispatcher.messages[0].get("response") != "utter_out_of_scope"


async def test_whether_a_school_named_counts_is_about_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    """"tel folkehøgskule med?" after the 23/5 rule (0.9 folk high school) got folk high
    school's answer."""
    tracker = conversation(
        tracker_dict, user("kva er 23/5-regelen", "ask_23_5_rule"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_23_5_rule"), "nn")},
        user("tel folkehøgskule med?", "ask_folkehogskole"), language="nn")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(KNOWLEDGE, SeveralQuestions(KNOWLEDGE, TableNlu({})),
                               ContextReading(KNOWLEDGE, TableNlu({}))).run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or m.get("quote") or "" for m in dispatcher.messages)
    assert "folkehøgskule" in said  # the rule's sentence on what counts
    assert render_answer(KNOWLEDGE.for_intent("ask_folkehogskole"), "nn") not in said


@pytest.mark.parametrize(("text", "intent"), [
    ("hvordan regnes poengene", "ask_competition_points"),  # asks nothing of the kind
    ("held det?", "ask_praksiskandidat"),  # read as the topic before already
    # whether it counts towards points is the points' question, whatever came before
    ("tel den nye karakteren då med på konkurransepoenga?", "ask_competition_points"),
])
async def test_other_questions_are_not_taken_for_whether_something_counts(
        tracker_dict: dict[str, Any], text: str, intent: str) -> None:
    before = "korleis blir eg praksiskandidat som kokk"
    nlu = TableNlu({})
    tracker = conversation(tracker_dict, user(before, "ask_praksiskandidat"),
                           user(text, intent), language="nn")
    dispatcher = CollectingDispatcher()
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_it_counts(dispatcher, tracker) is None
    assert nlu.asked == []


def test_going_on_after_a_remark_in_a_sentence_of_its_own() -> None:
    text = "mamma kjem til å drepe meg om eg flyttar så langt vekk haha. men kva med skulepengar?"
    assert leans_back(text, "out_of_scope", 0.9, after_a_career_question=True)
    # A long story whose last sentence goes on is no follow-up.
    story = ("Jeg har jobbet som kokk i mange år og er lei. Og nå vil jeg bytte yrke, men vet "
             "ikke hva jeg skal velge eller hvordan jeg kommer i gang med alt sammen?")
    assert not reads_as_follow_up(story)


def answer(intent: str, language: str) -> dict[str, Any]:
    return {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent(intent), language)}


async def test_a_question_that_takes_up_a_word_of_the_answer_is_about_it(
        tracker_dict: dict[str, Any]) -> None:
    """"kor mange timar norsk må eg ha" after the 23/5 rule read as out of scope (0.83):
    the answer names "norsk (393 timar)"."""
    before = "eg e 24 og har ikkje studiekompetanse, ka e 23/5-regelen"
    tracker = conversation(tracker_dict, user(before, "ask_23_5_rule"),
                           answer("ask_23_5_rule", "nn"),
                           weakly(user("kor mange timar norsk må eg ha", "out_of_scope"), 0.83),
                           language="nn")
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert events == [SlotSet(OFFERED_SLOT, True)]
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer"
    # The one sentence that holds "timar", quoted, without the rest or the source.
    assert said["quote"].startswith("«Du må fylle 23 år")
    assert "norsk (393 timar)" in said["quote"] and "Dei fem åra" not in said["quote"]


@pytest.mark.parametrize(("text", "language", "hours"), [
    ("kor mange timar matte må eg ha", "nn", "matematikk (224)"),
    ("how many hours of english is needed", "en", "English (140)")])
async def test_a_school_subject_named_is_never_surely_out_of_scope(
        tracker_dict: dict[str, Any], text: str, language: str, hours: str) -> None:
    """"kor mange timar matte må eg ha" after the 23/5 rule, read surely as out of scope
    (0.87): a school subject is no everyday thing, and the answer's hours are on it."""
    tracker = conversation(tracker_dict, user("korleis fungerer 23/5-regelen", "ask_23_5_rule"),
                           answer("ask_23_5_rule", language),
                           weakly(user(text, "out_of_scope"), 0.87), language=language)
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer"
    assert hours in said["quote"]


@pytest.mark.parametrize("text", ["hvem vant kampen i går?", "kan du anbefale en god film",
                                  "hvordan blir været i morgen"])
async def test_a_question_with_no_word_of_the_answer_stays_out_of_scope(
        tracker_dict: dict[str, Any], text: str) -> None:
    tracker = conversation(tracker_dict, user("hva er 23/5-regelen", "ask_23_5_rule"),
                           answer("ask_23_5_rule", "nb"),
                           weakly(user(text, "out_of_scope"), 0.9))
    dispatcher = CollectingDispatcher()
    assert await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


PRIOR = "hva er realkompetansevurdering?"


async def test_a_weak_career_reading_that_points_back_is_about_the_topic_before(
        tracker_dict: dict[str, Any]) -> None:
    """"hvor lenge tar det?" after prior learning read as Samordna opptak's deadline (0.44)
    and got it."""
    tracker = conversation(tracker_dict, user(PRIOR, "ask_prior_learning"),
                           answer("ask_prior_learning", "nb"),
                           weakly(user("hvor lenge tar det?", "ask_higher_education_deadline"),
                                  0.44))
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert answered_again(events, dispatcher) == render_answer(
        KNOWLEDGE.for_intent("ask_prior_learning"), "nb")


@pytest.mark.parametrize(("text", "confidence"), [
    ("hvor lenge tar det?", 0.62),  # read surely enough
    ("når er fristen for samordna opptak?", 0.44),  # points at nothing before
])
async def test_a_sure_reading_or_one_that_names_its_topic_is_answered_as_read(
        tracker_dict: dict[str, Any], text: str, confidence: float) -> None:
    tracker = conversation(tracker_dict, user(PRIOR, "ask_prior_learning"),
                           answer("ask_prior_learning", "nb"),
                           weakly(user(text, "ask_higher_education_deadline"), confidence))
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nb")]


async def test_a_bare_deadline_read_weakly_as_the_deadline_of_the_topic_before_stands(
        tracker_dict: dict[str, Any]) -> None:
    tracker = conversation(tracker_dict, user("kva er 23/5 regelen", "ask_23_5_rule"),
                           answer("ask_23_5_rule", "nn"),
                           weakly(user("og frist?", "ask_higher_education_deadline"), 0.41),
                           language="nn")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nn")]


async def test_a_weak_career_reading_that_takes_up_a_word_of_the_answer_is_about_it(
        tracker_dict: dict[str, Any]) -> None:
    tracker = conversation(tracker_dict, user("hva er 23/5-regelen", "ask_23_5_rule"),
                           answer("ask_23_5_rule", "nb"),
                           weakly(user("hvor mange timer norsk trenger jeg",
                                       "ask_upper_secondary_choices"), 0.42))
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer" and "393 timer" in said["quote"]


FAGBREV_ON_THE_JOB = "Kva er fagbrev på jobb?"
HOW_LONG = "må eg ha jobba lenge før eg kan byrje?"


@pytest.mark.parametrize(("together", "answered", "how_long"), [
    # the two together are about fagbrev på jobb: its answer again, with a counsellor
    (("ask_fagbrev_on_the_job", 0.55), "ask_fagbrev_on_the_job", HOW_LONG),
    # "starte" is an everyday verb, no new topic
    (("ask_fagbrev_on_the_job", 0.55), "ask_fagbrev_on_the_job",
     "må eg ha jobba lenge før eg kan starte?"),
    # not understood together: with no word pointing back, the reading stands
    (("nlu_fallback", 0.3), "ask_nav_benefits_studying", HOW_LONG),
])
async def test_a_weak_reading_that_does_not_point_back_needs_the_two_together(
        tracker_dict: dict[str, Any], together: tuple[str, float], answered: str,
        how_long: str) -> None:
    nlu = TableNlu({f"{FAGBREV_ON_THE_JOB.rstrip(' .')}. {how_long}": together})
    tracker = conversation(tracker_dict, user(FAGBREV_ON_THE_JOB, "ask_fagbrev_on_the_job"),
                           answer("ask_fagbrev_on_the_job", "nn"),
                           weakly(user(how_long, "ask_nav_benefits_studying"), 0.41),
                           language="nn")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == render_answer(KNOWLEDGE.for_intent(answered), "nn")



async def test_a_reading_under_the_weak_bar_is_read_with_the_question_before(
        tracker_dict: dict[str, Any]) -> None:
    """"kor lenge må æ ha jobba?" after fagbrev på jobb read as finding work (0.52)."""
    asked = "kor lenge må æ ha jobba?"
    nlu = TableNlu({f"{FAGBREV_ON_THE_JOB.rstrip(' .')}. {asked}": ("ask_fagbrev_on_the_job",
                                                                    0.7)})
    tracker = conversation(tracker_dict, user(FAGBREV_ON_THE_JOB, "ask_fagbrev_on_the_job"),
                           answer("ask_fagbrev_on_the_job", "nn"),
                           weakly(user(asked, "ask_job_search"), 0.52), language="nn")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {})
    # that answer's sentences on how long («… eitt års allsidig praksis …»)
    assert "eitt års" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("before", "asked", "read", "language"), [
    # "og viss eg vil ta studiet i utlandet?" after part-time study (0.47 study abroad)
    # names studying abroad: it is not the answer about part-time study again
    (user("kva om eg berre studerer deltid?", "ask_study_finance_part_time"),
     "og viss eg vil ta studiet i utlandet?", ("ask_study_finance_abroad", 0.47), "nn"),
    # "ok and when is the deadline to apply?" after the 23/5 rule (0.54) got the rule again:
    # a deadline asked for in so many words keeps its reading
    (user("does work in a kindergarten count for the 5 years?", "ask_23_5_rule"),
     "ok and when is the deadline to apply?", ("ask_higher_education_deadline", 0.54), "en"),
])
async def test_a_weak_reading_that_names_a_topic_of_its_own_stands(
        tracker_dict: dict[str, Any], before: dict[str, Any], asked: str,
        read: tuple[str, float], language: str) -> None:
    before_intent = before["parse_data"]["intent"]["name"]
    # read together, the two lean to the question before
    nlu = TableNlu({f"{before['text'].rstrip(' .')}. {asked}": (before_intent, 0.8)})
    tracker = conversation(tracker_dict, before, answer(before_intent, language),
                           weakly(user(asked, read[0]), read[1]), language=language)
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(read[0]), language)]


@pytest.mark.parametrize(("text", "leans"), [
    ("kor lenge held det på", True),  # after fagskule: out of scope, 0.83
    ("hvor lang tid tar det?", True),
    ("how long does it take", True),
    ("hvor lenge er butikken åpen", False),  # names what it asks about
])
def test_how_long_it_lasts_right_after_a_career_answer_is_about_it(text: str,
                                                                    leans: bool) -> None:
    assert leans_back(text, "out_of_scope", 0.83, after_a_career_question=True) is leans
    assert not leans_back(text, "out_of_scope", 0.83, after_a_career_question=False)


@pytest.mark.parametrize(("text", "leans"), [
    ("må man bo hjemmefra for å få det?", True),  # after the grant: out of scope, 0.90
    ("do i need a job offer to get it", True),
    ("trenger jeg noe mer for å kvalifisere meg til det", False),  # no such words: left
    ("må jeg ha bil for å komme meg på jobb", False),  # what it takes, of something else
])
def test_what_it_takes_to_get_it_right_after_a_career_answer_is_about_it(text: str,
                                                                         leans: bool) -> None:
    assert leans_back(text, "out_of_scope", 0.90, after_a_career_question=True) is leans
    assert not leans_back(text, "out_of_scope", 0.90, after_a_career_question=False)


async def test_who_can_help_here_naming_a_town_after_an_answer_gets_its_career_centre(
        tracker_dict: dict[str, Any]) -> None:
    """"kven kan hjelpe meg med dette her i førde?" after the answer on recognition (0.44
    what a counsellor helps with) was read with that answer again."""
    asked = weakly(user("kven kan hjelpe meg med dette her i førde?", "ask_counsellor_help"),
                   0.44)
    asked["parse_data"]["entities"] = [{"entity": "county", "value": "Vestland"}]
    tracker = conversation(tracker_dict,
                           user("kan eg få godkjent utdanninga mi frå Polen?",
                                "ask_foreign_education_recognition"),
                           answer("ask_foreign_education_recognition", "nn"), asked,
                           language="nn")
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        CollectingDispatcher(), tracker, {})
    assert any(isinstance(event, dict) and event.get("event") == "user"
               and event["parse_data"]["intent"]["name"] == "ask_career_centre"
               for event in events), events


@pytest.mark.parametrize(("before", "asked", "read_as", "confidence", "again"), [
    # the broader topic of the narrower answer just given, read unsurely
    ("hva er 23/5-regelen", "hvilke fag må jeg ha", "ask_admission_requirements", 0.53,
     "ask_23_5_rule"),
    ("hva er praksiskandidat?", "hvor lang erfaring trenger jeg?",
     "ask_trade_certificate_adult", 0.62, "ask_praksiskandidat"),
    # read surely, but naming nothing the narrower answer does not: the narrower answer
    ("hva er 23/5-regelen", "hvilke fag må jeg ha", "ask_admission_requirements", 0.70,
     "ask_23_5_rule"),
    # naming something new, asking for another way, or after an answer that is not
    # narrower: as read
    ("hva er 23/5-regelen", "hvilke fag må jeg ha for medisin", "ask_admission_requirements",
     0.70, None),
    ("hva er praksiskandidat?", "kan jeg ta fagbrev som lærling i stedet?",
     "ask_trade_certificate_adult", 0.62, None),
    ("hvordan regnes poeng ut", "hvilke fag må jeg ha", "ask_admission_requirements", 0.53,
     None),
])
async def test_a_follow_up_read_as_the_broader_topic_gets_the_narrower_answer_again(
        tracker_dict: dict[str, Any], before: str, asked: str, read_as: str,
        confidence: float, again: str | None) -> None:
    before_intent = {"hva er 23/5-regelen": "ask_23_5_rule",
                     "hvordan regnes poeng ut": "ask_competition_points",
                     "hva er praksiskandidat?": "ask_praksiskandidat"}[before]
    tracker = conversation(tracker_dict, user(before, before_intent),
                           answer(before_intent, "nb"), weakly(user(asked, read_as), confidence))
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    expected = again or read_as
    if again is None:
        assert [m.get("text") for m in dispatcher.messages] == [
            render_answer(KNOWLEDGE.for_intent(expected), "nb")]
    elif "fag" in asked:
        # the subjects asked: the narrower answer's sentence on them
        assert events == [SlotSet(OFFERED_SLOT, True)]
        [reply] = dispatcher.messages
        assert reply["response"] == "utter_from_the_answer" and "norsk (393" in reply["quote"]
    else:
        assert answered_again(events, dispatcher) == render_answer(
            KNOWLEDGE.for_intent(expected), "nb")


async def test_only_an_answer_is_quoted_not_the_bot_asking_back(
        tracker_dict: dict[str, Any]) -> None:
    """After mash in between, "orsak, katten gjekk over tastaturet. kor melder eg meg
    opp?" got «Orsak, eg er ikkje sikker på at eg forstod det.» quoted."""
    asked_back = {"event": "bot", "text": "Orsak, eg er ikkje sikker på at eg forstod det."}
    tracker = conversation(tracker_dict,
                           user("kan eg ta opp att norsk som privatist?", "ask_improve_grades"),
                           answer("ask_improve_grades", "nn"),
                           weakly(user("asdfghjkl;asdkjf", "nlu_fallback"), 0.4), asked_back,
                           weakly(user("orsak, katten gjekk over tastaturet.", "out_of_scope"),
                                  0.55), language="nn")
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert "utter_from_the_answer" not in [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize(("asked", "language", "quoted"), [
    # read (surely) as competition points right after folk high school: its extra points
    ("it give points for university after?", "en", True),  # 0.78 competition points
    ("gjev det ekstrapoeng?", "nn", True),
    # a new thing named, or a long question of its own: as read
    ("how are points calculated for engineering at NTNU?", "en", False),
    # another kind of points than the answer's extra points
    ("får eg alderspoeng òg?", "nn", False),
    ("gir det realfagspoeng?", "nb", False),
])
async def test_a_follow_up_on_what_the_answer_spoke_of_gets_those_sentences(
        tracker_dict: dict[str, Any], asked: str, language: str, quoted: bool) -> None:
    tracker = conversation(tracker_dict, user("what is a folk high school", "ask_folkehogskole"),
                           answer("ask_folkehogskole", language),
                           weakly(user(asked, "ask_competition_points"), 0.78),
                           language=language)
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    said = [m.get("response") or m.get("text") for m in dispatcher.messages]
    if quoted:
        assert said == ["utter_from_the_answer"]
        quote = dispatcher.messages[0]["quote"]
        assert "2" in quote and ("poeng" in quote or "points" in quote)
    else:
        assert said == [render_answer(KNOWLEDGE.for_intent("ask_competition_points"), language)]


def test_a_question_answered_by_quoting_an_answer_counts_as_that_answers() -> None:
    """"kostar det noko?" after prior learning, read as this service's price, got prior
    learning's sentence on the price quoted: what comes after leans on prior learning."""
    prior = render_answer(KNOWLEDGE.for_intent("ask_prior_learning"), "nn")
    sentence = next(s for s in answer_sentences(prior) if "gratis" in s)
    quote = (f"Dette står i svaret over:\n«{sentence}»\n\nStår ikkje det du lurer på der, "
             "kan ein rådgivar hjelpe deg.")
    events = [user("korleis går realkompetansevurdering føre seg?", "ask_prior_learning"),
              {"event": "bot", "text": prior},
              user("kostar det noko?", "ask_service_free_anonymous"),
              {"event": "bot", "text": quote}]
    assert [intent for _, intent in answered_as(events, KNOWLEDGE)] == [
        "ask_prior_learning", "ask_prior_learning"]
    # a quote of nothing the knowledge base says is no answer of it
    events[-1] = {"event": "bot", "text": "Dette står i svaret over:\n«Noko anna.»"}
    assert answered_as(events, KNOWLEDGE)[-1][1] == "ask_service_free_anonymous"


def test_of_two_answers_to_one_message_the_one_it_was_read_as_counts() -> None:
    """"How does the apprentice thing work? Does he actually get paid?" got the
    apprenticeship's answer and pay's: "When does he have to apply for one?" is about the
    apprenticeship, so it is what the message was answered as."""
    def answer(intent: str) -> dict:
        return {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent(intent), "en")}

    events = [user("My son keeps talking about a 'læreplass'. How does the apprentice thing "
                   "work? Does he actually get paid?", "ask_apprenticeship"),
              answer("ask_apprenticeship"), answer("ask_job_prospects")]
    assert answered_as(events, KNOWLEDGE)[-1][1] == "ask_apprenticeship"
    # read as something no answer was sent for: the last answer counts, as before
    events[0] = user("han er 16 og lurer på to ting", "nlu_fallback")
    assert answered_as(events, KNOWLEDGE)[-1][1] == "ask_job_prospects"


async def test_a_compound_takes_up_the_word_it_starts_with(tracker_dict: dict[str, Any]) -> None:
    """"må ho ta norsktest?" after who authorises a nurse (out of scope, 0.7): the answer
    says one must document Norwegian ("norsk")."""
    tracker = conversation(tracker_dict,
                           user("kona mi er sjukepleiar frå Syria, treng ho autorisasjon?",
                                "ask_regulated_profession"),
                           answer("ask_regulated_profession", "nn"),
                           weakly(user("må ho ta norsktest?", "out_of_scope"), 0.7),
                           language="nn")
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer" and "norsk" in said["quote"]


@pytest.mark.parametrize(("text", "last"), [
    ("ok takk. hva med fagskole?", "hva med fagskole?"),
    # a messaging app's Enter ends a sentence too
    ("ok takk\nhva med fagskole", "hva med fagskole"),
    ("haha ok\n\nand in Bergen?", "and in Bergen?"),
    ("hva med fagskole", "hva med fagskole"),
])
def test_the_last_sentence_is_cut_at_a_line_break_too(text: str, last: str) -> None:
    assert last_sentence(text) == last


async def test_whether_it_counts_as_something_the_answer_did_not_name_is_its_own_question(
        tracker_dict: dict[str, Any]) -> None:
    # Read together with the folk high school, it was that answer again.
    before = "I'd love to do a year at a folkehøgskole. How does applying work?"
    text = "and my german abitur, does that count as studiekompetanse in norway?"
    nlu = TableNlu({f"{before}. {text}": ("ask_folkehogskole", 0.92)})
    tracker = conversation(
        tracker_dict, user(before, "ask_folkehogskole"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_folkehogskole"), "en")},
        weakly(user(text, "ask_foreign_education_recognition"), 0.72), language="en")
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_it_counts(
        CollectingDispatcher(), tracker) is None


@pytest.mark.parametrize("asked", ["teller militærtjenesten for 23/5?",
                                   "teller tida i forsvaret med på 23/5?"])
async def test_whether_it_counts_for_a_rule_named_by_its_numbers_is_the_rules_question(
        tracker_dict: dict[str, Any], asked: str) -> None:
    """"teller militærtjenesten for 23/5?" (0.94 the rule) after a career centre got the
    centre again."""
    before = "hvordan blir jeg praksiskandidat"
    nlu = TableNlu({f"{before}. {asked}": ("ask_praksiskandidat", 0.9)})
    tracker = conversation(
        tracker_dict, user(before, "ask_praksiskandidat"),
        answer("ask_praksiskandidat", "nb"),
        weakly(user(asked, "ask_23_5_rule"), 0.94))
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_it_counts(
        CollectingDispatcher(), tracker) is None


def placed(said: dict[str, Any], county: str, word: str) -> dict[str, Any]:
    start = said["text"].index(word)
    said["parse_data"]["entities"] = [{"entity": "county", "value": county, "start": start,
                                       "end": start + len(word)}]
    return said


async def test_a_weak_reading_that_names_a_new_place_is_not_read_with_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    before = "Jeg har universitetsutdanning fra Kyiv. Kan det godkjennes i Norge?"
    text = "Kan jeg få hjelp til finne jobb i Skien? "  # as typed, a space at the end
    nlu = TableNlu({f"{before}. {text.strip()}": ("ask_foreign_education_recognition",
                                                      0.8)})
    tracker = conversation(
        tracker_dict, user(before, "ask_foreign_education_recognition"),
        {"event": "bot",
         "text": render_answer(KNOWLEDGE.for_intent("ask_foreign_education_recognition"), "nb")},
        placed(weakly(user(text, "ask_job_search"), 0.49), "Telemark", "Skien"), language="nb")
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(
        CollectingDispatcher(), tracker) is None


async def test_a_weak_reading_that_names_another_country_is_not_read_with_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    """"og om eg har utdanninga mi frå Polen?" after the digital diploma (0.58 recognition):
    a degree from there, not the diploma again ("Polen" is short for a telling word)."""
    before = "dei vil ha vitnemål, korleis får eg det digitalt?"
    text = "og om eg har utdanninga mi frå Polen?"
    nlu = TableNlu({f"{before} {text}": ("ask_diploma", 0.8),
                    f"{before.rstrip('?')}. {text}": ("ask_diploma", 0.8)})
    tracker = conversation(
        tracker_dict, user(before, "ask_diploma"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_diploma"), "nn")},
        weakly(user(text, "ask_foreign_education_recognition"), 0.58), language="nn")
    dispatcher = CollectingDispatcher()
    assert await ContextReading(KNOWLEDGE, nlu).answer_if_leaning(dispatcher, tracker) is None
    assert dispatcher.messages == []


def centre_answer(county: str, language: str) -> dict[str, Any]:
    centre = KNOWLEDGE.for_county(county)
    assert centre is not None
    return {"event": "bot", "text": render_office(centre, None, language)}


def answer_said(intent: str, language: str) -> dict[str, Any]:
    return {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent(intent), language)}


@pytest.mark.parametrize("quoted_before", [False, True])
async def test_an_unplaced_question_about_a_word_of_the_answer_gets_its_sentence(
        tracker_dict: dict[str, Any], quoted_before: bool) -> None:
    """"har dei teieplikt?" (the fallback, 0.40) right after a career centre, or after a
    sentence of it was quoted for "korleis bestiller eg time": the answer's sentence on
    confidentiality."""
    said = [user("har dei eit karrieresenter i molde?", "ask_career_centre"),
            centre_answer("Møre og Romsdal", "nn")]
    if quoted_before:
        booking = next(sentence for sentence in answer_sentences(said[1]["text"])
                       if "bestiller" in sentence)
        said += [weakly(user("korleis bestiller eg time", "out_of_scope"), 0.87),
                 {"event": "bot", "text": f"Dette står i svaret over:\n«{booking}»"}]
    said.append(weakly(user("har dei teieplikt?", "nlu_fallback"), 0.4))
    tracker = conversation(tracker_dict, *said, language="nn")
    dispatcher = CollectingDispatcher()
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, TableNlu({})))
    events = await clarify.run(dispatcher, tracker, {})
    assert events == [SlotSet(OFFERED_SLOT, True)]
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and "teieplikt" in reply["quote"]


async def test_an_unplaced_question_after_a_quote_of_another_answer_is_asked_back(
        tracker_dict: dict[str, Any]) -> None:
    # The quote is not from the answer before it: nothing is quoted from that answer.
    said = [user("har dei eit karrieresenter i molde?", "ask_career_centre"),
            centre_answer("Møre og Romsdal", "nn"),
            weakly(user("korleis bestiller eg time", "out_of_scope"), 0.87),
            {"event": "bot", "text": "Dette står i svaret over:\n«Fristen er 1. mars.»"},
            weakly(user("har dei teieplikt?", "nlu_fallback"), 0.4)]
    tracker = conversation(tracker_dict, *said, language="nn")
    dispatcher = CollectingDispatcher()
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, TableNlu({})))
    await clarify.run(dispatcher, tracker, {})
    assert "utter_from_the_answer" not in [m.get("response") for m in dispatcher.messages]


async def test_a_weak_reading_that_names_its_rule_by_number_stands(
        tracker_dict: dict[str, Any]) -> None:
    """"og hva med 23/5, gjelder det meg?" after Samordna opptak's deadline (0.45 the 23/5
    rule, 0.45 going on) got the deadline again."""
    tracker = conversation(tracker_dict,
                           user("når er fristen for det?", "ask_higher_education_deadline"),
                           answer("ask_higher_education_deadline", "nb"),
                           weakly(user("og hva med 23/5, gjelder det meg?", "ask_23_5_rule"),
                                  0.45))
    nlu = TableNlu({"når er fristen for det?. og hva med 23/5, gjelder det meg?":
                    ("ask_higher_education_deadline", 0.9)})
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, nlu)).run(
        dispatcher, tracker, {})
    assert [m.get("text") for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_23_5_rule"), "nb")]


@pytest.mark.parametrize(("before", "before_intent", "said", "read_as", "confidence",
                          "language"), [
    # "kan eg få stipend til det" after competition points (0.49 extra support): the grant,
    # though "stipend" is in too many answers to be telling
    ("gjev folkehøgskule tilleggspoeng?", "ask_competition_points",
     "kan eg få stipend til det", "ask_student_finance_extra", 0.49, "nn"),
    # a word its own answer holds in a compound: the English answer says
    # "realkompetansevurdering" (asked "for university", it is the admission
    # requirements': tests/unit/test_levels.py)
    ("how many programmes can I apply for", "ask_higher_education_choices",
     "what is realkompetanse, how does it work?", "ask_prior_learning", 0.40, "en"),
    # a reply's other ending of the word does not take it: the answer before says "course"
    ("Can I start a bachelor and keep the dagpenger?", "ask_nav_benefits_studying",
     "does NAV pay for courses?", "ask_nav_courses", 0.75, "en"),
    # a short name of its own: "nav" is too short for a telling word
    ("do i get paid as apprentice?", "ask_apprenticeship", "can nav help me with this",
     "ask_nav_courses", 0.59, "en"),
    ("må jeg søke på vigo?", "ask_upper_secondary_application", "hjelper nav med det?",
     "ask_nav_courses", 0.55, "nb"),
])
async def test_a_reading_that_names_its_own_topic_stands(
        tracker_dict: dict[str, Any], before: str, before_intent: str, said: str,
        read_as: str, confidence: float, language: str) -> None:
    """A reading that names its own topic is answered, not the answer before again."""
    tracker = conversation(tracker_dict, user(before, before_intent),
                           answer(before_intent, language),
                           weakly(user(said, read_as), confidence), language=language)
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m.get("text") for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(read_as), language)], events


@pytest.mark.parametrize(("text", "language", "quoted", "read_as"), [
    ("hva om jeg starter i januar", "nb", "15. mars", "out_of_scope"),
    ("and if i start in january?", "en", "15 March", "out_of_scope"),
    ("kva om eg byrjar i august", "nn", "15. november", "out_of_scope"),
    ("what about if i start in january", "en", "15 March", "continue_topic"),
])
async def test_a_month_one_starts_in_gets_the_deadline_of_its_semester(
        tracker_dict: dict[str, Any], text: str, language: str, quoted: str,
        read_as: str) -> None:
    tracker = conversation(tracker_dict,
                           user("når må jeg søke lånekassen", "ask_student_finance_deadline"),
                           answer("ask_student_finance_deadline", language),
                           weakly(user(text, read_as), 0.51), language=language)
    dispatcher = CollectingDispatcher()
    context = ContextReading(KNOWLEDGE, TableNlu({}))
    action = ActionOutOfScope(KNOWLEDGE, context) if read_as == "out_of_scope" \
        else ActionContinueTopic(context=context)
    await action.run(dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_from_the_answer" and quoted in said["quote"]


async def test_an_unclear_wish_to_reach_a_counsellor_is_handed_over(
        tracker_dict: dict[str, Any]) -> None:
    """"dette vart litt innfløkt, kan du setje meg i kontakt med ein rettleiar?" (the
    fallback, 0.40) after the regulated professions got that answer again."""
    tracker = conversation(tracker_dict,
                           user("treng eg autorisasjon som ingeniør?", "ask_regulated_profession"),
                           answer("ask_regulated_profession", "nn"),
                           weakly(user("dette vart litt innfløkt, kan du setje meg i kontakt "
                                       "med ein rettleiar?", "nlu_fallback"), 0.4),
                           language="nn")
    dispatcher = CollectingDispatcher()
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, TableNlu({})))
    events = await clarify.run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    assert [e["parse_data"]["intent"]["name"] for e in events
            if isinstance(e, dict) and e.get("event") == "user"] == ["human_handoff"]


@pytest.mark.parametrize(("text", "quoted"), [
    ("må eg vere over 19?", "over 19 år"),
    ("i'm 17, can i go there?", "over 19 år"),
    # the price: the centre's answer again in full before
    ("kostar det noko?", "gratis"),
    # a school named is its own question; no aspect asked, nothing to quote
    ("er det for seint å ta vgs når eg er 25?", None),
    ("har dei ope på laurdagar?", None),
])
async def test_an_aspect_asked_right_after_a_career_centre_gets_its_sentence(
        tracker_dict: dict[str, Any], text: str, quoted: str | None) -> None:
    """"må eg vere over 19?" after Stord's career centre went to the fallback; "i'm 17, can
    i go there?" got adult upper secondary; "kostar det noko?" the whole answer again."""
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Vestland")
    tracker = conversation(
        tracker_dict, user("kvar er næraste karrieresenter? bur på Stord", "ask_career_centre"),
        {"event": "bot", "text": render_office(centre, centre.offices[1], "nn")},
        weakly(user(text, "nlu_fallback"), 0.4), language="nn")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(
        dispatcher, tracker)
    assert (events is not None) == (quoted is not None)
    if quoted:
        assert quoted in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("text", "reading"), [
    # how long one must have worked: "worked" is the answer's "work" (0.56 out of scope)
    ("how long must he have worked there first?", "out_of_scope"),
    # how much experience is how long (the fallback)
    ("how much experience does he need first?", "nlu_fallback"),
    ("hvor mye praksis må han ha?", "nlu_fallback"),
])
async def test_how_long_one_must_have_worked_gets_the_answers_years(
        tracker_dict: dict[str, Any], text: str, reading: str) -> None:
    language = "nb" if "praksis" in text else "en"
    tracker = conversation(
        tracker_dict, user("can he get a trade certificate while working?",
                           "ask_fagbrev_on_the_job"),
        answer_said("ask_fagbrev_on_the_job", language),
        weakly(user(text, reading), 0.5), language=language)
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    quote = dispatcher.messages[0]["quote"]
    assert "year" in quote or "år" in quote


@pytest.mark.parametrize(("text", "reading", "quoted"), [
    # a follow-up that no reading with the question before settled
    ("and if i'm 24?", "continue_topic", "25 or older"),
    # read surely as another career topic: its own question
    ("and if i'm 24, can i get a student loan?", "ask_student_finance_deadline", None),
])
async def test_an_aspect_asked_right_after_an_answer_gets_its_sentences(
        tracker_dict: dict[str, Any], text: str, reading: str, quoted: str | None) -> None:
    tracker = conversation(
        tracker_dict, user("no gen study comp, 22 y/o. can i still get into uni",
                           "ask_admission_requirements"),
        answer_said("ask_admission_requirements", "en"),
        weakly(user(text, reading), 0.73), language="en")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert (events is not None) == (quoted is not None)
    if quoted:
        assert quoted in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("before", "text", "reading", "confidence", "language", "quoted"), [
    # After the 23/5 rule, read surely as the admission requirements, which name no
    # subject: the rule's sentence on its subjects.
    (("What's the 23/5 rule exactly?", "ask_23_5_rule"), "which subjects do i need",
     "ask_admission_requirements", 0.91, "en", "393"),
    (("What's the 23/5 rule exactly?", "ask_23_5_rule"), "kva fag må eg ha",
     "ask_admission_requirements", 0.91, "nn", "393"),
    # After the experience route, read as the grant, whose answer says "betale tilbake"
    # (paying a loan back, no price): the words that ask the price are not its topic.
    (("hvor mange år praksis må man ha da?", "ask_praksiskandidat"),
     "må jeg betale noe for eksamen?", "ask_student_grant", 0.64, "nb", "Eksamensavgiften"),
    (("hvor mange år praksis må man ha da?", "ask_praksiskandidat"),
     "do I have to pay for the exam?", "ask_student_grant", 0.64, "en", "exam fee"),
    # After NAV's courses, read as extra support (over 30): both answers have an age, and
    # the one just given is asked about, unless the reading's own topic is named.
    (("hvilke kurs har nav for voksne som vil omskolere seg", "ask_nav_courses"),
     "må jeg være over en viss alder", "ask_student_finance_extra", 0.77, "nb", "19 år"),
    (("hvilke kurs har nav for voksne som vil omskolere seg", "ask_nav_courses"),
     "må jeg være over 30 for å få tilleggslån?", "ask_student_finance_extra", 0.77, "nb",
     None),
    # What about a topic the answer just given names in passing: that topic's own answer.
    (("kan jeg ta fagbrev uten å gå på skole? jobber som assistent",
      "ask_fagbrev_on_the_job"),
     "og hva med praksiskandidat? hvor mange år må jeg ha jobba?", "ask_praksiskandidat", 0.8,
     "nb", None),
    (("kan jeg ta fagbrev uten å gå på skole? jobber som assistent",
      "ask_fagbrev_on_the_job"),
     "hvor mye erfaring må jeg ha som praksiskandidat?", "ask_praksiskandidat", 0.94,
     "nb", None),
    # Something else instead: the reading's own answer, though both answers speak of paying.
    (("jeg er arbeidsledig og går på dagpenger. kan jeg begynne å studere?",
      "ask_nav_benefits_studying"),
     "kan nav betale et kurs for meg i stedet da", "ask_nav_courses", 0.95, "nb", None),
])
async def test_an_aspect_read_as_another_topic_is_of_the_answer_before_when_that_answers_it(
        tracker_dict: dict[str, Any], before: tuple[str, str], text: str, reading: str,
        confidence: float, language: str, quoted: str | None) -> None:
    tracker = conversation(
        tracker_dict, user(*before), answer_said(before[1], language),
        weakly(user(text, reading), confidence), language=language)
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert (events is not None) == (quoted is not None)
    if quoted:
        assert quoted in dispatcher.messages[0]["quote"]


async def test_an_entity_in_the_words_asking_the_aspect_names_nothing_new(
        tracker_dict: dict[str, Any]) -> None:
    """"saksbehandlaren" (found as an occupation) asks who decides, after NAV's courses."""
    text = "er det saksbehandlaren min som bestemmer om eg kjem med på eit slikt kurs?"
    start = text.index("saksbehandlaren")
    asked = user(text, "nlu_fallback", [{"entity": "occupation", "start": start,
                                         "end": start + len("saksbehandlaren"),
                                         "value": "radgiver-i-offentlig-sektor"}])
    tracker = conversation(
        tracker_dict, user("finst det kurs gjennom nav for folk på min alder?", "ask_nav_courses"),
        answer_said("ask_nav_courses", "nn"), weakly(asked, 0.4), language="nn")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    assert "NAV-kontoret ditt som avgjer" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("text", "language", "phrase"), [
    ("ok tidlig opptak da", "nb", "tidlig opptak"),
    ("what about early admission", "en", "early admission"),
])
async def test_two_words_of_the_answer_together_get_their_sentence(
        tracker_dict: dict[str, Any], text: str, language: str, phrase: str) -> None:
    """Right after Samordna opptak's deadline (the fallback): "tidlig" and "opptak" are
    each in five answers or more, but together in that one alone."""
    said = [user("søker politihøgskolen, er fristen 15 april?", "ask_higher_education_deadline"),
            answer_said("ask_higher_education_deadline", language),
            weakly(user(text, "nlu_fallback"), 0.4)]
    tracker = conversation(tracker_dict, *said, language=language)
    dispatcher = CollectingDispatcher()
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, TableNlu({})))
    assert await clarify.run(dispatcher, tracker, {}) == [SlotSet(OFFERED_SLOT, True)]
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer"
    assert phrase in reply["quote"] and "1" in reply["quote"]


@pytest.mark.parametrize(("text", "reading", "intent", "said"), [
    # what it names of the answer: the sentence on what counts as the five years
    ("does an apprenticeship count as work", "ask_apprenticeship", "ask_23_5_rule",
     "apprenticeship, care work"),
    # an age: the sentences on whom each way in is for
    ("and if i'm 24?", "continue_topic", "ask_admission_requirements", "25 or older"),
])
async def test_a_follow_up_settled_on_the_answer_before_gets_the_sentences_it_asks_about(
        tracker_dict: dict[str, Any], text: str, reading: str, intent: str, said: str) -> None:
    before = "no general study qualification, 22. how do i get into uni"
    nlu = TableNlu({f"{before}. {text}": (intent, 0.9)})
    tracker = conversation(tracker_dict, user(before, intent), answer_said(intent, "en"),
                           user(text, reading), language="en")
    dispatcher = CollectingDispatcher()
    events = await ContextReading(KNOWLEDGE, nlu).answer(dispatcher, tracker, settled=True)
    assert events == [SlotSet(OFFERED_SLOT, True)]
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and said in reply["quote"]


@pytest.mark.parametrize(("text", "confidence", "quoted"), [
    ("roughly how long would that take me", 0.55, "a year in upper secondary"),
    # surely about something else: the out-of-scope reply, whatever aspect it names
    ("how long does the football match tonight take", 0.95, None),
])
async def test_an_aspect_read_as_out_of_scope_gets_the_answers_sentence_unless_surely(
        tracker_dict: dict[str, Any], text: str, confidence: float, quoted: str | None) -> None:
    """"roughly how long would that take me" after påbygg (out of scope, 0.55) got "I
    can't help with that"."""
    tracker = conversation(tracker_dict, user("I did a vocational programme. how do I get "
                                              "general study qualification?", "ask_pabygg"),
                           answer_said("ask_pabygg", "en"),
                           weakly(user(text, "out_of_scope"), confidence), language="en")
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    [reply] = dispatcher.messages
    if quoted:
        assert reply["response"] == "utter_from_the_answer" and quoted in reply["quote"]
    else:
        assert reply["response"] == "utter_out_of_scope"


async def test_an_aspect_asked_after_a_question_the_bot_asked_back_on_is_of_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    """"kven tek eg kontakt med" (the fallback) after "kor lang tid tek det?" (asked back)
    after an adult's trade certificate: that answer's sentence on whom to contact."""
    asked_back = {"event": "bot", "text": "Eg er ikkje heilt sikker på kva du meiner.",
                  "metadata": {"utter_action": "utter_clarify"}}
    tracker = conversation(
        tracker_dict, user("eg vil ta fagbrev nummer to, har eg rett til det?",
                           "ask_trade_certificate_adult"),
        answer_said("ask_trade_certificate_adult", "nn"),
        weakly(user("kor lang tid tek det?", "nlu_fallback"), 0.4), asked_back,
        weakly(user("kven tek eg kontakt med", "nlu_fallback"), 0.4), language="nn")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None and "kontakt" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize("text", ["is anyone reading this? it's kinda private",
                                  "leser noen dette? det er litt privat",
                                  # the guidance given here, after recognition
                                  "ma man betale for veiledningen deres eller er den gratis"])
def test_who_reads_what_is_written_here_names_this_service(text: str) -> None:
    assert leans_back(text, "ask_service_free_anonymous", 0.73,
                      after_a_career_question=True) is False


async def test_a_word_of_a_compound_in_the_answer_names_nothing_new(
        tracker_dict: dict[str, Any]) -> None:
    """"må eg betala noko for eksamen?" (0.48 the loan turned grant) after the experience
    route, whose answer says «Eksamensavgifta betaler du sjølv»."""
    tracker = conversation(tracker_dict, user("kor lenge må ein ha jobba", "ask_praksiskandidat"),
                           answer_said("ask_praksiskandidat", "nn"),
                           weakly(user("må eg betala noko for eksamen?", "ask_student_grant"),
                                  0.48), language="nn")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    assert "Eksamensavgifta" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("text", "language", "quoted"), [
    ("and my brother is 23, same rule for him?", "en", "25 or older"),
    ("og søstera mi er 22, gjeld det ho òg?", "nn", "fylt 25 år"),
])
async def test_an_age_asked_for_someone_else_gets_the_answers_sentence_on_it(
        tracker_dict: dict[str, Any], text: str, language: str, quoted: str) -> None:
    """After unemployment benefit while studying (0.42 the 23/5 rule): whom it is asked
    for names no new topic, and their age asks the age the answer gives."""
    tracker = conversation(
        tracker_dict, user("If I take a course, can I keep the benefit?",
                           "ask_nav_benefits_studying"),
        answer_said("ask_nav_benefits_studying", language),
        weakly(user(text, "ask_23_5_rule"), 0.42), language=language)
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    assert quoted in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize("text", ["what about the weather in scotland honestly, will I survive",
                                  "og korleis blir vêret der i helga?",
                                  "what about a good pizza place near campus"])
def test_an_everyday_thing_read_as_out_of_scope_leans_on_nothing(text: str) -> None:
    """After a loan for a degree in Edinburgh, the weather there (0.78 out of scope) got
    that answer again: it goes on, but about something no career answer is about."""
    assert not leans_back(text, "out_of_scope", 0.78, after_a_career_question=True)
    assert leans_back("what about the tuition fees then?", "out_of_scope", 0.78,
                      after_a_career_question=True)


@pytest.mark.parametrize(("before", "text", "language", "quoted"), [
    ("ask_nav_courses", "kva med bror min som er 17?", "nn", "19 år"),
    ("ask_23_5_rule", "og om jeg var 22?", "nb", "23"),
    ("ask_career_centre", "seier dei noko vidare til nav eller arbeidsgjevaren?", "nn",
     "teieplikt"),
    # an appeal: who decides it is in the sentence after
    ("ask_prior_learning", "hva om jeg er uenig i resultatet?", "nb", "statsforvalteren"),
    ("ask_prior_learning", "and if they say no, can I complain?", "en", "county governor"),
])
async def test_an_aspect_asked_as_people_put_it_gets_the_answers_sentence(
        tracker_dict: dict[str, Any], before: str, text: str, language: str,
        quoted: str) -> None:
    centre = KNOWLEDGE.for_county("Vestland")
    answer = ({"event": "bot", "text": render_office(centre, None, language)}
              if before == "ask_career_centre" else answer_said(before, language))
    tracker = conversation(
        tracker_dict, user("...", before), answer,
        weakly(user(text, "nlu_fallback"), 0.4), language=language)
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    assert quoted in dispatcher.messages[0]["quote"]


async def test_another_persons_age_with_a_second_part_is_asked_of_the_answer_before(
        tracker_dict: dict[str, Any]) -> None:
    """"and my brother who's 22, can he use it?" after the 23/5 rule (the fallback): its
    part "can he use it?" read alone as this service got the service's answer."""
    tracker = conversation(
        tracker_dict, user("Could you explain how the 23/5 rule works?", "ask_23_5_rule"),
        answer_said("ask_23_5_rule", "en"),
        weakly(user("and my brother who's 22, can he use it?", "nlu_fallback"), 0.4),
        language="en")
    dispatcher = CollectingDispatcher()
    parts = TableNlu({"and my brother who's 22": ("nlu_fallback", 0.3),
                      "can he use it": ("ask_about_service", 0.8)})
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, parts), ContextReading(KNOWLEDGE, parts))
    await clarify.run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and "turn 23" in reply["quote"]


@pytest.mark.parametrize(("weighed", "out_of_scope"), [
    ("out_of_scope", True),
    # out of scope not weighed: read with the question before, as any unclear message
    ("ask_admission_requirements", False),
])
async def test_an_everyday_thing_the_classifier_could_not_place_is_out_of_scope(
        tracker_dict: dict[str, Any], weighed: str, out_of_scope: bool) -> None:
    """"ok. do you also know good apartments in oslo for students?" (the fallback; out of
    scope 0.16 among its readings) got the study choices again, read with the question
    before."""
    text = "ok. do you also know good apartments in oslo for students?"
    said = weakly(user(text, "nlu_fallback"), 0.4)
    said["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_foreign_education_recognition", "confidence": 0.2},
        {"name": weighed, "confidence": 0.16}]
    tracker = conversation(
        tracker_dict, user("can I still change the order of my choices?",
                           "ask_higher_education_choices"),
        answer_said("ask_higher_education_choices", "en"), said, language="en")
    nlu = TableNlu({f"can I still change the order of my choices? {text}":
                    ("ask_higher_education_choices", 0.8)})
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, nlu))
    events = await clarify.run(CollectingDispatcher(), tracker, {})
    injected = [event["parse_data"]["intent"]["name"] for event in events
                if event.get("event") == "user"]
    assert (injected == ["out_of_scope"]) == out_of_scope


async def test_where_one_lives_told_after_the_grant_is_no_everyday_thing(
        tracker_dict: dict[str, Any]) -> None:
    """"I live in a shared flat, not with my parents" right after the grant (the fallback,
    out of scope weighed) got "I can't help with that": living in a flat is a situation
    told, and the answer's sentence on living away from one's parents is about it."""
    text = "I live in a shared flat, not with my parents"
    said = weakly(user(text, "nlu_fallback"), 0.4)
    said["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "out_of_scope", "confidence": 0.3}]
    tracker = conversation(
        tracker_dict, user("does any of the loan turn into a grant?", "ask_student_grant"),
        answer_said("ask_student_grant", "en"), said, language="en")
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                            ContextReading(KNOWLEDGE, TableNlu({})))
    dispatcher = CollectingDispatcher()
    await clarify.run(dispatcher, tracker, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_from_the_answer" and "parents" in reply["quote"]


async def test_a_word_of_another_ending_in_the_answer_names_nothing_new(
        tracker_dict: dict[str, Any]) -> None:
    """"how long are the programs" after fagskole (0.46 the chat's opening hours), whose
    answer says «Programmes last from six months to two years»."""
    tracker = conversation(tracker_dict, user("what is a fagskole", "ask_fagskole"),
                           answer_said("ask_fagskole", "en"),
                           weakly(user("how long are the programs", "ask_opening_hours"), 0.46),
                           language="en")
    dispatcher = CollectingDispatcher()
    events = ContextReading(KNOWLEDGE, TableNlu({})).quote_the_aspect_asked(dispatcher, tracker)
    assert events is not None
    assert "six months to two years" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize("asked", ["kan man bytte rekkefolgen etterpå",  # typed without ø
                                   "kan man bytte rekkefølgen etterpå"])
async def test_a_word_typed_without_norwegian_letters_takes_up_the_answers_sentence(
        tracker_dict: dict[str, Any], asked: str) -> None:
    """"kan man bytte rekkefolgen etterpå" after the study choices (read weakly as the
    rights in upper secondary) got the admission requirements: the answer just given
    says when the order can be changed."""
    tracker = conversation(tracker_dict,
                           user("hvor mange studier kan man søke på",
                                "ask_higher_education_choices"),
                           answer("ask_higher_education_choices", "nb"),
                           weakly(user(asked, "ask_upper_secondary_rights"), 0.46))
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages][:1] == ["utter_from_the_answer"]
    assert "1. juli" in dispatcher.messages[0]["quote"]


async def test_a_date_of_the_answer_is_read_with_it_however_sure_out_of_scope_is(
        tracker_dict: dict[str, Any]) -> None:
    """"and if this 1 february is on sunday what happens" after upper secondary's deadline
    (0.90 out of scope) got the out-of-scope reply."""
    tracker = conversation(tracker_dict,
                           user("when is the deadline for vgs", "ask_upper_secondary_deadline"),
                           answer("ask_upper_secondary_deadline", "en"),
                           weakly(user("and if this 1 february is on sunday what happens",
                                       "out_of_scope"), 0.90), language="en")
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_from_the_answer"]
    assert "Saturday or Sunday" in dispatcher.messages[0]["quote"]


async def test_an_occupations_pay_asked_after_another_answer_is_that_occupations(
        tracker_dict: dict[str, Any]) -> None:
    """"ok. what does a police officer earn" (0.49) after Samordna opptak's deadline, whose
    answer names the Police University College, got that sentence quoted."""
    pay = weakly(user("ok. what does a police officer earn", "ask_job_prospects"), 0.49)
    pay["parse_data"]["entities"] = [{"entity": "occupation", "value": "politibetjent"}]
    tracker = conversation(
        tracker_dict,
        user("I missed the deadline for the police university college",
             "ask_higher_education_deadline"),
        answer_said("ask_higher_education_deadline", "en"), pay, language="en")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(KNOWLEDGE, context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == [
        None, "utter_occupation_prospects"]
    assert dispatcher.messages[1]["url"].endswith("/politibetjent")


async def test_a_loan_asked_for_in_so_many_words_after_another_answer_is_the_loans(
        tracker_dict: dict[str, Any]) -> None:
    """"kan eg ta det på nett og få lån til det?" (0.55 the loan for online study) after
    fagskole got fagskole's answer again."""
    tracker = conversation(
        tracker_dict, user("Kan eg ta fagskule?", "ask_fagskole"),
        answer_said("ask_fagskole", "nn"),
        weakly(user("kan eg ta det på nett og få lån til det?", "ask_study_finance_part_time"),
               0.55),
        language="nn")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(KNOWLEDGE, context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert [m.get("text") for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_study_finance_part_time"), "nn")]


@pytest.mark.parametrize(("text", "language"), [
    ("og cv?", "nn"),
    ("what about the CV?", "en"),
])
async def test_a_topic_named_alone_is_its_own_though_the_answer_before_names_it(
        tracker_dict: dict[str, Any], text: str, language: str) -> None:
    """"og cv?" after job interviews (0.55 the CV) got the interview's answer again: that
    answer says «… CV-en din …» in passing."""
    tracker = conversation(
        tracker_dict, user("har du tips til jobbintervju?", "ask_job_interview"),
        answer("ask_job_interview", language), weakly(user(text, "ask_cv"), 0.55),
        language=language)
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert dispatcher.messages[0].get("text") == render_answer(KNOWLEDGE.for_intent("ask_cv"),
                                                               language)


@pytest.mark.parametrize(("text", "intent"), [
    ("er 31 og har bare yrkesfag. kommer jeg inn på høyskole uten påbygg?",
     "ask_admission_requirements"),
    ("can I get into university without doing påbygg?", "ask_admission_requirements"),
    ("kva er påbygg?", None),  # påbygg itself: its own answer
])
async def test_a_narrower_way_to_do_without_asks_the_broader(
        tracker_dict: dict[str, Any], text: str, intent: str | None) -> None:
    """"kommer jeg inn på høyskole uten påbygg?" (0.84 påbygg) got what påbygg is."""
    tracker = conversation(tracker_dict, user(text, "ask_pabygg"))
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({}))).run(
        CollectingDispatcher(), tracker, {})
    said = [event["parse_data"]["intent"]["name"] for event in events
            if event.get("event") == "user"]
    assert said == ([intent] if intent else [])


async def test_whether_it_counts_read_as_the_narrower_rule_is_that_rules(
        tracker_dict: dict[str, Any]) -> None:
    """"does the army year count toward the 5 years?" after the admission requirements (0.91
    the 23/5 rule) got the admission requirements again."""
    tracker = conversation(
        tracker_dict, user("can I still get into university?", "ask_admission_requirements"),
        answer("ask_admission_requirements", "en"),
        weakly(user("does the army year count toward the 5 years?", "ask_23_5_rule"), 0.91),
        language="en")
    assert await ContextReading(KNOWLEDGE, TableNlu({})).answer_if_it_counts(
        CollectingDispatcher(), tracker) is None
    # read as another topic, it is still about the answer before
    tracker = conversation(
        tracker_dict, user("can I still get into university?", "ask_admission_requirements"),
        answer("ask_admission_requirements", "en"),
        weakly(user("does the army year count?", "ask_nav_courses"), 0.91), language="en")
    assert await ContextReading(KNOWLEDGE, TableNlu({})).answer_if_it_counts(
        CollectingDispatcher(), tracker) is not None


@pytest.mark.parametrize(("text", "quoted"), [
    ("hvor gammel må man være", True),
    ("hvor gammel er du?", False),  # the bot's age: out of scope
])
async def test_the_age_required_is_read_with_the_answer_however_sure_out_of_scope_is(
        tracker_dict: dict[str, Any], text: str, quoted: bool) -> None:
    """"hvor gammel må man være" after the 23/5 rule (0.86 out of scope) got the
    out-of-scope reply."""
    tracker = conversation(tracker_dict, user("hva med 23/5", "ask_23_5_rule"),
                           answer("ask_23_5_rule", "nb"),
                           weakly(user(text, "out_of_scope"), 0.86))
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert (responses[:1] == ["utter_from_the_answer"]) is quoted
    if quoted:
        assert "23 år" in dispatcher.messages[0]["quote"]


@pytest.mark.parametrize(("text", "read_as", "confidence", "meant"), [
    # a word only the broader answer holds ("kortere": the apprenticeship shortened)
    ("hva med å gå som lærling som voksen, blir læretida kortere da?",
     "ask_trade_certificate_adult", 0.48, "ask_trade_certificate_adult"),
    ("hva med å gå som lærling som voksen, blir læretida kortere da?", "nlu_fallback", 0.4,
     "ask_trade_certificate_adult"),
    # a sure reading of the narrower topic or of another stands
    ("hvor mye praksis trengs egentlig for praksiskandidat?", "ask_praksiskandidat", 0.95, None),
    ("kan jeg få lån til å ta fagbrev?", "ask_student_finance_deadline", 0.85, None),
    # a weak reading of a third topic stands too ("voksen" tells nothing of the topic)
    ("Kan jeg få lærekontrakt selv om jeg er voksen?", "ask_apprenticeship", 0.56, None),
])
def test_a_word_only_the_broader_answer_holds_asks_the_broader(
        tracker_dict: dict[str, Any], text: str, read_as: str, confidence: float,
        meant: str | None) -> None:
    """"hva med å gå som lærling som voksen, blir læretida kortere da?" after praksiskandidat
    (0.48 an adult's ways) got praksiskandidat's sentence on apprentices."""
    tracker = conversation(
        tracker_dict, user("kan hun ta fagbrev som praksiskandidat?", "ask_praksiskandidat"),
        answer("ask_praksiskandidat", "nb"), weakly(user(text, read_as), confidence))
    assert broader_by_its_words(tracker, KNOWLEDGE) == meant
