"""Answer routine questions from the knowledge base, in the person's written language."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.after_crisis import ANSWER_ACTION
from actions.another_place import (
    answer_for_county,
    answer_for_veterans,
    asks_what_there_is_for_veterans,
    place_after_career_centre,
    writes_as_a_veteran,
)
from actions.answer_aspects import asks_the_age_required, names_a_date, sentences_on
from actions.conversation import (
    OPENING_HOURS,
    asks_if_the_chat_is_open,
    first_readings,
    hours_asked_again,
    language_of,
)
from actions.deadlines import (
    DEADLINES,
    after_a_missed_deadline,
    applying_without_a_date,
    asks_for_a_deadline,
    asks_only_when_the_deadline_is,
    deadline_meant,
    deadline_named_in_a_weak_reading,
    deadline_of_the_loan_asked,
    deadline_of_the_one_level_named,
    deadline_of_the_topic_named,
    deadline_of_the_topic_told,
    early_application_asked,
)
from actions.finance_follow_ups import (
    FINANCE_QUESTIONS,
    asks_for_finance,
    finance_abroad_not_asked,
    finance_answer_meant,
    finance_asked_of_a_topic,
    finance_named_alone,
    grant_asked,
    paying_back_meant,
    schooling_not_its_finance,
    situation_over_a_reading,
)
from actions.in_context import (
    ABOUT_THE_SERVICE,
    OUT_OF_SCOPE,
    WEAK_CAREER_READING,
    ContextReading,
    answer_just_given,
    asks_the_price_of_something_else,
    asks_what_about,
    broader_by_its_words,
    broader_meant,
    broader_without_the_narrower,
    narrower_by_its_words,
    own_latest_text,
    price_of_the_topic_named,
    quote_the_answer,
    surely_out_of_scope,
)
from actions.interests_told import answer_interests
from actions.job_seeking import writing_asked_about
from actions.levels import (
    TOPIC_OF,
    admission_of_the_level_applied_to,
    an_adults_schooling,
    application_meant,
    application_of_the_one_level_named,
    correction_meant,
    deadline_asked_with_the_application,
    getting_in_meant,
    level_before,
    level_meant,
    names_its_own_level,
    prior_learning_for_higher_education,
    question_of_the_one_level_named,
    school_asked_of_an_occupation,
    through_samordna_to_the_school_named,
)
from actions.occupation_answers import (
    OCCUPATION_SLOT,
    PATH_INTENT,
    PROSPECTS_INTENT,
    RECOGNITION_INTENT,
    REGULATED_INTENT,
    REGULATED_OCCUPATIONS,
    degree_in,
    occupation_after_recognition,
    occupation_in,
    other_parts_asked,
    prospects_meant,
    utter_occupation,
    way_there_meant,
)
from actions.offers import EXTERNAL_MESSAGE_PREFIX, as_if_said
from actions.own_case import own_case_meant, whom_to_ask_about_it
from actions.several_questions import Reading, SeveralQuestions
from actions.situation_told import thank_and_ask
from actions.trade_certificates import experience_for_fagbrev_on_the_job, praksiskandidat_meant
from actions.which_topic import ask_which_topic
from bot.shared.asking import asks_anything, asks_if_anyone_is_there_now, asks_if_it_counts
from bot.shared.crisis import CRISIS_ACTION
from bot.shared.knowledge import KnowledgeBase, load_knowledge, render_answer
from bot.shared.occupations import Occupation, occupations

# Loaded once when the action server starts; a broken knowledge file stops the start.
KNOWLEDGE: KnowledgeBase = load_knowledge()

COUNSELLOR_HELP = "ask_counsellor_help"
CAREER_CENTRE = "ask_career_centre"


# Where to get help, asked of a place: "and where can she get help with job search in
# stavanger?" (0.68 finding work) asks where to go there: the career centre.
_WHERE_TO_GET_HELP = re.compile(
    r"\b(?:where|hvor|kor|kvar)\b.{0,30}\b(?:get|få|finne|find|finn)\s+(?:some\s+|noe\s+|noko\s+)?"
    r"(?:help|hjelp\w*|guidance|veiledning|rettleiing|advice|råd)\b|"
    # who can help: "hvem kan hjelpe meg å lage en plan? jeg bor i Gjøvik"
    r"\b(?:hvem|kven|kæm|kem|who)\s+(?:kan|can|could|skal|ska|should|will)\s+(?:hjelpe|hjelp|help)\b|"
    # whom to contact: "kven skal eg kontakte? bur i Molde" (0.70 out of scope)
    r"\b(?:hvem|kven|kæm|kem|who(?:m)?)\s+(?:kan|can|could|skal|ska|should|bør|må|do)\s+"
    r"(?:jeg|eg|i|vi|we|æ|me)\s+(?:kontakte|kontakt|contact|ringe|call|snakke\s+med|snakka\s+med|"
    r"snakk\s+med|talk\s+to)\b|"
    # "where in oslo do i ask about all this" (after an adult's trade certificate)
    r"\b(?:where|hvor|kor|kvar)\b.{0,30}\b(?:do|can|should|kan|skal)\s+(?:i|we|eg|jeg|vi|me|æ)\s+"
    r"(?:ask|go|turn|spørre|spør|spørje|gå|henvende)\b", re.IGNORECASE)


def asks_where_to_get_help(text: str) -> bool:
    return bool(_WHERE_TO_GET_HELP.search(text))


# What counsellors help with, not where: "what kind of things can the counsellors help me
# with? I'm 45 … taxi driver in Oslo" got Oslo's career centre.
_WHAT_THEY_HELP_WITH = re.compile(
    r"\b(?:what|which|hva|kva|ka|hvilke|kvilke)\b(?:\s+(?:kind|sort|slags|type)\s+(?:of\s+)?)?"
    r".{0,40}\b(?:help\w*|hjelpe?\w*|assist\w*)\b", re.IGNORECASE)


def asks_what_they_help_with(text: str) -> bool:
    return bool(_WHAT_THEY_HELP_WITH.search(text)) and not asks_where_to_get_help(text)


def names_a_place(tracker: Tracker) -> bool:
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(entity.get("entity") == "county" for entity in entities)


class ActionAnswerQuestion(Action):
    """Sends the knowledge entries for the question's intent as one answer, with sources.

    A message with two questions the bot understands gets both answers
    (actions/several_questions.py); a part in crisis language goes to the crisis
    action: the help lines, nothing else, and an urgent case.
    """

    def __init__(
        self, knowledge: KnowledgeBase | None = None, several: SeveralQuestions | None = None,
        context: ContextReading | None = None,
    ) -> None:
        self.knowledge = knowledge or KNOWLEDGE
        self.several = several or SeveralQuestions(self.knowledge)
        self.context = context or ContextReading(self.knowledge)
        self.finder = occupations()

    def name(self) -> str:
        return ANSWER_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        read = (tracker.latest_message or {}).get("intent") or {}
        intent = read.get("name") or ""
        confidence = float(read.get("confidence") or 0.0)
        language = language_of(tracker)
        text = (tracker.latest_message or {}).get("text") or ""
        reading = await self.several.read(
            text, level_before=level_before(tracker, self.knowledge))
        if reading is not None and reading.crisis:
            # Help lines and an urgent case, as for a whole message in crisis.
            return [FollowupAction(CRISIS_ACTION)]
        asked_for = reading.person if reading is not None else None
        # The story's question read alone (one parse), unless a part already asked for a
        # person: for a person asked for, or a question the story pulled away.
        alone = None if asked_for is not None else await self.several.question_alone(text)
        asked_for = asked_for or self.several.person_asked_for(alone)
        if asked_for is not None:
            # A counsellor, as asked; with the answers to what else was asked clearly.
            if reading is not None:
                self.several.answer(dispatcher, reading, language)
            return as_if_said(tracker, asked_for)
        if reading is not None and len(reading.answerable) >= 2:
            # Two questions understood, two answers: "hei! kor mange utdanningsprogram kan
            # ein søkje på til vg1, og når er fristen?" got the deadline alone, its last
            # clause taken for the one question.
            self.several.answer(dispatcher, reading, language)
            return []
        # "når er fristen?" after a question about a student loan: the loan's deadline,
        # whatever the classifier took it for ("and when does he need to do it by", 0.44
        # the chat's price); deadline_meant is None for any other message.
        # "nei vent, eg meinte folkehøgskule, ikkje fagskule. kva er fristen der?" (0.66
        # fagskole, whose answer was just given): the question before, for the level meant.
        # An application's number given asks about that application ("… when will I get
        # answer? my application number is 4471", 0.49 the deadline).
        surer = self.several.surer_alone(alone, intent, confidence)
        if surer is not None:
            return as_if_said(tracker, surer)  # the question read without its story
        prospects = answer_the_prospects(dispatcher, tracker)
        if prospects is not None:
            return prospects  # jobs once trained, right after an occupation
        county = place_after_career_centre(tracker, self.knowledge) \
            if confidence < WEAK_CAREER_READING and asks_what_about(text) else None
        if county is not None:
            # "kva med haugesund, der jobbar mannen min" after the centre on Stord (0.48
            # finding work): the centre there.
            return answer_for_county(dispatcher, tracker, self.knowledge, county)
        experience = experience_for_fagbrev_on_the_job(tracker, self.knowledge)
        if experience is not None:  # "hvor lang praksis trenger man" after fagbrev på jobb
            return self.context.answer_again(dispatcher, tracker, experience)
        meant = own_case_meant(tracker) \
            or whom_to_ask_about_it(tracker, self.knowledge) \
            or (OPENING_HOURS if intent in ABOUT_THE_SERVICE
                and (asks_if_anyone_is_there_now(text) or hours_asked_again(tracker))
                else None) \
            or paying_back_meant(text, intent) \
            or grant_asked(text, intent) \
            or praksiskandidat_meant(tracker, self.knowledge) \
            or broader_meant(tracker, self.knowledge) \
            or broader_without_the_narrower(text, intent, self.knowledge) \
            or narrower_by_its_words(tracker, self.knowledge) \
            or broader_by_its_words(tracker, self.knowledge) \
            or situation_over_a_reading(tracker, self.knowledge, intent, confidence) \
            or schooling_not_its_finance(tracker, self.knowledge, intent) \
            or finance_asked_of_a_topic(text, intent, self.knowledge) \
            or finance_abroad_not_asked(text, intent, confidence) \
            or finance_named_alone(tracker, self.knowledge, intent) \
            or correction_meant(tracker, self.knowledge) \
            or deadline_meant(tracker, self.knowledge) \
            or deadline_of_the_loan_asked(text, intent) \
            or deadline_of_the_one_level_named(text, intent) \
            or deadline_of_the_topic_told(text, intent) \
            or deadline_of_the_topic_named(text, intent) \
            or deadline_named_in_a_weak_reading(text, intent, confidence) \
            or after_a_missed_deadline(text, intent) \
            or applying_without_a_date(text, intent) \
            or early_application_asked(text, intent) \
            or application_meant(tracker, self.knowledge) \
            or getting_in_meant(tracker, self.knowledge) \
            or question_of_the_one_level_named(text, intent, confidence) \
            or admission_of_the_level_applied_to(text, intent, confidence) \
            or school_asked_of_an_occupation(text, intent, confidence) \
            or an_adults_schooling(tracker, intent, confidence) \
            or prior_learning_for_higher_education(text, intent, confidence) \
            or application_of_the_one_level_named(text, intent) \
            or through_samordna_to_the_school_named(text) \
            or price_of_the_topic_named(text, intent, self.knowledge, language) \
            or self._occupation_told_after_recognition(tracker, text)
        deadline_too = deadline_asked_with_the_application(text, meant or intent)
        if deadline_too is not None:
            # "hvor søker jeg påbygg og når?": where (vigo.no) and when (1 March).
            self.several.answer(dispatcher, Reading(parts=2, answerable=[
                meant or intent, deadline_too]), language)
            return []
        if meant is not None and meant != intent:
            return as_if_said(tracker, meant)  # its own rule answers it
        if ((intent in ABOUT_THE_SERVICE and writes_as_a_veteran(text))
                or asks_what_there_is_for_veterans(text)) \
                and answer_for_veterans(dispatcher, tracker, self.knowledge):
            return []  # "e veteran fra forsvaret, e det nåkka eget opplegg for sånne som mæ?"
        if (asks_where_to_get_help(text)
                or (intent == COUNSELLOR_HELP and not asks_what_they_help_with(text))) \
                and names_a_place(tracker):
            # "hvem kan hjelpe meg med dette der jeg bor? bor i drammen": the career
            # centre there (the county slot is already set from the place), also right after
            # an answer ("kven kan hjelpe meg med dette her i førde?" after recognition).
            return as_if_said(tracker, CAREER_CENTRE)
        # "hva koster det?" after a question about a subject asks about that subject; "og
        # frist?" after the 23/5 rule is the deadline it was read as (``meant``), however
        # weakly.
        # A bare deadline question after a topic with no deadline of its own ("when is the
        # last day to apply" after recognition, 0.48) is the deadline it was read as, not
        # the answer before again.
        # A deadline asked for in so many words keeps its reading, however weak: "ok and
        # when is the deadline to apply?" after the 23/5 rule (0.54) is no question about it.
        bare_deadline = intent in DEADLINES and (asks_only_when_the_deadline_is(text)
                                                 or asks_for_a_deadline(text))
        # "koss blir det med folkehøgskole da?" after fagskole (0.45 folk high school) asks
        # about the level it names, not about the answer before.
        # Unless it asks whether that level counts: "tel folkehøgskule med?" after the 23/5
        # rule.
        own_level = names_its_own_level(text, intent) and not asks_if_it_counts(text)
        for_the_level = level_meant(tracker, self.knowledge) if intent in TOPIC_OF else None
        if for_the_level is not None and for_the_level in first_readings(tracker):
            # Torn between two levels' same question, the level before decides before the
            # answer before is read again: "kor mange linja kan æ sette opp da" after upper
            # secondary's deadline (0.58 Samordna opptak's choices, 0.32 its own) got that
            # deadline again.
            return as_if_said(tracker, for_the_level)
        # "ok. what does a police officer earn" after the Police University College's
        # deadline (0.49): that occupation's pay, not the answer's sentence on the college.
        own_occupation = intent == PROSPECTS_INTENT \
            and occupation_in(tracker.latest_message, self.finder) is not None
        # "kan eg ta det på nett og få lån til det?" after fagskole (0.55 the loan for
        # online study): a loan asked for in so many words is the loan's question.
        own_finance = intent in FINANCE_QUESTIONS and asks_for_finance(text)
        in_context = None if meant == intent or bare_deadline or own_level or own_occupation \
            or own_finance else (
            self.context.quote_the_aspect_asked(dispatcher, tracker)
            or await self.context.answer_if_leaning(dispatcher, tracker)
            or await self.context.answer_if_it_counts(dispatcher, tracker)
            or self.context.answer_the_narrower(dispatcher, tracker)
            or self.context.answer_what_it_spoke_of(dispatcher, tracker))
        if in_context is not None:
            return in_context
        if for_the_level is not None:
            # "how many can i list there?" after upper secondary's deadline: its choices;
            # "how do i apply" after folk high school: folk high school. Unsure, and taking
            # up a telling word of the answer just given, it asks about that answer: "and
            # can he change the order later?" after the study choices (0.60 upper
            # secondary rights) got the admission requirements.
            return (self.context.quote_what_it_asks_about(dispatcher, tracker)
                    or as_if_said(tracker, for_the_level))
        if asks_the_price_of_something_else(text, intent):
            # Ask what was meant, with the topics it may be about, as for a question the
            # bot did not understand.
            ask_which_topic(dispatcher, tracker)
            return []
        entries = self.knowledge.for_intent(intent)
        if not entries:
            # A rule sent us here without an answer on file: say so rather than guess.
            dispatcher.utter_message(response="utter_default")
            return []
        answer = render_answer(entries, language)
        if answer_just_given(tracker, self.knowledge) == intent:
            # "og søknadsfristen?" right after fagskole's answer, read as fagskole: the
            # sentences on the deadline, not the whole answer once more.
            on_it = sentences_on(own_latest_text(tracker), answer)
            if on_it:
                return quote_the_answer(dispatcher, on_it)
        dispatcher.utter_message(text=answer)
        if intent == PROSPECTS_INTENT:
            # "hva tjener en sykepleier": where that occupation's pay and prospects are;
            # "how do i become a police officer and what do they earn": the way there too.
            occupation = occupation_in(tracker.latest_message, self.finder)
            if occupation is not None:
                for part in [PROSPECTS_INTENT, *other_parts_asked(text, PROSPECTS_INTENT)]:
                    utter_occupation(dispatcher, occupation, part, language)
        elif intent == RECOGNITION_INTENT:
            # "Kona mi er utdannet sykepleier fra Filippinene …": recognition is not enough
            # for a nurse; who authorises her.
            degree = degree_in(tracker.latest_message, self.finder)
            if degree is not None and degree.id in REGULATED_OCCUPATIONS:
                dispatcher.utter_message(
                    text=render_answer(self.knowledge.for_intent(REGULATED_INTENT), language))
        return []

    def _occupation_told_after_recognition(self, tracker: Tracker, text: str) -> str | None:
        """"eg er sjukepleiar" right after recognition: who authorises it. A question of
        its own ("is engineer a regulated profession?", "whats a teachers salary like")
        keeps its reading."""
        if "?" in text or asks_anything(text) or text.startswith(EXTERNAL_MESSAGE_PREFIX):
            return None  # a question of its own, or one the bot put on the record
        return occupation_after_recognition(tracker, self.finder, self.knowledge)


def _answer_for_the_occupation(dispatcher: CollectingDispatcher, tracker: Tracker,
                               occupation: Occupation | None, part: str
                               ) -> list[EventType] | None:
    """``part`` of the occupation asked about just before, and the occupation kept; None
    when no occupation was meant."""
    if occupation is None:
        return None
    utter_occupation(dispatcher, occupation, part, language_of(tracker))
    return [SlotSet(OCCUPATION_SLOT, occupation.id)]


def answer_the_way_there(dispatcher: CollectingDispatcher, tracker: Tracker
                         ) -> list[EventType] | None:
    """The way to the occupation asked about just before, for "korleis kjem eg meg dit?";
    None for any other message."""
    return _answer_for_the_occupation(dispatcher, tracker,
                                      way_there_meant(tracker, occupations()), PATH_INTENT)


def answer_the_prospects(dispatcher: CollectingDispatcher, tracker: Tracker
                         ) -> list[EventType] | None:
    """The pay and prospects of the occupation asked about just before, for "finnes det
    jobber å få når man er ferdig?" read weakly as finding work; None otherwise."""
    return _answer_for_the_occupation(dispatcher, tracker,
                                      prospects_meant(tracker, occupations()), PROSPECTS_INTENT)


class ActionOutOfScope(Action):
    """Outside what the bot can help with: it says so, and what it can help with. Unless
    the message leans on the question before ("what if i start in january?" after the
    loan deadline) and, read with it, is a question the bot can answer."""

    def __init__(self, knowledge: KnowledgeBase | None = None,
                 context: ContextReading | None = None) -> None:
        self.context = context or ContextReading(knowledge or KNOWLEDGE)

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        county = place_after_career_centre(tracker, self.context.knowledge)
        if county is not None:  # "alta is 5 hours drive lol. anything closer"
            return answer_for_county(dispatcher, tracker, self.context.knowledge, county)
        way = answer_the_way_there(dispatcher, tracker)
        if way is not None:  # "korleis kjem eg meg dit?" after what an electrician does
            return way
        own_text = own_latest_text(tracker)
        if asks_where_to_get_help(own_text) and names_a_place(tracker):
            return as_if_said(tracker, CAREER_CENTRE)  # "kven skal eg kontakte? bur i Molde"
        experience = experience_for_fagbrev_on_the_job(tracker, self.context.knowledge)
        if experience is not None:
            return self.context.answer_again(dispatcher, tracker, experience)
        # "kl kor mykje den dagen?" after Samordna's deadline; "where do i send it" after
        # upper secondary's
        meant = deadline_meant(tracker, self.context.knowledge) \
            or application_meant(tracker, self.context.knowledge) \
            or finance_answer_meant(tracker, self.context.knowledge) \
            or praksiskandidat_meant(tracker, self.context.knowledge) \
            or broader_meant(tracker, self.context.knowledge) \
            or narrower_by_its_words(tracker, self.context.knowledge) \
            or paying_back_meant((tracker.latest_message or {}).get("text") or "", OUT_OF_SCOPE) \
            or (OPENING_HOURS if hours_asked_again(tracker)
                or asks_if_the_chat_is_open(own_text) else None)
        if meant is not None:
            return as_if_said(tracker, meant)
        writing = writing_asked_about(tracker, self.context.knowledge)
        if writing is not None:  # "skal jeg ha bilde" after the CV
            return self.context.answer_again(dispatcher, tracker, writing)
        interests = answer_interests(dispatcher, tracker)
        if interests is not None:  # "liker gaming og tegning"
            return interests
        # "roughly how long would that take me" after påbygg (0.55): the answer's sentence
        # on it, unless the message is surely about something else; "teller helgejobbing
        # da" after the experience-based trade certificate: whether it counts.
        # A date named is an answer's ("and if this 1 february is on sunday what happens",
        # 0.90, after upper secondary's deadline), however sure the classifier is.
        # So is the age required ("hvor gammel må man være" after the 23/5 rule, 0.86).
        sure = surely_out_of_scope(tracker) and not names_a_date(own_text) \
            and not asks_the_age_required(own_text)
        in_context = (None if sure else self.context.quote_the_aspect_asked(dispatcher, tracker)) \
            or await self.context.answer_if_leaning(dispatcher, tracker) \
            or (None if sure else await self.context.answer_if_it_counts(dispatcher, tracker))
        if in_context is not None:
            return in_context
        if thank_and_ask(dispatcher, tracker):
            return []  # "kom til norge i fjor" (0.95): a situation told, no question yet
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
