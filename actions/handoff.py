"""Handing a conversation to a human e-counsellor, and what to offer when nobody can.

Triggers (rules in data/rules/handoff.yml): the person asks for a human; the bot is
unsure twice in a row (first it asks which topic was meant, then offers a counsellor);
a question needs personal guidance (offered, and can be declined); crisis (help lines
first, then an urgent case).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.after_crisis import just_after_crisis
from actions.another_place import (
    answer_for_county,
    answer_for_veterans,
    asks_what_there_is_for_veterans,
    place_after_career_centre,
)
from actions.answer_aspects import asks_an_age
from actions.answers import KNOWLEDGE, answer_the_way_there
from actions.conversation import (
    FALLBACK_INTENT,
    OPENING_HOURS,
    first_readings,
    hours_asked_again,
    intent_of,
    language_of,
    user_messages,
)
from actions.deadlines import (
    deadline_meant,
    deadline_named,
    early_application_asked,
    missed_the_deadline_before,
    opening_after_a_deadline,
)
from actions.desk_client import DeskClient
from actions.finance_follow_ups import finance_answer_meant
from actions.in_context import (
    NAMES_THE_SERVICE,
    OUT_OF_SCOPE,
    ContextReading,
    adds_a_detail,
    broader_by_its_words,
    broader_meant,
    broader_of_two_readings,
    names_an_everyday_thing,
    narrower_by_its_words,
    pointed_back_at,
    thing_named_alone,
)
from actions.levels import (
    application_meant,
    correction_meant,
    getting_in_meant,
    level_before,
    level_meant,
    through_samordna_to_the_school_named,
)
from actions.occupation_answers import (
    answer_occupation_asked,
    occupation_after_recognition,
    recognition_meant,
)
from actions.offers import OFFERED_SLOT, as_if_said, offer
from actions.own_case import own_case_meant, whom_to_ask_about_it
from actions.several_questions import SeveralQuestions, question_after_context
from actions.situation_told import thank_and_ask
from actions.trade_certificates import experience_for_fagbrev_on_the_job, praksiskandidat_meant
from actions.which_topic import ask_which_topic
from bot.shared.asking import (
    NONSENSE_KEY,
    asks_if_it_counts,
    asks_to_reach_a_counsellor,
    nobody_answers,
    question_after_greeting,
    question_after_thanks,
    says_goodbye,
    says_what_was_meant,
    welcomes_an_offer,
    what_was_meant,
)
from bot.shared.crisis import CRISIS_ACTION, REPLAYED_KEY, said_in_crisis
from bot.shared.knowledge import render_answer
from bot.shared.occupations import occupations
from bot.shared.topics import case_topic_name
from bot.shared.wording import minutes

QUESTION_SLOT = "callback_question"
CONTACT_SLOT = "callback_contact"
LEAVE_QUESTION = "leave_question"
HUMAN_HANDOFF = "human_handoff"
# What a correction says was meant is taken at this confidence alone ("stipend", 0.77;
# "for voksne", 0.44 going on with the topic, is not).
CORRECTION_SURE = 0.70

# What the person asked about, by intent, as a counsellor reads it in the case. Knowledge
# intents take the topic from their answers' ids ("higher_education.deadlines").
TOPICS = {
    "ask_personal_guidance": "personal_guidance",
    "crisis": "crisis",
    "ask_career_centre": "career_centre",
    "ask_occupation_description": "occupations",
    "ask_occupation_path": "occupations",
    "speak_sami": "sami",
}


def topic_of_intent(intent: str) -> str | None:
    if intent in TOPICS:
        return TOPICS[intent]
    entries = KNOWLEDGE.for_intent(intent)
    return entries[0].id.split(".")[0] if entries else None


SUMMARY_MESSAGES = 3
SUMMARY_CHARS = 200

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")
_PHONE = re.compile(r"^(\+47|0047)?[2-9]\d{7}$")
_EMAIL_IN_TEXT = re.compile(r"[^@\s<>()\[\]:;,]+@[^@\s<>()\[\]:;,]+\.[a-zA-Z]{2,}")
_PHONE_IN_TEXT = re.compile(r"(?<![\d+.])(\+47|0047)?\s?[2-9](?:[\s-]?\d){7}(?![\d.]\d|\d)")


def topic_of(tracker: Tracker) -> str | None:
    for event in reversed(user_messages(tracker)):
        topic = topic_of_intent(intent_of(event))
        if topic is not None:
            return topic
    return None


def summary_of(tracker: Tracker) -> str:
    """A few lines a counsellor can read before saying hello."""
    said = [
        (event.get("text") or "")[:SUMMARY_CHARS]
        for event in user_messages(tracker)
        if (event.get("text") or "") and not event["text"].startswith(("/", "EXTERNAL: "))
        and not (event.get("metadata") or {}).get(REPLAYED_KEY)  # written once, shown once
    ][-SUMMARY_MESSAGES:]
    topic = case_topic_name(topic_of(tracker) or "", "nb") or "ukjent"
    quoted = " ".join(f"«{text}»" for text in said) or "(ingen)"
    return f"Tema: {topic}. Siste meldinger: {quoted}"


def is_crisis(tracker: Tracker) -> bool:
    """Crisis language in one of the last few messages (a typed ``/crisis`` is not)."""
    return any(
        said_in_crisis(event.get("parse_data"), event.get("text"))
        for event in user_messages(tracker)[-3:]
    )


def valid_contact(text: str) -> str | None:
    """An e-mail address or a Norwegian phone number, tidied; None if it is neither. It may
    stand in a sentence ("send det til kari@example.no", "ring meg på 412 34 567 etter 4")."""
    cleaned = text.strip()
    if _EMAIL.match(cleaned):
        return cleaned
    digits = re.sub(r"[\s.-]", "", cleaned)
    if _PHONE.match(digits):
        return digits
    email = _EMAIL_IN_TEXT.search(cleaned)
    if email:
        return email.group(0).rstrip(".,;:!?)")
    phone = _PHONE_IN_TEXT.search(cleaned)
    return re.sub(r"[\s.-]", "", phone.group(0)) if phone else None


# What an offer of a counsellor answered: the message before the "yes".
OFFERED_FOR = {"ask_personal_guidance": "personal_guidance", FALLBACK_INTENT: "unsure"}


def handoff_reason(tracker: Tracker, urgent: bool) -> str:
    """Why the conversation goes to the desk, for the insights: crisis, sami, asked,
    personal_guidance (a question that needs a counsellor) or unsure (the bot did not
    understand)."""
    if urgent:
        return "crisis"
    said = user_messages(tracker)
    latest = intent_of(said[-1]) if said else ""
    if latest == "speak_sami" or language_of(tracker) == "se":
        return "sami"
    if latest != "human_handoff":
        for event in reversed(said[:-1]):  # the "yes" to an offer: what was offered for
            reason = OFFERED_FOR.get(intent_of(event))
            if reason is not None:
                return reason
    return "asked"


def case_request(tracker: Tracker, urgent: bool) -> dict[str, Any]:
    """What the desk needs to open a case for this conversation."""
    language = language_of(tracker)
    # Written in Sami, or guidance in Sami asked for in another language.
    tags = ["sami"] if handoff_reason(tracker, urgent=False) == "sami" else []
    if urgent:
        tags.append("crisis")
    return {
        "sender_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel(),
        "language": language,
        "topic": topic_of(tracker),
        "county": tracker.get_slot("county") if "county" in tracker.slots else None,
        "summary": summary_of(tracker),
        "priority": "urgent" if urgent else "medium",
        "tags": tags,
        "reason": handoff_reason(tracker, urgent),
        # Shown in the counsellors' alert, not stored in the case.
        "alert_text": (tracker.latest_message or {}).get("text") if urgent else None,
    }


def is_queued(answer: dict[str, Any] | None) -> bool:
    return answer is not None and answer.get("status") == "queued"


class ActionHandoff(Action):
    """Opens a case in the desk, tells the person their place in the queue, pauses the bot."""

    def __init__(self, desk: DeskClient | None = None) -> None:
        self.desk = desk or DeskClient()

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        urgent = is_crisis(tracker)
        answer = await self.desk.open_case(case_request(tracker, urgent))
        reset = [SlotSet(OFFERED_SLOT, False)]
        if is_queued(answer):
            if urgent:
                # No place in the queue for a person in crisis: they are first anyway.
                dispatcher.utter_message(response="utter_crisis_queued")
            else:
                dispatcher.utter_message(
                    response="utter_handoff_queued",
                    position=answer["position"],
                    wait=minutes(answer["wait_minutes"], language_of(tracker)),
                )
            return [*reset, ConversationPaused()]
        if urgent:
            dispatcher.utter_message(response="utter_crisis_no_counsellor")
            return reset
        hours = (answer or {}).get("opening_hours") or await self.desk.opening_hours() or {}
        reason = (answer or {}).get("reason")
        dispatcher.utter_message(
            response="utter_handoff_closed_hours" if reason == "closed"
            else "utter_handoff_nobody_online",
            hours=(hours.get("text") or {}).get(language_of(tracker), ""),
        )
        # Both replies offer one thing, with one button: a typed "ja" takes it.
        return [*reset, offer(LEAVE_QUESTION)]


class ActionOfferHandoff(Action):
    """Offers a counsellor; the person may say yes or no."""

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_offer_counsellor")
        return [SlotSet(OFFERED_SLOT, True)]


class ActionDeclineHandoff(Action):
    def name(self) -> str:
        return "action_decline_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_declined")
        return [SlotSet(OFFERED_SLOT, False)]


class ActionClarify(Action):
    """Unsure once: ask which topic was meant. Unsure twice in a row: offer a counsellor.

    A message that holds several questions is read part by part first: the parts the bot
    understands are answered (at most two), or the person is asked which one first.
    """

    def __init__(self, several: SeveralQuestions | None = None,
                 context: ContextReading | None = None) -> None:
        self.several = several or SeveralQuestions(KNOWLEDGE)
        self.context = context or ContextReading(KNOWLEDGE)

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if (tracker.latest_message or {}).get(NONSENSE_KEY):
            # Markup, mash or a sum ("ok thx. whats 2+2 btw" after a loan for part-time
            # study got that answer again, read with it): no reading makes it a career
            # question. (The crisis net read it whole before this.)
            return self._ask_what_was_meant(dispatcher, tracker)
        text = (tracker.latest_message or {}).get("text") or ""
        # Getting in there, how to apply or whether through Samordna ("how apply, is in
        # samordna opptak?" after folk high school): the level before, before the parts
        # of the message are read alone.
        # A story that names a school and asks whether one applies there through Samordna
        # ("… et år på folkehøgskole … Går søknaden dit gjennom Samordna opptak?"): that
        # school's answer, which says how.
        level_before = getting_in_meant(tracker, KNOWLEDGE) \
            or application_meant(tracker, KNOWLEDGE) \
            or through_samordna_to_the_school_named(text)
        if level_before is not None:
            return as_if_said(tracker, level_before)
        county = place_after_career_centre(tracker, KNOWLEDGE)
        if county is not None:
            # "ligg det i bodø?", "og sambuaren min, kan ho òg få hjelp sjølv om ho bur i
            # Bodø?" after a career-centre answer: the centre there, before the message's
            # parts are read alone (that one was taken for what counsellors help with).
            return answer_for_county(dispatcher, tracker, KNOWLEDGE, county)
        torn = broader_of_two_readings(tracker)
        if torn is not None:
            # "hei. er 33 å har aldri fullfort vgs. kan jeg soke universitet??" (0.35 the
            # admission requirements, 0.34 the 23/5 rule): the whole message, before its
            # last part alone ("kan jeg soke universitet??", 0.45 Samordna's deadline).
            return as_if_said(tracker, torn)
        handled = await self._several_questions(dispatcher, tracker)
        if handled is not None:
            return handled
        asked = await self._asked_after_an_opening(tracker)
        if asked is not None:
            # "hei, er de opne no?" (0.40 the fallback, the greeting 0.34), "takk! kvar
            # søkjer eg lån etterpå": the question alone reads surely as one the bot
            # answers (0.63 the opening hours).
            return as_if_said(tracker, asked)
        if asks_to_reach_a_counsellor(text):
            # "dette vart litt innfløkt, kan du setje meg i kontakt med ein rettleiar?"
            # (the fallback): a counsellor, not the answer before once more.
            return as_if_said(tracker, HUMAN_HANDOFF)
        if nobody_answers(text):
            return as_if_said(tracker, OPENING_HOURS)  # "its 11pm, nobody answers?"
        if just_after_crisis(tracker):
            # "no i dont want to call anyone" after the help lines: no topic buttons.
            dispatcher.utter_message(response="utter_crisis_stay")
            return []
        if hours_asked_again(tracker):
            return as_if_said(tracker, OPENING_HOURS)  # "laurdag òg?" after the hours
        if asks_what_there_is_for_veterans(text) \
                and answer_for_veterans(dispatcher, tracker, KNOWLEDGE):
            return []  # "is there anyone who helps veterans find civilian work?"
        experience = experience_for_fagbrev_on_the_job(tracker, KNOWLEDGE)
        if experience is not None:  # "kor lang erfaring må eg ha" after fagbrev på jobb
            return self.context.answer_again(dispatcher, tracker, experience)
        # "når er fristen da?" or "og om eg tek studiet på nett?", unsure
        meant = (own_case_meant(tracker)  # "… my application number is 4471"
                 or whom_to_ask_about_it(tracker, KNOWLEDGE)  # "hvem skal hun kontakte da?"
                 or deadline_meant(tracker, KNOWLEDGE) or deadline_named(text)
                 or early_application_asked(text, FALLBACK_INTENT)  # "individuell vurdering"
                 or missed_the_deadline_before(tracker, KNOWLEDGE)
                 or finance_answer_meant(tracker, KNOWLEDGE)
                 or praksiskandidat_meant(tracker, KNOWLEDGE)  # "ka med teorien da"
                 or broader_meant(tracker, KNOWLEDGE)  # "ka e alternativet?"
                 or narrower_by_its_words(tracker, KNOWLEDGE)  # "does volunteering count"
                 or broader_by_its_words(tracker, KNOWLEDGE)  # "blir læretida kortere da?"
                 or thing_named_alone(tracker, KNOWLEDGE)  # "og søknaden?" after the CV
                 or correction_meant(tracker, KNOWLEDGE)  # "sorry mente vg2"
                 or level_meant(tracker, KNOWLEDGE)  # torn between two levels' question
                 or recognition_meant(tracker, occupations()))  # a degree from abroad
        if meant is not None:
            return as_if_said(tracker, meant)
        corrected = await self._what_was_meant(text)
        if corrected is not None:
            # "nei, ikkje kurs, eg meinte fagskule" after NAV's courses got thanks for a
            # detail told: what it says was meant, when that reads surely alone.
            return as_if_said(tracker, corrected)
        way = answer_the_way_there(dispatcher, tracker)
        if way is not None:  # "how does she get there from 10th grade?" after chef
            return way
        # "what about my husband, he has an engineering degree from Pune" after recognition
        recognition = occupation_after_recognition(tracker, occupations(), KNOWLEDGE)
        if recognition is not None:
            return as_if_said(tracker, recognition)
        if names_an_everyday_thing(text) \
                and OUT_OF_SCOPE in first_readings(tracker, OUT_OF_SCOPE_AMONG_THE_FIRST):
            # "ok. do you also know good apartments in oslo for students?" (the fallback,
            # out of scope weighed) got the study choices again, read with the question
            # before: an everyday thing is out of scope.
            return as_if_said(tracker, OUT_OF_SCOPE)
        in_context = self.context.quote_the_aspect_asked(dispatcher, tracker) \
            or self.context.quote_what_it_asks_about(dispatcher, tracker) \
            or await self.context.answer(dispatcher, tracker)
        if in_context is not None:
            return in_context
        if read_as_a_greeting(tracker):
            # "God morgon. Er denne tenesta gratis?" whose question was not understood
            # alone either (bot/server/nlp/components.py, AGreetingThatAsks): greet back.
            dispatcher.utter_message(response="utter_greet")
            return []
        if thank_and_ask(dispatcher, tracker):
            return []  # "har jobba i barnehage i 4 år uten utdanning": the question next
        return self._ask_what_was_meant(dispatcher, tracker)

    async def _what_was_meant(self, text: str) -> str | None:
        """The question a correction names as the one meant, read alone, when it reads
        surely as a question the bot answers; None otherwise."""
        meant = what_was_meant(text) if says_what_was_meant(text) else None
        parse = await self.several.nlu.parse(meant) if meant else None
        intent = (parse or {}).get("intent") or {}
        name = intent.get("name") or ""
        sure = float(intent.get("confidence") or 0.0) >= CORRECTION_SURE
        return name if sure and name.startswith("ask_") else None

    async def _asked_after_an_opening(self, tracker: Tracker) -> str | None:
        """What the question after an opening greeting or thanks asks, read alone, when it
        reads surely as a question the bot answers or a wish for a person; None
        otherwise."""
        text = (tracker.latest_message or {}).get("text") or ""
        question = question_after_greeting(text) if read_as_a_greeting(tracker) \
            else question_after_thanks(text) if read_as_thanks(tracker) else None
        parse = await self.several.nlu.parse(question) if question else None
        intent = (parse or {}).get("intent") or {}
        name = intent.get("name") or ""
        if float(intent.get("confidence") or 0.0) < self.several.threshold:
            return None
        return name if name.startswith("ask_") or name in (HUMAN_HANDOFF, LEAVE_QUESTION) \
            else None

    @staticmethod
    def _ask_what_was_meant(dispatcher: CollectingDispatcher,
                            tracker: Tracker) -> list[EventType]:
        said = user_messages(tracker)
        if len(said) >= 2 and intent_of(said[-2]) == FALLBACK_INTENT:
            dispatcher.utter_message(response="utter_offer_handoff")
            return [SlotSet(OFFERED_SLOT, True)]
        # A follow-up not understood even with the question before still most likely
        # means that topic: it comes first among the choices.
        ask_which_topic(dispatcher, tracker, first=pointed_back_at(tracker, KNOWLEDGE))
        return []


    async def _several_questions(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """The events when the message's parts settled the reply; None when they did not."""
        text = (tracker.latest_message or {}).get("text") or ""
        reading = await self.several.read(text, story_first=True,
                                          level_before=level_before(tracker, KNOWLEDGE))
        if reading is None:
            return None
        language = language_of(tracker)
        if reading.crisis:
            # Help lines and an urgent case, as for a whole message in crisis.
            return [FollowupAction(CRISIS_ACTION)]
        if reading.person is not None:
            # "…vi vet ikke hva vi skal gjøre nå. Kan jeg få snakke med en veileder?"
            return as_if_said(tracker, reading.person)
        if asks_an_age(text):
            # "and my brother who's 22, can he use it?" after the 23/5 rule: the answer's
            # sentence on the age ("can he use it?" read alone as this service got the
            # service's answer); its parts were still read for crisis language.
            quoted = self.context.quote_the_aspect_asked(dispatcher, tracker)
            if quoted is not None:
                return quoted
        if adds_a_detail(text):
            # "i'm 31 btw, does that change anything?": one question, about the one before
            # (its part "does that change anything?" alone reads as this service's price);
            # its parts were still read for crisis language and a wish for a person.
            return None
        if reading.answerable:
            # (A question read alone that lost the level the story named, "…han gruar seg
            # til vidaregåande … er det ein eigen frist for …?", was given it by the read.)
            self.several.answer(dispatcher, reading, language)
            return []
        # "korleis blir ein elektrikar? sonen min er 15 og tenkjer pa det": the occupation
        # question read alone is answered, as after a story read as a need for guidance.
        asked = question_after_context(text)
        if asked is not None and await answer_occupation_asked(
                dispatcher, self.several.nlu, self.several.threshold, asked, language,
                occupations()):
            return []
        return [] if self.several.ask_which_first(dispatcher, reading, language) else None


# Out of scope must be a reading the classifier weighed for an everyday thing to be it.
OUT_OF_SCOPE_AMONG_THE_FIRST = 3


def read_as_a_greeting(tracker: Tracker) -> bool:
    """Whether the classifier's own first reading of the latest message was a greeting."""
    return first_readings(tracker, 1) == ["greet"]


def read_as_thanks(tracker: Tracker) -> bool:
    """Whether the classifier's own first reading of the latest message was thanks."""
    return first_readings(tracker, 1) == ["thank"]


def application_date_meant(tracker: Tracker) -> str | None:
    """The deadline question a message read as this chat's opening hours asks, when it
    asks when applying opens and names no service: "and when does the application
    open?" after the university deadline."""
    text = (tracker.latest_message or {}).get("text") or ""
    if NAMES_THE_SERVICE.search(text):
        return None
    return deadline_meant(tracker, KNOWLEDGE) or deadline_named(text) \
        or opening_after_a_deadline(tracker, KNOWLEDGE)


# Under this, the chat's hours are a guess: "how many hours is free there?" right after
# Troms's centre (0.59) asks the centre's free hours.
SURE_OF_THE_HOURS = 0.60
# How many hours asks an amount, not when the chat is open: "how many hours can I get?"
# right after Troms's centre (0.78 the chat's hours).
_HOW_MANY_HOURS = re.compile(
    r"\b(?:how\s+many\s+hours|(?:hvor|kor|ka|ko)\s+mange\s+tim(?:er|ar|e|a)(?:ne|ane)?)\b",
    re.IGNORECASE)


class ActionOpeningHours(Action):
    def __init__(self, desk: DeskClient | None = None,
                 context: ContextReading | None = None) -> None:
        self.desk = desk or DeskClient()
        self.context = context or ContextReading(KNOWLEDGE)

    def name(self) -> str:
        return "action_opening_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        meant = application_date_meant(tracker)
        if meant is not None:
            return as_if_said(tracker, meant)  # its own rule answers it
        intent = (tracker.latest_message or {}).get("intent") or {}
        text = (tracker.latest_message or {}).get("text") or ""
        if float(intent.get("confidence") or 0.0) < SURE_OF_THE_HOURS \
                or _HOW_MANY_HOURS.search(text) or asks_if_it_counts(text):
            # "tel sesongjobb?" after the 23/5 rule (0.42 the hours): whether it counts
            # there; so is "tel det at eg har jobba deltid på kafé i helgane …?" (0.62).
            quoted = self.context.quote_the_aspect_asked(dispatcher, tracker) \
                or await self.context.answer_if_it_counts(dispatcher, tracker)
            if quoted is not None:
                return quoted
        hours = await self.desk.opening_hours()
        if hours is None:
            dispatcher.utter_message(response="utter_default")
            return []
        open_now = hours.get("open_now") and hours.get("counsellors_online", 0) > 0
        dispatcher.utter_message(
            response="utter_opening_hours_open" if open_now else "utter_opening_hours_closed",
            hours=(hours.get("text") or {}).get(language_of(tracker), ""),
        )
        # Open, the reply invites the person to ask for a counsellor; closed, it offers to
        # leave a question (one button). Either way a typed "ja" takes the offer.
        return [offer(HUMAN_HANDOFF if open_now else LEAVE_QUESTION)]


REQUESTED_SLOT = "requested_slot"
# Giving up on leaving a question, asked for contact details: "avbryt", "nei takk".
_GIVES_UP = re.compile(
    r"^\W*(?:avbryt\w*|cancel|stopp?|stop|glem\s+det|gløym\s+det|never\s?mind|"
    r"nei|nei\s+takk|no|no\s+thanks?|nope|drop\s+it|forget\s+it|"
    r"jeg\s+vil\s+ikke|eg\s+vil\s+ikkje|i\s+don'?t\s+want\s+to)\W*$", re.IGNORECASE)
# How sure the classifier must be of a knowledge question typed in place of contact
# details before the bot answers it there (the bar the follow-up rules call sure).
ANSWER_IN_FORM_CONFIDENCE = 0.6


# Questions about this service, typed where the form asks for the question to leave: the
# person wants to know before leaving one. A longer message is the question to leave.
ASKED_BEFORE_LEAVING_ONE = frozenset({"ask_service_free_anonymous", "ask_about_service"})
MAX_WORDS_ASKED_BEFORE = 10


def gives_up(text: str, tracker: Tracker) -> bool:
    """"nei takk", "avbryt", or a farewell: "ok eg kjem tilbake i morgon, ha det" was told
    it was no e-mail address (what is typed here is kept from the classifier, so the words
    decide)."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return bool(_GIVES_UP.match(text)) or says_goodbye(text) or intent == "deny"


def question_answered_here(tracker: Tracker) -> str | None:
    """The knowledge question a message answering the form is, when the classifier is
    sure of it; None for anything else."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") or ""
    sure = float(intent.get("confidence") or 0.0) >= ANSWER_IN_FORM_CONFIDENCE
    return name if sure and KNOWLEDGE.for_intent(name) else None


class ValidateCallbackForm(FormValidationAction):
    """Checks the contact details of a question left for a callback."""

    def name(self) -> str:
        return "validate_callback_form"

    async def validate_callback_question(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = (value or "").strip() if isinstance(value, str) else ""
        if len(text) < 3 or welcomes_an_offer(text):
            # "ja takk" to "what do you want to ask?" is no question for a counsellor to
            # answer. The form asks for it once more by itself (uttered here too, the
            # person got the same request twice).
            return {QUESTION_SLOT: None}
        asked = question_answered_here(tracker)
        if asked in ASKED_BEFORE_LEAVING_ONE and len(text.split()) <= MAX_WORDS_ASKED_BEFORE:
            # "oh and is it anonymous?" asks about leaving a question before leaving one:
            # answered here; the form asks for the question once more.
            dispatcher.utter_message(text=render_answer(KNOWLEDGE.for_intent(asked),
                                                        language_of(tracker)))
            dispatcher.utter_message(response="utter_callback_still_open")
            return {QUESTION_SLOT: None}
        return {QUESTION_SLOT: text[:2000]}

    async def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        contact = valid_contact(value) if isinstance(value, str) else None
        if contact is not None:
            return {CONTACT_SLOT: contact}
        if gives_up(value if isinstance(value, str) else "", tracker):
            # "nei, glem det": no question is left, and nothing gathered is kept.
            dispatcher.utter_message(response="utter_callback_dropped")
            return {CONTACT_SLOT: None, QUESTION_SLOT: None, REQUESTED_SLOT: None}
        asked = question_answered_here(tracker)
        if asked is not None:
            # A question of its own instead of contact details ("when does he have to
            # apply"): answered; the form asks for the contact once more.
            dispatcher.utter_message(text=render_answer(KNOWLEDGE.for_intent(asked),
                                                        language_of(tracker)))
            dispatcher.utter_message(response="utter_callback_still_open")
            return {CONTACT_SLOT: None}
        dispatcher.utter_message(response="utter_invalid_contact")
        return {CONTACT_SLOT: None}


class ActionSubmitCallback(Action):
    """Leaves the question with the desk; the contact details go to the case and nowhere
    else: the slots are emptied at once."""

    def __init__(self, desk: DeskClient | None = None) -> None:
        self.desk = desk or DeskClient()

    def name(self) -> str:
        return "action_submit_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not tracker.get_slot(QUESTION_SLOT) or not tracker.get_slot(CONTACT_SLOT):
            return [SlotSet(QUESTION_SLOT, None), SlotSet(CONTACT_SLOT, None)]  # given up
        saved = await self.desk.leave_question({
            "sender_id": tracker.sender_id,
            "channel": tracker.get_latest_input_channel(),
            "language": language_of(tracker),
            "topic": topic_of(tracker),
            "summary": summary_of(tracker),
            "question": tracker.get_slot(QUESTION_SLOT),
            "contact": tracker.get_slot(CONTACT_SLOT),
        })
        dispatcher.utter_message(
            response="utter_callback_saved" if saved else "utter_callback_failed"
        )
        return [SlotSet(QUESTION_SLOT, None), SlotSet(CONTACT_SLOT, None)]
