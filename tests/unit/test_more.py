"""More on what the bot just answered (actions/more.py)."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE
from actions.more import links_in_last_answer
from bot.shared.asking_for_more import asks_for_more


def said(who: str, text: str) -> dict[str, str]:
    return {"event": who, "text": text}


def test_the_links_are_those_of_the_answer_just_given() -> None:
    events = [said("user", "hva er fagskole"),
              said("bot", "Fagskole er ... Kilde: https://www.fagskole.no/om."),
              said("user", "og hvor mange studieønsker kan jeg ha?"),
              said("bot", "Du kan føre opp inntil ti ...\nKilde: https://www.samordnaopptak.no/"),
              said("bot", "Les mer: https://utdanning.no/x"),
              said("user", "kan du si mer om det?")]
    published = frozenset({"https://www.samordnaopptak.no/", "https://utdanning.no/x",
                           "https://www.fagskole.no/om"})
    assert links_in_last_answer(events, published) == ["https://www.samordnaopptak.no/",
                                                       "https://utdanning.no/x"]


def test_only_the_bots_own_links_are_offered_again() -> None:
    """A link a person or a counsellor wrote is never presented as the bot's source."""
    source = KNOWLEDGE.for_intent("ask_higher_education_choices")[0].source
    events = [said("user", "hvor mange studieønsker kan jeg ha?"),
              said("bot", f"Du kan føre opp inntil ti ...\nKilde: {source}"),
              said("bot", "Du skrev: se https://example.invalid/login"),
              said("user", "fortell mer")]
    assert links_in_last_answer(events) == [source]


def test_no_answer_before_has_no_links() -> None:
    assert links_in_last_answer([said("user", "tell me more")]) == []
    assert links_in_last_answer([said("user", "hei"), said("bot", "Hei! Hva lurer du på?"),
                                 said("user", "fortell mer")]) == []


@pytest.mark.parametrize("text", [
    "kan du si litt mer om det?", "fortel meir", "Kan du seie meir om dette?",
    "tell me more", "could you elaborate?", "har du mer info om det?", "jeg vil vite mer",
    "interessant! kan du fortelje litt meir", "more details please",
    # not understood, then more asked for
    "skjønte ikke helt, kan du forklare litt mer?", "i didn't quite get that, explain more pls",
    "forstod ikkje heilt. kan du seie meir om det?",
    "can you tell me more about how the process works?", "kan du si mer om hvordan det fungerer?",
    # where to read more, a link: the answer's sources (was out of scope)
    "where can i read more", "kvar kan eg lese meir om det?", "har du en lenke?",
    "any link for that?",
])
def test_a_request_for_more(text: str) -> None:
    assert asks_for_more(text)


@pytest.mark.parametrize("text", [
    "kan du si mer om fagskole?", "fortell mer om lånekassen", "tell me more about nursing",
    "jeg vil ha mer lån", "hvordan får jeg mer stipend", "jeg vil tjene mer",
    "kan du forklare hva fagbrev er", "", "skjønte ikke helt hva fristen var",
    "where can i read more about nursing", "where can i find a job",
])
def test_a_question_that_names_its_topic_is_no_request_for_more(text: str) -> None:
    assert not asks_for_more(text)
