"""The experience-based trade certificate asked of after an adult's trade certificate, and
the alternative after a narrower answer (actions/trade_certificates.py, actions/in_context.py)."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE, ActionAnswerQuestion, ActionOutOfScope
from actions.handoff import ActionClarify
from actions.in_context import (
    ContextReading,
    broader_meant,
    broader_of_two_readings,
    narrower_by_its_words,
)
from actions.several_questions import SeveralQuestions
from actions.trade_certificates import PRAKSISKANDIDAT, praksiskandidat_meant
from tests.unit.action_fakes import NoNlu
from tests.unit.test_follow_ups import conversation, injected_intent, user

ADULT = user("kan æ ta fagbrev uten å gå lærling? har jobba i snart sju år",
             "ask_trade_certificate_adult")
PRAKSIS = user("hvor mange år praksis trenger man for å gå opp som praksiskandidat",
               PRAKSISKANDIDAT)
ON_THE_JOB = user("hva er fagbrev på jobb", "ask_fagbrev_on_the_job")


def unsure(text: str, intent: str, confidence: float) -> dict:
    said = user(text, intent)
    said["parse_data"]["intent"]["confidence"] = confidence
    return said


@pytest.mark.parametrize(("before", "text", "read_as", "meant"), [
    # the theory exam, its fee, years of work told: praksiskandidat's
    (ADULT, "ka må æ gjøre med teorien da", "nlu_fallback", PRAKSISKANDIDAT),
    (ADULT, "kor mye koste eksamen", "ask_student_grant", PRAKSISKANDIDAT),
    (ADULT, "å kost det nokka?", "ask_service_free_anonymous", PRAKSISKANDIDAT),
    (ADULT, "eg har over fem år med variert arbeid, kva då?", "ask_23_5_rule", PRAKSISKANDIDAT),
    # how much work it takes, asked after an adult's ways (praksiskandidat's five years)
    (ADULT, "how much experience do I need exactly?", "nlu_fallback", PRAKSISKANDIDAT),
    (ADULT, "kor lenge må eg ha jobba?", "ask_23_5_rule", PRAKSISKANDIDAT),
    (ON_THE_JOB, "kor lenge må eg ha jobba?", "ask_23_5_rule", None),  # its own answer says
    (ADULT, "hvor mye arbeidserfaring trenger man", "ask_prior_learning", PRAKSISKANDIDAT),
    (PRAKSIS, "må jeg ta teori eksamen på norsk?", "ask_improve_grades", PRAKSISKANDIDAT),
    (PRAKSIS, "hvem betaler eksamen", "ask_student_grant", PRAKSISKANDIDAT),
    # (years told right after praksiskandidat ask if they are enough: in_context's)
    (PRAKSIS, "i have 15 years so enough?", "ask_23_5_rule", None),
    (PRAKSIS, "jeg har jobbet fem år i en salong, holder det?", "ask_23_5_rule", None),
    (ON_THE_JOB, "er det en teorieksamen også?", "ask_improve_grades", PRAKSISKANDIDAT),
    # the exam alone, read surely as retaking a subject (0.82): the theory exam
    (PRAKSIS, "what exams exactly", "ask_improve_grades_sure", PRAKSISKANDIDAT),
    (PRAKSIS, "kan jeg ta opp igjen eksamen for å få bedre karakter?", "ask_improve_grades_sure",
     None),
    # a price after a way that names none; money asked for; studies named: as read
    (ON_THE_JOB, "koster det noe?", "ask_service_free_anonymous", None),
    (ADULT, "kan jeg få lån til å betale eksamen?", "ask_student_finance_deadline", None),
    (ADULT, "har 5 år jobb, kan eg studere på høgskule då?", "ask_23_5_rule", None),
    (ADULT, "jeg har 6 år, gjelder 23/5 for meg?", "ask_23_5_rule", None),
    # a sure reading of another topic stands
    (PRAKSIS, "can NAV pay some norwegian course for health workers?", "ask_nav_courses",
     None),
    # already read as one of an adult's ways; no trade certificate before
    (ADULT, "hvor mange år praksis må jeg ha", PRAKSISKANDIDAT, None),
    (user("hva er 23/5-regelen", "ask_23_5_rule"), "eg har over fem år med arbeid, kva då?",
     "ask_23_5_rule", None),
    (user("hvordan tar jeg opp igjen fag", "ask_improve_grades"), "koster eksamen noe?",
     "ask_improve_grades", None),
])
def test_the_exam_its_fee_and_years_of_work_are_praksiskandidats(before, text, read_as, meant):
    # sure of this service's price ("å kost det nokka?", 0.87) or of NAV's courses (0.90)
    sure = read_as in ("ask_service_free_anonymous", "ask_nav_courses") \
        or read_as.endswith("_sure")
    read_as = read_as.removesuffix("_sure")
    tracker = conversation(before, unsure(text, read_as, 0.9 if sure else 0.6))
    assert praksiskandidat_meant(tracker, KNOWLEDGE) == meant


async def test_the_exam_fee_asked_after_praksiskandidat_is_its_sentence(dispatcher, domain):
    # "hvem betaler eksamen" (0.73 the grant) after praksiskandidat: praksiskandidat again,
    # whose rule quotes the sentence on the fee.
    tracker = conversation(PRAKSIS, unsure("hvem betaler eksamen", "ask_student_grant", 0.73))
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == PRAKSISKANDIDAT


async def test_the_theory_asked_unclearly_is_praksiskandidats(dispatcher, domain):
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(ADULT, unsure("ka må æ gjøre med teorien da", "nlu_fallback", 0.4))
    assert injected_intent(await clarify.run(dispatcher, tracker, domain)) == PRAKSISKANDIDAT


@pytest.mark.parametrize(("before", "text", "read_as", "confidence", "meant"), [
    # how much experience, right after trade certificate on the job: its own answer
    (ON_THE_JOB, "hvor lang praksis trenger man", PRAKSISKANDIDAT, 0.92, "ask_fagbrev_on_the_job"),
    (ON_THE_JOB, "kor lang erfaring må eg ha", "nlu_fallback", 0.40, "ask_fagbrev_on_the_job"),
    (ON_THE_JOB, "how much experience do I need", "ask_trade_certificate_adult", 0.5,
     "ask_fagbrev_on_the_job"),
    # praksiskandidat named; after another way
    (ON_THE_JOB, "hvor lang praksis trenger man som praksiskandidat", PRAKSISKANDIDAT, 0.95,
     None),
    (ADULT, "hvor lang praksis trenger man", PRAKSISKANDIDAT, 0.92, None),
])
async def test_experience_asked_after_fagbrev_on_the_job_is_its_own_answers(
        dispatcher, domain, before, text, read_as, confidence, meant):
    tracker = conversation(before, unsure(text, read_as, confidence))
    if read_as == "nlu_fallback":
        action = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                               context=ContextReading(KNOWLEDGE, NoNlu()))
    else:
        action = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    said = " ".join(str(message.get("text") or message.get("quote") or "")
                    for message in dispatcher.messages)
    # its sentence on the year of practice it takes, quoted or with the whole answer again
    assert ("ett års allsidig praksis" in said) is bool(meant)
    assert injected_intent(events) != "ask_fagbrev_on_the_job"


async def test_the_exam_asked_as_if_out_of_scope_is_praksiskandidats(dispatcher, domain):
    action = ActionOutOfScope(context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(ADULT, unsure("og eksamen, ka med den?", "out_of_scope", 0.6))
    assert injected_intent(await action.run(dispatcher, tracker, domain)) == PRAKSISKANDIDAT


@pytest.mark.parametrize(("before", "text", "read_as", "confidence", "meant"), [
    # the alternative asked right after a narrower answer: the broader one
    (PRAKSIS, "ka e alternativet om det ikkje går", "out_of_scope", 0.55,
     "ask_trade_certificate_adult"),
    (ON_THE_JOB, "what are my other options?", PRAKSISKANDIDAT, 0.5,
     "ask_trade_certificate_adult"),
    (user("what is the 23/5 rule", "ask_23_5_rule"), "and the alternatives if I'm too young?",
     "nlu_fallback", 0.4, "ask_admission_requirements"),
    # another way named and read surely, no alternative asked, no narrower answer before
    (PRAKSIS, "kan jeg heller gå i lære som lærling i stedet?", "ask_apprenticeship", 0.85,
     None),
    (PRAKSIS, "hvor lenge tar det?", "out_of_scope", 0.5, None),
    (ADULT, "ka e alternativet?", "out_of_scope", 0.5, None),
])
def test_the_alternative_after_a_narrower_answer_is_the_broader(before, text, read_as,
                                                                 confidence, meant):
    assert broader_meant(conversation(before, unsure(text, read_as, confidence)),
                         KNOWLEDGE) == meant


async def test_the_alternative_asked_as_if_out_of_scope_gets_the_broader_answer(
        dispatcher, domain):
    action = ActionOutOfScope(context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(PRAKSIS, unsure("ka e alternativet om det ikkje går",
                                           "out_of_scope", 0.55))
    assert injected_intent(await action.run(dispatcher, tracker, domain)) \
        == "ask_trade_certificate_adult"


ADMISSION = user("hei, er 33 og har aldri fullført vgs. kan jeg søke universitet?",
                 "ask_admission_requirements")
ADMISSION_EN = user("what do I need to get into university without finishing school?",
                    "ask_admission_requirements")


@pytest.mark.parametrize(("before", "text", "read_as", "confidence", "meant"), [
    # a word only the narrower answer holds, right after the broader answer that names it
    (ADMISSION_EN, "does volunteering count towards the work years", "nlu_fallback", 0.4,
     "ask_23_5_rule"),
    (ADMISSION_EN, "and military service?", "ask_admission_requirements", 0.7,
     "ask_23_5_rule"),
    (ADMISSION, "hva er kravet om arbeid", "ask_occupation_description", 0.45,
     "ask_23_5_rule"),
    (ADULT, "må jeg ta teorieksamen som privatist?", "nlu_fallback", 0.4, PRAKSISKANDIDAT),
    # words both answers hold, or none of the narrower's; a sure reading of a third topic
    (ADMISSION_EN, "which programmes have special requirements?", "nlu_fallback", 0.4, None),
    (ADMISSION, "hvor lenge varer det?", "out_of_scope", 0.5, None),
    (ADMISSION, "og militæret, gir det tilleggspoeng?", "ask_competition_points", 0.85, None),
    # no broader answer before
    (user("hva er 23/5-regelen", "ask_23_5_rule"), "teller frivillig arbeid?", "nlu_fallback",
     0.4, None),
])
def test_a_word_only_the_narrower_answer_holds_asks_about_it(before, text, read_as,
                                                              confidence, meant):
    """"does volunteering count towards the work years" right after the admission
    requirements, which name the 23/5 rule: the 23/5 rule's answer says what counts."""
    language = "en" if before is ADMISSION_EN else "nb"
    tracker = conversation(before, unsure(text, read_as, confidence), language=language)
    assert narrower_by_its_words(tracker, KNOWLEDGE) == meant


async def test_a_word_of_the_narrower_answer_unsure_gets_that_answer(dispatcher, domain):
    action = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                           context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(ADMISSION_EN, unsure("does volunteering count towards the work "
                                                "years", "nlu_fallback", 0.4), language="en")
    assert injected_intent(await action.run(dispatcher, tracker, domain)) == "ask_23_5_rule"


def ranked(text: str, *readings: tuple[str, float]) -> dict:
    said = unsure(text, "nlu_fallback", 0.4)
    said["parse_data"]["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4}] + [
        {"name": name, "confidence": confidence} for name, confidence in readings]
    return said


@pytest.mark.parametrize(("readings", "meant"), [
    # torn between a broader topic and one of its narrower: the broader answer names both
    (((PRAKSISKANDIDAT, 0.30), ("ask_trade_certificate_adult", 0.29)),
     "ask_trade_certificate_adult"),
    ((("ask_23_5_rule", 0.34), ("ask_admission_requirements", 0.35)),
     "ask_admission_requirements"),
    # not a pair, or too unsure of both
    ((("ask_foreign_education_recognition", 0.29), (PRAKSISKANDIDAT, 0.25)), None),
    (((PRAKSISKANDIDAT, 0.20), ("ask_trade_certificate_adult", 0.15)), None),
])
def test_a_message_torn_between_a_topic_and_a_narrower_one_gets_the_broader(readings, meant):
    text = ("could I get a trade certificate in fish processing based on my experience? "
            "been there 10 years")
    tracker = conversation(ranked(text, *readings), language="en")
    assert broader_of_two_readings(tracker) == meant
