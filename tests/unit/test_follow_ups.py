"""Follow-ups that name only a new detail are answered for the previous question."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.follow_ups import ActionContinueTopic
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.levels import COUNTERPARTS, TOPIC_OF, level_named
from actions.occupation_answers import REGULATED_OCCUPATIONS
from actions.offers import EXTERNAL_MESSAGE_PREFIX
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_answer
from bot.shared.occupations import occupations
from bot.shared.topics import titles
from tests.unit.action_fakes import NoNlu


def user(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> dict:
    return {"event": "user", "text": text, "timestamp": 1764230400.0,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                           "entities": entities or [], "text": text}}


def conversation(*said: dict, language: str = "nb") -> Tracker:
    """A tracker whose events are the person's messages; the last one is the latest."""
    latest = said[-1]
    return Tracker.from_dict({
        "sender_id": "test-person-0002",
        "slots": {"language": language},
        "latest_message": {**latest["parse_data"], "text": latest["text"]},
        "events": list(said), "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def injected_intent(events: list[dict]) -> str | None:
    said = [e for e in events if e.get("event") == "user"]
    if not said:
        return None
    assert said[-1]["text"].startswith(EXTERNAL_MESSAGE_PREFIX)
    return said[-1]["parse_data"]["intent"]["name"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("og for fagskole?", "fagskole"),
        ("kva med fagskulen?", "fagskole"),
        ("what about vocational college?", "fagskole"),
        ("hva med videregaende", "upper_secondary"),
        ("same for nynorsk: kva med vidaregåande?", "upper_secondary"),
        ("enn på vgs?", "upper_secondary"),
        ("og for høgskulen?", "higher_education"),
        ("og fristen for å søke studier året etter?", "higher_education"),
        ("hva er fristen for studiar i utlandet", "higher_education"),
        ("kan eg søke studieforberedende?", None),
        ("hva med hoyere utdanning", "higher_education"),
        ("and for university?", "higher_education"),
        ("and for adults?", "adult"),
        ("og for vaksne?", "adult"),
        ("og som voksen da?", "adult"),
        ("kva om eg er vaksen?", "adult"),
        # upper secondary for adults is the adults' level
        ("hva med vgs for voksne er det noe for meg", "adult"),
        ("and upper secondary for adults?", "adult"),
        ("hva med folkehøgskole?", "folk_high_school"),
        ("what about police then, same deadline?", "higher_education"),  # PHS
        ("og politihøgskolen?", "higher_education"),
        # universities by their short names
        ("I read that the aviation programme at UiT has a different deadline?",
         "higher_education"),
        ("går 1. året på økonomi på BI", "higher_education"),
        ("kva med NTNU?", "higher_education"),
        ("bi er et insekt", None),
        ("hva med Bergen?", None),
        ("enn for elektriker?", None),
    ],
)
def test_the_level_named_is_found_as_people_write_it(text, level):
    assert level_named(text) == level


@pytest.mark.parametrize(
    ("previous", "follow_up", "answer"),
    [
        ("ask_upper_secondary_deadline", "og for fagskole?", "ask_fagskole"),
        ("ask_upper_secondary_deadline", "hva med høyere utdanning?",
         "ask_higher_education_deadline"),
        ("ask_higher_education_deadline", "kva med vidaregåande?", "ask_upper_secondary_deadline"),
        ("ask_higher_education_choices", "og på vgs?", "ask_upper_secondary_choices"),
        ("ask_admission_requirements", "and for adults?", "ask_23_5_rule"),
        ("ask_apprenticeship", "og for voksne?", "ask_trade_certificate_adult"),
        # the question before has no level: a deadline asked for the level named
        ("ask_student_grant", "what about police then, same deadline?",
         "ask_higher_education_deadline"),
    ],
)
async def test_a_level_gets_the_previous_questions_counterpart(
    dispatcher, domain, previous, follow_up, answer
):
    tracker = conversation(user("når er søknadsfristen?", previous),
                           user("takk", "thank"),
                           user(follow_up, "continue_topic"))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == answer
    assert dispatcher.messages == []


async def test_a_chain_of_follow_ups_leans_on_the_last_answer(dispatcher, domain):
    # The first follow-up's answer is on the tracker as its own intent.
    tracker = conversation(user("frist vgs?", "ask_upper_secondary_deadline"),
                           user("og for fagskole?", "continue_topic"),
                           user(f"{EXTERNAL_MESSAGE_PREFIX}ask_fagskole", "ask_fagskole"),
                           user("og for universitet?", "continue_topic"))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    # ask_fagskole is about applying: its university counterpart.
    assert injected_intent(events) == "ask_higher_education_deadline"


async def test_an_occupation_gets_the_previous_occupation_question(dispatcher, domain):
    electrician = [{"entity": "occupation", "value": "elektriker"}]
    tracker = conversation(
        user("hvordan blir jeg rørlegger?", "ask_occupation_path",
             [{"entity": "occupation", "value": "rorlegger"}]),
        user("enn for elektriker?", "continue_topic", electrician),
    )
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("occupation", "elektriker")]
    [message] = dispatcher.messages
    assert message["response"] == "utter_occupation_path"
    assert message["name"] == "elektriker"


async def test_a_place_gets_that_places_career_centre(dispatcher, domain):
    tracker = conversation(
        user("hvor er karrieresenteret i Oslo?", "ask_career_centre",
             [{"entity": "county", "value": "Oslo"}]),
        user("hva med Bergen?", "continue_topic", [{"entity": "county", "value": "Vestland"}]),
    )
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert events == [SlotSet("county", "Vestland")]
    [message] = dispatcher.messages
    assert "Vestland" in message["text"]


@pytest.mark.parametrize(("before", "text", "meant"), [
    (user("kor mange program kan eg søkje på til vg1?", "ask_upper_secondary_choices"),
     "kva om ho heller vil gå på skule i Bergen?", "ask_upper_secondary_application"),
    (user("how do i get an apprenticeship as a plumber", "ask_apprenticeship"),
     "and if I'd rather do it in Bergen?", "ask_apprenticeship"),
    # guidance there: the centre
    (user("kor mange program kan eg søkje på til vg1?", "ask_upper_secondary_choices"),
     "kan ho få rettleiing i Bergen?", None),
])
async def test_going_to_school_in_another_town_is_applied_for_as_anywhere(
        dispatcher, domain, before, text, meant):
    """"Hva hvis han vil gå på skole i Bergen? Vi bor i Drammen" after upper secondary's
    deadline got Buskerud's career centre."""
    tracker = conversation(
        before, user(text, "continue_topic", [{"entity": "county", "value": "Vestland"}]))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    if meant is None:
        assert events == [SlotSet("county", "Vestland")]
    else:
        assert injected_intent(events) == meant


async def test_upper_secondary_for_adults_asked_after_guidance_is_that(dispatcher, domain):
    """After a wish for help to plan, it got a choice of the adult level's questions."""
    tracker = conversation(
        user("vil egentlig bli bilmekaniker men vet ikke om jeg er for gammel na, er 21. kan "
             "noen hjelpe meg med a legge en plan?", "ask_personal_guidance"),
        user("hva med vgs for voksne er det noe for meg", "continue_topic"),
    )
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_adult_upper_secondary"


async def test_a_deadline_asked_for_a_place_is_the_deadline(dispatcher, domain):
    """After applying to upper secondary it got the career centre in Alta."""
    tracker = conversation(
        user("Dattera mi skal begynne på videregående, hvor sender hun søknaden?",
             "ask_upper_secondary_application"),
        user("og hvis hun bor i Alta? er det samme frist der?", "continue_topic",
             [{"entity": "county", "value": "Finnmark"}]),
    )
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"



@pytest.mark.parametrize(("before", "follow_up"), [
    # the programmes again: the level named, for the question before
    ("hvor mange programmer kan man sette opp nr man søker vg1",
     "er fristen den samme for vg2 da?"),
    # an apprenticeship named no deadline, as it is no level
    ("hvor mange utdanningsprogram får han føre opp i søknaden",
     "og for lærlingplass, samme frist?"),
])
async def test_a_deadline_asked_for_a_level_is_that_levels_deadline(
        dispatcher, domain, before, follow_up):
    """Asked after how many programmes to list, both got the programmes again."""
    tracker = conversation(user(before, "ask_upper_secondary_choices"),
                           user(follow_up, "continue_topic"))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_deadline"


async def test_where_to_apply_read_as_going_on_is_the_level_befores_application(
        dispatcher, domain):
    """"og kor søkjer eg det?" after changing programme in vg1 got Samordna opptak's
    study choices (the answer before, read with it)."""
    tracker = conversation(
        user("hei. eg går vg1 bygg og anlegg men vil heller ta naturbruk. kan eg byte?",
             "ask_upper_secondary_rights"),
        user("og kor søkjer eg det?", "continue_topic"), language="nn")
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_upper_secondary_application"


@pytest.mark.parametrize("follow_up", ["kva med laurdag", "ka med på telefon?",
                                       "and on sundays?"])
async def test_a_day_or_a_channel_after_the_opening_hours_gets_the_hours(
        dispatcher, domain, follow_up):
    """"kva med laurdag" after "kor tid e dokker opne?" got "I'm not sure I understood"."""
    tracker = conversation(user("æ jobba natt, kor tid e dokker opne?", "ask_opening_hours"),
                           user(follow_up, "continue_topic"), language="nn")
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_opening_hours"


@pytest.mark.parametrize(("text", "county", "office", "language"), [
    ("enn om eg flyttar til Førde?", "Vestland", "Førde", "nn"),
    ("what about if I move to Alta?", "Finnmark", "Alta", "en"),
])
async def test_a_town_gets_its_nearest_office(dispatcher, domain, text, county, office,
                                              language):
    tracker = conversation(
        user("kor ligg karrieresenteret i Oslo?", "ask_career_centre",
             [{"entity": "county", "value": "Oslo"}]),
        user(text, "continue_topic", [{"entity": "county", "value": county}]),
        language=language)
    await ActionContinueTopic().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    nearest = KNOWLEDGE.nearest_office(county, [office])
    assert nearest is not None and nearest.name in message["text"]

async def test_without_a_previous_question_the_levels_topics_are_offered(dispatcher, domain):
    tracker = conversation(user("hei", "greet"), user("og for videregående?", "continue_topic"))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify"
    assert len(message["buttons"]) >= 2
    assert "/ask_upper_secondary_deadline" in [b["payload"] for b in message["buttons"]]


@pytest.mark.parametrize(("text", "meant"), [
    ("og for fagskole?", "ask_fagskole"),
    ("kva med folkehøgskule då, kan det vere lurt?", "ask_folkehogskole"),
    ("what about folk high school?", "ask_folkehogskole"),
])
async def test_a_level_with_one_answer_is_answered_not_offered_alone(
        dispatcher, domain, text, meant):
    tracker = conversation(user("eg veit ikkje kva eg vil", "ask_personal_guidance"),
                           user(text, "continue_topic"))
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant
    assert dispatcher.messages == []


async def test_without_anything_to_go_on_the_bot_asks(dispatcher, domain):
    tracker = conversation(user("når er fristen for cv?", "ask_cv"),
                           user("og hva med det da?", "continue_topic"))
    await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


def test_every_counterpart_is_an_intent_with_an_answer_and_a_title(domain):
    from actions.answers import KNOWLEDGE

    intents = set(domain["intents"])
    for question in TOPIC_OF:
        assert question in intents
    for by_level in COUNTERPARTS.values():
        for answer in by_level.values():
            assert answer in intents and KNOWLEDGE.for_intent(answer), answer
            assert answer in titles(), answer


def ranked(tracker: Tracker, *ranking: tuple[str, float]) -> Tracker:
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking]
    return tracker


def alone() -> ActionContinueTopic:
    """The action with no Rasa server to read a message with the one before."""
    return ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu()))


async def test_a_follow_up_naming_another_topic_gets_that_topic(dispatcher, domain):
    tracker = ranked(conversation(user("kva tid må eg søkje lån", "ask_student_finance_deadline"),
                                  user("kva med stipend?", "continue_topic"), language="nn"),
                     ("continue_topic", 0.50), ("ask_student_grant", 0.45))
    events = await alone().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_student_grant"
    assert dispatcher.messages == []


@pytest.mark.parametrize(("previous", "follow_up", "answer"), [
    ("ask_higher_education_deadline", "what about student loans", "ask_student_finance_deadline"),
    ("ask_upper_secondary_deadline", "og lånekassen?", "ask_student_finance_deadline"),
    ("ask_student_finance_deadline", "and for university?", "ask_higher_education_deadline"),
])
async def test_after_a_deadline_another_topic_named_gets_its_deadline(
    dispatcher, domain, previous, follow_up, answer
):
    tracker = ranked(conversation(user("when is the deadline", previous),
                                  user(follow_up, "continue_topic")),
                     ("continue_topic", 0.75), ("ask_student_grant", 0.07))
    events = await alone().run(dispatcher, tracker, domain)
    assert injected_intent(events) == answer


@pytest.mark.parametrize("ranking", [
    # too unsure of it to call it named
    [("continue_topic", 0.70), ("ask_cv", 0.20)],
    # the previous question itself: read with it instead
    [("continue_topic", 0.50), ("ask_student_finance_deadline", 0.45)],
    # small talk is no topic to answer
    [("continue_topic", 0.50), ("thank", 0.45)],
])
async def test_a_follow_up_names_no_other_topic(dispatcher, domain, ranking):
    tracker = ranked(conversation(user("når må jeg søke lån", "ask_student_finance_deadline"),
                                  user("og hva om jeg begynner i januar?", "continue_topic")),
                     *ranking)
    events = await alone().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None


async def test_another_occupation_after_a_pay_question_gets_where_its_pay_is(dispatcher, domain):
    """"hva med rørlegger?" after "hva tjener en elektriker?" got what a plumber does."""
    tracker = conversation(
        user("hva tjener en elektriker?", "ask_job_prospects",
             [{"entity": "occupation", "value": "elektriker"}]),
        user("hva med rørlegger?", "continue_topic",
             [{"entity": "occupation", "value": "rorlegger"}]),
    )
    await ActionContinueTopic().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_occupation_prospects"
    assert message["url"] == "https://utdanning.no/yrker/beskrivelse/rorlegger"


async def test_a_pay_question_that_names_an_occupation_links_its_page(dispatcher, domain):
    tracker = conversation(user("hva tjener en sykepleier", "ask_job_prospects",
                                [{"entity": "occupation", "value": "sykepleier"}]))
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == [
        None, "utter_occupation_prospects"]
    assert dispatcher.messages[0]["text"] == render_answer(
        KNOWLEDGE.for_intent("ask_job_prospects"), "nb")
    assert dispatcher.messages[1]["url"] == "https://utdanning.no/yrker/beskrivelse/sykepleier"


async def test_a_pay_question_with_the_way_there_gets_both(dispatcher, domain):
    tracker = conversation(user("how do you become a nurse and what do they earn?",
                                "ask_job_prospects",
                                [{"entity": "occupation", "value": "sykepleier"}]))
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == [
        None, "utter_occupation_prospects", "utter_occupation_path"]


async def test_an_occupation_after_foreign_education_asks_if_it_is_regulated(dispatcher, domain):
    """"what about my wife, she's a doctor" after recognition got what a doctor does."""
    tracker = conversation(
        user("I have an engineering degree from India, do I need to get it approved?",
             "ask_foreign_education_recognition"),
        user("what about my wife, she's a doctor", "continue_topic",
             [{"entity": "occupation", "value": "lege"}]), language="en")
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_regulated_profession"


@pytest.mark.parametrize("asked", [
    "what about my husband, he has a bachelor in business admin. does he need the same?",
    "gjeld det same for kona mi, ho har ein master frå Polen?",
])
async def test_the_same_asked_for_someone_else_gets_the_answer_before(dispatcher, domain, asked):
    tracker = conversation(
        user("so HK-dir doesnt do it? i thought they took over from NOKUT",
             "ask_foreign_education_recognition"),
        user(asked, "continue_topic"), language="en")
    action = ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_foreign_education_recognition"


@pytest.mark.parametrize("read_as", ["continue_topic", "nlu_fallback"])
async def test_an_occupation_anyone_may_practise_after_foreign_education_gets_recognition(
        dispatcher, domain, read_as):
    """"what about my husband, he has an engineering degree from Pune" after the nurse's
    authorisation was not understood."""
    tracker = conversation(
        user("I'm a nurse from India. How can I work as a nurse here?",
             "ask_regulated_profession"),
        user("what about my husband, he has an engineering degree from Pune", read_as,
             [{"entity": "occupation", "value": "ingenior"}]), language="en")
    action = ActionContinueTopic() if read_as == "continue_topic" else ActionClarify(
        several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
        context=ContextReading(KNOWLEDGE, NoNlu()))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_foreign_education_recognition"


async def test_an_occupation_after_a_question_about_the_service_in_between_is_about_the_degree(
        dispatcher, domain):
    tracker = conversation(
        user("How do I get my engineering degree from Poland recognised?",
             "ask_foreign_education_recognition"),
        user("does that check what subjects I took?", "ask_own_case"),
        user("what about my sister, she's a doctor", "continue_topic",
             [{"entity": "occupation", "value": "lege"}]), language="en")
    events = await ActionContinueTopic().run(dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_regulated_profession"


async def test_recognition_for_a_regulated_occupation_says_who_authorises_it(dispatcher, domain):
    """"Kona mi er utdannet sykepleier fra Filippinene … godkjent?" got HK-dir only."""
    tracker = conversation(user("Kona mi er utdannet sykepleier fra Filippinene. Hvordan får "
                                "hun utdanningen godkjent så hun kan jobbe her?",
                                "ask_foreign_education_recognition",
                                [{"entity": "occupation", "value": "sykepleier"}]))
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        render_answer(KNOWLEDGE.for_intent(intent), "nb")
        for intent in ("ask_foreign_education_recognition", "ask_regulated_profession")]
    assert "Helsedirektoratet" in dispatcher.messages[1]["text"]


@pytest.mark.parametrize(("text", "read_as", "occupation"), [
    # "and after that can i get fagbrev as electrician" (0.84 a trade certificate) got
    # recognition again: no question mark, and the question opens with "and after that"
    ("and after that can i get fagbrev as electrician", "ask_trade_certificate_adult",
     "elektriker"),
    # "ok and can someone help me with my CV for engineering jobs, the norwegian way" (0.79
    # a CV) got recognition again: someone is the subject of a question too
    ("ok and can someone help me with my CV for engineering jobs, the norwegian way", "ask_cv",
     None),
])
async def test_a_question_tied_on_after_recognition_keeps_its_reading(
        dispatcher, domain, text, read_as, occupation):
    entities = [{"entity": "occupation", "value": occupation}] if occupation else []
    tracker = conversation(
        user("hi i worked as electrician in Lithuania but have no papers from school there. "
             "can norway check my skills?", "ask_foreign_education_recognition",
             [{"entity": "occupation", "value": "elektriker"}]),
        user(text, read_as, entities), language="en")
    events = await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) is None
    assert dispatcher.messages[0]["text"] == render_answer(KNOWLEDGE.for_intent(read_as), "en")


@pytest.mark.parametrize(("text", "meant"), [
    ("what about fagskole, what's that", "ask_fagskole"),
    ("og folkehøgskule då?", "ask_folkehogskole"),
])
async def test_a_school_with_one_answer_named_after_another_topic_asks_about_it(
        dispatcher, domain, text, meant):
    """"what about fagskole, what's that" after NAV's courses got the sentence of that
    answer which names fagskole."""
    tracker = conversation(
        user("I was made redundant. Would NAV pay for me to retrain?", "ask_nav_courses"),
        {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_nav_courses"), "en")},
        user(text, "continue_topic"), language="en")
    action = ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu()))
    assert injected_intent(await action.run(dispatcher, tracker, domain)) == meant


def test_every_regulated_occupation_is_one_we_know() -> None:
    assert {o for o in REGULATED_OCCUPATIONS if occupations().get(o) is None} == set()


async def test_a_degree_named_by_its_field_counts_as_its_occupation(dispatcher, domain):
    """"he has an engineering degree from Pune" (no occupation found in "engineering")
    after a nurse's authorisation; "a nursing degree from the Philippines" asked about
    recognition also needs who authorises nurses."""
    tracker = conversation(
        user("I'm a nurse from India. How can I work as a nurse here?",
             "ask_regulated_profession"),
        user("what about my husband, he has an engineering degree from Pune", "nlu_fallback"),
        language="en")
    clarify = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()),
                            context=ContextReading(KNOWLEDGE, NoNlu()))
    assert injected_intent(await clarify.run(dispatcher, tracker, domain)) == \
        "ask_foreign_education_recognition"
    dispatcher.messages.clear()
    tracker = conversation(user("I have a nursing degree from the Philippines, how do I get it "
                                "approved?", "ask_foreign_education_recognition"), language="en")
    await ActionAnswerQuestion(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert [KNOWLEDGE.intent_answered(m["text"]) for m in dispatcher.messages] == [
        "ask_foreign_education_recognition", "ask_regulated_profession"]


@pytest.mark.parametrize(("text", "read_alone", "meant"), [
    # read as going on with NAV's rules (0.68); without "right" it asks about fagskole
    ("and the fagskole is free if it's a public one right?",
     {"and the fagskole is free if it's a public one": ("ask_fagskole", 0.82)}, "ask_fagskole"),
    ("fagskulen er gratis, stemmer det?",
     {"fagskulen er gratis": ("ask_fagskole", 0.7)}, "ask_fagskole"),
    # untagged, still not a question the bot answers: NAV's answer again, nothing injected
    ("and what about that, right?", {"and what about that": ("continue_topic", 0.7)}, None),
])
async def test_a_tag_asking_whether_it_is_so_does_not_make_a_question_go_on(
        dispatcher, domain, text, read_alone, meant):
    from tests.unit.test_in_context import TableNlu

    before = "if I start a 1-year fagskole in august do I lose my dagpenger?"
    # Read with the question before, as the real server did: NAV's rules again.
    together = {f"{before}. {text}": ("ask_nav_benefits_studying", 0.8)}
    tracker = conversation(user(before, "ask_nav_benefits_studying"),
                           user(text, "continue_topic"), language="en")
    action = ActionContinueTopic(
        context=ContextReading(KNOWLEDGE, TableNlu({**read_alone, **together})))
    events = await action.run(dispatcher, tracker, domain)
    assert injected_intent(events) == meant


def with_occupation(tracker: Tracker, occupation: str) -> Tracker:
    state = tracker.current_state()
    state["slots"] = {**state["slots"], "occupation": occupation}
    return Tracker.from_dict(state)


@pytest.mark.parametrize(("asked", "reading", "language"), [
    ("korleis kjem eg meg dit?", "out_of_scope", "nn"),
    ("how does she get there from 10th grade?", "nlu_fallback", "en"),
    # how long it takes, short and naming no other occupation
    ("kor lang tid tek det?", "nlu_fallback", "nn"),
    ("and how long does it take?", "out_of_scope", "en"),
])
async def test_getting_there_after_an_occupation_is_the_way_to_it(
        dispatcher, domain, asked, reading, language):
    """"korleis kjem eg meg dit?" after what an electrician does was out of scope."""
    from actions.answers import ActionOutOfScope
    from actions.handoff import ActionClarify

    tracker = with_occupation(conversation(
        user("kva gjer ein elektrikar i kvardagen?", "ask_occupation_description"),
        user(asked, reading), language=language), "elektriker")
    action = ActionOutOfScope() if reading == "out_of_scope" else ActionClarify()
    events = await action.run(dispatcher, tracker, domain)
    assert events == [SlotSet("occupation", "elektriker")]
    [message] = dispatcher.messages
    assert message["response"] == "utter_occupation_path"


async def test_how_long_another_occupation_takes_is_not_the_way_to_this_one(dispatcher, domain):
    from actions.occupation_answers import way_there_meant
    from bot.shared.occupations import occupations

    tracker = with_occupation(conversation(
        user("kva gjer ein elektrikar i kvardagen?", "ask_occupation_description"),
        user("kor lang tid tek det å bli sjukepleiar?", "ask_occupation_path"),
        language="nn"), "elektriker")
    assert way_there_meant(tracker, occupations()) is None


async def test_getting_there_after_a_career_centre_is_not_an_occupations_way(dispatcher, domain):
    from actions.answers import ActionOutOfScope

    tracker = with_occupation(conversation(
        user("hvor er karrieresenteret i Oslo?", "ask_career_centre"),
        user("hvordan kommer jeg meg dit?", "out_of_scope")), "elektriker")
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert all(m.get("response") != "utter_occupation_path" for m in dispatcher.messages)



async def test_a_level_named_after_a_question_answered_in_context_takes_what_was_answered(
        dispatcher, domain):
    """"koster det penger å gå der" after fagskole (read as this chat's price, answered
    for fagskole), then "hva med folkehøgskole, gir det ekstra poeng?": the question
    before is fagskole's, so folk high school's answer; it got fagskole's again."""
    from actions.answers import KNOWLEDGE
    from actions.in_context import ContextReading
    from actions.nlu_client import NluClient
    from bot.shared.knowledge import render_answer

    class ReadsFagskole(NluClient):
        def __init__(self) -> None:
            super().__init__(base_url="http://127.0.0.1:1", token="")

        async def parse(self, text: str) -> dict:
            read = {"name": "ask_fagskole", "confidence": 0.9}
            return {"text": text, "intent": read, "intent_ranking": [read], "entities": []}

    fagskole = {"event": "bot", "text": render_answer(KNOWLEDGE.for_intent("ask_fagskole"), "nb")}
    tracker = conversation(
        user("fagskole frist?", "ask_fagskole"), fagskole,
        user("koster det penger å gå der", "ask_service_free_anonymous"), fagskole,
        user("ok. hva med folkehøgskole, gir det ekstra poeng?", "continue_topic"))
    events = await ActionContinueTopic(context=ContextReading(KNOWLEDGE, ReadsFagskole())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == "ask_folkehogskole"


@pytest.mark.parametrize(("before", "asked", "meant"), [
    # pay right after a question about an occupation: that occupation's pay
    ("what's a normal workday like for a nurse?", "and what about pay?", "ask_job_prospects"),
    ("kva gjer ein sjukepleiar?", "og løna?", "ask_job_prospects"),
])
async def test_pay_after_an_occupation_is_that_occupations(dispatcher, domain, before, asked,
                                                           meant):
    tracker = conversation(user(before, "ask_occupation_description",
                                [{"entity": "occupation", "value": "sykepleier"}]),
                           user(asked, "continue_topic"), language="en")
    tracker.slots["occupation"] = "sykepleier"
    events = await ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == meant
    said = [e for e in events if e.get("event") == "user"][-1]
    assert said["parse_data"]["entities"] == [{"entity": "occupation", "value": "sykepleier"}]


async def test_the_pay_the_bot_asked_for_itself_is_answered_as_put(dispatcher, domain):
    """The pay put on the record after a regulated profession was taken for telling an
    occupation after it, and got who authorises nurses again."""
    tracker = conversation(
        user("is nursing a regulated profession?", "ask_regulated_profession"),
        user(f"{EXTERNAL_MESSAGE_PREFIX}ask_job_prospects", "ask_job_prospects",
             [{"entity": "occupation", "value": "sykepleier"}]), language="en")
    tracker.slots["occupation"] = "sykepleier"
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert injected_intent(events) is None
    assert "utdanning.no/yrker" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(("before", "intent"), [
    ("hey, thinking of doing my bachelor in scotland. does lanekassen cover that",
     "ask_study_finance_abroad"),
    ("kor mykje av lånet kan bli stipend?", "ask_student_grant"),
])
async def test_another_degree_alone_asks_the_same_for_it(dispatcher, domain, before, intent):
    """"and for a master?" after a loan for a bachelor abroad got "which of these?"."""
    tracker = conversation(user(before, intent), user("and for a master?", "continue_topic"),
                           language="en")
    events = await ActionContinueTopic(context=ContextReading(KNOWLEDGE, NoNlu())).run(
        dispatcher, tracker, domain)
    assert injected_intent(events) == intent


async def test_a_level_compared_with_is_no_level_asked_for(dispatcher, domain):
    """"is it like university?" after fagskole got Samordna opptak's deadline."""
    tracker = ranked(conversation(user("what is fagskole exactly?", "ask_fagskole"),
                                  user("is it like university?", "continue_topic"),
                                  language="en"),
                     ("continue_topic", 0.63), ("ask_about_service", 0.12))
    events = await alone().run(dispatcher, tracker, domain)
    assert injected_intent(events) != "ask_higher_education_deadline"


@pytest.mark.parametrize(("asked", "confidence", "prospects"), [
    ("finnes det jobber å få når man er ferdig?", 0.53, True),
    ("is it easy to get a job after?", 0.45, True),
    # read surely as finding work, or naming another occupation: as read
    ("finnes det jobber å få når man er ferdig?", 0.85, False),
    ("finnes det jobber som sykepleier når man er ferdig?", 0.53, False),
])
async def test_jobs_once_trained_after_an_occupation_are_its_prospects(
        dispatcher, domain, asked, confidence, prospects):
    """"finnes det jobber å få når man er ferdig?" after the way to become a medical
    secretary (0.53 finding work) got how to find work in general."""
    from actions.in_context import ContextReading
    from actions.several_questions import SeveralQuestions
    from tests.unit.action_fakes import NoNlu

    read = user(asked, "ask_job_search")
    read["parse_data"]["intent"]["confidence"] = confidence
    tracker = with_occupation(conversation(
        user("hva slags utdanning kreves for å bli elektriker?", "ask_occupation_path"),
        read), "elektriker")
    action = ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, NoNlu()),
                                  context=ContextReading(KNOWLEDGE, NoNlu()))
    await action.run(dispatcher, tracker, domain)
    said = [message.get("response") for message in dispatcher.messages]
    assert ("utter_occupation_prospects" in said) is prospects
