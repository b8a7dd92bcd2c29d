"""Several questions in one message: the clear ones answered (two at most), or which first.

The Rasa server's parse is replaced here by a table; tests/integration/test_follow_ups.py
asks the real one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import FollowupAction

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.crisis import ActionCrisis
from actions.handoff import ActionClarify
from actions.levels import the_same_question_for_the_level_named
from actions.nlu_client import NluClient
from actions.several_questions import (
    SeveralQuestions,
    fallback_threshold,
    leans_on_the_story,
    question_after_context,
    questions_in,
)
from bot.shared.crisis import CRISIS_ACTION
from bot.shared.knowledge import render_answer


class TableNlu(NluClient):
    """Parses from a table; ``None`` for every part plays a Rasa server that is down."""

    def __init__(self, table: dict[str, tuple[str, float]] | None) -> None:
        super().__init__(base_url="http://127.0.0.1:1", token="")
        self.table = table
        self.asked: list[str] = []

    async def parse(self, text: str) -> dict[str, Any] | None:
        self.asked.append(text)
        if self.table is None:
            return None
        intent, confidence = self.table.get(text, ("nlu_fallback", 0.35))
        ranking = [{"name": intent, "confidence": confidence}]
        return {"text": text, "intent": {"name": intent, "confidence": confidence},
                "intent_ranking": ranking, "entities": []}


DEADLINE = "Når er søknadsfristen"
GRANT = "hvor mye får jeg i stipend"
TWO = f"{DEADLINE}, og {GRANT}?"
CLEAR = {DEADLINE: ("ask_higher_education_deadline", 0.9), GRANT: ("ask_student_grant", 0.8)}


def several(table: dict[str, tuple[str, float]] | None) -> SeveralQuestions:
    return SeveralQuestions(KNOWLEDGE, nlu=TableNlu(table), threshold=0.35)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (TWO, [DEADLINE, GRANT]),
        ("Hvordan søker jeg læreplass? Og når er fristen? Kan jeg få stipend?",
         ["Hvordan søker jeg læreplass", "når er fristen", "Kan jeg få stipend"]),
        ("When is the deadline and how much grant do I get?",
         ["When is the deadline", "how much grant do I get"]),
        ("kva er fristen for vidaregåande, kor mykje får eg i stipend",
         ["kva er fristen for vidaregåande", "kor mykje får eg i stipend"]),
        # "og" inside one question is no cut.
        ("Hva er forskjellen på fagskole og høyskole?",
         ["Hva er forskjellen på fagskole og høyskole"]),
        ("jeg vil bli elektriker og lurer på hvordan",
         ["jeg vil bli elektriker og lurer på hvordan"]),
        ("hva med Bergen?", ["hva med Bergen"]),
        # A greeting first is no part of the first question, which then asks.
        (f"hei! {DEADLINE.lower()} og {GRANT}?", [DEADLINE.lower(), GRANT]),
        ("Hello, when is the deadline and how much grant do I get?",
         ["when is the deadline", "how much grant do I get"]),
        # the greetings the server reads as opening a question (bot/shared/asking.py)
        ("halla, når er fristen og hvor mye stipend får jeg",
         ["når er fristen", "hvor mye stipend får jeg"]),
        ("Good morning! When is the deadline? How much grant do I get?",
         ["When is the deadline", "How much grant do I get"]),
        # a lead-in of a few words before a colon is no part of the first question
        ("two questions: can I get a student loan for part time online study, and is "
         "there a deadline?", ["can I get a student loan for part time online study",
                               "is there a deadline"]),
        ("to spørsmål: når er fristen, og hvor mye får jeg i stipend?",
         ["når er fristen", "hvor mye får jeg i stipend"]),
    ],
)
def test_a_message_is_cut_between_its_questions_only(text, parts):
    assert questions_in(text) == parts


def test_the_bar_is_the_fallback_classifiers(tmp_path: Path):
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: DIETClassifier\n  - name: FallbackClassifier\n"
                      "    threshold: 0.42\n", encoding="utf-8")
    assert fallback_threshold(config) == 0.42
    assert fallback_threshold(tmp_path / "missing.yml") == 0.35


async def test_two_clear_questions_get_two_answers_with_their_sources(
    make_tracker, dispatcher, domain
):
    tracker = make_tracker(TWO, "ask_higher_education_deadline")
    await ActionAnswerQuestion(several=several(CLEAR)).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nb"),
        render_answer(KNOWLEDGE.for_intent("ask_student_grant"), "nb"),
    ]
    assert all("Kilde" in m["text"] for m in dispatcher.messages)


async def test_more_than_two_get_the_first_two_and_a_word_about_the_rest(
    make_tracker, dispatcher, domain
):
    text = "Hvordan søker jeg læreplass? Og når er fristen? Kan jeg få stipend?"
    table = {"Hvordan søker jeg læreplass": ("ask_apprenticeship", 0.9),
             "når er fristen": ("ask_upper_secondary_deadline", 0.7),
             "Kan jeg få stipend": ("ask_student_grant", 0.8)}
    tracker = make_tracker(text, "ask_apprenticeship")
    await ActionAnswerQuestion(several=several(table)).run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 3
    assert dispatcher.messages[2]["response"] == "utter_first_two_answered"


async def test_one_clear_question_is_answered_as_today(make_tracker, dispatcher, domain):
    table = {DEADLINE: ("ask_higher_education_deadline", 0.9)}
    tracker = make_tracker(TWO, "ask_higher_education_deadline")
    await ActionAnswerQuestion(several=several(table)).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nb")]


async def test_the_situation_told_before_a_question_is_not_answered(
    make_tracker, dispatcher, domain
):
    # Cut at ", hva": the first part tells, it does not ask; read alone it was taken for
    # extra support from Lånekassen (0.42) and answered before the question.
    text = "min datter har dysleksi og gruer seg for videregående, hva slags rettigheter har hun"
    table = {"min datter har dysleksi og gruer seg for videregående":
             ("ask_student_finance_extra", 0.42),
             "hva slags rettigheter har hun": ("ask_upper_secondary_rights", 0.75)}
    tracker = make_tracker(text, "ask_upper_secondary_rights")
    await ActionAnswerQuestion(several=several(table)).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_upper_secondary_rights"), "nb")]


IN_CRISIS = {**CLEAR, GRANT: ("crisis", 0.99)}


@pytest.mark.parametrize("action", [ActionAnswerQuestion, ActionClarify])
async def test_a_crisis_part_goes_to_the_crisis_action_and_nothing_else(
    action, make_tracker, dispatcher, domain
):
    tracker = make_tracker(TWO, "ask_higher_education_deadline")
    events = await action(several=several(IN_CRISIS)).run(dispatcher, tracker, domain)
    assert events == [FollowupAction(CRISIS_ACTION)]
    assert dispatcher.messages == []


class CaseDesk:
    """Records the cases the crisis action opens; nobody online to take them."""

    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []

    async def open_case(self, case: dict[str, Any]) -> dict[str, Any]:
        self.cases.append(case)
        return {"status": "no_counsellor"}


@pytest.mark.parametrize(("text", "urgent"), [(TWO, True), ("/crisis", False)])
async def test_a_crisis_part_opens_an_urgent_case_but_a_typed_intent_does_not(
    text, urgent, make_tracker, dispatcher, domain
):
    desk = CaseDesk()
    tracker = make_tracker(text, "ask_higher_education_deadline")
    action = ActionCrisis(desk=desk, several=several(IN_CRISIS))  # type: ignore[arg-type]
    await action.run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_crisis_help"
    assert [case["priority"] for case in desk.cases] == (["urgent"] if urgent else [])


async def test_a_dead_rasa_server_gives_todays_single_answer(make_tracker, dispatcher, domain):
    tracker = make_tracker(TWO, "ask_higher_education_deadline")
    await ActionAnswerQuestion(several=several(None)).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nb")]


async def test_one_question_costs_no_parse(make_tracker, dispatcher, domain):
    helper = several(CLEAR)
    tracker = make_tracker("Når er fristen for å søke høyere utdanning?",
                           "ask_higher_education_deadline")
    await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert helper.nlu.asked == []


async def test_an_unclear_message_with_two_clear_questions_gets_both(
    make_tracker, dispatcher, domain
):
    tracker = make_tracker(TWO, "nlu_fallback")
    await ActionClarify(several=several(CLEAR)).run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 2
    assert all("Kilde" in m["text"] for m in dispatcher.messages)


DETAIL = "i'm 31 btw, does that change anything?"
# Its part "does that change anything" alone read as this service's price (0.68).
DETAIL_PARTS = {"i'm 31 btw": ("inform", 0.75),
                "does that change anything": ("ask_service_free_anonymous", 0.68)}


async def test_a_detail_asking_whether_it_matters_is_one_question_not_two(
    make_tracker, dispatcher, domain
):
    tracker = make_tracker(DETAIL, "nlu_fallback")
    await ActionClarify(several=several(DETAIL_PARTS)).run(dispatcher, tracker, domain)
    service = {render_answer(KNOWLEDGE.for_intent("ask_service_free_anonymous"), language)
               for language in ("nb", "nn", "en")}
    assert not any(message.get("text") in service for message in dispatcher.messages)


async def test_a_detail_asking_whether_it_matters_is_still_read_for_crisis_language(
    make_tracker, dispatcher, domain
):
    text = f"{DETAIL} i want to die"
    table = {**DETAIL_PARTS, "i want to die": ("crisis", 0.99)}
    tracker = make_tracker(text, "nlu_fallback")
    events = await ActionClarify(several=several(table)).run(dispatcher, tracker, domain)
    assert events == [FollowupAction(CRISIS_ACTION)]


async def test_two_unclear_questions_ask_which_first(make_tracker, dispatcher, domain):
    table = {DEADLINE: ("ask_higher_education_deadline", 0.2),
             GRANT: ("ask_student_grant", 0.2)}
    tracker = make_tracker(TWO, "nlu_fallback")
    await ActionClarify(several=several(table)).run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_which_first"
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_higher_education_deadline", "/ask_student_grant"]


async def test_an_unclear_message_with_a_dead_rasa_server_is_clarified_as_today(
    make_tracker, dispatcher, domain
):
    tracker = make_tracker(TWO, "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_higher_education_deadline", "confidence": 0.3}]
    await ActionClarify(several=several(None)).run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify"]


STORY = ("Datteren min er ferdig på ungdomsskolen i vår og er usikker på hva hun vil. "
         "Vi har snakket mye om det hjemme. Når er fristen for å søke videregående?")
ASKED = "Når er fristen for å søke videregående"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        (STORY, "Når er fristen for å søke videregående?"),
        ("I'm 45 and was made redundant after twenty years in the same factory. I never "
         "finished upper secondary school. Do I have a right to it as an adult?",
         "Do I have a right to it as an adult?"),
        ("Eg er far til ein gut på 17 som går vg2 elektro, og han har ikkje fått læreplass.\n"
         "Vi lurar på kva som skjer no", "Vi lurar på kva som skjer no"),
        # short ones too: a question first and why it is asked, or a remark and a request
        ("korleis blir ein tømrar? dottera mi er 16 og vurderer det",
         "korleis blir ein tømrar?"),
        ("how do I become a chef? my son is 15 and loves cooking", "how do I become a chef?"),
        ("Når er fristen? Jeg lurer.", "Når er fristen?"),
        ("my english is better than my norwegian. can I talk with counselor in english",
         "can I talk with counselor in english"),
        ("Jeg er 17. Når er fristen?", "Når er fristen?"),
        # one sentence, every sentence a question, or nothing asked: no story to leave out
        ("Når er fristen? Og hva koster det?", None),
        ("Jeg er 38 og har jobbet i barnehage i mange år uten fagbrev og vil ta det nå", None),
        ("Jeg er 38 år. Jeg har jobbet i barnehage i mange år. Jeg har ikke fagbrev enda.",
         None),
    ],
)
def test_a_message_that_tells_its_story_is_read_by_its_question(text, question):
    assert question_after_context(text) == question


class OccupationNlu(TableNlu):
    """The table's parses, with an occupation entity wherever the text names one of
    ``NAMED`` (as the Rasa server's OccupationExtractor finds it)."""

    NAMED = {"elektrikar": "elektriker", "lærer": "laerer"}

    async def parse(self, text: str) -> dict[str, Any] | None:
        parse = await super().parse(text)
        named = next((value for word, value in self.NAMED.items() if word in text), None)
        if parse is not None and named is not None:
            parse["entities"] = [{"entity": "occupation", "value": named}]
        return parse


async def test_an_occupation_asked_before_a_remark_gets_the_way_there(
    make_tracker, dispatcher, domain
):
    asked = "korleis blir ein elektrikar?"
    helper = SeveralQuestions(KNOWLEDGE, nlu=OccupationNlu({asked: ("ask_occupation_path", 0.9)}),
                              threshold=0.35)
    tracker = make_tracker(f"{asked} sonen min er 15 og tenkjer pa det", "nlu_fallback")
    await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    assert asked in helper.nlu.asked
    assert [m.get("response") for m in dispatcher.messages] == ["utter_occupation_path"]


async def test_a_greeting_whose_question_is_understood_gets_the_answer(
    make_tracker, dispatcher, domain
):
    helper = several({"Er denne tenesta gratis": ("ask_service_free_anonymous", 0.9)})
    tracker = make_tracker("God morgon. Er denne tenesta gratis?", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [{"name": "greet", "confidence": 0.6}]
    await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_service_free_anonymous"), "nb")]


@pytest.mark.parametrize(("reading", "taken_as"), [
    (("ask_opening_hours", 0.63), "ask_opening_hours"),  # an answer the bot works out
    (("human_handoff", 0.8), "human_handoff"),
    (("ask_opening_hours", 0.2), None),  # unsure: greeted back
    (("out_of_scope", 0.9), None),  # no question the bot answers: greeted back
])
async def test_a_greeting_with_a_question_read_alone_is_asked_that(
    make_tracker, dispatcher, domain, reading, taken_as
):
    # "hei, er de opne no?": 0.40 the fallback, 0.34 the greeting; its question alone
    # 0.63 the opening hours, which no knowledge entry answers (an action works them out).
    tracker = make_tracker("hei, er de opne no?", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.34}]
    helper = several({"er de opne no?": reading})
    events = await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    said = [event for event in events if event.get("event") == "user"]
    if taken_as is None:
        assert not said
        assert [m.get("response") for m in dispatcher.messages] == ["utter_greet"]
    else:
        assert [event["parse_data"]["intent"]["name"] for event in said] == [taken_as]
        assert dispatcher.messages == []


async def test_thanks_with_a_question_read_alone_is_asked_that(make_tracker, dispatcher, domain):
    """"takk! kvar søkjer eg lån etterpå" was read as thanks: «Berre hyggeleg!»."""
    tracker = make_tracker("takk! kvar søkjer eg lån etterpå", "nlu_fallback", language="nn")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": "thank", "confidence": 0.2}]
    helper = several({"kvar søkjer eg lån etterpå": ("ask_student_finance_deadline", 0.8)})
    events = await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    said = [event for event in events if event.get("event") == "user"]
    assert [event["parse_data"]["intent"]["name"] for event in said] == [
        "ask_student_finance_deadline"]


async def test_a_greeting_whose_question_is_not_understood_is_greeted_back(
    make_tracker, dispatcher, domain
):
    tracker = make_tracker("hei! blåbær i skogen?", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.4}]
    await ActionClarify(several=several({})).run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_greet"]


async def test_an_unclear_story_with_a_clear_question_gets_its_answer(
    make_tracker, dispatcher, domain
):
    helper = several({ASKED: ("ask_upper_secondary_deadline", 0.8)})
    tracker = make_tracker(STORY, "nlu_fallback")
    await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    assert helper.nlu.asked == [ASKED]
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_upper_secondary_deadline"), "nb")]


@pytest.mark.parametrize("reading", [
    ("ask_upper_secondary_deadline", 0.8),
    ("leave_question", 0.2),  # a counsellor, unsurely: not what was asked
])
async def test_an_understood_story_is_answered_whole(make_tracker, dispatcher, domain, reading):
    # Its question is read once, alone, only to see whether it asks for a counsellor.
    helper = several({f"{ASKED}?": reading})
    tracker = make_tracker(STORY, "ask_upper_secondary_deadline")
    await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert helper.nlu.asked == [f"{ASKED}?"]
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_upper_secondary_deadline"), "nb")]


async def test_a_story_cut_where_it_goes_on_is_still_read_by_its_question(
    make_tracker, dispatcher, domain
):
    # "and would like to …" cuts the story in two where no question is asked.
    text = ("I'm on sick pay after a knee operation and would like to train for a desk "
            "job. Can I take a course and keep the money?")
    asked = "Can I take a course and keep the money"
    helper = several({asked: ("ask_nav_benefits_studying", 0.8)})
    await ActionClarify(several=helper).run(dispatcher, make_tracker(text, "nlu_fallback"),
                                            domain)
    # The question is read first; the story's parts only for crisis language.
    assert helper.nlu.asked[0] == asked
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_nav_benefits_studying"), "nb")]


async def test_crisis_language_in_the_story_before_a_question_is_still_found():
    text = ("Hvor mye får jeg i stipend hvis jeg bor hjemme? Kjenner at alt er håpløst og at "
            "ingen bryr seg om meg")
    helper = several({"Kjenner at alt er håpløst og at ingen bryr seg om meg": ("crisis", 1.0),
                      "Hvor mye får jeg i stipend hvis jeg bor hjemme": ("ask_student_grant",
                                                                          0.9)})
    reading = await helper.read(text, story_first=True)
    assert reading is not None and reading.crisis


@pytest.mark.parametrize("wish", ["leave_question", "human_handoff"])
async def test_a_story_that_asks_for_a_counsellor_gets_one_whatever_its_topic(
    make_tracker, dispatcher, domain, wish
):
    story = ("jeg har et litt innvikla spørsmål om godkjenning av fag fra to forskjellige "
             "land. kan jeg legge igjen spørsmålet så noen svarer meg senere?")
    asked = "kan jeg legge igjen spørsmålet så noen svarer meg senere?"
    helper = several({asked: (wish, 0.9)})
    tracker = make_tracker(story, "ask_foreign_education_recognition")
    events = await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"] \
        == [wish]
    assert dispatcher.messages == []


async def test_an_unclear_story_that_asks_for_a_counsellor_gets_one(
    make_tracker, dispatcher, domain
):
    story = ("Sønnen min vil bli elektriker men fikk ikke læreplass i år, og vi vet ikke hva "
             "vi skal gjøre nå. Kan jeg få snakke med en veileder om dette?")
    helper = several({"Kan jeg få snakke med en veileder om dette": ("human_handoff", 0.8)})
    tracker = make_tracker(story, "nlu_fallback")
    events = await ActionClarify(several=helper).run(dispatcher, tracker, domain)
    assert [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"] \
        == ["human_handoff"]
    assert dispatcher.messages == []


async def test_a_question_and_a_wish_for_a_counsellor_get_the_answer_then_the_counsellor(
    make_tracker, dispatcher, domain
):
    text = f"{DEADLINE}? Og kan jeg snakke med en rådgiver?"
    helper = several({DEADLINE: ("ask_higher_education_deadline", 0.9),
                      "kan jeg snakke med en rådgiver": ("human_handoff", 0.9)})
    tracker = make_tracker(text, "ask_higher_education_deadline")
    events = await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "nb")]
    assert [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"] \
        == ["human_handoff"]


async def test_a_fragment_read_weakly_as_a_wish_for_a_counsellor_is_not_one(
    make_tracker, dispatcher, domain
):
    # "…realkompetansevurdering, hva er det og kan det gjelde meg?": the last part alone
    # read 0.57 leave_question on the real server.
    text = ("Jeg har hørt om noe som heter realkompetansevurdering, hva er det og kan det "
            "gjelde meg?")
    helper = several({"hva er det": ("ask_prior_learning", 0.6),
                      "kan det gjelde meg": ("leave_question", 0.57)})
    tracker = make_tracker(text, "ask_prior_learning")
    events = await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_prior_learning"), "nb")]


@pytest.mark.parametrize(("text", "questions"), [
    ("Eg har høyrt at fristen er tidlegare for dei som søkjer fortrinnsrett? Stemmer det?",
     ["Eg har høyrt at fristen er tidlegare for dei som søkjer fortrinnsrett"]),
    ("so the loan becomes a grant if I pass, is that right?",
     ["so the loan becomes a grant if I pass"]),
    # a question of its own after it still counts
    ("fristen er 1. mars, er det riktig? og hvor mye får jeg i stipend?",
     ["fristen er 1. mars", "hvor mye får jeg i stipend"]),
])
def test_a_tag_asking_whether_it_is_so_is_no_question_of_its_own(text, questions):
    assert questions_in(text) == questions


@pytest.mark.parametrize(("text", "questions"), [
    ("Har hørt om noe som heter 23/5 regelen? hva er det",
     ["Har hørt om noe som heter 23/5 regelen, hva er det"]),
    ("my friend said something about realkompetanse. what does that mean?",
     ["my friend said something about realkompetanse. what does that mean"]),
    ("Jeg har hørt om fagbrev på jobb, hva er det og kan det gjelde meg?",
     ["Jeg har hørt om fagbrev på jobb, hva er det", "kan det gjelde meg"]),
    ("can i get money from lånekassen like norwegian students? how to apply",
     ["can i get money from lånekassen like norwegian students, how to apply"]),
    ("kan jeg få lån til fagskole? og hvor søker man da?",
     ["kan jeg få lån til fagskole, hvor søker man da"]),
    # a question of its own stays one
    ("hva er fagskole? hva koster det?", ["hva er fagskole", "hva koster det"]),
    ("when is the deadline? where do I apply for the loan?",
     ["when is the deadline", "where do I apply for the loan"]),
])
def test_asking_what_it_is_or_where_to_apply_asks_about_the_part_before(text, questions):
    assert questions_in(text) == questions


SON = ("Hei. Sønnen min går i 10. klasse og er helt blank på hva han vil. Vi har diskutert "
       "dette i ukevis. Når må han egentlig søke, og hvor mange ting kan han sette opp?")


async def test_questions_without_a_level_are_asked_for_the_one_the_story_names():
    """Read alone, the parts are Samordna opptak's deadline and choices; the son is in
    10th grade, on his way to upper secondary."""
    reading = await several({
        "Når må han egentlig søke": ("ask_higher_education_deadline", 0.6),
        "hvor mange ting kan han sette opp": ("ask_higher_education_choices", 0.7),
    }).read(SON, story_first=True)
    assert reading.answerable == ["ask_upper_secondary_deadline", "ask_upper_secondary_choices"]


async def test_tenth_grade_in_english_names_upper_secondary_too():
    """"my daughter is in 10th grade, how many programmes can she apply for": its question
    read alone is Samordna opptak's choices (0.58)."""
    reading = await several({
        "how many programmes can she apply for": ("ask_higher_education_choices", 0.58),
    }).read("my daughter is in 10th grade, how many programmes can she apply for",
            story_first=True)
    assert reading.answerable == ["ask_upper_secondary_choices"]


async def test_a_pupil_in_vg3_asking_about_samordna_asks_higher_educations_questions():
    """"Hei, jeg går vg3 og lurer på to ting: når er fristen til samordna og hvor mange valg
    kan jeg ha?" got upper secondary's deadline and programmes: vg3 is the last year."""
    text = ("Hei, jeg går vg3 og lurer på to ting: når er fristen til samordna og hvor mange "
            "valg kan jeg ha?")
    parts = questions_in(text)
    reading = await several({parts[0]: ("ask_higher_education_deadline", 0.7),
                             parts[1]: ("ask_higher_education_choices", 0.7)}).read(text)
    assert reading.answerable == ["ask_higher_education_deadline",
                                  "ask_higher_education_choices"]
    # in vg3 with nothing of study named, a deadline is still upper secondary's (an
    # apprenticeship, say)
    assert the_same_question_for_the_level_named(
        "ask_higher_education_deadline", "når er fristen",
        "jeg går vg3 elektro, når er fristen") == "ask_upper_secondary_deadline"


def test_a_pupil_in_tenth_grade_as_dialect_writes_it_names_upper_secondary():
    """"eg e far te ein gut i 10. han har dysleksi, kan han søkja individuell vurdering?
    når e fristen då": its deadline, read alone as Samordna opptak's, is upper
    secondary's (individual assessment has its early deadline there)."""
    text = ("eg e far te ein gut i 10. han har dysleksi, kan han søkja individuell vurdering? "
            "når e fristen då")
    assert the_same_question_for_the_level_named(
        "ask_higher_education_deadline", "når e fristen då", text) == "ask_upper_secondary_deadline"
    # a date is no grade
    assert the_same_question_for_the_level_named(
        "ask_higher_education_deadline", "er fristen i 10. mars", "er fristen i 10. mars") \
        == "ask_higher_education_deadline"


async def test_a_question_read_for_another_level_than_it_names_is_asked_for_its_own():
    """"when does he have to apply for high school" read alone is Samordna opptak's
    deadline (0.57): high school is upper secondary."""
    story = ("hello, my son is in 10th grade here in oslo, we moved here from the UK four "
             "years ago. when does he have to apply for high school and where?")
    reading = await several({
        "when does he have to apply for high school":
            ("ask_higher_education_deadline", 0.57),
    }).read(story, story_first=True)
    assert reading.answerable == ["ask_upper_secondary_deadline"]


async def test_a_question_naming_its_level_keeps_it():
    reading = await several({
        "Når er fristen for samordna opptak": ("ask_higher_education_deadline", 0.9),
        "hvor mange program kan han sette opp": ("ask_upper_secondary_choices", 0.7),
    }).read("Sønnen min går i 10. klasse og er helt blank på hva han vil. Vi har diskutert "
            "dette i ukevis. Når er fristen for samordna opptak, og hvor mange program kan han "
            "sette opp?", story_first=True)
    assert reading.answerable == ["ask_higher_education_deadline", "ask_upper_secondary_choices"]


async def test_parts_without_a_level_take_the_level_the_conversation_was_about(
        make_tracker, dispatcher, domain):
    """After a story about vg2 (answered with a question back), "og når må han i så fall
    søke" read alone is Samordna opptak's deadline."""
    from actions.levels import level_before
    from tests.unit.test_follow_ups import conversation, user

    story = user("sonen min har slutta på vg2 elektro i høst og sitter bare hjemme",
                 "nlu_fallback")
    asked = "kan han begynne på noe annet til høsten da? og når må han i så fall søke"
    tracker = conversation(story, user(asked, "ask_upper_secondary_rights"))
    assert level_before(tracker, KNOWLEDGE) == "upper_secondary"
    reading = await several({
        "kan han begynne på noe annet til høsten da": ("ask_upper_secondary_rights", 0.7),
        "når må han i så fall søke": ("ask_higher_education_deadline", 0.6),
    }).read(asked, level_before=level_before(tracker, KNOWLEDGE))
    assert reading.answerable == ["ask_upper_secondary_rights", "ask_upper_secondary_deadline"]


async def test_a_deadline_beside_a_loan_question_is_the_loans():
    """After fagskole, "kan jeg få lån fra lånekassen til det, og når må jeg søke?" asks
    when to apply for the loan, not for fagskole. (A deadline asked first, before the
    grant, keeps its reading: test_two_clear_questions_get_two_answers_with_their_sources.)"""
    asked = "kan jeg få lån fra lånekassen til det, og når må jeg søke?"
    table = {"kan jeg få lån fra lånekassen til det": ("ask_student_grant", 0.6),
             "når må jeg søke": ("ask_higher_education_deadline", 0.6)}
    reading = await several(table).read(asked, level_before="fagskole")
    assert reading.answerable == ["ask_student_grant", "ask_student_finance_deadline"]
    # a level named keeps the deadline the level's
    named = "kan jeg få lån fra lånekassen til fagskole, og når må jeg søke på fagskolen?"
    reading = await several({
        "kan jeg få lån fra lånekassen til fagskole": ("ask_student_grant", 0.6),
        "når må jeg søke på fagskolen": ("ask_higher_education_deadline", 0.6)}).read(named)
    assert reading.answerable[1] != "ask_student_finance_deadline"


async def test_a_bare_deadline_after_a_lead_in_and_a_loan_question_is_the_loans():
    """"two questions: can I get a student loan for part time online study, and is there
    a deadline?" got the part-time answer alone: behind its lead-in the first part did not
    ask, so the deadline was one question read whole."""
    asked = ("two questions: can I get a student loan for part time online study, and is "
             "there a deadline?")
    reading = await several({
        "can I get a student loan for part time online study":
            ("ask_study_finance_part_time", 0.94),
        "is there a deadline": ("ask_upper_secondary_deadline", 0.64)}).read(asked)
    assert reading is not None
    assert reading.answerable == ["ask_study_finance_part_time", "ask_student_finance_deadline"]


async def test_the_price_of_an_exam_is_not_answered_as_this_chats():
    """"i must take some exam first? who pay for it" (after the experience-based
    certificate): "who pay for it" was read as this service's price and answered "Yes,
    talking to a career counsellor is free"."""
    table = {"i must take some exam first": ("ask_praksiskandidat", 0.7),
             "who pay for it": ("ask_service_free_anonymous", 0.8)}
    reading = await several(table).read("i must take some exam first? who pay for it")
    assert reading is not None and reading.answerable == ["ask_praksiskandidat"]
    # the chat asked about by name is still answered
    table = {"er chatten gratis": ("ask_service_free_anonymous", 0.9),
             "når er fristen for studiet": ("ask_higher_education_deadline", 0.9)}
    reading = await several(table).read("er chatten gratis? når er fristen for studiet?")
    assert reading is not None and "ask_service_free_anonymous" in reading.answerable


async def test_a_part_asking_neither_price_nor_anonymity_is_not_answered_as_this_chats():
    """After a job interview: "is it ok to ask why?" read as this chat's price and
    anonymity got "Yes, talking to a career counsellor is free"."""
    text = "and if i dont get the job, is it ok to ask why?"
    table = {"if i dont get the job": ("nlu_fallback", 0.4),
             "is it ok to ask why": ("ask_service_free_anonymous", 0.8)}
    reading = await several(table).read(text, story_first=True)
    assert reading is None or reading.answerable == []


async def test_a_story_that_asks_only_what_now_is_not_read_by_that_question():
    """"what now" read alone was an apprenticeship (0.4x): the story is what it asks."""
    story = ("writing for my daughter, she's 16. we moved to norway in march so we missed "
             "all the deadlines for upper secondary. what now?")
    assert await several({"what now": ("ask_apprenticeship", 0.45),
                          "what now?": ("ask_apprenticeship", 0.45)}).read(
        story, story_first=True) is None



@pytest.mark.parametrize(("text", "table", "intents"), [
    # the second question after "also", "og" and "nar" (når typed without å): it was taken
    # for no question, and only the deadline answered
    ("hi, is this free? also when do i apply for uni",
     {"is this free": ("ask_service_free_anonymous", 0.9),
      "when do i apply for uni": ("ask_higher_education_deadline", 0.9)},
     ["ask_service_free_anonymous", "ask_higher_education_deadline"]),
    ("hei! er dette gratis? og nar er fristen for å søke videregaende",
     {"er dette gratis": ("ask_service_free_anonymous", 0.9),
      "nar er fristen for å søke videregaende": ("ask_upper_secondary_deadline", 0.9)},
     ["ask_service_free_anonymous", "ask_upper_secondary_deadline"]),
    # a situation, then the first question, in one part
    ("Hei. Datteren min skal søke studier i vår. Når er fristen og hvor mange valg kan hun "
     "ha?", {"Datteren min skal søke studier i vår. Når er fristen":
             ("ask_higher_education_deadline", 0.9),
             "hvor mange valg kan hun ha": ("ask_higher_education_choices", 0.9)},
     ["ask_higher_education_deadline", "ask_higher_education_choices"]),
    # the last one a bare deadline: still two questions, not the deadline alone
    ("hei! kor mange utdanningsprogram kan ein søkje på til vg1, og når er fristen?",
     {"kor mange utdanningsprogram kan ein søkje på til vg1":
      ("ask_upper_secondary_choices", 0.9), "når er fristen": ("ask_upper_secondary_deadline",
                                                                0.9)},
     ["ask_upper_secondary_choices", "ask_upper_secondary_deadline"]),
])
async def test_two_questions_however_joined_get_two_answers(
    make_tracker, dispatcher, domain, text, table, intents
):
    tracker = make_tracker(text, intents[1])
    await ActionAnswerQuestion(several=several(table)).run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(intent), "nb") for intent in intents]


async def test_a_question_unclear_alone_is_read_with_the_sentence_told_before_it():
    """"Can I get one without going back to school?" alone is the fallback; with "I've
    worked in construction for 7 years without a trade certificate." before it, an adult's
    trade certificate (0.49)."""
    told = "I've worked in construction for 7 years without a trade certificate."
    asked = "Can I get one without going back to school"
    story = f"Hey, {told} {asked}? Got kids and a mortgage so I can't stop working"
    reading = await several({
        asked: ("nlu_fallback", 0.4),
        f"{told} {asked}": ("ask_trade_certificate_adult", 0.49),
    }).read(story, story_first=True)
    assert reading.answerable == ["ask_trade_certificate_adult"]
    # read with it and still unclear: the topics it may be about, as before
    reading = await several({asked: ("nlu_fallback", 0.4)}).read(story, story_first=True)
    assert reading.answerable == []


@pytest.mark.parametrize(("whole", "alone", "meant"), [
    # the story pulled the whole away; the question alone reads surely and surer
    (("ask_pabygg", 0.63), ("ask_fagskole", 0.79), "ask_fagskole"),
    # the whole read surely, or the question alone not sure enough, or not surer by the
    # margin: the whole stands
    (("ask_pabygg", 0.75), ("ask_fagskole", 0.95), None),
    (("ask_pabygg", 0.50), ("ask_fagskole", 0.70), None),
    (("ask_pabygg", 0.66), ("ask_fagskole", 0.78), None),
])
async def test_a_storys_question_read_surer_alone_is_taken_over_the_whole(
        make_tracker, dispatcher, domain, whole, alone, meant):
    """"eg går vg2 elektro. kan eg gå fagskule etter fagbrevet?" (0.63 påbygg; the question
    alone 0.79 fagskole) got what påbygg is."""
    story = "eg går vg2 elektro. kan eg gå fagskule etter fagbrevet?"
    helper = several({"kan eg gå fagskule etter fagbrevet?": alone})
    tracker = make_tracker(story, whole[0])
    tracker.latest_message["intent"]["confidence"] = whole[1]
    events = await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([meant] if meant else [])


@pytest.mark.parametrize(("story", "asked", "whole"), [
    ("thinking about studying in the UK after my gap year. does Lånekassen give loans for that?",
     "does Lånekassen give loans for that?", "ask_study_finance_abroad"),
    ("i have chronic fatigue and can only study part time. can i still get a student loan",
     "can i still get a student loan", "ask_study_finance_part_time"),
])
async def test_a_storys_question_that_points_back_into_it_keeps_the_whole(
        make_tracker, dispatcher, domain, story, asked, whole):
    """Read alone as student finance in general (0.85, 0.81), both lost what the story said
    (studying abroad 0.65, part time 0.59)."""
    helper = several({asked: ("ask_student_finance_deadline", 0.85)})
    tracker = make_tracker(story, whole)
    tracker.latest_message["intent"]["confidence"] = 0.6
    events = await ActionAnswerQuestion(several=helper).run(dispatcher, tracker, domain)
    assert [e for e in events if e.get("event") == "user"] == []


@pytest.mark.parametrize(("question", "leans"), [
    ("does Lånekassen give loans for that?", True),
    ("can i still get a student loan", True),
    ("kan eg gå fagskule etter fagbrevet?", False),
    # there is, not there
    ("is there extra money for the tuition fees?", False),
    ("finst det eit karrieresenter i nærleiken?", False),
    ("er det noe ekstra støtte for det?", True),
])
def test_whether_a_storys_question_points_back_into_it(question: str, leans: bool) -> None:
    assert leans_on_the_story(question) is leans
