"""Follow-ups that lean on the previous turn: "og for fagskole?", "hva med Bergen?".

A ``continue_topic`` message names no topic, only a new detail: another level of
education, another place or another occupation. The answer is the previous question's,
for that detail:

- an occupation: the previous occupation question (what the work is, how to get there,
  or what it pays) for the occupation now named; after a question about education from
  abroad, whether that occupation is regulated;
- a level of education: the previous question's counterpart for that level, from the
  explicit table ``COUNTERPARTS`` (a deadline question asked again for fagskole is
  fagskole's entry); it is put on the tracker as that intent, so its own rule answers
  and a further follow-up ("og for universitet?") leans on it in turn;
- a place: that place's career centre, the one place-bound answer the bot has;
- a day or a channel after the opening hours ("kva med laurdag?"): the opening hours;
- student finance after a deadline ("what about student loans?"): its deadline;
- another topic ("kva med stipend?" after the loan deadline): that topic, when the
  classifier ranked it next and high enough to have answered it alone.

With no previous question, or none for that detail, the bot asks what was meant. A
request for more without a detail ("kan du si litt mer om det?") gets the sources of the
answer before and a counsellor offered (actions/more.py).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.another_place import COUNTY_SLOT, answer_for_county, county_in
from actions.answers import KNOWLEDGE
from actions.conversation import (
    OPENING_HOURS,
    intent_of,
    language_of,
    previous_question,
    user_messages,
)
from actions.deadlines import (
    DEADLINES,
    deadline_meant,
    deadline_named,
    deadline_named_in,
    missed_the_deadline_before,
)
from actions.finance_follow_ups import finance_answer_meant, finance_named_alone
from actions.in_context import ContextReading, previous_answered_question
from actions.levels import (
    COUNTERPARTS,
    application_meant,
    counterpart,
    level_named,
    names_upper_secondary_for_adults,
    schooling_there,
    without_comparisons,
)
from actions.more import tell_more
from actions.occupation_answers import (
    ASKS_PAY,
    DESCRIPTION_INTENT,
    PATH_INTENT,
    PROSPECTS_INTENT,
    occupation_after_recognition,
)
from actions.occupations import OCCUPATION_SLOT, latest_question, occupation_of, utter_occupation
from actions.offers import as_if_said
from actions.several_questions import without_confirming_tag
from bot.shared.knowledge import KnowledgeBase
from bot.shared.language import language_asked_for
from bot.shared.occupations import OccupationFinder, occupations
from bot.shared.topics import title, titles

CONTINUE_TOPIC = "continue_topic"
ADULT_UPPER_SECONDARY = "ask_adult_upper_secondary"


# Questions about an occupation or a place: a follow-up names another one.
OCCUPATION_QUESTIONS = ("ask_occupation_description", "ask_occupation_path")
PLACE_QUESTIONS = ("ask_career_centre",)
# A follow-up naming another topic is answered for it when the classifier's next reading
# clears the fallback's bar (config.yml): it would have been answered on its own.
NAMED_TOPIC_CONFIDENCE = 0.40


def questions_for_level(level: str | None) -> list[str]:
    """The questions (at most three) that have an answer for ``level``."""
    known = titles()
    likely = [by_level[level] for by_level in COUNTERPARTS.values()
              if level in by_level and by_level[level] in known]
    return list(dict.fromkeys(likely))[:3]


def question_text(answered: tuple[str, str] | None) -> str:
    return answered[0] if answered else ""


def topic_named(tracker: Tracker, previous: str | None,
                knowledge: KnowledgeBase) -> str | None:
    """The other topic a follow-up names: the classifier's best reading after the
    follow-up itself, when it is a question the bot answers from its knowledge, is not
    the previous question, and is ranked at ``NAMED_TOPIC_CONFIDENCE`` or above."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    for reading in ranking:
        intent = reading.get("name") or ""
        if intent in (CONTINUE_TOPIC, previous):
            continue
        if float(reading.get("confidence") or 0.0) < NAMED_TOPIC_CONFIDENCE:
            return None
        return intent if knowledge.for_intent(intent) else None
    return None


def _entities(tracker: Tracker) -> dict[str, Any]:
    return {e.get("entity"): e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []}


# The question before asked again for someone or something else: "does he need the same?",
# "gjeld det same for kona mi?", "same for her?".
_ASKS_THE_SAME = re.compile(
    r"\b(?:the\s+same|same\s+(?:for|thing|rules?|here)|(?:det\s+)?samme|(?:det\s+)?same\s+for|"
    r"gjelder\s+(?:det|dette)\s+(?:også|og)|gjeld\s+(?:det|dette)\s+(?:òg|og|også)|"
    r"(?:does|do|would|will)\s+(?:that|it|this)\s+(?:apply|go)\s+for)\b", re.IGNORECASE)


OCCUPATION_QUESTIONS = frozenset({DESCRIPTION_INTENT, PATH_INTENT, PROSPECTS_INTENT,
                                  "ask_regulated_profession", "inform"})


# A follow-up that names only another degree: "and for a master?", "kva med bachelor då?".
_ONLY_A_DEGREE = re.compile(
    r"^\W*(?:(?:and|og|but|men)\s+)?(?:what\s+about|how\s+about|hva\s+med|kva\s+med|ka\s+med|"
    r"enn|same\s+for)?\s*(?:for|med|om|på|if\s+i\s+(?:do|take)|hvis\s+jeg\s+tar|viss\s+eg\s+tek)?"
    r"\s*(?:a|an|en|ein|ei|the)?\s*(?:master|bachelor|phd|ph\.d|doktorgrad)\w*"
    r"(?:\s+(?:then|da|då|too|også|òg))?\W*$", re.IGNORECASE)
# Questions whose answer is the same for every degree of higher education.
_EVERY_DEGREE = frozenset({"ask_study_finance_abroad", "ask_study_finance_part_time",
                           "ask_student_grant", "ask_student_finance_extra",
                           "ask_student_finance_deadline", "ask_foreign_education_recognition",
                           "ask_higher_education_deadline", "ask_higher_education_choices"})


class ActionContinueTopic(Action):
    """Answers a follow-up for the previous question, with the new detail."""

    def __init__(
        self, knowledge: KnowledgeBase | None = None, finder: OccupationFinder | None = None,
        context: ContextReading | None = None,
    ) -> None:
        self.knowledge = knowledge or KNOWLEDGE
        self.finder = finder or occupations()
        self.context = context or ContextReading(self.knowledge)

    def name(self) -> str:
        return "action_continue_topic"

    async def _read_without_the_tag(self, text: str) -> str | None:
        """The question a message asks once a tag asking whether it is so is set aside
        ("and the fagskole is free if it's a public one right?" read 0.68 as going on with
        NAV's rules, 0.82 fagskole without "right"), when that is a question the bot
        answers; None for a message without such a tag."""
        untagged = without_confirming_tag(text)
        if untagged == text:
            return None
        parse = await self.context.nlu.parse(untagged)
        intent = (parse or {}).get("intent") or {}
        name = intent.get("name") or ""
        sure = float(intent.get("confidence") or 0.0) >= NAMED_TOPIC_CONFIDENCE
        return name if sure and name != CONTINUE_TOPIC and self.knowledge.for_intent(name) \
            else None

    def _again_in_the_language_asked_for(self, dispatcher: CollectingDispatcher,
                                         tracker: Tracker) -> list[EventType]:
        """"sorry my norwegian is not so good, can you explain that in english?": the
        question before answered again (the language slot is already the one asked for);
        with none, a word that the bot now writes that language."""
        answered = previous_answered_question(tracker, self.knowledge)
        if answered is None:
            dispatcher.utter_message(response="utter_language_switched")
            return []
        return as_if_said(tracker, answered[1])

    def _pay_of_the_occupation_before(self, tracker: Tracker,
                                      text: str) -> list[EventType] | None:
        """"and what about pay?" right after a question about an occupation: its pay and
        prospects (it got the answer before again); None for any other message."""
        said = user_messages(tracker)
        occupation = tracker.get_slot(OCCUPATION_SLOT)
        if not ASKS_PAY.search(text) or not occupation or len(said) < 2 \
                or intent_of(said[-2]) not in OCCUPATION_QUESTIONS:
            return None
        return as_if_said(tracker, PROSPECTS_INTENT,
                          [{"entity": OCCUPATION_SLOT, "value": occupation}])

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        more = tell_more(dispatcher, tracker)
        if more is not None:
            return more  # "kan du si litt mer om det?": no new detail, the same topic
        text = (tracker.latest_message or {}).get("text") or ""
        if language_asked_for(text):
            return self._again_in_the_language_asked_for(dispatcher, tracker)
        tagged = await self._read_without_the_tag(text)
        if tagged is not None:
            return as_if_said(tracker, tagged)
        language = language_of(tracker)
        entities = _entities(tracker)
        # What the question before was answered as ("koster det penger å gå der", read as
        # this chat's price, was answered for fagskole), else what it was read as.
        answered = previous_answered_question(tracker, self.knowledge)
        question = answered[1] if answered else previous_question(tracker)
        # "is it like university?" after fagskole compares with a level, asks for none
        level = level_named(without_comparisons(text))

        occupation = occupation_of(entities.get(OCCUPATION_SLOT), self.finder)
        recognition = occupation_after_recognition(tracker, self.finder, self.knowledge)
        if recognition is not None:
            # "what about my wife, she's a doctor" after having a degree recognised: who
            # authorises her occupation; an engineer's degree is recognised as before.
            return as_if_said(tracker, recognition)
        if occupation is not None:
            utter_occupation(dispatcher, occupation, latest_question(tracker), language)
            return [SlotSet(OCCUPATION_SLOT, occupation.id)]
        pay = self._pay_of_the_occupation_before(tracker, text)
        if pay is not None:
            return pay
        reading = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        money = finance_named_alone(tracker, self.knowledge, reading)
        if money is not None:
            return as_if_said(tracker, money)  # "and loan?" after fagskole

        # "what about police then, same deadline?" after the grant, "er fristen den samme
        # for vg2 da?" after how many programmes to list: the deadline of the level named;
        # else the question before, for that level.
        answer_for_level = deadline_named(text) or counterpart(question, level)
        if answer_for_level is not None:
            return as_if_said(tracker, answer_for_level)
        only = questions_for_level(level)
        if len(only) == 1 and level_named(question_text(answered)) != level:
            # "what about fagskole, what's that" after NAV's courses (whose answer names
            # fagskole, and got that sentence quoted): a school with one answer, named
            # after a question that was not about it, asks about the school.
            return as_if_said(tracker, only[0])
        if question in _EVERY_DEGREE and _ONLY_A_DEGREE.match(text):
            # "and for a master?" after a loan for a bachelor abroad: the same answer holds
            # (it got "which of these?" with higher education's questions).
            return as_if_said(tracker, question)

        county = county_in(entities.get(COUNTY_SLOT)) if entities.get(COUNTY_SLOT) else None
        finance = finance_answer_meant(tracker, self.knowledge, town_named=county is not None)
        if county is not None and finance is not None:
            # "what about my brother, he's moving to bergen for uni" after the grant: where
            # he lives decides it, whatever town is named.
            return as_if_said(tracker, finance)
        deadline = deadline_meant(tracker, self.knowledge) if county is not None else None
        if deadline is not None:
            # "og hvis hun bor i Alta? er det samme frist der?" after applying to upper
            # secondary: the deadline, the same wherever one lives, not the centre in Alta.
            return as_if_said(tracker, deadline)
        schooling = schooling_there(question, text) if county is not None else None
        if schooling is not None:
            # "Hva hvis han vil gå på skole i Bergen? Vi bor i Drammen" after upper
            # secondary's deadline got Buskerud's career centre: going to school or an
            # apprenticeship there is applied for as anywhere.
            return as_if_said(tracker, schooling)
        if county is not None and self.knowledge.for_county(county) is not None:
            # "enn om eg flyttar til Førde?": the office nearest the town, as asked directly.
            return answer_for_county(dispatcher, tracker, self.knowledge, county)

        if question == OPENING_HOURS:
            # "kva med laurdag?", "ka med på telefon?" after the opening hours: the hours
            # again, which say it for every day (it was asked to be put another way).
            return as_if_said(tracker, OPENING_HOURS)

        # "and the deadline?", "og hvis jeg har barn?" after a question that has them;
        # "what if I miss it" after Samordna opptak's deadline
        meant = (deadline_meant(tracker, self.knowledge)
                 or missed_the_deadline_before(tracker, self.knowledge)
                 or finance
                 # "og kor søkjer eg det?" after changing programme
                 or application_meant(tracker, self.knowledge))
        if meant is not None:
            return as_if_said(tracker, meant)

        named = topic_named(tracker, question, self.knowledge)
        if named is not None:
            return as_if_said(tracker, named)  # its own rule answers it
        another_deadline = deadline_named_in(text) if question in DEADLINES else None
        if another_deadline not in (None, question):
            # "what about student loans" after the deadlines for school: the loan's.
            return as_if_said(tracker, another_deadline)

        in_context = await self.context.answer(dispatcher, tracker) \
            or self.context.quote_the_aspect_asked(dispatcher, tracker) \
            or self.context.quote_what_it_asks_about(dispatcher, tracker)
        if in_context is not None:
            # read with the question before it, or asking about a word of its answer
            # ("what about if i start in january" after Lånekassen's deadlines)
            return in_context

        if question is not None and self.knowledge.for_intent(question) \
                and _ASKS_THE_SAME.search(text):
            # "what about my husband, he has a bachelor in business admin. does he need the
            # same?" after the recognition of a degree: that answer holds for him too.
            return as_if_said(tracker, question)
        if names_upper_secondary_for_adults(text):
            # "hva med vgs for voksne er det noe for meg" after a wish for guidance: the
            # adults' upper secondary, not a choice of the adult level's three questions.
            return as_if_said(tracker, ADULT_UPPER_SECONDARY)
        likely = questions_for_level(level)
        if len(likely) == 1:
            # "kva med folkehøgskule då?" with nothing before to follow: folk high school
            # has one answer, so it is given rather than offered as the only button.
            return as_if_said(tracker, likely[0])
        self._ask_what_was_meant(dispatcher, likely, language)
        return []

    @staticmethod
    def _ask_what_was_meant(
        dispatcher: CollectingDispatcher, likely: list[str], language: str
    ) -> None:
        """No previous question fits: offer the named level's questions, or ask plainly."""
        if not likely:
            dispatcher.utter_message(response="utter_default")
            return
        buttons = [{"title": title(intent, language), "payload": f"/{intent}"}
                   for intent in likely]
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
