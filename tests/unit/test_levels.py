"""A question either level of education could be asked, taken for the level the person
asked about just before when the message does not say which."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.levels import (
    COUNTERPARTS,
    FOLK_HIGH_SCHOOL,
    LEVEL_OF,
    admission_of_the_level_applied_to,
    an_adults_schooling,
    application_of_the_one_level_named,
    level_named,
    prior_learning_for_higher_education,
    school_asked_of_an_occupation,
    the_one_level_named,
)
from actions.offers import EXTERNAL_MESSAGE_PREFIX
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from tests.unit.action_fakes import NoNlu
from tests.unit.test_follow_ups import conversation, injected_intent, user
from tests.unit.test_in_context import TableNlu

HIGHER_DEADLINE = user("kva tid går fristen ut for å søkje samordna opptak?",
                       "ask_higher_education_deadline")


def unsure(text: str, intent: str, confidence: float = 0.55) -> dict:
    said = user(text, intent)
    said["parse_data"]["intent"]["confidence"] = confidence
    return said


def injected(intent: str) -> dict:
    return user(f"{EXTERNAL_MESSAGE_PREFIX}{intent}", intent)


async def test_an_unsure_reading_takes_the_level_asked_about_before(dispatcher, domain):
    tracker = conversation(HIGHER_DEADLINE, unsure(
        "kor mange utdanningar kan eg føre opp på søknaden?", "ask_upper_secondary_choices"),
        language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_higher_education_choices"


async def test_an_unsure_reading_takes_a_level_named_when_nothing_was_answered(dispatcher, domain):
    """"kva program bør eg velja på vgs?" got the offer of a counsellor, so no answer has a
    level; "kor mange kan eg søkja på" got Samordna opptak's ten study choices (0.76)."""
    tracker = conversation(
        user("hei! kva program bør eg velja på vgs? eg likar å jobba med hendene",
             "ask_personal_guidance"),
        unsure("kor mange kan eg søkja på", "ask_higher_education_choices", 0.76),
        language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_choices"


async def test_a_follow_up_that_changed_the_level_counts_as_what_it_was_answered_as(
        dispatcher, domain):
    # "and for upper secondary?" was answered as upper secondary's deadline (injected).
    tracker = conversation(
        user("hi, when's the deadline to apply for uni in norway?",
             "ask_higher_education_deadline"),
        user("and for upper secondary?", "continue_topic"),
        injected("ask_upper_secondary_deadline"),
        unsure("how many programmes can i list there", "ask_higher_education_choices", 0.50),
        language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_choices"


@pytest.mark.parametrize("said", [
    # It names its level.
    [HIGHER_DEADLINE, unsure("hvor mange programmer kan jeg søke på vigo?",
                             "ask_upper_secondary_choices")],
    # The classifier is sure.
    [HIGHER_DEADLINE, unsure("kor mange kan eg føre opp?", "ask_upper_secondary_choices", 0.9)],
    # The question before was on the same level, or on none.
    [user("når er fristen for vgs", "ask_upper_secondary_deadline"),
     unsure("hvor mange kan jeg føre opp?", "ask_upper_secondary_choices")],
    [user("hvordan skriver jeg en cv", "ask_cv"),
     unsure("hvor mange kan jeg føre opp?", "ask_upper_secondary_choices")],
    # It names its topic by name: the 23/5 rule is higher education's.
    [user("my daughter is in vg1, what are her rights?", "ask_upper_secondary_rights"),
     unsure("and the 23/5 rule also change?", "ask_23_5_rule", 0.67)],
])
async def test_otherwise_the_reading_stands(dispatcher, domain, said):
    events = await ActionAnswerQuestion().run(dispatcher, conversation(*said), domain)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(said[-1]["parse_data"]["intent"]["name"]), "nb")]


def test_every_levels_question_is_on_that_level_and_answered(domain):
    for by_level in COUNTERPARTS.values():
        for level, intent in by_level.items():
            assert intent in domain["intents"] and KNOWLEDGE.for_intent(intent)
            # Two questions also stand in for another level: Samordna opptak's deadline
            # says how to apply there, and the 23/5 rule is how adults get in.
            assert LEVEL_OF[intent] == level or intent in (
                "ask_higher_education_deadline", "ask_23_5_rule")


async def test_how_to_apply_right_after_folk_high_school_is_about_folk_high_school(
        dispatcher, domain):
    tracker = conversation(
        user("what's a folk high school, exactly?", "ask_folkehogskole"),
        unsure("how do i apply", "ask_upper_secondary_application", 0.66), language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"
    assert level_named("how do i apply") is None
    assert LEVEL_OF["ask_folkehogskole"] == FOLK_HIGH_SCHOOL


@pytest.mark.parametrize("said", [
    # It names its level.
    [user("hva er en folkehøgskole", "ask_folkehogskole"),
     unsure("hvordan søker jeg på vgs", "ask_upper_secondary_application")],
    # The question before has no level.
    [user("hvordan skriver jeg en cv", "ask_cv"),
     unsure("hvordan søker jeg", "ask_upper_secondary_application")],
])
async def test_otherwise_applying_stands(dispatcher, domain, said):
    events = await ActionAnswerQuestion().run(dispatcher, conversation(*said), domain)
    assert events == []


async def test_applying_to_one_after_fagskole_is_about_fagskole(dispatcher, domain):
    tracker = conversation(
        user("whats a fagskole and do i need a trade cert to get in?", "ask_fagskole"),
        unsure("how do i apply to one", "ask_higher_education_choices", 0.44), language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


@pytest.mark.parametrize(("about_me", "meant"), [
    ("Eg er 35 og fullførte aldri vidaregåande. Har eg rett til å ta det no?", None),
    ("Eg er vaksen og fullførte aldri vidaregåande. Har eg rett til å ta det no?", None),
    # A young person's follow-up is turned to the level asked about, as before.
    ("Eg er 17 og slutta på vidaregåande. Har eg rett til å ta det no?",
     "ask_upper_secondary_application"),
])
async def test_an_adults_own_reading_stands_for_a_person_who_said_they_are_one(
        dispatcher, domain, about_me, meant):
    tracker = conversation(
        user(about_me, "ask_upper_secondary_rights"),
        unsure("kan eg ta det på deltid ved sida av jobben?", "ask_adult_upper_secondary", 0.74),
        language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


@pytest.mark.parametrize(("before", "meant"), [
    (user("hva er fagskole for noe", "ask_fagskole"), "ask_fagskole"),
    (user("what is a folk high school", "ask_folkehogskole"), "ask_folkehogskole"),
])
async def test_getting_in_right_after_a_level_is_about_that_level_however_sure(
        dispatcher, domain, before, meant):
    """"hva kreves for a komme inn" after fagskole got Samordna opptak's requirements."""
    tracker = conversation(before, unsure("hva kreves for a komme inn",
                                          "ask_admission_requirements", 0.86))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


async def test_getting_in_somewhere_named_keeps_a_sure_reading(dispatcher, domain):
    tracker = conversation(user("hva er fagskole for noe", "ask_fagskole"),
                           unsure("hva kreves for å komme inn på sykepleie?",
                                  "ask_admission_requirements", 0.86))
    assert await ActionAnswerQuestion().run(dispatcher, tracker, domain) == []
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_admission_requirements"), "nb")]


async def test_an_age_said_with_an_age_bound_question_keeps_its_reading(dispatcher, domain):
    """"he's 22, turning 23 next year" after påbygg read as the 23/5 rule (0.65) got
    upper secondary's rights, as if the level before were meant."""
    tracker = conversation(
        user("my son has fagbrev as a carpenter, now he wants uni. does he need påbygg?",
             "ask_pabygg"),
        unsure("he's 22, turning 23 next year", "ask_23_5_rule", 0.65), language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


@pytest.mark.parametrize(("asked", "meant"), [
    ("går folkehøgskule òg gjennom samordna? er fristen 15. april?", "ask_folkehogskole"),
    ("do you apply to fagskole through samordna?", "ask_fagskole"),
])
async def test_whether_one_applies_to_a_school_named_through_samordna_is_that_schools(
        dispatcher, domain, asked, meant):
    """"søker man folkehøgskole via samordna også? med frist 15 april?" (0.5 Samordna
    opptak's deadline) got Samordna opptak's dates."""
    tracker = conversation(unsure(asked, "ask_higher_education_deadline", 0.5))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


async def test_a_story_asking_whether_one_applies_to_a_school_through_samordna_too(
        dispatcher, domain):
    """Not understood whole (the fallback), it was asked which topic it meant."""
    from tests.unit.action_fakes import NoNlu

    story = ("Hei, datteren min er 19 og blir ferdig med studiespesialisering til sommeren. "
             "Hun vil ta et år på folkehøgskole før hun bestemmer seg for noe. Går søknaden "
             "dit gjennom Samordna opptak?")
    tracker = conversation(unsure(story, "nlu_fallback", 0.4))
    events = await ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                                 context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"


async def test_a_young_persons_age_is_no_adults_question(dispatcher, domain):
    """"kva med bror min som er 17, kan han byte program så mykje han vil?" (0.8 upper
    secondary's rights) after an adult's right to finish got the 23/5 rule."""
    tracker = conversation(
        user("eg er 27 og slutta på vgs for lenge sidan. har eg framleis rett til å fullføre?",
             "ask_adult_upper_secondary"),
        unsure("kva med bror min som er 17, kan han byte program så mykje han vil?",
               "ask_upper_secondary_rights", 0.79), language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


@pytest.mark.parametrize(("before", "asked", "meant"), [
    (user("hva er folkehøgskole for noe?", "ask_folkehogskole"),
     "søker man det gjennom samordna?", "ask_folkehogskole"),
    (user("whats a fagskole", "ask_fagskole"), "do u apply thru samordna or directly",
     "ask_fagskole"),
    (user("when is the deadline for vgs", "ask_upper_secondary_deadline"),
     "do you apply through samordna?", "ask_upper_secondary_application"),
    # a level to compare with is not the one asked about
    (user("what is folkehøgskole and how to apply?", "ask_folkehogskole"),
     "is it through samordna opptak like university?", "ask_folkehogskole"),
])
async def test_whether_one_applies_through_samordna_is_asked_of_the_level_before(
        dispatcher, domain, before, asked, meant):
    tracker = conversation(before, unsure(asked, "ask_higher_education_deadline", 0.7),
                           language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


@pytest.mark.parametrize("asked", [
    "Hvor mange studier kan jeg søke på i Samordna opptak?",  # the cluster test's
    "når åpner søknaden i samordna?",
])
async def test_another_question_about_samordna_is_as_read(dispatcher, domain, asked):
    tracker = conversation(user("Når er søknadsfristen til Samordna opptak?",
                                "ask_higher_education_deadline"),
                           unsure(asked, "ask_higher_education_choices", 0.9))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


async def test_applying_through_samordna_to_a_level_named_is_as_read(dispatcher, domain):
    tracker = conversation(user("hva er folkehøgskole for noe?", "ask_folkehogskole"),
                           unsure("søker man til høgskolen gjennom samordna?",
                                  "ask_higher_education_deadline", 0.7))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


@pytest.mark.parametrize(("asked", "reading"), [
    ("må man ha fagbrev for å kom inn der? æ har bare vg2 bygg", "nlu_fallback"),
    ("what do I need to get in there, I only have vg2", "ask_admission_requirements"),
])
async def test_getting_in_there_is_about_the_level_before_not_the_persons_own(
        dispatcher, domain, asked, reading):
    """After fagskole, the "vg2" of the person's story made it upper secondary's rights."""
    from actions.handoff import ActionClarify

    tracker = conversation(user("ka e fristen for å søk på høgskole",
                                "ask_higher_education_deadline"),
                           injected("ask_fagskole"), unsure(asked, reading, 0.4))
    action = ActionClarify() if reading == "nlu_fallback" else ActionAnswerQuestion()
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


async def test_going_there_without_something_is_getting_into_the_level_before(
        dispatcher, domain):
    """"kan jeg gå der uten fagbrev" after fagskole got an adult's ways to a trade
    certificate (0.67)."""
    tracker = conversation(user("Hva er egentlig fagskole? Er det det samme som høyskole?",
                                "ask_fagskole"),
                           unsure("kan jeg gå der uten fagbrev", "ask_trade_certificate_adult",
                                  0.67))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


@pytest.mark.parametrize(("asked", "reading"), [
    # "må ein ha fagbrev for å kome inn?" after fagskole read 0.55 as a trade certificate
    ("må ein ha fagbrev for å kome inn?", "ask_trade_certificate_adult"),
    ("hva kreves for å komme inn", "ask_admission_requirements"),
])
async def test_getting_in_with_no_place_named_is_about_the_level_before(
        dispatcher, domain, asked, reading):
    tracker = conversation(user("nei vent, eg meinte fagskule", "ask_fagskole"),
                           unsure(asked, reading, 0.55), language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


@pytest.mark.parametrize(("asked", "reading", "meant"), [
    # read 0.47 as higher education's requirements, and got universities' answer
    ("må man ha studiespes for å komme inn på fagskole?", "ask_admission_requirements",
     "ask_fagskole"),
    ("kan man komme inn på folkehøgskole uten vitnemål", "ask_admission_requirements",
     "ask_folkehogskole"),
    # the choices one lists: a pupil done with lower secondary lists upper secondary's
    ("Hei! Sønnen min (15) er ferdig med 10. og søkte 3 ulike programmer. Han fikk ikke "
     "førsteønsket. Kan vi klage?", "ask_higher_education_choices",
     "ask_upper_secondary_choices"),
    ("dottera mi går i 9. klasse, kor mange kan ho setje opp på søknaden?",
     "ask_higher_education_choices", "ask_upper_secondary_choices"),
])
async def test_getting_into_the_one_level_named_is_that_levels(
        dispatcher, domain, asked, reading, meant):
    tracker = conversation(unsure(asked, reading, 0.47))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


@pytest.mark.parametrize("asked", [
    # sure of it, or naming the level it was read for, or two levels
    "hva kreves for å komme inn på universitetet",
    "går i 10. klasse, hvor mange studier kan jeg søke på universitetet senere?",
    "kan jeg komme inn på fagskole eller høgskole med fagbrev",
])
async def test_getting_into_the_level_read_or_two_keeps_the_reading(dispatcher, domain, asked):
    tracker = conversation(unsure(asked, "ask_admission_requirements", 0.6))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


@pytest.mark.parametrize("asked", [
    "kompisen min er 22 og har ikke fullført vgs. kan han bruke 23 5 regelen?",
    "I'm 29, didn't finish high school, have worked full time since I was 19. Can I still go "
    "to university?",
])
async def test_the_23_5_rule_is_the_way_in_whatever_level_is_named(dispatcher, domain, asked):
    """Read as the 23/5 rule, these got upper secondary's rights and universities'
    requirements for the one level they name."""
    tracker = conversation(unsure(asked, "ask_23_5_rule", 0.53))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


@pytest.mark.parametrize("asked", ["og hvor søker man egt", "hvor søker man egentlig",
                                   "where do i send it", "og kor søkjer eg det?",
                                   # whether it is done online (0.59 about this service)
                                   "og hvor soker man, er det pa nett?",
                                   "how do i apply, is it online?",
                                   # for that, a level compared with (0.53 Samordna
                                   # opptak's deadline)
                                   "where does she apply for that, same place as university?",
                                   "hvor søker hun, samme sted som universitetet?"])
async def test_where_to_apply_after_a_deadline_is_that_levels_application(
        dispatcher, domain, asked):
    """"og hvor søker man egt" (0.41 a job search) got upper secondary's deadline again:
    the "eg" of "egt" was taken for "eg" (I), and the rest left over."""
    tracker = conversation(user("nar er fristen for a soke vgs?", "ask_upper_secondary_deadline"),
                           unsure(asked, "ask_job_search", 0.41))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


@pytest.mark.parametrize(("before", "asked"), [
    (user("what level of norwegian do they require", "ask_regulated_profession"),
     "and where do i send the application"),
    (user("kva kostar det å få utdanninga godkjend?", "ask_foreign_education_recognition"),
     "og kor sender eg det?"),
])
async def test_where_to_apply_after_a_topic_with_no_level_is_that_topics(
        dispatcher, domain, before, asked):
    """After a psychologist's authorisation, "and where do i send the application" got
    upper secondary's application (0.68): the answer before says where."""
    tracker = conversation(before, unsure(asked, "ask_upper_secondary_application", 0.68),
                           language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == before["parse_data"]["intent"]["name"]


@pytest.mark.parametrize(("before", "asked", "language"), [
    (user("does a year at folkehøgskole give extra points", "ask_folkehogskole"),
     "ok and the deadline for medicine?", "en"),
    # after påbygg: upper secondary's deadline
    (user("kva er påbygg", "ask_pabygg"), "kva er søknadsfristen for sjukepleie", "nn"),
])
async def test_a_deadline_for_a_study_named_is_not_the_level_befores(dispatcher, domain,
                                                                     before, asked, language):
    """"ok and the deadline for medicine?" after folk high school (0.78 Samordna opptak's
    deadline) got folk high school's answer again."""
    tracker = conversation(before, unsure(asked, "ask_higher_education_deadline", 0.48),
                           language=language)
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent("ask_higher_education_deadline"), language)]


async def test_where_to_send_it_read_as_out_of_scope_is_the_level_befores_application(
        dispatcher, domain):
    from actions.answers import ActionOutOfScope

    tracker = conversation(user("hi when do i apply for vg1", "ask_upper_secondary_deadline"),
                           unsure("where do i send it", "out_of_scope", 0.55), language="en")
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


@pytest.mark.parametrize(("before", "correction", "meant"), [
    (user("hvor mange programmer kan man sette opp nr man søker vg1",
          "ask_upper_secondary_choices"), "sorry mente vg2, hun går allerede vg1 elektro",
     "ask_upper_secondary_choices"),
    (user("when is the deadline for vgs", "ask_upper_secondary_deadline"),
     "oops, i meant university", "ask_higher_education_deadline"),
])
async def test_a_correction_naming_a_level_asks_the_question_before_for_it(
        dispatcher, domain, before, correction, meant):
    """"sorry mente vg2, …" was unclear and got topic buttons."""
    from actions.handoff import ActionClarify

    tracker = conversation(before, unsure(correction, "nlu_fallback", 0.4))
    events = await ActionClarify().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


async def test_a_correction_with_a_question_of_its_own_asks_that_for_the_level(
        dispatcher, domain):
    """"sorry, I meant she's in vg2 now. when's the deadline?" after the admission
    requirements got upper secondary's rights, the requirements' counterpart."""
    tracker = conversation(
        user("my daughter wants to study medicine, what grades does she need?",
             "ask_admission_requirements"),
        unsure("sorry, I meant she's in vg2 now. when's the deadline?",
               "ask_higher_education_deadline", 0.58), language="en")
    events = await ActionAnswerQuestion(
        several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
        context=ContextReading(KNOWLEDGE, NoNlu())).run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


async def test_how_to_apply_and_whether_through_samordna_is_the_level_before_not_two_parts(
        dispatcher, domain):
    """"how apply, is in samordna opptak?" after folk high school (the fallback) got
    upper secondary's application and Samordna opptak's deadline, its parts read alone."""
    from actions.handoff import ActionClarify
    from actions.several_questions import SeveralQuestions
    from tests.unit.test_several_questions import TableNlu

    parts = TableNlu({"how apply": ("ask_upper_secondary_application", 0.6),
                      "is in samordna opptak": ("ask_higher_education_deadline", 0.7)})
    tracker = conversation(user("what is folkehøgskole?", "ask_folkehogskole"),
                           unsure("how apply, is in samordna opptak?", "nlu_fallback", 0.4),
                           language="en")
    events = await ActionClarify(several=SeveralQuestions(KNOWLEDGE, parts)).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"


@pytest.mark.parametrize(("text", "level"), [
    # a study named by its programme, and Samordna opptak's word for a choice
    ("eg måtte avbryte sjukepleiarstudiet i molde, kan eg søkje inn att?", "higher_education"),
    ("kor mange studieval kan eg setje opp", "higher_education"),
    ("hvor mange studieønsker kan jeg ha", "higher_education"),
    # not a programme of upper secondary, nor a fagskole's study
    ("går på studiespesialisering på vgs", "upper_secondary"),
    ("fagskolestudiet i elkraft", "fagskole"),
])
def test_the_level_a_study_is_named_by(text: str, level: str) -> None:
    assert level_named(text) == level


@pytest.mark.parametrize(("text", "level"), [
    # upper secondary lacked is not the level asked about
    ("fine. other question, can i apply based on prior learning? i am 40 and have no vgs",
     None),
    ("hello i am 29 and never finished videregående. i want to study nursing at university",
     "higher_education"),
    ("har ikkje fullført vidaregåande, kan eg søkje fagskule?", "fagskole"),
    # not yet applied to it is still asking about it
    ("jeg har ikke søkt videregående ennå, når er fristen?", "upper_secondary"),
    # left: not the level asked about when another is named, else still the one
    ("im 29, dropped out of vgs in vadso years ago. can i still go to university?",
     "higher_education"),
    ("jeg sluttet på videregående, hva nå?", "upper_secondary"),
    # done with lower secondary: on the way to upper secondary (not "ferdig med 10 år")
    ("Sønnen min er ferdig med 10. og søkte tre programmer", "upper_secondary"),
    ("she is done with 10th grade this summer", "upper_secondary"),
    ("jeg er ferdig med 10 år i jobben og vil studere", None),
    # had, with an article and where it is from: the level named besides it is the one
    ("she has an American high school diploma and her family moved here two years ago. "
     "She wants to apply to a Norwegian university.", "higher_education"),
    ("han har ein polsk vidaregåande skule bak seg og vil søkje universitet",
     "higher_education"),
])
def test_a_level_the_person_lacks_is_not_the_one_asked_about(text, level):
    assert the_one_level_named(text) == level


@pytest.mark.parametrize(("asked", "starts"), [
    ("kan jeg gå der uten fagbrev", "«For å komme inn på fagskole"),
    ("og søknadsfristen?", "«Mange fagskoler tar opp studenter"),
])
async def test_the_answer_just_given_is_quoted_on_what_is_asked_not_given_whole(
        dispatcher, domain, asked, starts):
    """Read as fagskole again right after its answer, a question on its deadline or on
    getting in got the four paragraphs once more."""
    tracker = conversation(
        user("Hva er egentlig fagskole?", "ask_fagskole"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_fagskole"), "nb")},
        unsure(asked, "ask_higher_education_deadline", 0.5), injected("ask_fagskole"))
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_from_the_answer"]
    assert dispatcher.messages[0]["quote"].startswith(starts)


async def test_where_to_apply_after_asking_about_applying_to_a_level_is_that_levels(
        dispatcher, domain):
    """"could i apply to norwegian universities after?" was read as the recognition of a
    degree; "where do i apply" got that answer again, not Samordna opptak's."""
    tracker = conversation(
        user("im an exchange student doing a year at a school in trondheim. could i apply to "
             "norwegian universities after?", "ask_foreign_education_recognition"),
        unsure("where do i apply", "ask_upper_secondary_application", 0.49), language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_higher_education_deadline"


async def test_how_to_apply_compared_with_another_level_is_the_level_before(dispatcher, domain):
    """"how do i apply, same system as uni?" after folk high school got Samordna opptak's
    study choices: uni is what it is compared with."""
    tracker = conversation(
        user("hey, what is a folk high school?", "ask_folkehogskole"),
        unsure("how do i apply, same system as uni?", "ask_higher_education_choices", 0.5),
        language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"


async def test_a_correction_read_as_the_level_it_corrects_asks_for_the_level_meant(
        dispatcher, domain):
    """"nei vent, eg meinte folkehøgskule, ikkje fagskule. kva er fristen der?" was read as
    fagskole (0.66), whose deadline was just given, and got it again."""
    tracker = conversation(
        user("kan du forklare kva slags skule ein fagskule er?", "ask_fagskole"),
        unsure("nei vent, eg meinte folkehøgskule, ikkje fagskule. kva er fristen der?",
               "ask_fagskole", 0.66), language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"


def torn(text: str, *readings: tuple[str, float]) -> dict:
    """A message the classifier could not place, its readings ranked after the fallback."""
    said = user(text, "nlu_fallback")
    said["parse_data"]["intent"]["confidence"] = 0.4
    said["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        *({"name": name, "confidence": confidence} for name, confidence in readings)]
    return said


@pytest.mark.parametrize(("before", "readings", "meant"), [
    # "How many programmes can she put down?" after applying to upper secondary: torn
    # between the two levels' choices, the level before decides
    (user("How does my daughter apply to videregående, and when?",
          "ask_upper_secondary_application"),
     [("ask_higher_education_choices", 0.37), ("ask_upper_secondary_choices", 0.33)],
     "ask_upper_secondary_choices"),
    (HIGHER_DEADLINE,
     [("ask_upper_secondary_choices", 0.38), ("ask_higher_education_choices", 0.30)],
     "ask_higher_education_choices"),
    # not two levels of one question: still not understood
    (user("How does my daughter apply to videregående, and when?",
          "ask_upper_secondary_application"),
     [("ask_higher_education_choices", 0.37), ("ask_upper_secondary_rights", 0.33)], None),
])
async def test_a_message_torn_between_two_levels_takes_the_level_before(
        dispatcher, domain, before, readings, meant):
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(before, torn("How many programmes can she put down?", *readings),
                           language="en")
    events = await clarify.run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


@pytest.mark.parametrize(("text", "meant"), [
    # the one level the message names decides, with no level before
    ("my daughter is in 10th grade, how many programmes can she apply for",
     "ask_upper_secondary_choices"),
    ("how many can she list at university?", "ask_higher_education_choices"),
    # two levels named: still not understood
    ("how many can she list at vgs and at university?", None),
])
async def test_a_message_torn_between_two_levels_takes_the_level_it_names(
        dispatcher, domain, text, meant):
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    tracker = conversation(torn(text, ("ask_upper_secondary_choices", 0.33),
                                ("ask_higher_education_choices", 0.32)), language="en")
    events = await clarify.run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


async def test_an_unsure_reading_that_takes_up_the_answer_before_asks_about_it(dispatcher, domain):
    """"and can he change the order later?" after the study choices (0.60 upper secondary
    rights) got the admission requirements, the rights' counterpart for the level before."""
    answer = {"event": "bot", "text": render_answer(
        KNOWLEDGE.for_intent("ask_higher_education_choices"), "en")}
    tracker = conversation(
        user("what's the maximum number of study options he's allowed to list?",
             "ask_higher_education_choices"), answer,
        unsure("and can he change the order later?", "ask_upper_secondary_rights", 0.6),
        language="en")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None
    [quoted, *_] = dispatcher.messages
    assert "1 July" in quoted["quote"]


async def test_torn_between_two_levels_the_level_before_decides_before_the_answer_again(
        dispatcher, domain):
    """"kor mange linja kan æ sette opp da" after upper secondary's deadline (0.58 Samordna
    opptak's choices, 0.32 upper secondary's) got the deadline again."""
    answer = {"event": "bot", "text": render_answer(
        KNOWLEDGE.for_intent("ask_upper_secondary_deadline"), "nb")}
    said = unsure("kor mange linja kan æ sette opp da", "ask_higher_education_choices", 0.58)
    said["parse_data"]["intent_ranking"] = [
        {"name": "ask_higher_education_choices", "confidence": 0.58},
        {"name": "ask_upper_secondary_choices", "confidence": 0.32}]
    tracker = conversation(user("og ka e fristen for vgs", "ask_upper_secondary_deadline"),
                           answer, said)
    answers = ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, TableNlu({
        "og ka e fristen for vgs. kor mange linja kan æ sette opp da":
            ("ask_upper_secondary_deadline", 0.7)})))
    events = await answers.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_choices"


@pytest.mark.parametrize(("text", "level"), [
    ("what's the general deadline for medicine", "higher_education"),
    ("når er fristen for sykepleie?", "higher_education"),
    ("the law changed this year", None),
])
def test_a_study_only_universities_give_names_higher_education(text: str, level: str | None):
    assert level_named(text) == level


async def test_where_to_send_the_application_is_applying_to_the_level_before(dispatcher, domain):
    """"kvar skal ho sende søknaden?" after a pupil's rights got the rights again."""
    tracker = conversation(
        user("dottera mi vil byte program på vgs, har ho rett til det?",
             "ask_upper_secondary_rights"),
        unsure("kvar skal ho sende søknaden?", "ask_upper_secondary_rights", 0.7),
        language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


@pytest.mark.parametrize(("occupation", "meant"), [
    # the way to become an engineer starts with a bachelor: Samordna opptak's deadline,
    # though the person said they take general studies now
    ("ingenior", "ask_higher_education_deadline"),
    # a carpenter's starts at Vg1: upper secondary's
    ("tomrer", "ask_upper_secondary_deadline"),
])
async def test_right_after_an_occupation_its_way_sets_the_level(
        dispatcher, domain, occupation, meant):
    from tests.unit.test_follow_ups import with_occupation

    torn_deadline = unsure("når er søknadsfristen?", "ask_upper_secondary_deadline", 0.48)
    torn_deadline["parse_data"]["intent_ranking"] = [
        {"name": "ask_upper_secondary_deadline", "confidence": 0.48},
        {"name": "ask_higher_education_deadline", "confidence": 0.47}]
    tracker = with_occupation(conversation(
        user("og hvordan blir jeg det? går studiespes nå", "ask_occupation_path"),
        torn_deadline), occupation)
    events = await ActionAnswerQuestion(
        several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
        context=ContextReading(KNOWLEDGE, NoNlu())).run(dispatcher, tracker, domain)
    said = injected_intent(events)
    assert (said or "ask_upper_secondary_deadline") == meant


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    # a story, the one level wanted, then how to apply: that level's application
    ("Labas! jeg har fagbrev som tømrer i Norge nå (tok det som praksiskandidat). vil gjerne "
     "ta fagskole i bygg. hvordan søke?", "ask_praksiskandidat", "ask_fagskole"),
    ("Sønnen min går i 10. klasse. Hvor søker han?", "ask_upper_secondary_deadline",
     "ask_upper_secondary_application"),
    # no level, more asked than how to apply, a question alone, or as read
    ("jeg vil bli elektriker. hvordan søker jeg?", "ask_occupation_path", None),
    ("jeg vil ta fagskole. hvordan søker jeg, og hva koster det?", "ask_praksiskandidat", None),
    ("hvordan søker jeg fagskole?", "ask_praksiskandidat", None),
    ("jeg vil ta fagskole. hvordan søker jeg?", "ask_fagskole", None),
])
def test_how_to_apply_to_the_one_level_a_story_names(text, read_as, meant):
    assert application_of_the_one_level_named(text, read_as) == meant


@pytest.mark.parametrize(("said", "asked"), [
    # where to apply for påbygg: upper secondary's application, on vigo.no
    ([user("påbygg, er det bare ett år?", "ask_pabygg")], "hvor søker jeg påbygg?"),
    ([], "hvordan søker man påbygg?"),
    ([user("kva er fagskule", "ask_fagskole")], "og kvar søkjer eg om påbygg?"),
])
async def test_where_to_apply_for_pabygg_is_upper_secondarys_application(
        dispatcher, domain, said, asked):
    tracker = conversation(*said, unsure(asked, "ask_pabygg", 0.70))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


async def test_applying_to_study_after_pabygg_is_not_its_application(dispatcher, domain):
    tracker = conversation(user("påbygg, er det bare ett år?", "ask_pabygg"),
                           unsure("kan jeg søke høgskole etter påbygg?", "ask_pabygg", 0.70))
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) != "ask_upper_secondary_application"


@pytest.mark.parametrize(("text", "confidence", "meant"), [
    # a school named after one's occupation, neither pay nor prospects asked: the school's
    ("Hei! Helsefagarbeidar her, vurderer fagskule i psykisk helsearbeid. Er det mogleg ved "
     "sida av jobb?", 0.66, "ask_fagskole"),
    ("I'm a carpenter thinking about a year at a folk high school, is that possible?", 0.5,
     "ask_folkehogskole"),
    # pay or prospects asked, a sure reading, no school or another level named: as read
    ("elektriker med fagskole, hva tjener man?", 0.6, None),
    ("er det behov for helsefagarbeidere med fagskule?", 0.6, None),
    ("Helsefagarbeidar her, vurderer fagskule. Er det mogleg ved sida av jobb?", 0.85, None),
    ("sykepleier, vurderer master på universitetet ved siden av jobb?", 0.6, None),
])
def test_a_school_asked_of_by_someone_in_an_occupation_is_the_schools(text, confidence, meant):
    assert school_asked_of_an_occupation(text, "ask_job_prospects", confidence) == meant


async def test_fagskole_asked_by_a_health_worker_gets_fagskole(dispatcher, domain):
    said = unsure("Hei! Helsefagarbeidar her, vurderer fagskule i psykisk helsearbeid. Er det "
                  "mogleg ved sida av jobb?", "ask_job_prospects", 0.66)
    said["parse_data"]["entities"] = [{"entity": "occupation", "value": "helsefagarbeider",
                                       "start": 5, "end": 21}]
    tracker = conversation(said, language="nn")
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_fagskole"


@pytest.mark.parametrize(("said", "asked", "read_as"), [
    # where and when: the application (vigo.no) and the deadline (1 March)
    ([user("påbygg, er det bare ett år?", "ask_pabygg")], "hvor søker jeg påbygg og når?",
     "ask_pabygg"),
    ([], "how do I apply to upper secondary and when?", "ask_upper_secondary_application"),
    # after a pupil's rights, read as the loan's deadline (the application's answer says
    # "before the deadline", not which)
    ([user("can i still finish vg2 at 19?", "ask_upper_secondary_rights")],
     "how do i apply and when?", "ask_student_finance_deadline"),
])
async def test_where_and_when_to_apply_gets_the_application_and_the_deadline(
        dispatcher, domain, said, asked, read_as):
    tracker = conversation(*said, unsure(asked, read_as, 0.70))
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert [KNOWLEDGE.intent_answered(m["text"]) for m in dispatcher.messages] == [
        "ask_upper_secondary_application", "ask_upper_secondary_deadline"]


async def test_when_an_answer_comes_is_no_deadline(dispatcher, domain):
    tracker = conversation(unsure("søknaden min til vgs, når får jeg svar?",
                                  "ask_upper_secondary_application", 0.70))
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "ask_upper_secondary_deadline" not in [
        KNOWLEDGE.intent_answered(m.get("text") or "") for m in dispatcher.messages]


@pytest.mark.parametrize(("text", "confidence", "meant"), [
    # prior learning asked for university, unsurely: admission on it (from 25)
    ("what is realkompetanse for university, how does it work?", 0.40,
     "ask_admission_requirements"),
    ("kan eg bruke realkompetanse for å kome inn på høgskulen?", 0.6,
     "ask_admission_requirements"),
    # sure, no level or another named: as read
    ("what is realkompetanse for university?", 0.9, None),
    ("korleis får eg vurdert realkompetansen min?", 0.6, None),
    ("realkompetansevurdering for å slippe å ta hele vgs", 0.6, None),
])
def test_prior_learning_asked_for_university_is_its_admission(text, confidence, meant):
    assert prior_learning_for_higher_education(text, "ask_prior_learning", confidence) == meant


@pytest.mark.parametrize(("said", "asked", "read_as", "meant"), [
    # a pupil's question, unsure, from a person who said they are an adult: an adult's
    ([user("Jobbe i barnehage men har lyst å bli frisør. E 32. Ka e enkleste veien?",
           "ask_occupation_path")],
     "må æ gå vg1 og vg2 med 16-åringer?", "ask_upper_secondary_rights",
     "ask_adult_upper_secondary"),
    ([user("I'm 41 and never finished school", "inform")], "how do I apply for vg2?",
     "ask_upper_secondary_application", "ask_adult_upper_secondary"),
    # asked for someone else, a young age told, no adult said, another level: as read
    ([user("I'm 41 and never finished school", "inform")],
     "my son wants to switch programme, can he?", "ask_upper_secondary_rights", None),
    ([user("jeg er 41 og har ikke fullført", "inform")], "dattera mi er 16, kan ho byte program?",
     "ask_upper_secondary_rights", None),
    ([user("hei", "greet")], "må jeg gå vg1 på nytt?", "ask_upper_secondary_rights", None),
    ([user("jeg er 30", "inform")], "hva med høgskole?", "ask_upper_secondary_application",
     None),
])
def test_a_pupils_question_from_an_adult_is_an_adults(said, asked, read_as, meant):
    tracker = conversation(*said, unsure(asked, read_as, 0.61))
    assert an_adults_schooling(tracker, read_as, 0.61) == meant


@pytest.mark.parametrize(("text", "read_as", "confidence", "meant"), [
    # whether one can apply to a level, read weakly as another topic: getting in there
    ("Hei! Eg blir 23 til hausten, har fagbrev som tømrar og har jobba sidan. Kan eg søkje "
     "på høgskule?", "ask_trade_certificate_adult", 0.43, "ask_admission_requirements"),
    ("I have a trade certificate as an electrician. Can I apply to fagskole?",
     "ask_trade_certificate_adult", 0.5, "ask_fagskole"),
    # read fairly surely, the level read already, no level applied to in the last question
    ("har fagbrev som tømrar. kan eg søkje på høgskule?", "ask_trade_certificate_adult", 0.7,
     None),
    ("kan eg søkje på høgskule med fagbrev?", "ask_admission_requirements", 0.45, None),
    ("kan jeg søke på høgskole senere? nå vil jeg ta fagbrev", "ask_trade_certificate_adult",
     0.45, None),
])
def test_whether_one_can_apply_to_a_level_asks_about_getting_in(text, read_as, confidence,
                                                                 meant):
    assert admission_of_the_level_applied_to(text, read_as, confidence) == meant
