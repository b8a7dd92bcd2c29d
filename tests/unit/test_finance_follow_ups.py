"""A follow-up about student finance that names the person's situation gets the answer
for it (actions/finance_follow_ups.py)."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.finance_follow_ups import (
    SITUATIONS,
    asks_for_finance,
    finance_abroad_not_asked,
    finance_answer_meant,
    finance_asked_of_a_topic,
    finance_named_alone,
    grant_asked,
    paying_back_meant,
    schooling_not_its_finance,
)
from actions.follow_ups import ActionContinueTopic
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.personal_guidance import ActionPersonalGuidance
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from bot.shared.topics import titles
from tests.unit.action_fakes import NoNlu
from tests.unit.test_follow_ups import conversation, injected_intent, user
from tests.unit.test_in_context import TableNlu

GRANT = user("hvor mye får jeg i stipend hvis jeg bor hjemme", "ask_student_grant")


@pytest.mark.parametrize(("follow_up", "meant"), [
    ("og hvis jeg har barn?", "ask_student_finance_extra"),
    ("enn om eg har born?", "ask_student_finance_extra"),
    ("og om eg tek studiet på nett", "ask_study_finance_part_time"),
    ("what if i study part-time?", "ask_study_finance_part_time"),
    # whether one must study full time, with a baby at home (out of scope, 0.8)
    ("må jeg gå fulltid? har jo babyen hjemme", "ask_study_finance_part_time"),
    ("og hvis jeg skal på utveksling?", "ask_study_finance_abroad"),
    # the extra loan is from 30
    ("I'm 32 btw, does that change anything?", "ask_student_finance_extra"),
    ("og om eg er over 30?", "ask_student_finance_extra"),
    ("og om eg er 24?", None),
    # an age with another level named asks about that level
    ("og kan jeg bli lærling når jeg er 45?", None),
    # where one lives, after the grant, is the grant's own question (given again, with a
    # counsellor offered, by the context reading); with a town: test below
    ("og hvis jeg flytter ut?", None),
    ("i live with my parents in oslo", None),
    # no situation named, or not a follow-up
    ("jeg har to barn og lurer på om jeg kan få ekstra stipend fra lånekassen når jeg studerer",
     None),
])
def test_the_situation_named_after_a_finance_question(follow_up, meant):
    tracker = conversation(GRANT, user(follow_up, "continue_topic"))
    assert finance_answer_meant(tracker, KNOWLEDGE) == meant


def test_only_after_a_question_about_student_finance():
    tracker = conversation(user("hva er fagskole", "ask_fagskole"),
                           user("og hvis jeg har barn?", "continue_topic"))
    assert finance_answer_meant(tracker, KNOWLEDGE) is None


def test_every_situation_has_an_answer_and_a_title(domain):
    for _, intent in SITUATIONS:
        assert intent in domain["intents"] and KNOWLEDGE.for_intent(intent), intent
        assert intent in titles(), intent


async def test_a_follow_up_and_an_unsure_reading_both_get_it(dispatcher, domain):
    context = ContextReading(KNOWLEDGE, NoNlu())
    tracker = conversation(GRANT, user("og hvis jeg har barn?", "continue_topic"))
    events = await ActionContinueTopic(context=context).run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_finance_extra"
    tracker = conversation(GRANT, user("og om eg tek studiet på nett", "nlu_fallback"))
    events = await ActionClarify(context=context).run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_study_finance_part_time"


async def test_a_situation_read_as_out_of_scope_gets_it(dispatcher, domain):
    """"what if i have a kid" after the grant (out of scope, 0.45) got the grant again."""
    from actions.answers import ActionOutOfScope

    tracker = conversation(GRANT, user("what if i have a kid", "out_of_scope"), language="en")
    events = await ActionOutOfScope(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_finance_extra"


async def test_an_age_read_as_a_need_for_guidance_gets_the_extra_loan(dispatcher, domain):
    """"I'm 32 btw, does that change anything?" after the grant read as guidance (0.6)."""
    guidance = ActionPersonalGuidance(SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                                      ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(GRANT, user("I'm 32 btw, does that change anything?",
                                       "ask_personal_guidance"), language="en")
    events = await guidance.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_finance_extra"


@pytest.mark.parametrize(("said", "reading"), [
    ("i live with my parents in oslo", "inform"),
    ("what about my brother, he's moving to bergen for uni", "continue_topic"),
])
async def test_a_town_told_with_where_one_lives_after_the_grant_is_about_the_grant(
        dispatcher, domain, said, reading):
    """Both got the career centre of the town they named."""
    from actions.occupations import ActionAnswerInform

    message = user(said, reading)
    message["parse_data"]["entities"] = [{"entity": "county", "value": "Oslo"}]
    tracker = conversation(user("how much of the student loan becomes a grant",
                                "ask_student_grant"), message, language="en")
    action = ActionAnswerInform() if reading == "inform" else ActionContinueTopic()
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_grant"


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # paying a loan back, read as this chat's price or outside careers: how much of the
    # loan one need not pay back ("do i have to pay it all back" got the semester fee)
    ("do i have to pay it all back", "ask_service_free_anonymous", "ask_student_grant"),
    ("må eg betale attende alt saman?", "out_of_scope", "ask_student_grant"),
    ("må man tilbakebetale hele greia", "nlu_fallback", "ask_student_grant"),
    ("when do I start repaying", "ask_about_service", "ask_student_grant"),
    # a price, or a career reading: as read
    ("do i have to pay anything", "ask_service_free_anonymous", None),
    ("må jeg betale tilbake lånet hvis jeg stryker?", "ask_student_grant", None),
])
def test_paying_a_loan_back_is_the_grants_question(text, read_as, meant):
    assert paying_back_meant(text, read_as) == meant


@pytest.mark.parametrize(("said", "read_as", "confidence", "meant"), [
    # the situation's answer, not the grant read again with the question before
    ("I have 2 kids, do they give more for this?", "ask_student_finance_extra", 0.51,
     "ask_student_finance_extra"),
    ("og om jeg tar det på deltid?", "ask_student_grant", 0.85, "ask_study_finance_part_time"),
    # a sure reading of another topic keeps it
    ("jeg vil studere i utlandet, hvordan får jeg godkjent utdanningen min etterpå?",
     "ask_foreign_education_recognition", 0.9, None),
])
async def test_a_situation_named_after_a_finance_question_stands_over_a_weak_reading(
        dispatcher, domain, said, read_as, confidence, meant):
    from actions.answers import ActionAnswerQuestion

    message = user(said, read_as)
    message["parse_data"]["intent"]["confidence"] = confidence
    tracker = conversation(GRANT, message, language="en")
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == (None if meant == read_as else meant)
    if meant == read_as:
        assert KNOWLEDGE.intent_answered(dispatcher.messages[0]["text"]) == meant


ADULTS = user("Do adults have a right to finish vgs?", "ask_adult_upper_secondary")


@pytest.mark.parametrize(("before", "follow_up", "meant"), [
    # part time asked of schooling, no money named: the schooling's question
    (ADULTS, "can i do it part time, like a few subjects at a time?",
     "ask_adult_upper_secondary"),
    (user("hva er fagskole", "ask_fagskole"), "går det an å ta den på deltid?", "ask_fagskole"),
    # money named, or asked after student finance: as read
    (ADULTS, "can i get a loan if i do it part time?", None),
    (user("når er fristen for studielån", "ask_student_finance_deadline"),
     "og hvis jeg studerer deltid?", None),
])
def test_part_time_asked_of_schooling_is_no_question_of_finance(before, follow_up, meant):
    tracker = conversation(before, user(follow_up, "ask_study_finance_part_time"))
    assert schooling_not_its_finance(tracker, KNOWLEDGE, "ask_study_finance_part_time") == meant


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # a loan or money from Lånekassen asked for a course of study: student finance
    ("kan jeg få penger fra lånekassen for påbygg?", "ask_pabygg",
     "ask_student_finance_deadline"),
    ("kan eg ta det på nett og få lån til det?", "ask_fagskole", "ask_study_finance_part_time"),
    ("can I get a loan for a year at a folk high school?", "ask_folkehogskole",
     "ask_student_finance_deadline"),
    # NAV's money, no money asked, support from a person, a finance reading: as read
    ("kan jeg få dagpenger mens jeg tar påbygg?", "ask_pabygg", None),
    ("kan NAV gi meg penger til kurset?", "ask_nav_courses", None),
    ("hva er påbygg", "ask_pabygg", None),
    ("kan jeg få støtte fra en veileder til å velge?", "ask_pabygg", None),
    ("får jeg stipend hvis jeg har barn?", "ask_student_finance_extra", None),
])
def test_money_asked_for_a_course_is_student_finance(text, read_as, meant):
    assert finance_asked_of_a_topic(text, read_as, KNOWLEDGE) == meant


@pytest.mark.parametrize(("text", "asks"), [
    ("kan jeg få lån til det?", True), ("kan eg få studielån?", True),
    ("can i get a loan for it?", True), ("hva sier lånekassen?", True),
    # a plan or a long time is no loan
    ("kan jeg få en plan for dette?", False), ("kan jeg få lang tid på meg?", False),
])
def test_a_loan_asked_for_in_so_many_words(text: str, asks: bool) -> None:
    assert asks_for_finance(text) is asks


@pytest.mark.parametrize(("text", "confidence", "meant"), [
    # money from Lånekassen for study in Norway, read unsurely as study abroad: in general
    ("ok and can I get money from Lånekassen as an EU student?", 0.54,
     "ask_student_finance_deadline"),
    ("hi, i got place at OsloMet for bachelor in social work, i am refugee with permanent "
     "residence. can I get money from Lånekassen?", 0.6, "ask_student_finance_deadline"),
    ("kommer fra Polen og skal studere i Bergen, får jeg lån?", 0.5,
     "ask_student_finance_deadline"),
    # study abroad named, or read surely: as read
    ("kan jeg få lån til å studere i Polen?", 0.5, None),
    ("can I get a loan for an exchange semester?", 0.5, None),
    ("får eg stipend om eg tek heile graden i utlandet?", 0.6, None),
    ("lån til studier i Australia", 0.85, None),
    ("been living in the UK since I was 12. Want to study in Edinburgh, can I get a loan "
     "from Lånekassen for that?", 0.6, None),
])
def test_finance_for_study_in_norway_is_not_finance_abroad(text, confidence, meant):
    assert finance_abroad_not_asked(text, "ask_study_finance_abroad", confidence) == meant
    assert finance_abroad_not_asked(text, "ask_student_finance_deadline", confidence) is None


async def test_lanekassen_asked_by_a_student_from_abroad_gets_the_general_answer(
        dispatcher, domain):
    from actions.answers import ActionAnswerQuestion

    message = user("ok and can I get money from Lånekassen as an EU student?",
                   "ask_study_finance_abroad")
    message["parse_data"]["intent"]["confidence"] = 0.54
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, conversation(message, language="en"), domain)
    assert injected_intent(events) == "ask_student_finance_deadline"


def test_a_country_gone_to_after_the_loan_asks_finance_abroad():
    tracker = conversation(user("når er fristen for studielån", "ask_student_finance_deadline"),
                           user("og om eg studerer i Polen?", "ask_student_finance_deadline"))
    assert finance_answer_meant(tracker, KNOWLEDGE) == "ask_study_finance_abroad"


@pytest.mark.parametrize(("before", "text", "meant"), [
    # money named alone after another topic: the loan's general question, or its situation's
    (user("what's the difference between fagskole and university?", "ask_fagskole"),
     "and loan?", "ask_student_finance_deadline"),
    (user("kan jeg ta fagskole på deltid?", "ask_fagskole"), "hva med lån da?",
     "ask_study_finance_part_time"),
    (user("kva er påbygg", "ask_pabygg"), "og stipend?", "ask_student_finance_deadline"),
    (user("what is a folk high school", "ask_folkehogskole"), "what about Lånekassen?",
     "ask_student_finance_deadline"),
    # after a finance or NAV question, or more than money asked: none
    (user("når er fristen for studielån", "ask_student_finance_deadline"), "og stipend?", None),
    (user("kan jeg beholde dagpenger", "ask_nav_benefits_studying"), "og lån?", None),
    (user("hva er fagskole", "ask_fagskole"), "og lån til å kjøpe bil?", None),
    (user("hva er fagskole", "ask_fagskole"), "hvor lang tid tar det?", None),
])
def test_money_named_alone_after_a_topic_is_student_finance(before, text, meant):
    tracker = conversation(before, user(text, "continue_topic"))
    assert finance_named_alone(tracker, KNOWLEDGE, "continue_topic") == meant


async def test_a_loan_named_alone_after_fagskole_goes_on_to_finance(dispatcher, domain):
    tracker = conversation(user("what's the difference between fagskole and university?",
                                "ask_fagskole"), user("and loan?", "continue_topic"),
                           language="en")
    events = await ActionContinueTopic(knowledge=KNOWLEDGE).run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_finance_deadline"


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    ("blir noko av lånet stipend?", "ask_student_grant", "ask_student_grant"),
    ("blir noko av lånet gjort om til stipend når eg studerer deltid?",
     "ask_study_finance_part_time", "ask_student_grant"),
    ("does any of it become a grant if I study abroad?", "ask_study_finance_abroad",
     "ask_student_grant"),
    # no conversion asked, or not a finance reading
    ("kan eg få stipend når eg studerer deltid?", "ask_study_finance_part_time", None),
    ("blir lånet stipend?", "ask_higher_education_deadline", None),
])
def test_the_loan_turned_into_a_grant_is_the_grants_question(text, read_as, meant):
    assert grant_asked(text, read_as) == meant


async def test_a_weak_grant_reading_that_asks_the_conversion_keeps_it(dispatcher, domain):
    """"blir noko av lånet stipend?" right after the loan's deadline (0.58 the grant) got
    the deadline again, read with the question before."""
    asked = user("blir noko av lånet stipend?", "ask_student_grant")
    asked["parse_data"]["intent"]["confidence"] = 0.58
    tracker = conversation(user("når er fristen for å søkje lån?", "ask_student_finance_deadline"),
                           {"event": "bot", "text": render_answer(
                               KNOWLEDGE.for_intent("ask_student_finance_deadline"), "nn")},
                           asked, language="nn")
    # read with the question before, the two are the loan's deadline
    nlu = TableNlu({"når er fristen for å søkje lån?. blir noko av lånet stipend?":
                    ("ask_student_finance_deadline", 0.9)})
    context = ContextReading(KNOWLEDGE, nlu)
    await ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, NoNlu()),
                               context=context).run(dispatcher, tracker, domain)
    assert KNOWLEDGE.intent_answered(dispatcher.messages[0]["text"]) == "ask_student_grant"
