"""A message read as a need for guidance (actions/personal_guidance.py): a long story that
ends in a question the bot can answer gets that answer; anything else gets what a
counsellor can help with. The offer of a counsellor follows either way (the rule)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.in_context import ContextReading
from actions.personal_guidance import ActionPersonalGuidance, asks_what_to_choose
from actions.several_questions import SeveralQuestions
from bot.shared.crisis import CRISIS_ACTION
from bot.shared.knowledge import render_answer
from tests.unit.action_fakes import conversation, user
from tests.unit.test_several_questions import OccupationNlu, TableNlu

STORY = ("jeg er 41 og har vært sykemeldt lenge etter en skade på jobb, og vil gjerne "
         "omskolere meg til noe annet.")
QUESTION = "kan jeg ta utdanning og beholde pengene fra nav?"


def action(table: dict[str, tuple[str, float]]) -> ActionPersonalGuidance:
    return ActionPersonalGuidance(SeveralQuestions(KNOWLEDGE, TableNlu(table), threshold=0.4))


async def run(make_tracker: Any, text: str, table: dict[str, tuple[str, float]]
              ) -> tuple[list[Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "ask_personal_guidance", language="nb")
    events = await action(table).run(dispatcher, tracker, {})
    return events, dispatcher


async def test_a_story_ending_in_a_plain_question_gets_its_answer(make_tracker: Any) -> None:
    events, dispatcher = await run(make_tracker, f"{STORY} {QUESTION}",
                                   {QUESTION.rstrip("?"): ("ask_nav_benefits_studying", 0.8)})
    assert events == []
    assert [m.get("text") for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_nav_benefits_studying"), "nb")]


async def test_a_question_about_what_to_choose_gets_the_counsellors_side(
        make_tracker: Any) -> None:
    asked = "hva bør jeg velge?"
    _, dispatcher = await run(make_tracker, f"{STORY} {asked}",
                              {asked.rstrip("?"): ("ask_personal_guidance", 0.9)})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]


async def test_a_short_message_or_an_unclear_question_too(make_tracker: Any) -> None:
    for text in ("jeg vet ikke hva jeg skal bli", f"{STORY} {QUESTION}"):
        _, dispatcher = await run(make_tracker, text, {})
        assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]


async def test_a_question_read_as_crisis_goes_to_the_crisis_action(make_tracker: Any) -> None:
    # (A whole message in crisis language never gets here: the Rasa server reads it as a
    # crisis first.)
    asked = "hva er vitsen med noe av dette?"
    events, dispatcher = await run(make_tracker, f"{STORY} {asked}",
                                   {asked.rstrip("?"): ("crisis", 0.99)})
    assert events == [FollowupAction(CRISIS_ACTION)]
    assert dispatcher.messages == []


async def test_a_story_that_ends_asking_for_someone_to_talk_to_is_not_answered(
        make_tracker: Any) -> None:
    # Read alone, the last sentence is this service's price.
    asked = "trenger virkelig noen å snakke med om det"
    _, dispatcher = await run(make_tracker, f"{STORY} {asked}",
                              {asked: ("ask_service_free_anonymous", 0.8)})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]
    asked = "er det gratis å snakke med dere om sånt?"
    _, dispatcher = await run(make_tracker, f"{STORY} {asked}",
                              {asked.rstrip("?"): ("ask_service_free_anonymous", 0.9)})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]


async def test_a_story_asking_the_way_to_an_occupation_gets_it(make_tracker: Any) -> None:
    asked = "hvordan blir jeg lærer?"
    table = {asked: ("ask_occupation_path", 0.86), asked.rstrip("?"): ("ask_occupation_path", 0.86)}
    guidance = ActionPersonalGuidance(
        SeveralQuestions(KNOWLEDGE, OccupationNlu(table), threshold=0.4))
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(f"{STORY} {asked}", "ask_personal_guidance", language="nb")
    assert await guidance.run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_occupation_path"
    assert message["name"] == "lærer"


async def test_a_what_if_right_after_a_career_answer_is_about_that_answer(
        tracker_dict: dict[str, Any]) -> None:
    """"hva om jeg ikke er enig i resultatet?" after prior learning read as a need for
    guidance (0.59) and got "that is what counsellors help with"."""
    before, what_if = "kan jeg få vurdert det jeg kan fra jobben?", \
        "hva om jeg ikke er enig i resultatet?"
    table = {f"{before.rstrip(' .')}. {what_if}": ("ask_prior_learning", 0.81)}
    guidance = ActionPersonalGuidance(SeveralQuestions(KNOWLEDGE, TableNlu({}), threshold=0.4),
                                      ContextReading(KNOWLEDGE, TableNlu(table)))
    tracker = conversation(tracker_dict, user(before, "ask_prior_learning"),
                           user(what_if, "ask_personal_guidance"))
    dispatcher = CollectingDispatcher()
    events = await guidance.run(dispatcher, tracker, {})
    said = [event for event in events if event.get("event") == "user"]
    assert [e["parse_data"]["intent"]["name"] for e in said] == ["ask_prior_learning"]
    assert dispatcher.messages == []  # the rule for ask_prior_learning answers


PHARMACIST = ("Hei, jeg kommer fra Syria og har bachelor i farmasi fra universitetet i "
              "Damaskus. Nå jobber jeg på et lager, men jeg vil jobbe som farmasøyt igjen. "
              "Hva må jeg gjøre?")


@pytest.mark.parametrize(("text", "occupation", "authorisation"), [
    (PHARMACIST, "farmasoyt", True),
    ("I trained as a teacher in Ukraine. What are my options?", "laerer", True),
    # trained here, or an occupation anyone may practise
    ("jeg er sykepleier og lei av turnus. hva bør jeg gjøre?", "sykepleier", False),
    ("jeg kommer fra Polen og er tømrer. hva må jeg gjøre?", "tomrer", False),
])
async def test_a_regulated_occupation_trained_abroad_gets_who_authorises_it(
        tracker_dict: dict[str, Any], text: str, occupation: str, authorisation: bool) -> None:
    asked = user(text, "ask_personal_guidance")
    asked["parse_data"]["entities"] = [{"entity": "occupation", "value": occupation}]
    dispatcher = CollectingDispatcher()
    assert await action({}).run(dispatcher, conversation(tracker_dict, asked, language="nb"),
                                {}) == []
    regulated = render_answer(KNOWLEDGE.for_intent("ask_regulated_profession"), "nb")
    said = [m.get("text") or m.get("response") for m in dispatcher.messages]
    assert said == ([regulated] if authorisation else ["utter_personal_guidance"])


@pytest.mark.parametrize("asked", [
    "men ærlig talt, hva mener dere han burde velge? yrkesfag eller studiespes?",
    "og kva synest du eg bør velje då?",
    "but what would you recommend for me?",
])
async def test_asking_what_to_choose_after_a_career_answer_stays_a_need_for_guidance(
        tracker_dict: dict[str, Any], asked: str) -> None:
    """Read with upper secondary's choices, the opinion asked for was that answer again."""
    before = "hvor mange programmer kan han sette opp?"
    table = {f"{before.rstrip(' .')}. {asked}": ("ask_upper_secondary_choices", 0.8)}
    guidance = ActionPersonalGuidance(SeveralQuestions(KNOWLEDGE, TableNlu({}), threshold=0.4),
                                      ContextReading(KNOWLEDGE, TableNlu(table)))
    tracker = conversation(tracker_dict, user(before, "ask_upper_secondary_choices"),
                           user(asked, "ask_personal_guidance"))
    dispatcher = CollectingDispatcher()
    assert await guidance.run(dispatcher, tracker, {}) == []
    assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]


@pytest.mark.parametrize(("text", "language"), [
    ("eg er veteran frå Forsvaret, er det noko eige tilbod for meg?", "nn"),
    ("I'm a veteran from Afghanistan, is there any guidance for veterans?", "en"),
])
async def test_a_veteran_gets_the_national_veterans_service_at_bardufoss(
        tracker_dict: dict[str, Any], text: str, language: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user(text, "ask_personal_guidance"), language=language)
    assert await action({}).run(dispatcher, tracker, {}) == []
    [said] = dispatcher.messages
    assert "Bardufoss" in said["text"] and ("veteran" in said["text"].lower())


async def test_a_what_if_leans_past_a_place_answered_in_between(
        tracker_dict: dict[str, Any]) -> None:
    """"hva om jeg er uenig i resultatet?" after prior learning, then where to go in
    Fredrikstad: read with the centre's question it is not understood; with prior
    learning's, it is about that."""
    prior, where, what_if = ("hva er realkompetansevurdering", "hvem skal jeg kontakte? bor i "
                             "Fredrikstad", "hva om jeg er uenig i resultatet?")
    table = {f"{prior}. {what_if}": ("ask_prior_learning", 0.8)}
    guidance = ActionPersonalGuidance(SeveralQuestions(KNOWLEDGE, TableNlu({}), threshold=0.4),
                                      ContextReading(KNOWLEDGE, TableNlu(table)))
    tracker = conversation(tracker_dict, user(prior, "ask_prior_learning"),
                           user(where, "ask_career_centre"),
                           user(what_if, "ask_personal_guidance"))
    events = await guidance.run(CollectingDispatcher(), tracker, {})
    said = [event for event in events if event.get("event") == "user"]
    assert [e["parse_data"]["intent"]["name"] for e in said] == ["ask_prior_learning"]


async def test_a_veteran_read_as_asking_about_the_service_gets_bardufoss_too(
        tracker_dict: dict[str, Any]) -> None:
    asked = "e veteran fra forsvaret forresten, e det nåkka eget opplegg for sånne som mæ?"
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user(asked, "ask_about_service"), language="nb")
    assert await ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {}) == []
    [said] = dispatcher.messages
    assert "Bardufoss" in said["text"]


@pytest.mark.parametrize(("text", "opinion"), [
    ("men ærlig talt, hva mener dere han burde velge?", True),
    ("which one should I pick?", True),
    ("hvilket program passer for henne?", True), ("which course suits me best?", True),
    ("kva for ei utdanning passar for meg?", True), ("what is best for him?", True),
    # whether it is worth it at all
    ("Er det i det hele tatt noe poeng å ta utdanning i min alder?", True),
    ("er det noko vits å byrje på nytt no?", True), ("is it even worth retraining at 58?", True),
    ("is there any point in studying at my age?", True),
    ("lønner det seg å ta fagbrev når jeg er 50?", True),
    # how points are counted is a plain question
    ("hvor mange poeng får jeg for folkehøgskole?", False),
    # a plain question about what is needed is not an opinion asked for
    ("og hvilke fag skal jeg ta da?", False),
    ("hvilke fag bør jeg ta for å bli sykepleier", False),
    ("passer fagskole for voksne?", False), ("hvilke dager passer det å ringe?", False),
])
def test_what_counts_as_asking_the_bots_opinion(text: str, opinion: bool) -> None:
    assert asks_what_to_choose(text) is opinion


@pytest.mark.parametrize(("asked", "question", "read_as"), [
    # "hun liker å tegne og er flink med hendene, hvilket program passer for henne?" got
    # upper secondary's rights (the question alone, 0.46): what suits her is guidance
    ("hun vet ikke selv hva hun vil. hun liker å tegne og er flink med hendene, "
     "hvilket program passer for henne?", "hvilket program passer for henne?",
     ("ask_upper_secondary_rights", 0.46)),
    # whether it is worth it got how points are counted (the question alone, for its
    # "poeng")
    ("Jeg er 58 og har vært sykmeldt fra jobben som sveiser. Legen sier jeg ikke kan "
     "fortsette. Er det i det hele tatt noe poeng å ta utdanning i min alder?",
     "Er det i det hele tatt noe poeng å ta utdanning i min alder?",
     ("ask_competition_points", 0.7)),
])
async def test_a_story_that_asks_an_opinion_stays_a_need_for_guidance(
        tracker_dict: dict[str, Any], asked: str, question: str,
        read_as: tuple[str, float]) -> None:
    guidance = ActionPersonalGuidance(
        SeveralQuestions(KNOWLEDGE, TableNlu({question: read_as}), threshold=0.4),
        ContextReading(KNOWLEDGE, TableNlu({})))
    tracker = conversation(tracker_dict, user(asked, "ask_personal_guidance"))
    dispatcher = CollectingDispatcher()
    assert await guidance.run(dispatcher, tracker, {}) == []
    assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]


@pytest.mark.parametrize(("asked", "read_as", "bardufoss"), [
    ("I'm actually an army veteran (British, moved here 5 yrs ago). Heard there's something "
     "specifically for veterans?", "ask_23_5_rule", True),
    ("finnes det et eget tilbud for veteraner?", "ask_folkehogskole", True),
    # a veteran asking something else gets that answered
    ("I'm a veteran, when is the deadline for the student loan?",
     "ask_student_finance_deadline", False),
])
async def test_a_veteran_asking_what_there_is_for_veterans_gets_bardufoss_whatever_read(
        tracker_dict: dict[str, Any], asked: str, read_as: str, bardufoss: bool) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user(asked, read_as), language="en")
    await ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, TableNlu({}))).run(
        dispatcher, tracker, {})
    assert ("Bardufoss" in dispatcher.messages[0]["text"]) is bardufoss


async def test_a_veteran_not_understood_asking_for_help_gets_bardufoss(
        tracker_dict: dict[str, Any]) -> None:
    """"hey, ex-soldier here … is there anyone who helps veterans find civilian work?"
    went to the fallback's topic buttons."""
    from actions.handoff import ActionClarify

    asked = "left the navy last year. does anybody help veterans get a job outside it?"
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user(asked, "nlu_fallback"), language="en")
    await ActionClarify(SeveralQuestions(KNOWLEDGE, TableNlu({})),
                        ContextReading(KNOWLEDGE, TableNlu({}))).run(dispatcher, tracker, {})
    assert "Bardufoss" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(("text", "meant"), [
    # help with the application to a level: how one applies there
    ("treng hjelp med vgs-søknaden, kva gjer eg", "ask_upper_secondary_application"),
    ("can you help me with my application to university?", "ask_higher_education_deadline"),
    # help choosing, or no level named: guidance
    ("jeg trenger hjelp til å velge vgs", None),
    ("trenger hjelp med søknaden", None),
])
async def test_help_with_an_application_to_a_level_asks_how_to_apply(
        make_tracker: Any, text: str, meant: str | None) -> None:
    events, dispatcher = await run(make_tracker, text, {})
    said = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert said == ([meant] if meant else [])
    if meant is None:
        assert [m.get("response") for m in dispatcher.messages] == ["utter_personal_guidance"]
