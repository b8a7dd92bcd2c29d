"""Several questions in one message: "Når er søknadsfristen, og hvor mye får jeg i stipend?".

The message is cut into its questions (question marks, a comma or "og" / "and" /
"også" before a question word: "og" alone is too common inside one question to cut on),
and each part is read by the Rasa server's own NLU (``/model/parse``). Parts understood
with confidence as questions the knowledge base answers are answered, at most two, each
with its source; with more, the person is asked to take the rest one at a time. When no
part is clear but they point to different topics, the person is asked which one first.

A long message that tells a situation before it asks ("Datteren min går i 10. klasse og
vet ikke hva hun vil. Når er fristen?") is read by its question alone when the whole
message was unclear: the story stays in the conversation for a counsellor to read. A
question that names no level is asked for the one level the rest of the message names
(upper secondary's deadline there, not Samordna opptak's).

A part in crisis language wins: the crisis action (help lines, nothing else, and an
urgent case). When the Rasa server
cannot be asked, the message is answered as it is today, as one question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from actions.conversation import FALLBACK_INTENT
from actions.in_context import (
    ASKS_FOR_A_PERSON,
    POINTING_BACK,
    SERVICE_INTENT,
    asks_the_price_of_something_else,
)
from actions.levels import asks_only_where_to_apply, the_same_question_for_the_level_named
from actions.nlu_client import NluClient
from bot.shared.asking import without_opening_greeting
from bot.shared.crisis import said_in_crisis, sentences
from bot.shared.knowledge import KnowledgeBase, render_answer
from bot.shared.settings import PROJECT_DIR
from bot.shared.topics import title, titles

# What this chat's price and anonymity answer answers: a question about either.
_PRICE_OR_ANONYMITY = re.compile(
    r"\b(?:gratis|free|kost\w*|cost\w*|pris\w*|price|betal\w*|pay\w*|anonym\w*|navn\w*|"
    r"namn\w*|names?|personnumm?er\w*|identi\w*|charge\w*|money|penger|pengar)\b",
    re.IGNORECASE)

MAX_ANSWERS = 2
# Never cut a message into more parts than this (and never ask about more).
MAX_PARTS = 4
# Read alone, a part must ask for one surely: plain requests read 0.79-0.93, while a bare
# "kan det gjelde meg" after a question about prior learning read 0.57 leave_question.
PERSON_CONFIDENCE = 0.75
# A part shorter than this many words is a fragment ("ok", "hei"), not a question.
MIN_WORDS = 2
# A story's question read alone is taken over the whole message, read under the first bar,
# when it reads at least the second and the margin surer: "eg går vg2 elektro. kan eg gå
# fagskule etter fagbrevet?" (0.63 påbygg whole, 0.79 fagskole alone).
WHOLE_UNSURE = 0.70
QUESTION_ALONE_SURE = 0.75
QUESTION_ALONE_MARGIN = 0.15
# A question that points back into its story needs it: "does Lånekassen give loans for
# that?" after studying in the UK, "can i still get a student loan" after part-time study
# (both read alone as student finance in general).
_LEANS_ON_THE_STORY = re.compile(
    rf"\b(?:{POINTING_BACK}|dei|de|dem|its|those|them|they|dit|då|still|likevel|fortsatt|"
    r"framleis|fremdeles|også|òg|too|either|same|samme|slik|sånn|such)\b", re.IGNORECASE)
# "is there extra money for the tuition fees?", "finst det …": there is, not there.
_THERE_IS = re.compile(r"\b(?:is|are|was|were)\s+there\b|\b(?:er|e|finnes|finst|fins)\s+det\b",
                       re.IGNORECASE)


def leans_on_the_story(question: str) -> bool:
    """Whether a story's question points back into it (``_LEANS_ON_THE_STORY``)."""
    return bool(_LEANS_ON_THE_STORY.search(_THERE_IS.sub(" ", question)))

_QUESTION_WORDS = (
    # "nar": "når" typed without å ("og nar er fristen for å søke videregaende")
    "hva|hvor|hvordan|når|nar|hvem|hvilke|hvilken|hvilket|hvorfor|kan|må|får|skal|bør|"
    "trenger|finnes|kva|kor|korleis|kven|kvifor|treng|what|when|where|how|who|which|why|"
    "can|could|do|does|is|are|should|will|would|must|may|hva slags"
)
# Between two questions: "?" and what follows; or a comma or a joining word right before
# a question word ("…fristen, og hvor mye…", "…fristen og hva koster…").
_AFTER_QUESTION_MARK = re.compile(r"(?<=\?)\s+")
_JOIN = re.compile(
    rf"\s*(?:,\s*(?:(?:og|and|også|og så|samt|plus)\s+)?|\s(?:og|and|også|og så)\s+)"
    rf"(?=(?:{_QUESTION_WORDS})\b)",
    re.IGNORECASE,
)

# Words that join a question to the one before it: "hi, is this free? also when do i
# apply for uni" (the second part was taken for no question, and only it was answered).
_LEADING_JOIN = re.compile(
    r"^(?:(?:og|and|også|men|but|also|plus|btw|forresten|dessuten|og\s+så|and\s+also)\b[\s,]*)+",
    re.IGNORECASE)
# A short lead-in before a colon says a question comes: "two questions: can I get a loan
# for part time study, and is there a deadline?" (the first part did not ask, so only
# the deadline was read as a question).
_LEAD_IN = re.compile(r"^[^\W\d_][^:?!.]{0,40}?:\s+(?=\S)")
MAX_LEAD_IN_WORDS = 4


def without_lead_in(part: str) -> str:
    """``part`` without a lead-in of a few words and a colon ("quick question:")."""
    match = _LEAD_IN.match(part)
    return part[match.end():] if match and len(match.group().split()) <= MAX_LEAD_IN_WORDS \
        else part
# A message that tells its story and asks ("Sønnen min er 17 og har ikke fått læreplass.
# Han er lei seg. Hva skjer nå?"): read whole, the story drowns the question.
_ASKS = re.compile(
    rf"\?\s*$|^(?:{_QUESTION_WORDS})\b|\b(?:lurer på|lurar på|vil vite|vil gjerne vite|"
    rf"ønsker å vite|ønskjer å vite|wonder(?:ing)?|would like to know|want to know)\b",
    re.IGNORECASE,
)
# A request is a question too: "fortell meg om fagskole, og hva koster det".
_REQUEST = re.compile(r"\b(?:fortell|forklar|tell me|explain)\b", re.IGNORECASE)


# "Stemmer det?", "is that right?": asks whether what was said before is so, no question
# of its own ("Eg har høyrt at fristen då er tidlegare? Stemmer det?" got "which first?").
_CONFIRMING = (
    r"(?:(?:og|men|and|but|or|eller)\s+)?(?:stemmer|stemmar|stemme)\s+(?:det|dette)(?:\s+\w+)?|"
    r"(?:er|e)\s+(?:det|dette)\s+(?:riktig|rett|sant|korrekt|slik|sånn|tilfellet)(?:\s+\w+)?|"
    r"(?:ikke|ikkje|ikkj|itte)\s+sant|gjør\s+det\s+det|gjer\s+det\s+det|har\s+eg\s+rett|"
    r"har\s+jeg\s+rett|(?:is|was)\s+(?:that|it|this)\s+(?:right|true|correct|so|the\s+case)|"
    r"(?:am\s+i|i'?m)\s+right|right|correct|true"
)
_CONFIRMS = re.compile(_CONFIRMING, re.IGNORECASE)
_ENDS_CONFIRMING = re.compile(rf",\s*(?:{_CONFIRMING})$", re.IGNORECASE)
# The same tag ending a whole message, after a comma or not ("… a public one right?").
_MESSAGE_ENDS_CONFIRMING = re.compile(rf"[,\s]+(?:{_CONFIRMING})$", re.IGNORECASE)


# "hva er det?", "what does that mean": asks what the thing just named is, no question of
# its own ("Har hørt om noe som heter 23/5 regelen? hva er det" got this service's
# description beside the rule).
_ASKS_WHAT_IT_IS = re.compile(
    r"(?:(?:og|men|and|but|so)\s+)?(?:hva|kva|ka|what)\s+(?:er|e|is|betyr|tyder|går)\s+"
    r"(?:det|den|dette|denne|that|it|this)(?:\s+(?:for\s+noe|for\s+noko|ut\s+på|egentlig|"
    r"eigentleg|exactly|then|da|då))*|what(?:'s|\s+is)\s+(?:that|it|this)|"
    r"what\s+does\s+(?:that|it|this)\s+mean", re.IGNORECASE)


def without_confirming_tag(text: str) -> str:
    """``text`` without a tag at its end that asks whether it is so: "and the fagskole is
    free if it's a public one right?" asks whether fagskole is free."""
    stripped = text.strip().rstrip("?!. ")
    untagged = _MESSAGE_ENDS_CONFIRMING.sub("", stripped)
    return untagged if untagged != stripped and len(untagged.split()) >= MIN_WORDS else text


def questions_in(text: str) -> list[str]:
    """The questions in ``text``, in order; one item when it holds one question."""
    parts: list[str] = []
    for chunk in _AFTER_QUESTION_MARK.split(text.strip()):
        parts += _JOIN.split(chunk)
    cleaned = [_LEADING_JOIN.sub("", without_lead_in(
        without_opening_greeting(part.strip(" ,.;:!?\n\t")))) for part in parts]
    questions = [_ENDS_CONFIRMING.sub("", part) for part in cleaned
                 if len(part.split()) >= MIN_WORDS]
    # A tag that asks whether the part before is so belongs to it; one that asks what it
    # is, or only how to apply ("can i get money from lånekassen? how to apply" got
    # Samordna opptak's deadline for the second), asks it of the part before.
    kept: list[str] = []
    for part in questions:
        if kept and (_ASKS_WHAT_IT_IS.fullmatch(part) or asks_only_where_to_apply(part)):
            kept[-1] = f"{kept[-1]}, {part}"
        elif not kept or not _CONFIRMS.fullmatch(part):
            kept.append(part)
    return kept


def asks(part: str, text: str) -> bool:
    """Whether ``part`` of ``text`` is a question: a question mark after it, a question
    word first, or a request ("lurer på", "I wonder", "fortell"). A part that asks
    nothing tells the situation: "min datter har dysleksi og gruer seg for videregående"
    before ", hva slags rettigheter har hun"."""
    told = sentences(part)
    # ... or its last sentence asks: "Datteren min skal søke studier i vår. Når er fristen"
    # before "og hvor mange valg kan hun ha?".
    return bool(_ASKS.search(part) or _REQUEST.search(part)
                or (len(told) > 1 and _ASKS.search(told[-1]))
                or re.search(re.escape(part) + r"[\s.,;:!]*\?", text))


# "what now?", "hva gjør vi nå?": asks only what to do, which the story says; read alone it
# is anyone's ("what now" read alone was an apprenticeship, 0.4x), so the story stays.
_ASKS_ONLY_WHAT_NOW = re.compile(
    r"^\W*(?:(?:and|so|og|så|men|but)\s+)?(?:what\s+now|what\s+happens\s+now|what\s+(?:do|can|should)"
    r"\s+(?:we|i|she|he)\s+do\s+now|(?:hva|kva|ka)\s+(?:nå|no|na)|(?:hva|kva|ka)\s+(?:skjer|gjør|gjer|"
    r"gjere|gjøre)\s+(?:vi|jeg|eg|æ|hun|han|ho|man|ein|en)?\s*(?:nå|no|na|då|da)?)\W*$",
    re.IGNORECASE)


def asks_only_what_now(text: str) -> bool:
    return bool(_ASKS_ONLY_WHAT_NOW.match(text.strip()))


def question_after_context(text: str) -> str | None:
    """The question of a message that tells its situation around it, without the story:
    "Sønnen min er 17 og har ikke fått læreplass. Han er lei seg. Hva skjer nå?", "my
    english is better than my norwegian. can I talk with counselor in english", "korleis
    blir ein elektrikar? sonen min er 15 og tenkjer pa det". None for one sentence, or
    when every sentence asks or none does."""
    told = sentences(text)
    if len(told) < 2:
        return None
    asking = [sentence for sentence in told if _ASKS.search(sentence)]
    if not asking or len(asking) == len(told):
        return None
    return " ".join(asking)


def with_the_sentence_before(text: str, question: str) -> str | None:
    """``question`` with the sentence of ``text`` told right before it, for a question that
    leans on it: "I've worked in construction for 7 years without a trade certificate. Can
    I get one without going back to school?" (the question alone: the fallback). None when
    nothing is told before it."""
    told = sentences(text)
    at = next((index for index, sentence in enumerate(told) if question in sentence), None)
    if not at or _ASKS.search(told[at - 1]):
        return None
    return f"{without_opening_greeting(told[at - 1])} {question}"


def fallback_threshold(config_path: Any = PROJECT_DIR / "config.yml") -> float:
    """The FallbackClassifier's threshold in config.yml: the same bar for each part."""
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return 0.35
    for component in config.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.35))
    return 0.35


def person_requested(parse: dict[str, Any] | None) -> str | None:
    """The wish for a counsellor a part read alone asks surely (``ASKS_FOR_A_PERSON``)."""
    intent = (parse or {}).get("intent") or {}
    name = intent.get("name") or ""
    confident = float(intent.get("confidence") or 0.0) >= PERSON_CONFIDENCE
    return name if name in ASKS_FOR_A_PERSON and confident else None


@dataclass
class Reading:
    """What the parts of a message with several questions were understood as."""

    parts: int
    crisis: bool = False
    # Confidently understood questions the knowledge base answers, distinct, in order.
    answerable: list[str] = field(default_factory=list)
    # For the parts not understood: each one's likeliest topic that has a button title.
    likely: list[str] = field(default_factory=list)
    # A part that asks for a counsellor: human_handoff or leave_question (ASKS_FOR_A_PERSON).
    person: str | None = None


class SeveralQuestions:
    def __init__(
        self, knowledge: KnowledgeBase, nlu: NluClient | None = None,
        threshold: float | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.nlu = nlu or NluClient()
        self.threshold = fallback_threshold() if threshold is None else threshold

    async def read(self, text: str, story_first: bool = False,
                   level_before: str | None = None) -> Reading | None:
        """How each question in ``text`` was understood; None for a single question, a
        message the system put on the tracker, or when the Rasa server cannot answer.
        With ``story_first`` (the whole message was unclear), a long message's question is
        read without the situation told before it. ``level_before``: the level the
        conversation was about (``actions.levels.level_before``), for parts that name none."""
        if text.startswith(("/", "EXTERNAL: ")):
            return None
        parts = questions_in(text)[:MAX_PARTS]
        asked = question_after_context(text) if story_first else None
        if asked is not None and asks_only_what_now(asked) and len(parts) < 2:
            # The story is the question: the bot asks which topic it is about (the whole
            # message was read by the crisis net before any action ran).
            return None
        if asked is not None:
            # The question alone, or its own questions if it holds several: the story's
            # "and would like to retrain" is no question of its own. The story's own
            # parts are still read for crisis language.
            questions = questions_in(asked)[:MAX_PARTS] or [asked]
            asking = [part for part in questions if asks(part, text)] or questions
            parts = list(dict.fromkeys([*questions, *(parts if len(parts) >= 2 else [])]))
        elif len(parts) < 2:
            return None
        else:
            # Only the parts that ask are answered; every part is read for crisis language.
            asking = [part for part in parts if asks(part, text)]
        reading = Reading(parts=len(asking))
        for part in parts:
            parse = await self.nlu.parse(part)
            if parse is None:
                return None
            if said_in_crisis(parse, part):
                return Reading(parts=len(parts), crisis=True)
            if part not in asking:
                continue
            intent = (parse.get("intent") or {}).get("name") or ""
            confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
            leaning = with_the_sentence_before(text, part) \
                if story_first and (intent == FALLBACK_INTENT or confidence < self.threshold) \
                else None
            read_with_it = await self.nlu.parse(leaning) if leaning else None
            if read_with_it is not None and not said_in_crisis(read_with_it, leaning or "") \
                    and float((read_with_it.get("intent") or {}).get("confidence") or 0.0) \
                    >= self.threshold:
                # Unclear alone, the question is read with what was told right before it.
                parse = read_with_it
                intent = (parse.get("intent") or {}).get("name") or ""
                confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
            if person_requested(parse) is not None:
                reading.person = reading.person or intent
                reading.parts -= 1  # a wish, not a question left unanswered
                continue
            if asks_the_price_of_something_else(text, intent) \
                    or (intent == SERVICE_INTENT and not _PRICE_OR_ANONYMITY.search(part)):
                # "i must take some exam first? who pay for it": the price asked is the
                # exam's, not this chat's, so "the chat is free" answers nothing; nor does
                # it answer a part that asks neither ("and if i dont get the job, is it ok
                # to ask why?" after a job interview).
                continue
            if (intent != FALLBACK_INTENT and confidence >= self.threshold
                    and self.knowledge.for_intent(intent)):
                intent = the_same_question_for_the_level_named(intent, part, text,
                                                               level_before)
                if intent not in reading.answerable:
                    reading.answerable.append(intent)
                continue
            ranked = [item.get("name") for item in parse.get("intent_ranking") or []]
            likely = next((name for name in ranked if name in titles()), None)
            if likely and likely not in reading.likely:
                reading.likely.append(likely)
        if len(asking) < 2 and not story_first:
            return None  # one question after its situation: answered as a whole
        return reading

    async def question_alone(self, text: str) -> tuple[str, dict[str, Any] | None] | None:
        """A story's question (``question_after_context``) and its reading alone; None for
        a message that is no story with a question."""
        asked = question_after_context(text)
        return None if asked is None else (asked, await self.nlu.parse(asked))

    @staticmethod
    def person_asked_for(alone: tuple[str, dict[str, Any] | None] | None) -> str | None:
        """``human_handoff`` or ``leave_question`` when a long message tells its situation
        and then asks for a counsellor ("…godkjenning av fag fra to land. kan jeg legge
        igjen spørsmålet så noen svarer meg senere?"): the person said what they want,
        whatever topic the story is about. ``alone``: ``question_alone``'s reading."""
        return None if alone is None else person_requested(alone[1])

    def surer_alone(self, alone: tuple[str, dict[str, Any] | None] | None, intent: str,
                    confidence: float) -> str | None:
        """The topic of a story's question read alone (``question_alone``), when it reads
        surely and clearly surer than the whole message (``WHOLE_UNSURE``,
        ``QUESTION_ALONE_SURE``, ``QUESTION_ALONE_MARGIN``): the story pulled the reading
        away. None otherwise."""
        if confidence >= WHOLE_UNSURE or alone is None or alone[1] is None \
                or leans_on_the_story(alone[0]) or said_in_crisis(alone[1], alone[0]):
            return None
        read = alone[1].get("intent") or {}
        name = read.get("name") or ""
        sureness = float(read.get("confidence") or 0.0)
        if name == intent or not self.knowledge.for_intent(name) \
                or sureness < max(QUESTION_ALONE_SURE, confidence + QUESTION_ALONE_MARGIN):
            return None
        return name

    def answer(self, dispatcher: Any, reading: Reading, language: str) -> None:
        """The first two answerable questions, each with its source; then, if there was
        more, a word that the rest can be asked one at a time."""
        answered = reading.answerable[:MAX_ANSWERS]
        for intent in answered:
            dispatcher.utter_message(
                text=render_answer(self.knowledge.for_intent(intent), language)
            )
        if reading.parts > len(answered) and len(answered) == MAX_ANSWERS:
            dispatcher.utter_message(response="utter_first_two_answered")

    def ask_which_first(self, dispatcher: Any, reading: Reading, language: str) -> bool:
        """Buttons for the topics the unclear parts point to, if they point to two or
        more; False when they do not (then the bot asks as it does for one question)."""
        if len(reading.likely) < 2:
            return False
        buttons = [{"title": title(intent, language), "payload": f"/{intent}"}
                   for intent in reading.likely[:3]]
        dispatcher.utter_message(response="utter_which_first", buttons=buttons)
        return True
