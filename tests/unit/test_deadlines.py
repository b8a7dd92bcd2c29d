"""A bare "når er fristen?" gets the deadline of the topic asked about before it."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE, ActionAnswerQuestion, ActionOutOfScope
from actions.deadlines import (
    DEADLINE_OF,
    after_a_missed_deadline,
    applying_without_a_date,
    asks_only_when_the_deadline_is,
    deadline_named,
    deadline_named_in_a_weak_reading,
    deadline_of_the_loan_asked,
    deadline_of_the_one_level_named,
    deadline_of_the_topic_named,
    deadline_of_the_topic_told,
    early_application_asked,
)
from actions.follow_ups import ActionContinueTopic
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from bot.shared.topics import titles
from tests.unit.action_fakes import NoNlu
from tests.unit.test_follow_ups import conversation, injected_intent, user
from tests.unit.test_in_context import TableNlu

LOAN = user("hvordan søker jeg studielån", "ask_student_grant")
UPPER_SECONDARY = user("hvordan sender jeg inn søknad til vgs", "ask_upper_secondary_application")


@pytest.mark.parametrize("text", [
    "når er fristen da", "nar er fristen", "ka e fristen", "kva er fristane?",
    "and the deadline?", "når må jeg søke?", "kva tid må eg søkje?", "when do i have to apply",
    "søknadsfristen?", "og når må søknaden hans være levert", "when is the application due?",
    "and when does he need to do it by", "when do i have to send it by?",
    "og når må den være inne", "kva tid må han sende inn?",
    "glemte å søke i vår, er det for seint no?", "is it too late now?",
    "and what time of the day?", "hva tid på dagen går den ut",
    # the question first, then a remark
    "og fristen? er så stressa for dette at eg får ikkje sove",
    # when the person means to start is no topic
    "når er fristen for å søkje til hausten?", "when do I have to apply for the autumn semester?",
    "hva er fristen hvis jeg vil begynne til høsten",
    "når er fristen for vårsemesteret?", "kva er fristen for haustsemesteret",
    # nor is the month: "whats the deadline to apply if i start in august" after a loan for
    # study abroad got Samordna opptak's (0.77)
    "whats the deadline to apply if i start in august", "når er fristen om eg byrjar i januar",
    # "nr" typed for "når"
    "nr soker man",
    # a weekend it falls on names no deadline either
    "fristen faller på en lørdag i år, hva gjør vi da?",
    "Fristen er på ei helg i år, trur eg. Flyttar den seg då?",
    # another date, for a group of people
    "we came to Norway only 1,5 year ago. is there other date for new arrived people?",
    # the situation first, the bare question last
    "han har ADHD og trenger nok litt ekstra tilrettelegging, gjelder samme frist da?",
    "I moved here last year. When is the deadline?",
    # when applying opens is part of the same answer
    "and when does applying open?", "når åpner søknaden?",
    # the hour of the deadline just given, in a word or two
    "what time tho", "kva tid då?", "ka klokkeslett", "hva klokka?", "kl kor mykje den dagen?",
    "kl hva", "hva kl?", "kl?",
    "what time on that day",
    "what time on the 15th", "is it 23:59 or like end of office hours", "er det til midnatt?",
    # how long one has to apply is until when
    "how long do I have to apply?", "hvor lenge har jeg på meg til å søke?",
    # until when
    "innen når", "og innan når då?", "by when?",
    # applying for "it", or the same as everyone's, names nothing
    "kva er fristen for å søkje om det?", "what's the deadline for applying for it?",
    "er fristen den samme som for alle andre?",
    # a level compared with is no topic of its own (after folk high school)
    "is there a deadline like samordna?",
    "is the deadline the same as for everyone else?",
    # sending it to them names nothing
    "hva er fristen for å sende søknad til dem?", "whats the deadline to send it to them?",
    # applying "that way" names nothing either
    "and the deadline if I apply that way?", "og fristen om eg søkjer på den måten?",
    # applying by a date asks whether it is the deadline (after upper secondary's)
    "kan hun søke ordinært innen 1 mars da?",
])
def test_a_deadline_asked_without_its_topic(text):
    assert asks_only_when_the_deadline_is(text)


@pytest.mark.parametrize("text", [
    "når er fristen for lånekassen", "søknadsfrist samordna", "fristen for vgs?",
    "what is the deadline for upper secondary", "når er fristen for å søke læreplass",
    "hvordan søker jeg", "når er det mest pågang", "deadline for jobben?",
    "jeg lurer på når fristen er for å søke opptak til universitetet i oslo neste år",
    "when can i drop by", "when does the bus pass by", "what time are you open",
    "Kva er fristen for å søkje høgare utdanning?", "når er fristen for høyere utdanning",
    # the topic named before the question
    "jeg vil søke lærlingplass, når er fristen?",
    # a long sentence without a clause of its own for the deadline
    "han har ADHD og trenger tilrettelegging og lurer på når fristen er for alt sammen",
    # more than the hour
    "what time do they close the office on fridays",
    "what are your office hours", "when do you close tonight",
    # what may be done once it has passed
    "kan jeg endre rekkefølgen etter fristen", "can i still apply after the deadline?",
    # not making it asks what comes after ("hva om jeg ikke rekker fristen da" was given
    # the deadline again, though read alone as the study choices' answer, 0.90)
    "hva om jeg ikke rekker fristen da", "what if I don't make the deadline?",
    # what is applied to: after a loan question, nursing is no loan
    "whens the deadline for applying to nursing",
    # what the deadline is for: after folk high school, medicine is Samordna opptak's
    "ok and the deadline for medicine?",
    # a study only universities give
    "Kva dato må søknaden til sjukepleie vere send inn?",
    # the study itself, after the loan: Samordna opptak's
    "og sjølve studiet, når må eg søkje der?",
    # a month with a level named
    "når er fristen for vgs om eg byrjar i august",
])
def test_a_deadline_with_its_topic_or_no_deadline(text):
    assert not asks_only_when_the_deadline_is(text)


@pytest.mark.parametrize(("text", "meant"), [
    # how or where one applies, read as upper secondary's deadline: applying
    ("skal jeg også søke gjennom vigo?", "ask_upper_secondary_application"),
    ("søkjer eg sjølv eller gjer skulen det?", "ask_upper_secondary_application"),
    # "before" of one's own life is no time of the deadline
    ("kvar søkjer ein? har aldri gjort det før", "ask_upper_secondary_application"),
    # anything about time keeps the deadline
    ("når er fristen på vigo", None),
    ("kan jeg søke etter 1. mars?", None),
    ("er det for seint å søkje no", None),
    ("skal jeg søke nå eller vente", None),
    ("siste dag å søke?", None),
    # applying earlier than others asks about the earlier deadline
    ("Does she need to apply earlier than the others for upper secondary?", None),
    ("må han søkje tidlegare enn dei andre?", None),
])
def test_applying_read_as_its_deadline_asks_how_to_apply_unless_it_asks_when(text, meant):
    assert applying_without_a_date(text, "ask_upper_secondary_deadline") == meant


def test_every_deadline_is_an_intent_with_an_answer_and_a_title(domain):
    for question, deadline in DEADLINE_OF.items():
        assert question in domain["intents"] and KNOWLEDGE.for_intent(question), question
        assert KNOWLEDGE.for_intent(deadline) and deadline in titles(), deadline


@pytest.mark.parametrize(("before", "read_as", "meant"), [
    # The classifier's habit: a bare deadline is Samordna opptak's.
    (LOAN, "ask_higher_education_deadline", "ask_student_finance_deadline"),
    (UPPER_SECONDARY, "ask_higher_education_deadline", "ask_upper_secondary_deadline"),
    (user("hva er fagskole", "ask_fagskole"), "ask_upper_secondary_deadline", "ask_fagskole"),
    # Retaking a subject: its answer says where the exam deadlines are ("og må eg melde meg
    # opp før ein frist?" got Samordna opptak's deadline).
    (user("kan eg ta opp att matte som privatist?", "ask_improve_grades"),
     "ask_higher_education_deadline", "ask_improve_grades"),
    # Påbygg is applied for at vigo.no, by upper secondary's deadline.
    (user("pabygg, hva er det", "ask_pabygg"), "ask_higher_education_deadline",
     "ask_upper_secondary_deadline"),
    # A topic with no deadline of its own, asked about one level: that level's; having
    # upper secondary, university is the level one goes to.
    (user("jeg har videregående fra eritrea, kan jeg søke universitet?",
          "ask_foreign_education_recognition"), "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
    (user("i finished high school in syria, can i apply to a norwegian university?",
          "ask_foreign_education_recognition"), "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
])
async def test_a_bare_deadline_answers_for_the_topic_before(dispatcher, domain, before,
                                                            read_as, meant):
    tracker = conversation(before, user("når er fristen da", read_as))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant
    assert dispatcher.messages == []



async def test_a_question_about_the_chat_in_between_is_passed_over(dispatcher, domain):
    tracker = conversation(user("kva er eigentleg fagskule?", "ask_fagskole"),
                           user("kostar det pengar?", "ask_service_free_anonymous"),
                           user("og kva er søknadsfristen?", "ask_higher_education_deadline"),
                           language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


async def test_a_bare_deadline_the_classifier_took_for_something_else(dispatcher, domain):
    tracker = conversation(
        user("my son wants to be an electrician, how does he apply for vocational school?",
             "ask_upper_secondary_application"),
        user("and when does he need to do it by", "ask_service_free_anonymous"),
        language="en")
    action = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"

async def test_with_no_answered_question_before_the_level_the_message_before_named(
        dispatcher, domain):
    # The message before got a counsellor's offer, not an answer from the knowledge base.
    tracker = conversation(
        user("datteren min går i 10. klasse og vet ikke hva hun skal velge på vgs",
             "ask_personal_guidance"),
        user("når må søknaden sendes inn", "ask_higher_education_deadline"))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


async def test_with_nothing_answered_the_level_named_a_few_messages_back(dispatcher, domain):
    tracker = conversation(
        user("sønnen min går i 10. klasse og vet ikke hva han vil", "ask_personal_guidance"),
        user("hvordan gjør man det egentlig", "nlu_fallback"),
        user("og fristen?", "ask_higher_education_deadline"))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


async def test_the_level_named_a_question_before_the_one_answered_counts(dispatcher, domain):
    """"når er fristen" after "må jeg kunne norsk?" (recognition), which followed "jeg har
    videregående fra litauen. kan jeg søke på bachelor i norge?": upper secondary's."""
    tracker = conversation(
        user("hei, jeg har videregående fra litauen. kan jeg søke på bachelor i norge?",
             "ask_foreign_education_recognition"),
        user("må jeg kunne norsk?", "ask_foreign_education_recognition"),
        user("når er fristen", "ask_upper_secondary_deadline"))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_higher_education_deadline"


@pytest.mark.parametrize(("said", "read_as"), [
    # The same topic: answered as understood.
    ([UPPER_SECONDARY, user("når er fristen", "ask_upper_secondary_deadline")],
     "ask_upper_secondary_deadline"),
    # A deadline that names its topic.
    ([LOAN, user("når er fristen for samordna", "ask_higher_education_deadline")],
     "ask_higher_education_deadline"),
    # Nothing asked before.
    ([user("når er fristen?", "ask_higher_education_deadline")],
     "ask_higher_education_deadline"),
    # Asked before about something without a deadline.
    ([user("hvordan skriver jeg en cv", "ask_cv"),
      user("når er fristen?", "ask_higher_education_deadline")],
     "ask_higher_education_deadline"),
])
async def test_otherwise_the_deadline_understood_is_answered(dispatcher, domain, said, read_as):
    events = await ActionAnswerQuestion().run(dispatcher, conversation(*said), domain)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(read_as), "nb")]


async def test_and_the_deadline_as_a_follow_up(dispatcher, domain):
    tracker = conversation(user("how do i apply for student loan", "ask_student_grant"),
                           user("and the deadline?", "continue_topic"), language="en")
    tracker.latest_message["intent_ranking"] = [
        {"name": "continue_topic", "confidence": 0.50},
        {"name": "ask_higher_education_deadline", "confidence": 0.41}]
    action = ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_finance_deadline"


async def test_an_unsure_bare_deadline(dispatcher, domain):
    tracker = conversation(UPPER_SECONDARY, user("ka e fristen", "nlu_fallback"))
    action = ActionClarify(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


async def test_a_question_answered_after_reading_it_part_by_part_counts_as_answered(
        dispatcher, domain):
    # The classifier left the parent's question unsure; the bot still answered it (upper
    # secondary's application): the bare deadline after it is upper secondary's.
    tracker = conversation(
        user("Hi, my son is 15 and wants to be a plumber. how does he apply for vocational "
             "school?", "nlu_fallback"),
        {"event": "bot", "text": render_answer(
            KNOWLEDGE.for_intent("ask_upper_secondary_application"), "en")},
        user("and when does he need to do it by", "ask_service_free_anonymous"),
        language="en")
    action = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


@pytest.mark.parametrize(("text", "meant"), [
    ("sonen min har dysleksi og treng tilrettelegging på vidaregåande. er fristen den same?",
     "ask_upper_secondary_deadline"),
    ("vi har ikke fått svar fra lånekassen ennå, når er fristen egentlig",
     "ask_student_finance_deadline"),
    ("is the deadline for folk high school in april too", "ask_folkehogskole"),
    ("kor lenge har eg på meg te å søka vgs", "ask_upper_secondary_deadline"),  # dialect
    # how long one has to send it, the loan application named
    ("kor lenge har eg på meg å sende inn lånesøknaden?", "ask_student_finance_deadline"),
    ("how long do i have to submit my loan application", "ask_student_finance_deadline"),
    ("hvordan søker jeg fagskole", None),  # no deadline asked
    ("når er fristen da", None),  # no level named: the topic before decides
])
def test_a_deadline_question_that_names_its_level_asks_for_that_deadline(
        text: str, meant: str | None) -> None:
    assert deadline_named(text) == meant


STORY_US = ("Sonen min er 15 og har dysleksi. Han gruar seg til vidaregåande og vi bur på "
            "Stord. Er det ein eigen frist for elevar som treng individuell vurdering?")


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # a story about upper secondary read as Samordna opptak's deadline
    (STORY_US, "ask_higher_education_deadline", "ask_upper_secondary_deadline"),
    ("når er fristen for folkehøgskole", "ask_higher_education_deadline", "ask_folkehogskole"),
    # a pupil in lower secondary applies to upper secondary
    ("Sønnen min er 15 og har slitt på ungdomsskolen. Læreren mente han kan søke om "
     "individuell vurdering. Når må vi i så fall søke?", "ask_higher_education_deadline",
     "ask_upper_secondary_deadline"),
    # two levels named: which one's deadline is asked is the classifier's to say
    ("når er fristen for å søke høyskole etter videregående?",
     "ask_higher_education_deadline", None),
    # the level it was read as, none, or student finance
    ("fristen for vgs?", "ask_upper_secondary_deadline", None),
    ("når er fristen", "ask_higher_education_deadline", None),
    ("når er fristen for lånekassen når jeg går på vgs", "ask_upper_secondary_deadline", None),
    # not read as a deadline
    ("hvordan søker jeg vgs", "ask_higher_education_choices", None),
    # finishing upper secondary to study: Samordna opptak's
    ("hi there! quick question – my daughter (18) is finishing Vg3 in Asker and wants to "
     "study nursing in Oslo. when does she need to apply by?", "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
    ("Sonen min går siste året på vgs og vil studere økonomi. Når må han søkje?",
     "ask_upper_secondary_deadline", "ask_higher_education_deadline"),
    ("dottera mi går på vg3 og vil bli lærling. når er fristen?",
     "ask_higher_education_deadline", "ask_upper_secondary_deadline"),
    # an apprenticeship, and no level named: upper secondary's (vigo.no)
    ("ka e fristen for å søkje læreplass", "ask_higher_education_deadline",
     "ask_upper_secondary_deadline"),
    ("when is the deadline to apply for an apprenticeship?", "ask_higher_education_deadline",
     "ask_upper_secondary_deadline"),
    # a child of 13–16 and no level named: upper secondary's
    ("Sønnen min er 15 og vil bli elektriker. Når er søknadsfristen?",
     "ask_higher_education_deadline", "ask_upper_secondary_deadline"),
    ("my daughter (16) wants to become a nurse, when is the deadline?",
     "ask_higher_education_deadline", "ask_upper_secondary_deadline"),
    # older, or a number that is no age, or a level named: as read
    ("sønnen min er 19 og skal studere, når er fristen?", "ask_higher_education_deadline",
     None),
    ("sønnen min fikk 15 poeng, når er fristen?", "ask_higher_education_deadline", None),
    ("my daughter is 16 but wants to know the university deadline already",
     "ask_higher_education_deadline", None),
    # Samordna opptak named: its deadline, whatever level the pupil is at
    ("hei! går vg3 i fredrikstad, flytta hit fra polen da jeg var 12. når er fristen på "
     "samordna?", "ask_higher_education_deadline", None),
    # the level named, not the pupil's 10th grade
    ("Jenta mi går i 10. klasse, men tenker på fagskole seinere. Når er fristen for den?",
     "ask_upper_secondary_deadline", "ask_fagskole"),
    # teacher training is higher education; "kva dato" asks a deadline
    ("What's the application deadline for teacher training?", "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
    ("kva er fristen for lærarutdanninga", "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
    ("Kva dato må søknaden til sjukepleie vere send inn?", "ask_upper_secondary_deadline",
     "ask_higher_education_deadline"),
    # a loan asked for at the level named: the loan's deadline
    ("Hei, eg har fått studieplass på HVL i Førde. Når må eg søkje lån?",
     "ask_student_finance_deadline", None),
    ("got a place at NTNU, when do I apply for the loan?", "ask_higher_education_deadline",
     None),
])
def test_a_deadline_read_for_another_level_than_the_one_named(text, read_as, meant):
    assert deadline_of_the_one_level_named(text, read_as) == meant


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    ("hello, i have permanent residence. starting nursing at university in Bodø in august. "
     "when do i apply for loan?", "ask_higher_education_deadline",
     "ask_student_finance_deadline"),
    ("skal begynne på universitetet i høst. når må jeg søke om lån?",
     "ask_higher_education_deadline", "ask_student_finance_deadline"),
    ("when is the deadline for lånekassen", "ask_higher_education_deadline",
     "ask_student_finance_deadline"),
    # the question names a level, or asks no loan: as read
    ("i have a loan from my bank. when do i apply to university?",
     "ask_higher_education_deadline", None),
    ("kan jeg få lån? og når er fristen for vgs?", "ask_upper_secondary_deadline", None),
    ("når må jeg søke om lån?", "ask_student_finance_deadline", None),
    # two questions: the deadline, and the grant
    ("Når er søknadsfristen, og hvor mye får jeg i stipend?", "ask_higher_education_deadline",
     None),
])
def test_a_deadline_read_for_a_school_that_asks_for_the_loan_is_the_loans(text, read_as, meant):
    assert deadline_of_the_loan_asked(text, read_as) == meant


async def test_the_deadline_of_the_one_level_named_is_answered(make_tracker, dispatcher, domain):
    tracker = make_tracker(STORY_US, "ask_higher_education_deadline")
    action = ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"] \
        == ["ask_upper_secondary_deadline"]


async def test_an_unclear_story_whose_question_lost_its_level_gets_the_level_named(
        make_tracker, dispatcher, domain):
    asked = "Er det ein eigen frist for elevar som treng individuell vurdering"
    nlu = TableNlu({asked: ("ask_higher_education_deadline", 0.7)})
    tracker = make_tracker(STORY_US, "nlu_fallback")
    await ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=nlu, threshold=0.4)).run(
        dispatcher, tracker, domain)
    assert [KNOWLEDGE.intent_answered(m["text"]) for m in dispatcher.messages] == [
        "ask_upper_secondary_deadline"]


@pytest.mark.parametrize(("before", "said", "read_as", "meant"), [
    # "og hvor søker man?" after upper secondary's deadline was read as a job search
    (user("når er fristen for vgs", "ask_upper_secondary_deadline"), "og hvor søker man?",
     "ask_job_search", "ask_upper_secondary_application"),
    (user("what is a folk high school?", "ask_folkehogskole"), "where do I apply then?",
     "ask_upper_secondary_application", "ask_folkehogskole"),
    (user("når er fristen for å søkje vidaregåande", "ask_upper_secondary_deadline"),
     "kvar søkjer eg?", "ask_upper_secondary_deadline", "ask_upper_secondary_application"),
    (user("når er fristen for vgs", "ask_upper_secondary_deadline"),
     "Hvor sender man søknaden?", "ask_job_application", "ask_upper_secondary_application"),
    # whether on paper, as before
    (user("når er fristen for vgs", "ask_upper_secondary_deadline"),
     "Og kvar søkjer ein, er det på papir som i gamle dagar?", "ask_upper_secondary_rights",
     "ask_upper_secondary_application"),
    # with a laugh typed after it (read together with the deadline as Samordna's)
    (user("nr e fristen for å søke vgs", "ask_upper_secondary_deadline"),
     "og hvor søker man lol", "nlu_fallback", "ask_upper_secondary_application"),
    (user("nr e fristen for å søke vgs", "ask_upper_secondary_deadline"),
     "hvor søker man da 😅", "nlu_fallback", "ask_upper_secondary_application"),
    # which website, asked on a phone
    (user("lowkey stressa, når er fristen for vgs", "ask_upper_secondary_deadline"),
     "og hvilken nettside leverer man søknaden på egt", "ask_upper_secondary_deadline",
     "ask_upper_secondary_application"),
    (user("what is a folk high school?", "ask_folkehogskole"), "which website do i apply on",
     "ask_higher_education_deadline", "ask_folkehogskole"),
    # after a complaint that the answer missed
    (user("eg har fått studieplass i bergen, når må eg søkje lån",
          "ask_student_finance_deadline"), "det var ikkje det eg spurde om. korleis søkjer eg",
     "ask_upper_secondary_application", "ask_student_finance_deadline"),
    # names what is applied for, or nothing with a level before: the classifier's reading
    (user("når er fristen for vgs", "ask_upper_secondary_deadline"), "hvor søker man jobb?",
     "ask_job_search", None),
    (user("hvordan skriver jeg en cv", "ask_cv"), "og hvor søker man?", "ask_job_search", None),
    (user("når er fristen for vgs", "ask_upper_secondary_deadline"),
     "hvilken nettside er best for jobbannonser", "ask_job_search", None),
])
async def test_a_bare_where_to_apply_is_for_the_level_before(dispatcher, domain, before, said,
                                                             read_as, meant):
    tracker = conversation(before, user(said, read_as))
    action = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


async def test_an_unclear_where_to_apply_is_for_the_level_before(dispatcher, domain):
    tracker = conversation(user("kor mange program kan eg søkje på vgs?",
                                "ask_upper_secondary_choices"),
                           user("og korleis søkjer ein då?", "nlu_fallback"), language="nn")
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await clarify.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


@pytest.mark.parametrize(("text", "meant"), [
    ("I miss the deadline in april. is too late for this year?", "ask_higher_education_choices"),
    ("eg rakk ikkje fristen i april, kva gjer eg no?", "ask_higher_education_choices"),
    ("glemte å søke samordna, er det for sent?", "ask_higher_education_choices"),
    # not making it in time
    ("hva om jeg ikke rekker fristen da", "ask_higher_education_choices"),
    ("kva om eg ikkje rekk det?", "ask_higher_education_choices"),
    ("and if she doesn't make it in time?", "ask_higher_education_choices"),
    # the deadline itself
    ("when is the samordna deadline?", None),
    ("can I apply after the deadline for a place at the police university college?", None),
    # asked when it was
    ("i wanted to apply to the police university college but missed the deadline. when was "
     "it?", None),
    ("glemte fristen til politihøgskolen, når var den?", None),
])
def test_having_missed_samordnas_deadline_asks_what_can_be_done_now(text, meant):
    assert after_a_missed_deadline(text, "ask_higher_education_deadline") == meant
    assert after_a_missed_deadline(text, "ask_upper_secondary_deadline") is None


async def test_a_bare_deadline_read_as_out_of_scope_answers_for_the_topic_before(
        dispatcher, domain):
    """"kl kor mykje den dagen?" after Samordna opptak's deadline was out of scope."""
    tracker = conversation(
        user("når er fristen for samordna opptak", "ask_higher_education_deadline"),
        user("kl kor mykje den dagen?", "out_of_scope"), language="nn")
    action = ActionOutOfScope(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_higher_education_deadline"
    assert dispatcher.messages == []


@pytest.mark.parametrize(("action", "read_as"), [(ActionContinueTopic, "continue_topic"),
                                                 (ActionClarify, "nlu_fallback")])
async def test_missing_the_deadline_just_given_asks_what_can_be_done(
        dispatcher, domain, action, read_as):
    """"what if I miss it" after Samordna opptak's deadline (0.41 together): the study
    choices' answer says vacant places are applied for in July."""
    tracker = conversation(
        user("when is the last day to apply for uni", "ask_higher_education_deadline"),
        user("what if I miss it", read_as), language="en")
    events = await action(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_higher_education_choices"


async def test_missing_another_deadline_named_is_not_samordnas(dispatcher, domain):
    tracker = conversation(
        user("when is the last day to apply for uni", "ask_higher_education_deadline"),
        user("what if I miss the loan deadline", "continue_topic"), language="en")
    events = await ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) != "ask_higher_education_choices"


async def test_a_bare_deadline_after_a_topic_without_one_is_the_deadline_it_was_read_as(
        dispatcher, domain):
    """"when is the last day to apply" (0.48 Samordna opptak's deadline) after a question
    about a diploma from abroad got the recognition answer again: read with it, the two
    were recognition."""
    asked = "I have KCSE certificate. Can I apply to bachelor in Norway with it?"
    said = user("when is the last day to apply", "ask_higher_education_deadline")
    said["parse_data"]["intent"]["confidence"] = 0.48
    tracker = conversation(user(asked, "ask_foreign_education_recognition"),
                           {"event": "bot", "text": render_answer(
                               KNOWLEDGE.for_intent("ask_foreign_education_recognition"), "en")},
                           said, language="en")
    nlu = TableNlu({f"{asked}. when is the last day to apply":
                    ("ask_foreign_education_recognition", 0.8)})
    action = ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                                  context=ContextReading(KNOWLEDGE, nlu))
    events = await action.run(dispatcher, tracker, domain)
    assert events == []
    assert [m.get("text") for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), "en")]


async def test_a_weak_reading_that_names_its_own_school_is_that_schools_answer(dispatcher,
                                                                              domain):
    # After fagskole, read with that answer, it was fagskole again.
    said = user("koss blir det med folkehøgskole da?", "ask_folkehogskole")
    said["parse_data"]["intent"]["confidence"] = 0.45
    fagskole = render_answer(KNOWLEDGE.for_intent("ask_fagskole"), "nb")
    tracker = conversation(user("og fagskolen?", "ask_fagskole"),
                           {"event": "bot", "text": fagskole, "timestamp": 1764230401.0},
                           said)
    text = "og fagskolen?. koss blir det med folkehøgskole da?"
    action = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu(
        {text: ("ask_fagskole", 0.8)})))
    await action.run(dispatcher, tracker, domain)
    assert render_answer(KNOWLEDGE.for_intent("ask_folkehogskole"), "nb") in " ".join(
        message.get("text") or "" for message in dispatcher.messages)


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # a story about a topic, then only when the deadline is: that topic's deadline
    ("hei. eg er 38, har ikkje studiekompetanse, men vil søkje sjukepleie på grunnlag av "
     "realkompetanse. kva er fristen?", "ask_admission_requirements",
     "ask_higher_education_deadline"),
    ("vil ta påbygg etter vg2. når er fristen?", "ask_pabygg", "ask_upper_secondary_deadline"),
    # a deadline read stands; a topic without a deadline, or more asked than the deadline
    ("når er fristen?", "ask_upper_secondary_deadline", None),
    ("kva er fristen?", "ask_cv", None),
    ("vil søkje sjukepleie med realkompetanse. kva krav er det?",
     "ask_admission_requirements", None),
])
def test_the_deadline_of_the_topic_a_story_tells(text, read_as, meant):
    assert deadline_of_the_topic_told(text, read_as) == meant


@pytest.mark.parametrize(("text", "read_as", "confidence", "meant"), [
    # special language teaching is applied for with upper secondary, by its early deadline
    ("her Norwegian is still weak. teacher in introduction class said something about "
     "special language teaching and early deadline?", "ask_regulated_profession", 0.47,
     "ask_upper_secondary_deadline"),
    ("ho treng særskilt språkopplæring, kva er fristen då?", "ask_cv", 0.41,
     "ask_upper_secondary_deadline"),
    # read surely, read as a topic with a deadline of its own, or no level named: as read
    ("special language teaching and early deadline?", "ask_regulated_profession", 0.70, None),
    ("special language teaching and early deadline?", "ask_23_5_rule", 0.47, None),
    ("is there an early deadline for that?", "ask_regulated_profession", 0.47, None),
])
def test_a_weak_reading_of_a_topic_without_a_deadline_yields_to_the_deadline_named(
        text, read_as, confidence, meant):
    assert deadline_named_in_a_weak_reading(text, read_as, confidence) == meant


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # the topic named with the deadline asked: the topic's deadline ("og søker jeg påbygg
    # innen 1. mars?" got påbygg's answer, which has no date)
    ("og søker jeg påbygg innen 1. mars?", "ask_pabygg", "ask_upper_secondary_deadline"),
    ("er det egen frist for å søke fortrinnsrett?", "ask_upper_secondary_rights",
     "ask_upper_secondary_deadline"),
    ("when is the deadline if I apply with the 23/5 rule?", "ask_23_5_rule",
     "ask_higher_education_deadline"),
    # typed without the apostrophe, a level named: that level's
    ("ok nvm. if i want uni after påbygg, whens that deadline", "ask_pabygg",
     "ask_higher_education_deadline"),
    # by when it must be in
    ("når må søknaden vere inne om eg søkjer på grunnlag av realkompetanse?",
     "ask_admission_requirements", "ask_higher_education_deadline"),
    ("when does the application have to be in if I use the 23/5 rule?", "ask_23_5_rule",
     "ask_higher_education_deadline"),
    # no deadline asked, what comes after it, two questions, or a deadline of its own
    # another level named: its deadline
    ("Når er fristen for å søke på Samordna opptak?", "ask_pabygg",
     "ask_higher_education_deadline"),
    # a deadline named in passing, not asked
    ("kan jeg endre rekkefølgen på ønskene før fristen?", "ask_higher_education_choices", None),
    ("hva er påbygg", "ask_pabygg", None),
    ("kan jeg søke påbygg etter fristen?", "ask_pabygg", None),
    ("hva er påbygg, og når er fristen?", "ask_pabygg", None),
    ("når er fristen for fagskole?", "ask_fagskole", None),
    ("når er fristen for vgs?", "ask_upper_secondary_deadline", None),
])
def test_a_topic_named_with_its_deadline_asked_gets_that_deadline(text, read_as, meant):
    assert deadline_of_the_topic_named(text, read_as) == meant


@pytest.mark.parametrize(("text", "meant"), [
    # påbygg is a year of upper secondary ("and when is the deadline to apply for påbygg?"
    # was asked back, then påbygg's answer quoted)
    ("and when is the deadline to apply for påbygg?", "ask_upper_secondary_deadline"),
    ("har påbygg og skal søke på universitetet. når er fristen?",
     "ask_higher_education_deadline"),
])
def test_the_deadline_of_pabygg_is_upper_secondarys(text, meant):
    assert deadline_named(text) == meant


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # the grounds for applying by 1 February: upper secondary's deadline explains them
    ("Kan han søkje om fortrinnsrett på grunn av skaden?", "ask_upper_secondary_application",
     "ask_upper_secondary_deadline"),
    ("kan hun søke om individuell vurdering", "nlu_fallback", "ask_upper_secondary_deadline"),
    ("does she need to apply for priority admission somewhere?", "ask_upper_secondary_rights",
     "ask_upper_secondary_deadline"),
    ("he still has special norwegian classes, does it change something?",
     "ask_upper_secondary_rights", "ask_upper_secondary_deadline"),
    # newly arrived in Norway, with a deadline asked
    ("is there a different deadline for people who are new in norway?",
     "ask_upper_secondary_application", "ask_upper_secondary_deadline"),
    ("har de som nettopp har kommet til Norge en annen frist?", "nlu_fallback",
     "ask_upper_secondary_deadline"),
    ("we are new in norway, how do i apply?", "ask_upper_secondary_application", None),
    # a short time lived here
    ("hun har bare bodd i Norge i ett år, gjelder det en annen frist for henne da?",
     "nlu_fallback", "ask_upper_secondary_deadline"),
    ("he has only lived here for a few months, is the deadline different?",
     "ask_upper_secondary_rights", "ask_upper_secondary_deadline"),
    ("hun har bodd i Norge i ti år, når er fristen?", "nlu_fallback", None),
    # read as the deadline already, none named, or another level's
    ("Kan han søkje om fortrinnsrett?", "ask_upper_secondary_deadline", None),
    ("hvordan søker jeg på vigo?", "ask_upper_secondary_application", None),
    ("kan eg få individuell vurdering på universitetet?", "nlu_fallback", None),
])
def test_the_grounds_for_applying_early_are_the_deadlines(text, read_as, meant):
    assert early_application_asked(text, read_as) == meant


def test_applying_on_the_grounds_for_applying_early_is_no_question_of_how():
    assert applying_without_a_date("Kan han søkje om fortrinnsrett på grunn av skaden?",
                                   "ask_upper_secondary_deadline") is None


async def test_individual_assessment_asked_unclearly_gets_the_deadline(dispatcher, domain):
    tracker = conversation(user("har det noe å si for om hun kommer inn?",
                                "ask_upper_secondary_rights"),
                           user("kan hun søke om individuell vurdering", "nlu_fallback"))
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await clarify.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"
