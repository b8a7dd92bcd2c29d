"""Career centres, occupations, Sami and crisis through the REST channel, end to end."""

from __future__ import annotations

import pytest

from bench.clients import Counsellor, add_counsellor
from tests.facts import answer_problems, centre_problems, missing, occupation_on_file, response
from tests.servers import Chat, Servers

pytestmark = pytest.mark.integration


def test_the_career_centre_form_asks_for_the_place_and_remembers_the_county(chat: Chat) -> None:
    person = "person-centre"
    asked = chat.texts(person, "hvor kan jeg få karriereveiledning i nærheten?")
    assert asked == response("utter_ask_county", "nb")
    answer = chat.texts(person, "jeg bor i Alta")
    assert centre_problems(answer, "Finnmark", "nb") == []
    assert chat.tracker(person)["slots"]["county"] == "Finnmark"
    # Asked again later, the county is remembered and the form does not ask.
    chat.texts(person, "når er fristen for samordna opptak")
    again = chat.texts(person, "finnes det et karrieresenter i nærheten?")
    assert centre_problems(again, "Finnmark", "nb") == []


def test_a_place_named_in_the_question_needs_no_form(chat: Chat) -> None:
    answer = chat.texts("person-centre-named", "kvar er karrieresenteret i Romsa?")
    assert centre_problems(answer, "Troms", "nn") == []


def test_an_unknown_place_is_asked_for_again_and_ascii_spelling_works(chat: Chat) -> None:
    person = "person-centre-unknown"
    asked = chat.texts(person, "is there a career centre near me?")
    assert asked == response("utter_ask_county", "en")
    # Not recognised: said so, then asked again.
    assert chat.texts(person, "Narnia") == "\n".join(
        [response("utter_place_unknown", "en"), response("utter_ask_county", "en")])
    answer = chat.texts(person, "Tromso")
    assert centre_problems(answer, "Troms", "en") == []


def test_occupations_are_described_and_followed_up(chat: Chat) -> None:
    person = "person-occupation"
    plumber = occupation_on_file("rorlegger")
    answer = chat.texts(person, "hva gjør en rørlegger?")
    assert answer.startswith(f"Rørlegger: {plumber['description']['nb']}\n")
    link = "https://utdanning.no/yrker/beskrivelse/rorlegger"
    assert missing(answer, ["STYRK-08 7126", link]) == []
    # "det" points back to the plumber.
    answer = chat.texts(person, "hvordan blir man det?")
    assert answer.startswith(f"Slik blir du rørlegger: {plumber['path']['nb']}\n")


def test_inflected_and_compound_occupations_are_recognised(chat: Chat) -> None:
    nurse, electrician = occupation_on_file("sykepleier"), occupation_on_file("elektriker")
    answer = chat.texts("person-inflected", "kva gjer sjukepleiarane?")
    assert answer.startswith(f"Sjukepleiar: {nurse['description']['nn']}\n")
    answer = chat.texts("person-compound", "hvordan blir jeg barnesykepleier")
    assert answer.startswith(f"Slik blir du sykepleier: {nurse['path']['nb']}\n")
    answer = chat.texts("person-english-occupation", "how do I become an electrician?")
    assert answer.startswith(
        f"The path to becoming an electrician: {electrician['path']['en']}\n")


def test_a_story_naming_the_work_done_gets_the_way_to_the_work_asked_about(
        chat: Chat) -> None:
    teacher = occupation_on_file("laerer")
    replies = [reply.get("text", "") for reply in chat.send(
        "person-career-change", "I'm 41 and have worked in IT support for 15 years. I'm "
        "exhausted and have always dreamt of teaching. What is the way to become a teacher?")]
    assert replies[0].startswith(f"The path to becoming a teacher: {teacher['path']['en']}\n")


def test_an_unknown_occupation_gets_the_occupation_search(chat: Chat) -> None:
    person = "person-astronaut"
    chat.texts(person, "hva gjør en rørlegger?")
    # A new occupation we do not know must not be answered for the plumber, nor asked
    # for again: it was just named.
    assert chat.texts(person, "hvordan blir jeg astronaut?") == response(
        "utter_occupation_unknown", "nb")
    # Named by itself after the bot asked which, the same.
    assert chat.texts(person, "hva gjør de?") == response("utter_ask_occupation", "nb")
    assert chat.texts(person, "astronaut") == response("utter_occupation_unknown", "nb")


def test_crisis_in_english_and_nynorsk_gets_the_help_lines_first(chat: Chat) -> None:
    for person, message in [
        ("person-crisis-en", "honestly i just want to end it all"),
        ("person-crisis-nn", "eg orkar ikkje meir, vil ikkje leva lenger"),
    ]:
        first = chat.send(person, message)[0]["text"]
        assert "116 123" in first and "116 111" in first and "113" in first


def test_a_town_is_answered_with_its_nearest_office(chat: Chat) -> None:
    # Issue 14: Førde was told about Bergen, Stord and Nordhordland only.
    answer = chat.texts("person-forde", "karrieresenter i Førde?")
    assert answer.startswith("Nærmeste kontor for deg: Karriere Vestland i Førde.\n"), answer
    assert centre_problems(answer, "Vestland", "nb") == []
    answer = chat.texts("person-elverum", "jeg bor i Elverum, hvor er nærmeste karrieresenter")
    assert answer.startswith("Nærmeste kontor for deg: Karriere Innlandet på Hamar.\n"), answer
    assert centre_problems(answer, "Innlandet", "nb") == []


def test_the_new_admission_rules_are_answered_with_the_year_and_source(chat: Chat) -> None:
    answer = chat.texts("person-2027", "nye opptaksregler 2027")
    assert answer_problems(answer, "ask_admission_changes", "nb") == []
    answer = chat.texts("person-loan-30", "is the extra loan for students over 30 a grant")
    assert answer_problems(answer, "ask_student_finance_extra", "en") == []


def test_the_desk_names_case_topics_in_norwegian(servers: Servers) -> None:
    add_counsellor(servers, "topics", "Tone")
    tone = Counsellor(servers)
    assert tone.log_in("topics")[0] == 200
    status, body = tone.call("GET", "/desk/api/topics")
    assert status == 200
    assert body["topics"]["career_centre"] == "Karrieresenter"
    assert body["topics"]["higher_education"] == "Høyere utdanning"
    assert all("_" not in name for name in body["topics"].values())
    assert Counsellor(servers).call("GET", "/desk/api/topics")[0] == 401
