"""Career centres, occupations, Sami and crisis through the REST channel, end to end."""

from __future__ import annotations

import pytest

from tests.servers import Chat

pytestmark = pytest.mark.integration


def test_the_career_centre_form_asks_for_the_place_and_remembers_the_county(chat: Chat) -> None:
    person = "person-centre"
    assert "Hvor bor du?" in chat.texts(person, "hvor kan jeg få karriereveiledning i nærheten?")
    answer = chat.texts(person, "jeg bor i Alta")
    assert "Karriere Finnmark" in answer and "Kilde: https://www.ffk.no/" in answer
    assert chat.tracker(person)["slots"]["county"] == "Finnmark"
    # Asked again later, the county is remembered and the form does not ask.
    chat.texts(person, "når er fristen for samordna opptak")
    assert "Karriere Finnmark" in chat.texts(person, "finnes det et karrieresenter i nærheten?")


def test_a_place_named_in_the_question_needs_no_form(chat: Chat) -> None:
    answer = chat.texts("person-centre-named", "kvar er karrieresenteret i Romsa?")
    assert "Karriere Troms" in answer and "Kjelde: https://www.tromsfylke.no/" in answer


def test_an_unknown_place_is_asked_for_again_and_ascii_spelling_works(chat: Chat) -> None:
    person = "person-centre-unknown"
    assert "Where do you live?" in chat.texts(person, "is there a career centre near me?")
    assert "didn't recognise" in chat.texts(person, "Narnia")
    answer = chat.texts(person, "Tromso")
    assert "Karriere Troms" in answer and "Source: https://www.tromsfylke.no/" in answer


def test_occupations_are_described_and_followed_up(chat: Chat) -> None:
    person = "person-occupation"
    answer = chat.texts(person, "hva gjør en rørlegger?")
    assert answer.startswith("Rørlegger:") and "STYRK-08 7126" in answer
    assert "https://utdanning.no/yrker/beskrivelse/rorlegger" in answer
    # "det" points back to the plumber.
    answer = chat.texts(person, "hvordan blir man det?")
    assert answer.startswith("Slik blir du rørlegger:")


def test_inflected_and_compound_occupations_are_recognised(chat: Chat) -> None:
    assert chat.texts("person-inflected", "kva gjer sjukepleiarane?").startswith("Sjukepleiar:")
    answer = chat.texts("person-compound", "hvordan blir jeg barnesykepleier")
    assert answer.startswith("Slik blir du sykepleier:")
    answer = chat.texts("person-english-occupation", "how do I become an electrician?")
    assert answer.startswith("The path to becoming an electrician:")


def test_an_unknown_occupation_gets_the_occupation_search(chat: Chat) -> None:
    person = "person-astronaut"
    chat.texts(person, "hva gjør en rørlegger?")
    # A new occupation we do not know must not be answered for the plumber.
    assert "Hvilket yrke" in chat.texts(person, "hvordan blir jeg astronaut?")
    assert "https://utdanning.no/yrker" in chat.texts(person, "astronaut")


def test_crisis_in_english_and_nynorsk_gets_the_help_lines_first(chat: Chat) -> None:
    for person, message in [
        ("person-crisis-en", "honestly i just want to end it all"),
        ("person-crisis-nn", "eg orkar ikkje meir, vil ikkje leva lenger"),
    ]:
        first = chat.send(person, message)[0]["text"]
        assert "116 123" in first and "116 111" in first and "113" in first
