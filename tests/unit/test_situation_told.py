"""A line that tells the person's situation and asks nothing is thanked for, and the
question asked for (actions/situation_told.py): "kom til norge i fjor" was told the bot
could not help."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import KNOWLEDGE, ActionOutOfScope
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.several_questions import SeveralQuestions
from actions.situation_told import TELL_ME_MORE, tells_a_situation
from bot.shared.asking import NONSENSE_KEY
from tests.unit.action_fakes import NoNlu, conversation, user


@pytest.mark.parametrize("text", [
    "kom til norge i fjor", "går i 10. nå", "droppa ut av vgs", "slutta på vgs i fjor",
    "har jobba i barnehage i 4 år uten utdanning", "e held til på stord", "bor i oslo",
    "ok. eg går vg3 påbygg", "jeg har ikke fagbrev", "i work at a hotel",
    "i finished high school in poland", "skal begynne på uni til høsten", "eg er 31",
    "e e 20 no",
    # how much Norwegian one speaks ("ho snakkar lite norsk enno": out of scope, 0.87)
    "ho snakkar lite norsk enno", "my norwegian is not so good", "norsken min er dårlig",
    # an age turned, "år" typed without å
    "bare sa du vet: jeg har fylt 41 ar", "i turned 30 last month",
    "i dont have any formal qualifications",
])
def test_a_line_of_ones_situation(text: str) -> None:
    assert tells_a_situation(text)


@pytest.mark.parametrize("text", [
    # asks: a question word, a question mark or the verb first
    "hvor bor du", "bor du i oslo?", "kan jeg jobbe ved siden av", "what do you do",
    # tells nothing of schooling, work, age, arrival or home
    "jeg liker pizza", "hei", "ok", "asdfghjkl", "jeg snakker norsk",
    # a wish for a person, a farewell
    "jeg vil snakke med en veileder", "takk for hjelpa, ha det",
    # a story too long to be a line of it
    "jeg har jobbet som tømrer i mange år og er lei, og nå vil jeg gjerne bytte til noe "
    "helt annet enn det",
])
def test_not_a_line_of_ones_situation(text: str) -> None:
    assert not tells_a_situation(text)


def _said(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [message.get("response") for message in dispatcher.messages]


async def test_a_situation_read_as_out_of_scope_is_thanked_for(
        tracker_dict: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user("kom til norge i fjor", "out_of_scope"))
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, {})
    assert _said(dispatcher) == [TELL_ME_MORE]


async def test_markup_that_names_a_level_is_still_out_of_scope(
        tracker_dict: dict[str, Any]) -> None:
    said = user("<b>vgs</b>", "out_of_scope")
    said["parse_data"][NONSENSE_KEY] = True
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(KNOWLEDGE, ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, conversation(tracker_dict, said), {})
    assert _said(dispatcher) == ["utter_out_of_scope"]


async def test_a_situation_not_understood_is_thanked_for_not_asked_about(
        tracker_dict: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation(tracker_dict, user("har jobba i barnehage i 4 år uten utdanning",
                                              "nlu_fallback"))
    await ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                        context=ContextReading(KNOWLEDGE, NoNlu())).run(dispatcher, tracker, {})
    assert _said(dispatcher) == [TELL_ME_MORE]


@pytest.mark.parametrize(("text", "thanked"), [
    # a pupil's or a worker's situation with the place: thanked for, no centre yet
    ("går i 10. klasse i drammen", True),
    ("hei! jobber som assistent på sykehjem i Sarpsborg. 2 år nå", True),
    # only where one lives: the centre there
    ("bor i drammen", False),
])
async def test_a_situation_told_with_a_place_is_thanked_for_not_given_the_centre(
        tracker_dict: dict[str, Any], text: str, thanked: bool) -> None:
    from actions.occupations import ActionAnswerInform

    said = user(text, "inform")
    said["parse_data"]["entities"] = [{"entity": "county", "value": "Buskerud"}]
    dispatcher = CollectingDispatcher()
    await ActionAnswerInform().run(dispatcher, conversation(tracker_dict, said,
                                                            county="Buskerud"), {})
    assert (_said(dispatcher) == [TELL_ME_MORE]) is thanked
    if not thanked:
        assert "Buskerud" in (dispatcher.messages[0].get("text") or "")
