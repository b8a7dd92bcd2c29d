"""The part of an answer a follow-up asks about (actions/answer_aspects.py)."""

from __future__ import annotations

import pytest

from actions.answer_aspects import answer_sentences, sentences_on
from actions.answers import KNOWLEDGE
from bot.shared.knowledge import render_answer


def answer(intent: str, language: str) -> str:
    return render_answer(KNOWLEDGE.for_intent(intent), language)


@pytest.mark.parametrize(("question", "intent", "language", "starts"), [
    ("and is it free?", "ask_fagskole", "en", ["Public fagskoler are free", "Private ones"]),
    ("må jeg betale noe", "ask_praksiskandidat", "nb", ["Eksamensavgiften betaler du selv"]),
    # "fylt 19 år" in the sentence on NAV is an age, not a length of time
    ("hvor lenge varer det?", "ask_fagskole", "nb", ["Utdanningene varer fra et halvt år"]),
    ("kor tek eg kontakt?", "ask_prior_learning", "nn", ["Det er fylkeskommunen"]),
    # whom, in dialect, and who arranges it
    ("kæm ordne det", "ask_prior_learning", "nn", ["Det er fylkeskommunen som organiserer"]),
    ("kæm ska æ kontakt", "ask_apprenticeship", "nb", ["Ta kontakt med fylkeskommunen"]),
    ("og søknadsfristen?", "ask_fagskole", "nb", ["Mange fagskoler tar opp studenter"]),
    # how to apply: the sentence that says where
    ("hvordan søker jeg om bytte", "ask_upper_secondary_rights", "nb",
     ["Søknaden om nytt program sender du på vigo.no"]),
    ("how do I apply to switch?", "ask_upper_secondary_rights", "en", ["You send the application"]),
    # a deadline on a weekend: the sentence on it, not every date
    ("fristen faller på en lørdag i år, hva gjør vi da?", "ask_upper_secondary_deadline", "nb",
     ["Faller fristen på en lørdag"]),
    ("and if this 1 february is on sunday what happens", "ask_upper_secondary_deadline", "en",
     ["If a deadline falls on a Saturday"]),
    ("kan jeg gå der uten fagbrev", "ask_fagskole", "nb", ["For å komme inn på fagskole"]),
    ("what are the entry requirements?", "ask_fagskole", "en", ["To get into a fagskole"]),
    ("ka klokkeslett", "ask_higher_education_deadline", "nn", ["Søknaden til Samordna opptak"]),
    ("kl hva", "ask_higher_education_deadline", "nb", ["Søknaden til Samordna opptak"]),
    ("hvor mange timer matte", "ask_23_5_rule", "nb", ["Du må fylle 23 år"]),
    ("roughly how long would that take me", "ask_pabygg", "en", ["If you took a vocational"]),
    ("and what if I only turn 22 this year?", "ask_23_5_rule", "en", ["You must turn 23"]),
    ("er det saksbehandlaren min som bestemmer om eg kjem med på eit slikt kurs?",
     "ask_nav_courses", "nn", ["Det er NAV-kontoret ditt som avgjer"]),
    ("who decides if I get the course?", "ask_nav_courses", "en", ["It is your local NAV office"]),
    # how long a text should be, not how long something takes
    ("kor lang bør ho vere?", "ask_cv", "nn", ["Hald han kort og oversiktleg"]),
    ("how long should my cv be?", "ask_cv", "en", ["Keep it short"]),
    ("how long is the course?", "ask_fagskole", "en", ["Programmes last from six months"]),
    # the price, asked of a body the answer names elsewhere: what that body does
    ("can NAV help pay for it or support me while I do it?", "ask_fagskole", "en",
     ["If you need more education", "Your local NAV office", "So talk to NAV"]),
])
def test_a_follow_up_on_an_aspect_gets_the_sentences_on_it(question, intent, language, starts):
    found = sentences_on(question, answer(intent, language))
    assert len(found) == len(starts)
    assert all(sentence.startswith(start) for sentence, start in zip(found, starts, strict=True))


@pytest.mark.parametrize(("question", "intent", "language"), [
    ("kva om eg strykar?", "ask_fagskole", "nn"),  # no aspect asked
    ("how long does it take?", "ask_apprenticeship", "en"),  # the answer says nothing on it
    # "it pays to get in touch early" and "pay back" are no price
    ("and it costs money?", "ask_about_service", "en"),
    ("do I have to pay?", "ask_student_grant", "en"),
    ("må jeg betale?", "ask_student_grant", "nb"),
    # "det sterkeste kortet ditt" is a card, not a short text
    ("hvor lang skal søknaden være?", "ask_job_application", "nb"),
])
def test_otherwise_nothing_is_picked_out(question, intent, language):
    assert sentences_on(question, answer(intent, language)) == []


def test_an_aspect_the_whole_answer_is_about_gives_it_whole():
    text = "Det koster 100 kr. Gratis for noen. Betal på nett. Prisen stiger. Avgift kommer."
    assert sentences_on("hva koster det?", text) == []


def test_an_ordinal_date_does_not_end_a_sentence() -> None:
    said = "Fristen er 15. november, og 15. mars for vårsemesteret. Søk på lanekassen.no."
    assert answer_sentences(said) == ["Fristen er 15. november, og 15. mars for vårsemesteret.",
                                      "Søk på lanekassen.no."]


@pytest.mark.parametrize("question", ["må eg vere over 19?", "i'm 17, can i go there?",
                                      "is there an age limit",
                                      "kan eg gå der sjølv om eg berre e 18?",
                                      "er 18 tho, får eg kome dit?"])
def test_an_age_asked_gets_the_sentence_on_whom_it_is_for(question: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Vestland")
    found = sentences_on(question, render_office(centre, centre.offices[1], "nn"))
    assert len(found) == 1 and "over 19 år" in found[0]


@pytest.mark.parametrize(("question", "language"), [("they will tell NAV about me?", "en"),
                                                    ("sier de fra til sjefen min?", "nb"),
                                                    ("sier de ifra til nav? er sykmeldt nå",
                                                     "nb"),
                                                    ("seier dei frå til nav?", "nn"),
                                                    ("sier de noe til nav?", "nb")])
def test_whether_it_is_kept_from_nav_gets_the_sentence_on_confidentiality(
        question: str, language: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Rogaland")
    found = sentences_on(question, render_office(centre, None, language))
    assert len(found) == 1 and "NAV" in found[0]


@pytest.mark.parametrize(("question", "language"), [("kor ligg kontora deira?", "nn"),
                                                    ("where are their offices?", "en")])
def test_where_the_centre_is_gets_the_sentence_on_its_offices(question: str,
                                                              language: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Finnmark")
    found = sentences_on(question, render_office(centre, centre.offices[0], language))
    # the office nearest, and where the centre has its offices
    assert len(found) == 2 and "Alta" in found[0] and "Vadsø" in found[1]


@pytest.mark.parametrize(("question", "language", "word"), [
    ("she need referral from NAV?", "en", "referral"),
    ("treng han tilvising frå nav?", "nn", "tilvising"),
    ("må jeg ha henvisning?", "nb", "henvisning")])
def test_a_referral_asked_gets_the_sentence_that_none_is_needed(
        question: str, language: str, word: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Agder")
    found = sentences_on(question, render_office(centre, None, language))
    assert len(found) == 1 and word in found[0]


@pytest.mark.parametrize(("question", "language", "hours"), [
    ("how many hours can I get?", "en", "three hours"),
    ("kor mange timar får eg?", "nn", "tre timar")])
def test_how_many_hours_gets_the_sentence_on_the_free_hours(
        question: str, language: str, hours: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Troms")
    found = sentences_on(question, render_office(centre, centre.offices[0], language))
    assert len(found) == 1 and hours in found[0]


@pytest.mark.parametrize(("question", "language", "word"), [
    ("treng eg timebestilling der?", "nn", "bestiller time"),
    ("kan man booke time på nett?", "nb", "bestiller time"),
    ("do I have to make an appointment first?", "en", "book an appointment")])
def test_booking_asked_gets_the_sentence_on_booking(question: str, language: str,
                                                    word: str) -> None:
    from bot.shared.knowledge import render_office

    centre = KNOWLEDGE.for_county("Akershus")
    found = sentences_on(question, render_office(centre, None, language))
    assert len(found) == 1 and word in found[0]
