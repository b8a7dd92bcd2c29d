"""A short follow-up the bot could not place on its own, read with the question before it.

"hva må jeg ta da?" after "jeg er 23 og har ikke studiekompetanse", "tel folkehøgskule?"
after a question about the 23/5 rule: alone they name no topic, and the classifier is
rightly unsure. Read together with the person's previous question they are often plain
questions about another topic, and the bot answers that topic instead of asking what
was meant. When together they only ask the previous question again ("enn om jeg flytter
ut?" after the grant), the answer is given again, since it usually holds what was asked,
with an offer of a counsellor in case it does not. Only for what reads as a follow-up (a
short question, or one that opens as people go on: "og", "enn", "hva om", "what if"),
never for keyboard mash or a new subject, and only when the two together are understood
with confidence.

The same reading is given to a message the classifier did place, but only weakly, outside
careers or on the service itself, when it leans on the question before: "what if i start
in january?" after the loan deadline, "hva koster det?" after taking a subject as a
private candidate (``leans_back``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_aspects import (
    NAMES_ANOTHER_PERSON,
    answer_sentences,
    asks_an_aspect,
    blanked,
    names_a_school_subject,
    sentences_on,
    without_the_aspects,
)
from actions.conversation import (
    first_readings,
    intent_of,
    language_of,
    replies_to_the_message_before,
    user_messages,
)
from actions.nlu_client import NluClient
from actions.offers import EXTERNAL_MESSAGE_PREFIX, OFFERED_SLOT, as_if_said
from bot.shared.abroad import educated_abroad
from bot.shared.asking import asks_if_it_counts, asks_who_answers, asks_yes_or_no
from bot.shared.crisis import CHECK_KEY, sentences
from bot.shared.knowledge import KnowledgeBase, render_answer
from bot.shared.language import answer_language, is_function_word
from bot.shared.places import fold

# The responses that ask what was meant instead of answering (domain.yml).
ASKING_BACK = frozenset({"utter_clarify", "utter_default"})
# A follow-up is short: a long message that was not understood is a new question. One
# that opens by going on from before may say more: "what about my husband, he has an
# engineering degree from manila". 13 words (10 before 2026-12-05): people add a detail
# ("må eg betale for det sjølv, eller er det gratis for vaksne?"); five probes gained 6
# turns and lost none (bench/README.md).
MAX_WORDS = 13
MAX_WORDS_GOING_ON = 14
# Whether something counts may tell what it is at some length.
MAX_WORDS_IF_IT_COUNTS = 20
# The previous question is looked for among the person's last few messages only.
LOOK_BACK = 3
# How sure the classifier must be of the two messages together (the fallback's bar is
# 0.40; a wrong answer costs more than a question back).
MIN_CONFIDENCE = 0.60
# Read together, the topic before itself may be less sure: the two then agree that the
# message is about it ("hvilke fag må jeg ha da" after the 23/5 rule, 0.58 together), and
# its answer again, with the offer of a counsellor, does better than topic buttons. The
# fallback's bar (config.yml).
SAME_TOPIC_CONFIDENCE = 0.40

_OPENERS = re.compile(
    r"^(og|enn|men|så|da|hva|kva|ka|hvor|kor|kvar|når|hvordan|korleis|koss|hvem|kven|"
    r"hvilke\w*|kvilke\w*|hvorfor|kvifor|hvis|viss|om|dersom|gjelder|må|kan|trenger|treng|"
    r"er|and|but|what|how|when|where|who|which|why|if|do|does|is|can|must)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# The question about this service: is it free, anonymous, who reads it.
SERVICE_INTENT = "ask_service_free_anonymous"
OUT_OF_SCOPE = "out_of_scope"

# A message the classifier understood, but only as "not about careers" or as a question
# about this service, and without much confidence, is read with the question before it
# when it leans on that question: "what if i start in january?" after the loan deadline
# (out of scope, 0.41), "hva koster det?" after taking a subject as a private candidate
# (this service's price, 0.80). Below these confidences only: on MASSIVE's 2,033
# everyday requests, 3 of the out-of-scope readings that lean back this way are under
# 0.60 (27 under 0.85), and each would get the previous answer again in a conversation.
REREAD_BELOW = {OUT_OF_SCOPE: 0.60, SERVICE_INTENT: 0.85}
# Where to get guidance face to face: a place answer, seldom what a "what if" is about.
PLACE_QUESTION = "ask_career_centre"
# Questions about this service: a price or "is it anonymous?" after one is about it too.
ABOUT_THE_SERVICE = frozenset({SERVICE_INTENT, "ask_about_service", "ask_opening_hours",
                               "ask_counsellor_help", "ask_own_case"})
ALWAYS = 1.01  # a bar no confidence reaches
# Asking to talk to someone, or to leave a question for them (domain.yml).
ASKS_FOR_A_PERSON = frozenset({"human_handoff", "leave_question"})
# A career topic read this weakly from a short question that points back ("hvor lenge tar
# det?") is read with the question before it, right after a career answer. 0.50 until
# four probes (65th–68th, bench/README.md) found follow-ups read at 0.52–0.59 as another
# topic ("kor lenge må æ ha jobba?" after fagbrev på jobb, 0.52 finding work): 0.60 won five
# of their turns and lost two (a deadline asked in so many words now keeps its reading).
WEAK_CAREER_READING = 0.60
# Readings about this service that a question about the topic before is mistaken for.
SERVICE_READINGS = frozenset({SERVICE_INTENT, "ask_about_service"})
# Right after an answer about a career topic, a short question is far more often about
# that topic: "kor lenge varer det" after fagskole (out of scope, 0.64), "må jeg betale
# noe" after praksiskandidat (this service's price, 0.86), "should i write it in english
# or norwegian" after a CV (about this service). (bench/README.md: how many everyday
# requests this rereads.)
REREAD_AFTER_A_CAREER_QUESTION = {OUT_OF_SCOPE: 0.75, SERVICE_INTENT: ALWAYS,
                                  "ask_about_service": ALWAYS}
# What leans back: an opener that goes on from before, or a word pointing back at it.
_GOES_ON = re.compile(
    r"^(og|enn|men|hva om|kva om|ka om|hva med|kva med|ka med|what if|and|but|what about|"
    r"how about|(hva|kva|ka) skjer (om|hvis|viss|dersom)|what happens if)\b", re.IGNORECASE)
# A word or two before going on: "oi, feil. kva skjer om …", "ok. and what about …".
# Or a sigh and an "ok" without a stop: "ugh ok. who do I contact then".
_INTERJECTION = re.compile(
    r"^(?:(?:\w{1,5}[,.!]+|ugh|uff|oh|ah|hmm+|ok|okay|okei|well|fine|right|so|jaha|aha|oi|åh|"
    r"lol|haha\w*|hehe\w*)"
    r"\s+){1,2}", re.IGNORECASE)
# Words that point back to what was said before.
POINTING_BACK = r"det|den|dette|denne|it|that|this|then|there|der|da"
_POINTS_BACK = re.compile(rf"\b({POINTING_BACK})\b", re.IGNORECASE)
# A detail added to the question before, for what it is worth, or asking whether it
# matters: "gikk ut i 2004 hvis det spiller noen rolle", "i'm from karasjok so hoping that
# helps", "i'm 31 btw, does that change anything?". Not a question of its own,
# so the answer before is given again unless the two together ask another one.
_ADDS_A_DETAIL = re.compile(
    r"\b(hvis|om|viss|dersom)\s+det\s+(har\s+noe\s+å\s+si|har\s+noko\s+å\s+seie|"
    r"spiller\s+(noen\s+)?rolle|spelar\s+(noka\s+)?rolle|betyr\s+noe|betyr\s+noko|"
    r"er\s+viktig|hjelper)|\bif\s+(that|it|this)\s+(matters|helps|makes\s+(a|any)\s+difference|"
    r"is\s+(relevant|important))|\b(hoping|hope)\s+(that|it)\s+helps|\bin\s+case\s+(that|it)\s+matters"
    # and asked of it: "i'm 31 btw, does that change anything?", "endrer det noe?"
    r"|\b(does|would|will|can)\s+(that|it|this)\s+(change\s+anything|matter|make\s+(a|any)\s+"
    r"difference)|\b(endrer|endrar|forandrer|forandrar)\s+det\s+(noe|noko|noka)\b|"
    r"\b(har|betyr)\s+det\s+(noe|noko)\s*(å\s+(si|seie)\b|\?)|\b(spiller|spelar)\s+det\s+"
    r"(noen|noka|nokon)\s+rolle",
    re.IGNORECASE)
# Said in passing: "im 23 btw", "forresten har jeg to barn". A detail when the message
# asks nothing; "btw, when is the deadline?" is a question of its own.
_IN_PASSING = re.compile(
    r"\b(btw|by\s+the\s+way|fyi|forresten|for\s+resten|bare\s+så\s+du\s+vet|"
    r"berre\s+så\s+du\s+veit)\b", re.IGNORECASE)
# "har du noen tips til å lese til eksamen forresten" (0.92 out of scope) asks the bot.
_ASKS_YOU = re.compile(r"^(vet|veit|kan|kjenner|har|hadde|tror|trur|syns|synes|do|can|"
                       r"could|would|will|have)\s+(du|dere|dykk|dokker|you)\b",
                       re.IGNORECASE)
# English puts no verb first after "btw" unless it asks: "btw will it rain in Hamar
# tomorrow lol" (0.91 out of scope) got fagskole's answer again. Norwegian does after any
# adverb ("forresten har jeg to barn" tells), so only English is read so.
# Any subject after most auxiliaries: "did viking win yesterday btw" (0.94 out of scope,
# after a career centre) got the centre again. Not after "have", "has", "was" and
# "were", which may open a detail with its subject left out ("btw have two kids").
_ASKS_IN_ENGLISH = re.compile(
    r"^(?:(?:will|is|are|does|do|did|can|could|would|should)\s+(?!i\b)\w+|"
    r"(?:was|were|has|have)\s+(?:it|there|the|this|that|they|he|she|we|anyone|anybody|"
    r"someone))\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(
    r"^(hva|kva|ka|hvor|kor|kvar|når|hvordan|korleis|koss|hvem|kven|hvilke\w*|kvifor|"
    r"hvorfor|what|how|when|where|who|which|why)\b", re.IGNORECASE)
# A question that takes up a word of the answer just given asks about that answer:
# "kor mange timar norsk må eg ha" after the 23/5 rule (out of scope, 0.83), whose answer
# says "norsk (393 timar)". Only a telling word counts: five letters or more, not one of
# the everyday words that tell the written languages apart (bot/shared/language.py), and
# in at most ``ECHO_MAX_ANSWERS`` of the knowledge base's answers in that language. After
# any one answer, 0.49 % of MASSIVE nb-NO dev requests the model reads as out of scope
# take up such a word (2.33 % with every word of five letters); they get the answer's
# sentences that hold the word again, with a counsellor offered, instead of "I can't help
# with that".
# The readings a question about the answer before is mistaken for: out of scope, or a
# weak career reading (under ``WEAK_CAREER_READING``).
ECHO_READINGS = frozenset({OUT_OF_SCOPE})
# Read this surely as out of scope, a message asks about something else, whatever word it
# shares with the answer before: the weather in a town (0.93-0.96), the ferry from it
# (0.89); questions about the answer read lower ("kor mange timar norsk må eg ha" 0.83).
SURELY_OUT_OF_SCOPE = 0.85


# Everyday things no career answer is about: read as out of scope, a message naming one
# is so however it goes on ("what about the weather in scotland honestly, will I survive",
# 0.78, got the loan for a degree abroad again).
_EVERYDAY_THINGS = re.compile(
    r"\b(?:weather|forecast|raining|snowing|football|soccer|restaurants?|pizza|recipes?|"
    r"dinner|concerts?|hiking|været|vêret|regnvær|snør|fotball\w*|middag\w*|oppskrift\w*|"
    r"konsert\w*|fjelltur\w*|"
    # somewhere to live: "do you also know good apartments in oslo for students?"
    r"apartments?|flats?|leilighet\w*|husvære\w*|hybelhus\w*)\b", re.IGNORECASE)


# Where one lives, told, is a situation and no errand: "I live in a shared flat, not with
# my parents" after the grant (which asks one to live away from one's parents).
_LIVES_IN = re.compile(
    r"\b(?:live|lives|living|bor|bur|bur\s+på|bor\s+på)\s+(?:in|i|på)?\s*(?:a\s+|an\s+|en\s+|"
    r"ein\s+|ei\s+|et\s+|eit\s+)?(?:shared\s+|student\s+|own\s+|egen\s+|eiga?\s+)?"
    r"(?:flats?|apartments?|leilighet\w*|husvære\w*|hybelhus\w*)\b", re.IGNORECASE)


def names_an_everyday_thing(text: str) -> bool:
    return bool(_EVERYDAY_THINGS.search(_LIVES_IN.sub(" ", text)))


def surely_out_of_scope(tracker: Tracker) -> bool:
    """Whether the classifier is sure the latest message is about something else ("what
    time is the match tonight" asks no hour of a deadline; "hva blir været i bodø i morra"
    0.95 after a career centre asks nothing of the centre there), or read it so and it
    names an everyday thing."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    if intent.get("name") != OUT_OF_SCOPE:
        return False
    text = latest.get("text") or ""
    if names_a_school_subject(text):
        return False  # "kor mange timar matte må eg ha" after the 23/5 rule (0.87)
    return float(intent.get("confidence") or 0.0) >= SURELY_OUT_OF_SCOPE \
        or names_an_everyday_thing(text)


ECHO_MIN_LETTERS = 5
ECHO_MAX_ANSWERS = 2
MAX_ECHOED = 2
# A word that names something new is longer: "lenge" and "jobba" say nothing of a topic.
NEW_MIN_LETTERS = 6


def words_of(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


# Each word of a telling pair is a word of some length: "til det" tells nothing.
PHRASE_MIN_LETTERS = 4


def phrases_of(text: str) -> set[str]:
    """The pairs of words that follow each other in a clause of ``text``, neither short
    nor an everyday word: "tidlig opptak", "early admission"."""
    return {f"{first} {second}" for clause in re.split(r"[,.;:!?()–]", text.lower())
            for first, second in pairwise(_WORD.findall(clause))
            if min(len(first), len(second)) >= PHRASE_MIN_LETTERS
            and not is_function_word(first) and not is_function_word(second)}


def telling_words(text: str, answers_with: Counter[str],
                  max_answers: int = ECHO_MAX_ANSWERS) -> set[str]:
    """The words of ``text`` that say what it is about: five letters or more, no everyday
    word, and in at most ``max_answers`` of the knowledge base's answers (``answers_with``:
    how many hold each word)."""
    return {word for word in words_of(text)
            if len(word) >= ECHO_MIN_LETTERS and not is_function_word(word)
            and answers_with[word] <= max_answers}


# Everyday verbs of starting, going on and needing name no topic, however long: "må eg ha
# jobba lenge før eg kan starte?" after fagbrev på jobb is about it.
_EVERYDAY_VERBS = frozenset({
    "starte", "startar", "starter", "begynne", "begynner", "byrjar", "begin", "beginning",
    "starting", "started", "fortsette", "fortsetter", "halde", "holde", "trenger", "trengs",
    "needed", "finish", "fullføre", "fullføra", "avslutte",
})


# Entities that name a place or an occupation (data/places.yml, the occupation finder).
NAMED_THINGS = frozenset({"county", "occupation"})


# A word's stem, for a word of another ending: all but its last two letters, at least six.
STEM_MIN_LETTERS = 6


def _stem(word: str) -> str:
    return word[:max(STEM_MIN_LETTERS, len(word) - 2)]


# An English verb's past or present participle: "worked" is "work" of "working".
_ENGLISH_VERB_ENDING = re.compile(r"(?<=\w{4})(?:ed|ing)$")


def _holds(whole: str, word: str) -> bool:
    """Whether a word of the replies (``whole``) holds ``word``, in a compound or with
    another ending."""
    whole, word = fold(whole), fold(word)  # "rekkefolgen" typed without ø
    base = _ENGLISH_VERB_ENDING.sub("", word)
    return word in whole or whole.startswith(_stem(word)) \
        or (base != word and whole.startswith(base))


def names_something_new(text: str, replies: list[str], answers_with: Counter[str],
                        entities: list[dict[str, Any]] | None = None) -> bool:
    """Whether ``text`` has a telling word that the bot's ``replies`` do not: "og viss eg
    vil ta studiet i utlandet?" after part-time study names studying abroad. A place or
    an occupation the NLU found in it (``entities``) that the replies do not name is new
    too, however short its name: "Kan jeg få hjelp til finne jobb i Skien?" after the
    recognition of a degree asks about work there. A word is the replies' when one of
    theirs holds it, in a compound or with another ending."""
    said = set().union(set(), *map(words_of, replies))
    named = {word for word in telling_words(text, answers_with)
             if len(word) >= NEW_MIN_LETTERS and word not in _EVERYDAY_VERBS}
    found = {word for entity in entities or () if entity.get("entity") in NAMED_THINGS
             for word in words_of(str(entity.get("value") or ""))
             | words_of(_entity_text(text, entity))}
    # A word the replies hold inside a compound is theirs too: "eksamen" of
    # "teorieksamen" and "eksamensavgifta" ("må eg betala noko for eksamen?" after the
    # experience route); so is one with another ending ("programs" of "Programmes").
    new = {word for word in named - said if not any(_holds(whole, word) for whole in said)}
    # Another country, however short its name, when the replies speak of none: "og om eg
    # har utdanninga mi frå Polen?" after the digital diploma asks about a degree from there.
    abroad = educated_abroad(text) and not any(educated_abroad(reply) for reply in replies)
    return bool(new) or bool(found and not found & said) or abroad


# A word of the reading's own answer names its topic when at most this many answers hold
# it ("stipend": 7 of 42; "korleis", "fagbrev" and "utdanning" are in more).
OWN_TOPIC_MAX_ANSWERS = 8


# How exactly one asks names nothing: "roughly how long would that take me".
_HEDGES = re.compile(
    r"\b(?:roughly|approximately|approx|around|about|circa|exactly|actually|really|"
    r"omtrent|omtrentleg|cirka|ca|sånn|egentlig|eigentleg|eigentlig|liksom|nøyaktig)\b",
    re.IGNORECASE)
# Read this surely, a message that names its topic asks about it.
SURE_OF_ITS_OWN_TOPIC = 0.90
# What about something else: "hva med praksiskandidat, …", "and what about fagskole?"
_WHAT_ABOUT = re.compile(r"^\W*(?:(?:og|and|men|but)\s+)?(?:hva|kva|ka|what|how)\s+(?:med|about)\b",
                         re.IGNORECASE)


def asks_what_about(text: str) -> bool:
    """Whether ``text`` opens "hva med …", "kva med …", "what about …"."""
    return bool(_WHAT_ABOUT.match(text))


# Something else instead of what was just answered.
_INSTEAD = re.compile(r"\b(?:i\s+stedet|i\s+staden|istedet|istaden|i\s+stedenfor|instead)\b",
                      re.IGNORECASE)
# A rule named by its numbers: "23/5".
_NUMBERED_RULE = re.compile(r"\b\d+/\d+\b")


# The bodies a topic is about, by names too short to be telling words.
_SHORT_NAMES = frozenset({"nav", "vigo", "nokut", "udir"})
# A thing named alone, as what is asked next: "og cv?", "what about the cover letter?",
# "og søknadsbrev da?".
_NAMED_ALONE = re.compile(
    r"^\W*(?:(?:og|and|men|but|ok|okay)\s+)*(?:(?:hva|kva|ka|what|how)\s+(?:med|about)\s+)?"
    r"(?:(?:the|a|an|my|en|ein|et|eit|ei)\s+)?(?P<name>[^\W\d_]+(?:-[^\W\d_]+)?)"
    r"(?:\s+(?:da|då|then|too|også|òg|og))?\W*$", re.IGNORECASE)


def _named_alone(text: str) -> str | None:
    found = _NAMED_ALONE.match(text.strip())
    return found.group("name").lower() if found else None


def names_its_own_topic(text: str, replies: list[str], own_answer: str,
                        answers_with: Counter[str]) -> bool:
    """Whether ``text`` has a word of the answer to what the classifier read it as
    (``own_answer``) that the bot's ``replies`` do not: "kan eg få stipend til det" after
    competition points (0.50 extra support from Lånekassen) asks about the grant, though
    "stipend" is in too many answers to be telling alone (``answers_with``: how many of
    the knowledge base's answers hold each word)."""
    said = set().union(set(), *map(words_of, replies))
    own = words_of(own_answer)
    if any(rule in own_answer and not any(rule in reply for reply in replies)
           for rule in _NUMBERED_RULE.findall(text)):
        return True  # "og hva med 23/5, gjelder det meg?" after a deadline (0.45 the rule)
    if any(name in own and name not in said for name in words_of(text) & _SHORT_NAMES):
        return True  # "can nav help me with this" after an apprentice's pay (0.59 NAV)
    alone = _named_alone(text)
    if alone is not None and alone in own and answers_with[alone] <= OWN_TOPIC_MAX_ANSWERS:
        return True  # "og cv?" after job interviews (0.55 the CV), whose answer names the CV
    # A word the own answer holds in a compound is its too ("realkompetanse" of
    # "realkompetansevurdering": "what is realkompetanse, how does it work?" after Samordna
    # opptak's study choices, 0.40 prior learning). (A reply's other ending of it does not
    # make it theirs: "does NAV pay for courses?" after «… the course …» asks NAV's courses.)
    return any(len(word) >= NEW_MIN_LETTERS and word not in _EVERYDAY_VERBS
               and answers_with[word] <= OWN_TOPIC_MAX_ANSWERS
               and (word in own or any(_holds(whole, word) for whole in own))
               and word not in said
               for word in words_of(text))


def _entity_text(text: str, entity: dict[str, Any]) -> str:
    start, end = entity.get("start"), entity.get("end")
    return text[start:end] if isinstance(start, int) and isinstance(end, int) else ""


@lru_cache(maxsize=8)
def answers_holding_each_word(knowledge: KnowledgeBase, language: str) -> Counter[str]:
    """How many of ``knowledge``'s answers in ``language`` hold each word, and each pair
    of words (``phrases_of``; read, never changed: the knowledge base is loaded once)."""
    language = answer_language(language)
    answers = [render_answer(knowledge.for_intent(intent), language)
               for intent in sorted(knowledge.intents) if knowledge.for_intent(intent)]
    return Counter(term for answer in answers for term in words_of(answer) | phrases_of(answer))


# A month one starts in names the semester the answers speak of: "hva om jeg starter i
# januar" after Lånekassen's deadlines asks about the spring semester's (15 March).
# The season named does too: "og hvis hun begynner til våren i stedet?" (read as the grant).
_STARTS_IN_SPRING = re.compile(r"\b(?:januar|january|jan|februar|february|feb|våren|spring)\b",
                               re.IGNORECASE)
_STARTS_IN_AUTUMN = re.compile(r"\b(?:august|aug|september|sept?|høsten|hausten|autumn)\b",
                               re.IGNORECASE)
SPRING_WORDS = "vårsemesteret spring"
AUTUMN_WORDS = "høstsemesteret haustsemesteret autumn"


def with_the_semester(text: str) -> str:
    """``text`` with the words of the semester a month in it starts."""
    if _STARTS_IN_SPRING.search(text):
        return f"{text} {SPRING_WORDS}"
    if _STARTS_IN_AUTUMN.search(text):
        return f"{text} {AUTUMN_WORDS}"
    return text


def echoed_sentences(text: str, replies: list[str], answers_with: Counter[str],
                     max_answers: int = ECHO_MAX_ANSWERS, limit: int = MAX_ECHOED) -> list[str]:
    """The sentences of the bot's ``replies`` that hold a telling word of the short
    question ``text`` (the first ``limit``), or of the semester a month in it starts;
    ``answers_with``: how many of the knowledge base's answers hold each word, a telling
    one at most ``max_answers``."""
    if len(_WORD.findall(text)) > MAX_WORDS:
        return []
    telling = telling_words(with_the_semester(text), answers_with, max_answers)
    # Two words may tell what neither tells alone: "ok tidlig opptak da" after Samordna
    # opptak's deadline ("tidlig" and "opptak" are each in five answers or more).
    phrases = {phrase for phrase in phrases_of(text) if answers_with[phrase] <= ECHO_MAX_ANSWERS}
    said = [sentence for reply in replies for sentence in answer_sentences(reply)]
    telling = {fold(word) for word in telling}
    return [sentence for sentence in said
            if _takes_up(telling, words_of(sentence)) or phrases & phrases_of(sentence)
            ][:limit]


# A compound takes up its first part: "må ho ta norsktest?" after an answer that says
# one must document "norsk"; the part must be a word of its own, at least this long, with
# at least COMPOUND_REST letters after it.
COMPOUND_FIRST_PART = 5
COMPOUND_REST = 3


def _takes_up(telling: set[str], said: set[str]) -> bool:
    """Whether the folded ``telling`` words take up a word ``said`` (folded here): as people
    type without a Norwegian keyboard, "kan man bytte rekkefolgen etterpå" takes up
    "Rekkefølgen kan du endre …"."""
    parts = {fold(part) for part in said
             if len(part) >= COMPOUND_FIRST_PART and not is_function_word(part)}
    said = {fold(word) for word in said}
    if telling & said:
        return True
    return any(word.startswith(part) and len(word) - len(part) >= COMPOUND_REST
               for word in telling for part in parts)


# What it should count as: "does my abitur count as studiekompetanse?", "teller det som
# arbeidserfaring?".
_COUNTS_AS = re.compile(
    r"\b(?:count|counts|counted|qualify|qualifies)\s+(?:as|for|towards)\s+(?P<what>.+)|"
    # "teller tida i forsvaret med på 23/5?"
    r"\b(?:teller|tel|telje|regnes|reknast|gjelder|gjeld)\b.{0,40}?\b(?:som|for|med\s+på|"
    r"med\s+i|mot)\s+(?P<what_nb>.+)", re.IGNORECASE)


def counted_as(text: str) -> str | None:
    """What a question whether something counts asks that it count as, if it says."""
    match = _COUNTS_AS.search(text)
    return (match.group("what") or match.group("what_nb")) if match else None
# A question about the service names it: then "det" is the service, not the topic before.
NAMES_THE_SERVICE = re.compile(
    r"\b(dere|du|deg|dykk|chat\w*|tjenesten|tenesta|rådgiv\w*|veileder\w*|rettleiar\w*|"
    # "ma man betale for veiledningen deres eller er den gratis" after recognition
    r"veiledning\w*|rettleiing\w*|guidance|counsell?ing|"
    r"anonym\w*|you|service|counsell?or\w*|karriereveiledning\w*|\w*bot\w*|robot\w*|"
    r"nettside\w*|nettstad\w*|website|site|programmet|appen|app|"
    # who one is, which only this anonymous chat would ask: "do we have to give her name or
    # personnummer?" right after an answer about school rights got that answer again
    r"personnumm?er\w*|personnr|fødselsnumm?er\w*|fodselsnumm?er\w*|identitet\w*|identity|"
    r"(?:my|her|his|our|real|full)\s+names?|(?:navnet|namnet)\s+(?:mitt|hennes|hans|vårt|"
    r"hennar|vårt|vaart)|"
    # "må eg seie kva eg heiter" after a career centre got the centre again
    r"(?:hva|kva|ka)\s+(?:jeg|eg|æ|e)\s+(?:heter|heiter|het)|(?:hvem|kven)\s+(?:jeg|eg|æ)\s+er|"
    # who reads what is written here: "is anyone reading this? it's kinda private" after
    # the 23/5 rule got its sentence on private candidates
    r"(?:reading|reads|read|see|sees)\s+(?:this|what\s+i\s+write)|"
    r"(?:leser|les|ser)\s+(?:(?:noen|nokon|dere|dykk|de|dei)\s+)?"
    r"(?:dette|det\s+(?:jeg|eg)\s+skriv\w*))\b", re.IGNORECASE)


# What else a person may ask the price of: studying and schools, courses, certificates and
# their exams.
_EDUCATION = re.compile(
    r"\b(stud\w*|skole\w*|skule\w*|universitet\w*|høyskole\w*|høgskole\w*|høgskule\w*|"
    r"fagskole\w*|fagskule\w*|folkehøg\w*|utdann\w*|kurs\w*|fagbrev\w*|bachelor\w*|"
    r"master\w*|university|college|school\w*|tuition|course\w*|degree\w*|eksam\w*|exam\w*|"
    r"fagprøv\w*|svenneprøv\w*|privatist\w*)\b",
    re.IGNORECASE)


def asks_the_price_of_something_else(text: str, intent: str) -> bool:
    """Whether a question read as "is this service free?" asks what studying or a school
    costs ("hvor mye koster det å studere?"): it names education and not the service. The
    bot has no such figures, and "the chat is free" would mislead."""
    return (intent == SERVICE_INTENT and bool(_EDUCATION.search(text))
            and not NAMES_THE_SERVICE.search(text))


# Schools and assessments whose own answers may say what they cost ("Offentlige fagskoler
# er gratis"), by the words that name them.
_PRICED_BY_NAME = tuple((re.compile(words, re.IGNORECASE), topic) for words, topic in (
    (r"\b(?:fagsk[ou]l\w*|vocational\s+colleges?)\b", "ask_fagskole"),
    (r"\b(?:realkompetanse\w*|prior\s+learning)\b", "ask_prior_learning"),
    (r"\b(?:folkeh[øo]g\w*|folk\s+high\s+schools?)\b", "ask_folkehogskole"),
    (r"\bpraksiskandidat\w*", "ask_praksiskandidat"),
    (r"\bp[åa]bygg\w*", "ask_pabygg"),
))
# "you" and "du" are anyone here: "do you have to pay anything to go to fagskole?"
_ANYONE = re.compile(r"\b(?:you|du|deg)\b", re.IGNORECASE)


def price_of_the_topic_named(text: str, intent: str, knowledge: KnowledgeBase,
                             language: str) -> str | None:
    """For a question read as this service's price that names a school or an assessment
    and not the service, that topic, when its answer says what it costs ("do you have to
    pay anything to go to fagskole?", 0.66 the chat's price); None otherwise."""
    if intent != SERVICE_INTENT or NAMES_THE_SERVICE.search(_ANYONE.sub(" ", text)):
        return None
    for named, topic in _PRICED_BY_NAME:
        entries = knowledge.for_intent(topic) if named.search(text) else None
        if entries and sentences_on(text, render_answer(entries, language)):
            return topic
    return None


def goes_on(text: str) -> bool:
    """Whether a message opens by going on from what was said before, or ends in a
    sentence that does after a remark ("mamma kjem til å drepe meg om eg flyttar så langt
    vekk haha. men kva med skulepengar?")."""
    return _opens_going_on(text) or bool(_GOES_ON.match(last_sentence(text)))


def _opens_going_on(text: str) -> bool:
    return bool(_GOES_ON.match(text) or _GOES_ON.match(_INTERJECTION.sub("", text)))


def last_sentence(text: str) -> str:
    """The last sentence of a message of several; the whole message otherwise."""
    said = [part for part in sentences(text) if _WORD.search(part)]
    return said[-1] if said else text


def adds_a_detail(text: str) -> bool:
    if _ADDS_A_DETAIL.search(text):
        return True
    if "?" in text or not _IN_PASSING.search(text):
        return False
    # "btw vet du om det blir sol i oslo i helga" asks the bot, as a question word would
    # ask; "forresten har jeg to barn" tells (a verb before its subject after an adverb)
    rest = _IN_PASSING.sub(" ", text).strip(" ,.!:;")
    # ... also after a laugh or a comma: "lol forresten, hvem tok seieren i kampen i går
    # kveld" (out of scope, 0.92) got the grant answered before again
    clauses = [_INTERJECTION.sub("", clause.strip()) for clause in re.split(r"[,.;:!]", rest)]
    return not any(_QUESTION_WORD.match(clause) or _ASKS_YOU.match(clause)
                   or _ASKS_IN_ENGLISH.match(clause) for clause in clauses)


POINTS_INTENT = "ask_competition_points"
_NAMES_POINTS = re.compile(r"poeng|points", re.IGNORECASE)


def reads_as_follow_up(text: str) -> bool:
    words = _WORD.findall(text)
    text = text.strip()
    if adds_a_detail(text):
        return 0 < len(words) <= MAX_WORDS_GOING_ON
    going_on = _opens_going_on(text)
    if not going_on and _GOES_ON.match(last := last_sentence(text)):
        going_on = True
        words = _WORD.findall(last)  # the remark before it is no question
    if not words or len(words) > (MAX_WORDS_GOING_ON if going_on else MAX_WORDS):
        return False
    asked = _INTERJECTION.sub("", text)
    return going_on or text.endswith("?") or bool(_OPENERS.match(asked)
                                                  or asks_yes_or_no(asked))


# How long it lasts or takes, of what was just answered: "kor lenge held det på", "hvor
# lang tid tar det", "how long does it take".
_HOW_LONG = re.compile(
    r"^\W*(?:(?:og|men|and|but|ok)\W+)?(?:hvor|kor|ka|how)\s+(?:lenge|lang\s+tid|long)\b"
    r".{0,40}\b(?:det|den|dette|it|that|this|they|dei|de)\b", re.IGNORECASE)


def asks_how_long_it_lasts(text: str) -> bool:
    return bool(_HOW_LONG.search(text))


# What it takes to get what was just answered: "må man bo hjemmefra for å få det?" after
# the grant (out of scope, 0.90), "do i need a job offer to get it".
_TO_GET_IT = re.compile(
    r"\b(?:for\s+å|to)\s+(?:få|ta|bli|komme\s+inn|kome\s+inn|get|qualify|be\s+eligible)\b"
    r"(?:\s+\w+){0,2}?\s+(?:det|den|dette|dei|de|han|ho|it|that|this|them|one)\b|"
    r"\bto\s+(?:qualify|be\s+eligible)\b", re.IGNORECASE)


def asks_what_it_takes(text: str) -> bool:
    return bool(_TO_GET_IT.search(text))


def _points_back(text: str) -> bool:
    return bool(goes_on(text) or _POINTS_BACK.search(text) or adds_a_detail(text))


def leans_back(text: str, intent: str, confidence: float,
               after_a_career_question: bool = False) -> bool:
    """Whether a message read as ``intent`` (out of scope, or about the service) should be
    read again with the question before it."""
    text = text.strip()
    if intent == OUT_OF_SCOPE and names_an_everyday_thing(text):
        return False
    bars = REREAD_AFTER_A_CAREER_QUESTION if after_a_career_question else REREAD_BELOW
    bar = bars.get(intent)
    if after_a_career_question and intent == OUT_OF_SCOPE and (
            goes_on(text) or adds_a_detail(text) or asks_how_long_it_lasts(text)
            or asks_what_it_takes(text)):
        # "kva om eg blir sjuk ein lang periode" after the grant (out of scope, 0.89),
        # "kor lenge held det på" after fagskule (0.83): going on from a career answer,
        # or asking how long it lasts or what it takes to get it, it is about that answer.
        bar = ALWAYS
    if bar is None or confidence >= bar or not reads_as_follow_up(text):
        return False
    if intent in SERVICE_READINGS and (NAMES_THE_SERVICE.search(text) or asks_who_answers(text)):
        return False  # "is this a real person im talking to?" after the loan's deadline too
    # Right after a career answer, a question about a price or a place that does not
    # name this service needs no word pointing back: "må jeg betale noe".
    return (after_a_career_question and intent in SERVICE_READINGS) or _points_back(text)


def pointed_back_at(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The intent of the question before, when the latest message is a short follow-up
    that points back at it ("and how long does it take?"); None otherwise."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not reads_as_follow_up(text) or not _points_back(text):
        return None
    before = previous_answered_question(tracker, knowledge)
    return before[1] if before else None


# Topics with a narrower one: a short follow-up read as the broader topic of the narrower
# answer just given asks about that answer ("hvilke fag må jeg ha" after the 23/5 rule,
# 0.53 admission requirements; "hvor lang erfaring trenger jeg" after praksiskandidat).
NARROWER: dict[str, frozenset[str]] = {
    "ask_admission_requirements": frozenset({"ask_23_5_rule"}),
    "ask_trade_certificate_adult": frozenset({"ask_praksiskandidat", "ask_fagbrev_on_the_job"}),
}
# Read fairly surely as the broader topic, a follow-up is about the narrower answer only
# when it names nothing that answer does not ("what subjects do i need" after the 23/5
# rule, 0.90 admission requirements; "kva fag må eg ha då", 0.68).
NARROWER_BELOW = 0.65


def broader_of(topic: str | None) -> str | None:
    """The broader topic ``topic`` is one of the narrower of (``NARROWER``), if any."""
    return next((broad for broad, narrower in NARROWER.items() if topic in narrower), None)

# Asking for another way is the broader topic however it is read ("kan jeg ta fagbrev som
# lærling i stedet?" after praksiskandidat asks about another route).
# An alternative named, in so many words (both patterns below).
_AN_ALTERNATIVE = r"\balternativ\w*|\balternatives?\b"
_ANOTHER_WAY = re.compile(
    r"\b(i\s+stedet|i\s+staden|heller|instead|rather|another\s+way|annen\s+måte|"
    rf"anna\s+måte|other\s+ways?|andre\s+måter)\b|{_AN_ALTERNATIVE}|"
    r"\b(?:other|andre|anna|annen|nokre|noen)\s+(?:options?|muligheter|moglegheiter)\b",
    re.IGNORECASE)
# The alternative asked for, with no other way named: "ka e alternativet om det ikkje går"
# after praksiskandidat (0.55 out of scope) got praksiskandidat again.
_THE_ALTERNATIVE = re.compile(
    rf"{_AN_ALTERNATIVE}|\b(?:other|andre|anna|annen)\s+(?:options?|ways?|"
    r"måter|måtar|muligheter|moglegheiter)\b|\bannen\s+måte\b|\banna\s+måte\b", re.IGNORECASE)


def narrower_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The narrower topic just answered, for a short follow-up read as its broader one
    that asks nothing the narrower answer does not speak of; None for any other message."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    text = (latest.get("text") or "").strip()
    narrower = NARROWER.get(intent.get("name") or "")
    if not narrower or not reads_as_follow_up(text) or _ANOTHER_WAY.search(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] not in narrower:
        return None
    if float(intent.get("confidence") or 0.0) >= NARROWER_BELOW:
        language = language_of(tracker)
        answer = render_answer(knowledge.for_intent(before[1]), language)
        if names_something_new(text, [answer], answers_holding_each_word(knowledge, language),
                               latest.get("entities") or []):
            return None
    return before[1]


def broader_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The broader topic, for a short follow-up that asks for the alternative right after
    a narrower answer (the ways to a trade certificate after praksiskandidat), read weakly
    or as nothing the bot answers; None for any other message."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    text = (latest.get("text") or "").strip()
    if not _THE_ALTERNATIVE.search(text) or not reads_as_follow_up(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    broader = broader_of(before[1] if before is not None else None)
    weak = float(intent.get("confidence") or 0.0) < WEAK_CAREER_READING
    read_as = intent.get("name") or ""
    if broader is None or not (weak or read_as in (OUT_OF_SCOPE, "nlu_fallback", before[1])
                               or read_as in ABOUT_THE_SERVICE):
        return None
    return broader if knowledge.for_intent(broader) else None


# A way named as one to do without, and the topic whose answer gives the other ways:
# "kommer jeg inn på høyskole uten påbygg?" (0.84 påbygg) asks for the other ways in.
_WITHOUT_THE_WAY = {
    "ask_pabygg": ("ask_admission_requirements", re.compile(
        r"\b(?:uten|utan|without|slippe|sleppe|skip\w*)\s+(?:å\s+ta\s+|taking\s+|doing\s+|"
        r"the\s+|a\s+)?(?:påbygg|pabygg)\w*", re.IGNORECASE)),
}


def broader_without_the_narrower(text: str, intent: str,
                                 knowledge: KnowledgeBase) -> str | None:
    """The topic of the other ways, for a message read as one way that it names as one to
    do without ("kommer jeg inn på høyskole uten påbygg?"); None otherwise."""
    broader, without = _WITHOUT_THE_WAY.get(intent, (None, None))
    if broader is None or without is None or not without.search(text):
        return None
    return broader if knowledge.for_intent(broader) else None


# Together this sure of a broader topic and a narrower one, a message is about them.
TORN_BETWEEN_MIN = 0.50


def broader_of_two_readings(tracker: Tracker) -> str | None:
    """For a message the classifier could not place whose first two readings are a broader
    topic and one of its narrower ("could I get a trade certificate in fish processing
    based on my experience?", 0.30 praksiskandidat and 0.29 an adult's trade certificate),
    the broader topic: its answer speaks of both. None otherwise."""
    ranking = [reading for reading in (tracker.latest_message or {}).get("intent_ranking") or []
               if reading.get("name") != "nlu_fallback"][:2]
    names = {reading.get("name") or "" for reading in ranking}
    if len(names) < 2 or sum(float(reading.get("confidence") or 0.0)
                             for reading in ranking) < TORN_BETWEEN_MIN:
        return None
    return next((broad for broad, narrower in NARROWER.items()
                 if broad in names and names - {broad} <= narrower), None)


# This long a start of a telling word is the word ("volunt" is in "volunteering" and
# "voluntary work", "militæ" in "militæret" and "militærteneste").
TELLING_STEM_LETTERS = 6


def _stems(text: str) -> set[str]:
    return {fold(word)[:TELLING_STEM_LETTERS] for word in _WORD.findall(text)
            if len(word) >= ECHO_MIN_LETTERS and not is_function_word(word.lower())}


def narrower_by_its_words(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The narrower topic a broader answer names (the 23/5 rule in the admission
    requirements), for a short follow-up right after it with a word only the narrower
    answer holds ("does volunteering count towards the work years", "og militæret?"), read
    as the broader topic or weakly; None for any other message, or a sure reading of a
    third topic."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    text = (latest.get("text") or "").strip()
    if not reads_as_follow_up(text) or _ANOTHER_WAY.search(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is None or before[1] not in NARROWER:
        return None
    read_as = intent.get("name") or ""
    if read_as in knowledge.intents and read_as != before[1] \
            and float(intent.get("confidence") or 0.0) >= WEAK_CAREER_READING:
        return None
    language = language_of(tracker)
    asked = _stems(text)
    broader = _stems(render_answer(knowledge.for_intent(before[1]), language))
    for narrower in sorted(NARROWER[before[1]]):
        holds = _stems(render_answer(knowledge.for_intent(narrower), language))
        if asked & holds - broader:
            return narrower
    return None


def broader_by_its_words(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The broader topic, for a short follow-up right after a narrower answer with a word
    only the broader answer holds ("hva med å gå som lærling som voksen, blir læretida
    kortere da?" after praksiskandidat, 0.48 an adult's ways, got praksiskandidat's
    sentence on apprentices), read as the broader topic or weakly; None for any other
    message, or a sure reading of another topic."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    text = (latest.get("text") or "").strip()
    if not reads_as_follow_up(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    broader = broader_of(before[1] if before is not None else None)
    if before is None or broader is None or not knowledge.for_intent(broader):
        return None
    # A reading of a third topic stands, however weak ("Kan jeg få lærekontrakt selv om
    # jeg er voksen?", 0.56 apprenticeships: "voksen" tells nothing of the topic), and so
    # does a sure reading of the narrower one; the broader topic's own reading is the one
    # the narrower answer would be quoted against.
    read_as = intent.get("name") or ""
    sure = float(intent.get("confidence") or 0.0) >= WEAK_CAREER_READING
    if (read_as in knowledge.intents and read_as not in (before[1], broader)) \
            or (sure and read_as != broader):
        return None
    language = language_of(tracker)
    # Not in the narrower answer, in a compound either: "erfaring" is in "arbeidserfaringen"
    # («… on the basis of your work experience …»).
    narrower = {fold(word) for word in
                _WORD.findall(render_answer(knowledge.for_intent(before[1]), language))}
    only_broader = {stem for stem in _stems(render_answer(knowledge.for_intent(broader),
                                                          language))
                    if not any(stem in word for word in narrower)}
    return broader if _stems(text) & only_broader else None


def thing_named_alone(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The classifier's first reading of a thing named alone right after an answer ("og
    søknaden?" after the CV, the fallback with the job application first) when that
    reading's answer holds the very word and the answer just given does not: another
    thing of the same errand, not the answer before again. None for any other message."""
    latest = tracker.latest_message or {}
    alone = _named_alone(latest.get("text") or "")
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    readings = first_readings(tracker, 1)
    if alone is None or before is None or not readings or readings[0] == before[1] \
            or readings[0] not in knowledge.intents or readings[0] in SERVICE_READINGS:
        return None
    language = language_of(tracker)
    if alone in words_of(render_answer(knowledge.for_intent(before[1]), language)):
        return None
    return readings[0] if alone in words_of(
        render_answer(knowledge.for_intent(readings[0]), language)) else None


# Topics an answer speaks of in passing, and the words its sentences on them hold: a
# short follow-up read as such a topic right after the answer asks about what the answer
# said ("it give points for university after?" after folk high school, 0.78 competition
# points: a year there gives 2 extra points; "gjev det ekstrapoeng?").
SPOKEN_OF: dict[str, dict[str, re.Pattern[str]]] = {
    "ask_folkehogskole": {
        # Points in general, or extra points; not another kind the answer does not speak
        # of ("og alderspoeng, får jeg det?" got the year's 2 extra points).
        "ask_competition_points": re.compile(
            r"(?:tilleggs|ekstra|bonus)?poeng\w*|(?:extra\s+|bonus\s+|additional\s+)?points?",
            re.IGNORECASE),
    },
}


def spoken_of_meant(tracker: Tracker, knowledge: KnowledgeBase) -> list[str]:
    """The sentences of the answer just given on a topic it speaks of, for a short
    follow-up read as that topic and naming nothing the answer does not; none for any
    other message."""
    latest = tracker.latest_message or {}
    reading = (latest.get("intent") or {}).get("name") or ""
    text = (latest.get("text") or "").strip()
    if not reads_as_follow_up(text):
        return []
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    words = SPOKEN_OF.get(before[1], {}).get(reading) if before is not None else None
    if words is None:
        return []
    answer = render_answer(knowledge.for_intent(before[1]), language_of(tracker))
    counts = answers_holding_each_word(knowledge, language_of(tracker))
    # The words asked about are the topic's own ("ekstrapoeng" where the answer says
    # "tilleggspoeng"): only other words can name something new.
    others = re.sub(rf"\b(?:{words.pattern})\b", " ", text, flags=re.IGNORECASE)
    if names_something_new(others, [answer], counts):
        return []
    return [sentence for sentence in answer_sentences(answer) if words.search(sentence)]


def quote_the_answer(dispatcher: CollectingDispatcher, sentences: list[str]) -> list[EventType]:
    """The sentences of the answer above that the person asked about, quoted, with a
    counsellor offered for the rest."""
    dispatcher.utter_message(response="utter_from_the_answer",
                             quote="\n".join(f"«{sentence}»" for sentence in sentences))
    return [SlotSet(OFFERED_SLOT, True)]


# A school named asks about that school, not about who a career centre is for.
_NAMES_A_SCHOOL = re.compile(
    r"\b(?:vgs|vg[123]|vid[ae]reg\w*|skole\w*|skule\w*|school\w*|universit\w*|uni|"
    r"h[oøy]+g?sk[ou]l\w*|college|fagsk[ou]l\w*|folkeh\w*|studi\w*|lærling\w*|"
    r"apprentic\w*|lån\w*|loan\w*|stipend\w*)\b", re.IGNORECASE)


def answer_just_given(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The intent whose knowledge answer the bot's latest message was, or quoted from;
    None when it was anything else (a question back, an offer) or the bot has said
    nothing."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            text = event.get("text") or ""
            return knowledge.intent_answered(text) \
                or knowledge.intent_quoted(_QUOTED.findall(text))
    return None


def own_latest_text(tracker: Tracker) -> str:
    """The person's latest message as they wrote it: not one the bot put on the record
    for a meaning it read (``as_if_said``)."""
    for event in reversed(tracker.events):
        text = (event.get("text") or "") if event.get("event") == "user" else ""
        if text and not text.startswith(EXTERNAL_MESSAGE_PREFIX):
            return text.strip()
    return ""


def named_in_recent_messages(tracker: Tracker,
                             named_in: Callable[[str], str | None]) -> str | None:
    """What ``named_in`` finds in the person's last few messages before the latest, the
    latest first: for a conversation whose questions the bot answered by asking back."""
    for event in reversed(user_messages(tracker)[-1 - LOOK_BACK:-1]):
        named = named_in(event.get("text") or "")
        if named is not None:
            return named
    return None


def previous_answered_question(
        tracker: Tracker, knowledge: KnowledgeBase,
        passing: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """The text and intent of the person's latest earlier message that the bot answered
    from its knowledge, among their last few; questions with an intent in ``passing``
    are passed over."""
    for event, intent in _answered_questions(tracker, knowledge, passing):
        return (event.get("text") or "").strip(), intent
    return None


def question_with_its_topic(tracker: Tracker,
                            knowledge: KnowledgeBase) -> tuple[str, str] | None:
    """``previous_answered_question``; when that was itself a follow-up the bot answered
    in context ("do i have to pay all of it back" after the loan's deadline, "deadline?"
    after a question about vigo), the question it leaned on comes first in the text, so
    that read with the next message the topic is in it."""
    questions = list(_answered_questions(tracker, knowledge))
    if not questions:
        return None
    latest, intent = questions[0]
    text = (latest.get("text") or "").strip()
    if intent_of(latest) != intent:
        # The question it leaned on: one read and answered as the same, else the one just
        # before it ("deadline?" answered for upper secondary after a question about vigo).
        leaned_on = next((event for event, earlier in questions[1:]
                          if earlier == intent == intent_of(event)),
                         questions[1][0] if len(questions) > 1 else None)
        if leaned_on is not None:
            return f"{(leaned_on.get('text') or '').strip().rstrip(' .')}. {text}", intent
    return text, intent


def _answered_questions(
        tracker: Tracker, knowledge: KnowledgeBase, passing: frozenset[str] = frozenset()
) -> Iterator[tuple[dict[str, Any], str]]:
    """The person's earlier messages the bot answered from its knowledge, newest first,
    among their last few, with the intent each was answered as."""
    asked_back = asked_what_was_meant(tracker)
    for event, intent in reversed(answered_as(earlier_events(tracker), knowledge)[-LOOK_BACK:]):
        if (event.get("text") or "").strip() and intent not in passing \
                and intent in knowledge.intents and id(event) not in asked_back:
            yield event, intent


def earlier_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation's events before the person's latest message."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[:index]
    return []


def answered_as(events: list[dict[str, Any]],
                knowledge: KnowledgeBase) -> list[tuple[dict[str, Any], str]]:
    """Each message the person wrote, with the intent it was answered as: the answer the
    bot sent after it, when that is one of its knowledge answers (a parent's long
    question the classifier left unsure, answered after reading it part by part), or a
    message the bot put on the tracker after it (a follow-up read, a yes to an offer), or
    the answer whose sentences it quoted ("kostar det noko?" after prior learning is
    prior learning's, though read as this service's price); else the intent it was read
    as. Of two answers to one message, the one to what it was read (or re-read) as
    counts: "How does the apprentice thing work? Does he actually get paid?" is about
    apprenticeships, though pay's answer came second."""
    answered: list[tuple[dict[str, Any], str]] = []
    read_as = ""  # what the latest message was read as, once an answer to it was sent
    for event in events:
        if event.get("event") == "user":
            if (event.get("text") or "").startswith(EXTERNAL_MESSAGE_PREFIX):
                if answered:
                    answered[-1] = (answered[-1][0], intent_of(event))
                read_as = ""
                continue
            answered.append((event, intent_of(event)))
            read_as = ""
        elif event.get("event") == "bot" and answered and not read_as:
            text = event.get("text") or ""
            intent = knowledge.intent_answered(text) \
                or knowledge.intent_quoted(_QUOTED.findall(text))
            if intent is not None:
                if intent == answered[-1][1]:
                    read_as = intent
                answered[-1] = (answered[-1][0], intent)
    return answered


# The sentences of an answer the bot quotes (utter_from_the_answer): «…».
_QUOTED = re.compile(r"«([^»]+)»")


def asked_what_was_meant(tracker: Tracker) -> set[int]:
    """The ``id`` of each message of the person's that the bot answered by asking what was
    meant: its intent was not what the bot answered ("må eg betale noko for eksamen?",
    read as the service's price, got topic buttons), so nothing after it leans on it."""
    asked: set[int] = set()
    latest: dict[str, Any] | None = None
    for event in tracker.events:
        if event.get("event") == "user":
            latest = event
        elif event.get("event") == "bot" and latest is not None \
                and (event.get("metadata") or {}).get("utter_action") in ASKING_BACK:
            asked.add(id(latest))
    return asked


# A need for guidance is answered with what counsellors help with and the offer of one.
GUIDANCE_INTENT = "ask_personal_guidance"


def _offered_a_counsellor_just_now(tracker: Tracker) -> bool:
    """Whether the message before the latest was read as a need for guidance, which the
    bot answers by offering a counsellor."""
    said = user_messages(tracker)
    return len(said) >= 2 and intent_of(said[-2]) == GUIDANCE_INTENT


def after_a_career_answer(tracker: Tracker, before: tuple[str, str] | None) -> bool:
    """Whether the question answered ``before`` (``previous_answered_question``) was a
    career question, and the person did not ask for someone in between."""
    said = user_messages(tracker)
    if len(said) >= 2 and intent_of(said[-2]) in ASKS_FOR_A_PERSON:
        # "kostar det noko?" right after "kan eg chatte med nokon om det": the price of
        # talking to someone, not of the career topic before.
        return False
    return before is not None and before[1] not in ABOUT_THE_SERVICE


class ContextReading:
    def __init__(self, knowledge: KnowledgeBase, nlu: NluClient | None = None) -> None:
        self.knowledge = knowledge
        self.nlu = nlu or NluClient()

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, settled: bool = False
    ) -> list[EventType] | None:
        """The events that answer the latest message read after the previous question,
        or None when it is no follow-up or the two together are not understood.
        ``settled``: the message is known to be about the question before (its reading
        as this service was set aside), so unless the two together are plainly another
        career topic, the previous answer is given again."""
        read = await self.topic(tracker, settled)
        if read is None:
            return None
        intent, before_intent = read
        if intent != before_intent or not self.knowledge.for_intent(intent):
            # Its own rule answers it (a career centre's needs the county in the slot).
            return as_if_said(tracker, intent)
        return self.answer_again(dispatcher, tracker, intent)

    def answer_again(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      intent: str) -> list[EventType]:
        """The answer given again, and a counsellor offered: it did not settle it. A
        follow-up on its price, length or whom to contact gets the sentences on that
        (actions/answer_aspects.py), not the whole answer once more."""
        language = language_of(tracker)
        answer = render_answer(self.knowledge.for_intent(intent), language)
        asked = ((tracker.latest_message or {}).get("text") or "").strip()
        # ... or on what it names of the answer, a word as rare as a topic's own, in a
        # sentence or two: "does an apprenticeship count as work" after the 23/5 rule,
        # «The five years can be made up of paid work, apprenticeship, …».
        on_it = sentences_on(asked, answer) or self._few_named(asked, answer, language)
        if on_it:
            return quote_the_answer(dispatcher, on_it)
        dispatcher.utter_message(text=answer)
        dispatcher.utter_message(response="utter_answer_again_offer_counsellor")
        return [SlotSet(OFFERED_SLOT, True)]

    def _few_named(self, asked: str, answer: str, language: str) -> list[str]:
        """The sentence or two of ``answer`` that hold a word of ``asked`` as rare as a
        topic's own; none when more hold one."""
        named = echoed_sentences(asked, [answer], answers_holding_each_word(
            self.knowledge, language), OWN_TOPIC_MAX_ANSWERS, limit=MAX_ECHOED + 1)
        return named if len(named) <= MAX_ECHOED else []

    def answer_the_narrower(self, dispatcher: CollectingDispatcher,
                            tracker: Tracker) -> list[EventType] | None:
        """The narrower answer just given, again, for a follow-up read as its broader
        topic (``narrower_meant``); None for any other message."""
        meant = narrower_meant(tracker, self.knowledge)
        return None if meant is None else self.answer_again(dispatcher, tracker, meant)

    def answer_what_it_spoke_of(self, dispatcher: CollectingDispatcher,
                                tracker: Tracker) -> list[EventType] | None:
        """The sentences of the answer just given on what a follow-up asks about
        (``spoken_of_meant``); None for any other message."""
        on_it = spoken_of_meant(tracker, self.knowledge)
        return quote_the_answer(dispatcher, on_it) if on_it else None

    async def topic(self, tracker: Tracker, settled: bool = False) -> tuple[str, str] | None:
        """The topic of the latest message read after the previous question, and that
        question's: None when it is no follow-up or the two together are not understood
        (``answer``'s reading, without answering)."""
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if not reads_as_follow_up(text):
            return None
        settled = settled or adds_a_detail(text)
        before = question_with_its_topic(tracker, self.knowledge)
        if before is None:
            return None
        read = await self._read_with(before, text, settled)
        if read is None and before[1] == PLACE_QUESTION:
            # "hva om jeg er uenig i resultatet?" after prior learning, then where to go in
            # Fredrikstad: the place answered in between is not what it is about.
            earlier = previous_answered_question(
                tracker, self.knowledge, passing=ABOUT_THE_SERVICE | {PLACE_QUESTION})
            read = await self._read_with(earlier, text, settled) if earlier else None
        return read

    async def _read_with(self, before: tuple[str, str], text: str,
                         settled: bool) -> tuple[str, str] | None:
        before_text, before_intent = before
        parsed = await self.nlu.parse(f"{before_text.rstrip(' .')}. {text}")
        if (parsed or {}).get(CHECK_KEY) is not None:
            return None  # the crisis net was not sure: the bot's own path asks about it
        intent = self._answerable(parsed, before_intent)
        # Read together with a career question, a message that does not name this
        # service is not about it ("hvor søker jeg" after prior learning is not the
        # chat's price, whatever the two together lean to).
        about_the_service = intent in SERVICE_READINGS and before_intent not in \
            ABOUT_THE_SERVICE and not NAMES_THE_SERVICE.search(text)
        if about_the_service or (settled and (intent is None or intent in ABOUT_THE_SERVICE)):
            intent = before_intent
        return None if intent is None else (intent, before_intent)

    async def topic_of_what_if(self, tracker: Tracker) -> str | None:
        """The topic a short "hva om …?" / "what if …?" right after a career answer asks
        about, read with the question before; None for any other message, or when the
        two together are not understood."""
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if not goes_on(text) or not self._after_a_career_question(tracker):
            return None
        read = await self.topic(tracker)
        return read[0] if read else None

    async def answer_if_leaning(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """``answer`` for a message understood, but weakly, as out of scope or about the
        service, when it leans on the question before (see ``leans_back``); right after a
        career answer, also a question about a word of it and a weak career reading
        (``_about_the_answer``)."""
        latest = tracker.latest_message or {}
        intent = latest.get("intent") or {}
        name = intent.get("name") or ""
        confidence = float(intent.get("confidence") or 0.0)
        weak_career_reading = name in self.knowledge.intents and name not in \
            SERVICE_READINGS and confidence < WEAK_CAREER_READING
        if name not in REREAD_BELOW and name not in REREAD_AFTER_A_CAREER_QUESTION \
                and name not in ECHO_READINGS and not weak_career_reading:
            return None  # a career reading: no need to walk the conversation for it
        before = previous_answered_question(tracker, self.knowledge)
        after = after_a_career_answer(tracker, before)
        if name in SERVICE_READINGS and (
                (before is not None and before[1] in ABOUT_THE_SERVICE)
                or _offered_a_counsellor_just_now(tracker)):
            # "må vi betale for det" right after "kan hun få veiledning hos dere på
            # engelsk?": this service's price, not the question about it once more. So is
            # "is that free?" right after a need for guidance got a counsellor offered (it
            # got the admission requirements before it again).
            return None
        text = (latest.get("text") or "").strip()
        echo = name in ECHO_READINGS and confidence < SURELY_OUT_OF_SCOPE
        # Out of scope at the fallback's edge is as unsure as a weak career reading: "how
        # many years of work do i need exactly" after a trade certificate (0.41).
        unsure = weak_career_reading or (name == OUT_OF_SCOPE and confidence < WEAK_CAREER_READING)
        if after and (echo or weak_career_reading):
            about = await self._about_the_answer(dispatcher, tracker, text, unsure)
            if about is not None or weak_career_reading:
                return about  # a weak career reading is settled here either way
        elif weak_career_reading:
            return None  # no career answer before it to lean on
        if not leans_back(text, name, confidence, after):
            return None
        # "how long does it take" after upper secondary for adults, whose answer says
        # nothing on it (out of scope, 0.61): that answer again, and a counsellor offered,
        # rather than "I can't help with that".
        return await self.answer(dispatcher, tracker, settled=after and (
            name in SERVICE_READINGS or (asks_an_aspect(text) and _points_back(text))))

    async def answer_if_it_counts(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """``answer``, settled on the question before, for a short question whether
        something counts or is enough that the classifier took for another topic (see
        ``_ASKS_IF_IT_COUNTS``); None for any other message."""
        latest = tracker.latest_message or {}
        text = (latest.get("text") or "").strip()
        if not asks_if_it_counts(text):
            return None
        before = previous_answered_question(tracker, self.knowledge, passing=ABOUT_THE_SERVICE)
        intent = latest.get("intent") or {}
        if before is None or before[1] == intent.get("name"):
            return None
        if intent.get("name") in NARROWER.get(before[1], frozenset()) \
                and float(intent.get("confidence") or 0.0) >= WEAK_CAREER_READING:
            # "does the army year count toward the 5 years?" after the admission
            # requirements (0.91 the 23/5 rule): the narrower rule the answer names is the
            # one that counts it.
            return None
        if intent.get("name") == POINTS_INTENT and _NAMES_POINTS.search(text):
            # "tel den nye karakteren med på konkurransepoenga?" after retaking a subject:
            # whether it counts towards points is the points' question.
            return None
        target = counted_as(text)
        if target and float(intent.get("confidence") or 0.0) >= MIN_CONFIDENCE \
                and self._counts_as_something_new(tracker, target, intent.get("name") or ""):
            return None
        read = await self.answer(dispatcher, tracker, settled=True)
        if read is None and not reads_as_follow_up(text) and self.knowledge.for_intent(before[1]) \
                and len(_WORD.findall(text)) <= MAX_WORDS_IF_IT_COUNTS:
            # Longer than a follow-up, for what it tells: "if I did my conscription in the
            # army, is that included in the work experience part?" after the 23/5 rule.
            return self.answer_again(dispatcher, tracker, before[1])
        return read

    def _counts_as_something_new(self, tracker: Tracker, target: str, reading: str) -> bool:
        """Whether what a question asks that something count as (``target``) is not named
        by the answer before: "and my german abitur, does that count as studiekompetanse in
        norway?" after a folk high school (0.72 the recognition of a foreign diploma); every
        word of it counts, "studiekompetanse" too, which many answers hold. A rule named by
        its numbers that the reading's answer names is new too: "teller militærtjenesten
        for 23/5?" after a career centre (0.94 the rule) got the centre again."""
        answers = self._answers_before(tracker)
        if names_something_new(target, answers, Counter()):
            return True
        own = self.knowledge.for_intent(reading)
        return bool(own) and any(
            rule in render_answer(own, language_of(tracker))
            and not any(rule in answer for answer in answers)
            for rule in _NUMBERED_RULE.findall(target))

    def quote_what_it_asks_about(self, dispatcher: CollectingDispatcher,
                                 tracker: Tracker) -> list[EventType] | None:
        """For a message the classifier could not place, right after a career answer: the
        sentences of that answer it takes up a telling word of ("har dei teieplikt?" after
        a career centre, «Rettleiarane har teieplikt …»); None otherwise."""
        if not self._after_a_career_question(tracker):
            return None
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        counts = answers_holding_each_word(self.knowledge, language_of(tracker))
        echoed = echoed_sentences(text, self._answers_before(tracker), counts)
        return quote_the_answer(dispatcher, echoed) if echoed else None

    def quote_the_aspect_asked(
            self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
        """Right after a career answer, a short follow-up on an aspect of it that names
        nothing new (actions/answer_aspects.py): the answer's sentences on it. "må eg vere
        over 19?" (the fallback), "i'm 17, can i go there?" (0.71 adult upper secondary)
        or "koster det noe?" (the chat's price) after a career centre, whose answer comes
        from its own action; "and if i'm 24?" after the admission requirements (read as a
        follow-up no reading with the question before settled). None for any other
        message, one that names a school (its own question), or one read surely as
        another career topic after anything but a career centre, when that topic's answer
        has sentences on the aspect or names a word of the message of its own."""
        latest = tracker.latest_message or {}
        text = (latest.get("text") or "").strip()
        before = previous_answered_question(tracker, self.knowledge)
        # Short, as a follow-up is, but for the words that ask the aspect; the aspect it asks
        # is the question ("roughly how long would that take me" has neither a question
        # mark nor a question word first).
        # Whom the aspect is asked for names no new topic: "and my brother is 23, same rule
        # for him?" after unemployment benefit while studying (0.42 the 23/5 rule).
        asked = blanked(without_the_aspects(text), _HEDGES, NAMES_ANOTHER_PERSON)
        if before is None or not after_a_career_answer(tracker, before) \
                or not _WORD.search(text) or len(_WORD.findall(asked)) > MAX_WORDS \
                or _NAMES_A_SCHOOL.search(text):
            return None
        intent = latest.get("intent") or {}
        name = intent.get("name") or ""
        # The answer to the question before, though the bot asked back in between ("kven tek
        # eg kontakt med" after "kor lang tid tek det?" went unread, after a trade
        # certificate).
        language = language_of(tracker)
        answers = self._answers_before(tracker) or (
            [render_answer(self.knowledge.for_intent(before[1]), language)]
            if self.knowledge.for_intent(before[1]) else [])
        counts = answers_holding_each_word(self.knowledge, language)
        if before[1] != PLACE_QUESTION and name != before[1] and name in self.knowledge.intents \
                and name not in SERVICE_READINGS \
                and float(intent.get("confidence") or 0.0) >= WEAK_CAREER_READING \
                and self._reading_answers_it(text, name, answers, counts, language,
                                             float(intent.get("confidence") or 0.0)):
            return None
        # An entity in the words that ask the aspect names nothing new either: the
        # caseworker of "er det saksbehandlaren min som bestemmer …" (an occupation).
        entities = [entity for entity in latest.get("entities") or []
                    if _entity_text(asked, entity).strip()]
        if names_something_new(asked, answers, counts, entities):
            return None
        on_it = next((found for answer in answers if (found := sentences_on(text, answer))), [])
        return quote_the_answer(dispatcher, on_it) if on_it else None

    def _reading_answers_it(self, text: str, reading: str, answers: list[str],
                            counts: Counter[str], language: str,
                            confidence: float = 0.0) -> bool:
        """Whether the answer to what the classifier read ``text`` as names a word of the
        message of its own, or has sentences on the aspect it asks that the answers just
        given lack: "which subjects do i need" after the 23/5 rule (0.91 the admission
        requirements, whose answer names no subject) asks the rule's subjects; "må jeg være
        over en viss alder" after NAV's courses (0.77 extra support, whose answer has an
        age too) asks NAV's age."""
        own = render_answer(self.knowledge.for_intent(reading), language)
        # The words that ask the aspect are not the topic: "må jeg betale noe for eksamen?"
        # after the experience-based trade certificate (0.64 the grant, whose answer says
        # "betale tilbake") asks the exam's fee the answer before gave.
        if names_its_own_topic(without_the_aspects(text), answers, own, counts):
            return True
        on_it = bool(sentences_on(text, own))
        own_words = words_of(own)
        if on_it and (_WHAT_ABOUT.match(text) or confidence >= SURE_OF_ITS_OWN_TOPIC) and any(
                len(word) >= NEW_MIN_LETTERS and counts[word] <= OWN_TOPIC_MAX_ANSWERS
                and word in own_words for word in words_of(without_the_aspects(text))):
            # What about a topic the reading's answer names, or a sure reading that names
            # it, though the answer just given names it in passing: "hva med
            # praksiskandidat, hvor mange år må man ha jobba da?" and "Hvor mye erfaring må
            # man ha for å gå opp som praksiskandidat?" (0.94) after a trade certificate on
            # the job («… fem års praksis …, kan praksiskandidat være et alternativ»).
            return True
        if on_it and _INSTEAD.search(text):
            # Something else instead is not the answer just given: "kan nav betale et kurs
            # for meg i stedet da" (0.95 NAV's courses) after unemployment benefit while
            # studying got that answer's sentences on paying.
            return True
        return on_it and not any(sentences_on(text, answer) for answer in answers)

    def _answers_before(self, tracker: Tracker) -> list[str]:
        """The career answers the bot gave to the message before the latest one; when it
        answered that by quoting an answer («…»), the answer quoted, which is still the
        one spoken of ("har dei teieplikt?" after "korleis bestiller eg time" was answered
        from the career centre's answer)."""
        replies = replies_to_the_message_before(list(tracker.events))
        answers = [reply for reply in replies if self.knowledge.intent_answered(reply)]
        quoted = [quote for reply in replies for quote in _QUOTED.findall(reply)]
        if answers or not quoted:
            return answers
        earlier = [reply for reply in replies_to_the_message_before(earlier_events(tracker))
                   if self.knowledge.intent_answered(reply)]
        return earlier if all(any(quote in answer for answer in earlier)
                              for quote in quoted) else []

    async def _about_the_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                text: str, weak_career_reading: bool
                                ) -> list[EventType] | None:
        """Right after a career answer: the answer's sentences that a question takes up a
        telling word of; for a weak career reading, else the reading with the question
        before. None when neither answers it."""
        # Only answers are quoted: after mash in between, the last reply was "Orsak, eg er
        # ikkje sikker på at eg forstod det."
        replies = self._answers_before(tracker)
        counts = answers_holding_each_word(self.knowledge, language_of(tracker))
        echoed = echoed_sentences(text, replies, counts)
        if echoed:
            return quote_the_answer(dispatcher, echoed)
        latest = tracker.latest_message or {}
        if not weak_career_reading or not reads_as_follow_up(text) \
                or names_something_new(text, replies, counts, latest.get("entities") or []):
            return None
        reading = self.knowledge.for_intent((latest.get("intent") or {}).get("name") or "")
        if reading and names_its_own_topic(text, replies,
                                           render_answer(reading, language_of(tracker)), counts):
            return None
        # "hvor lenge tar det?" after prior learning (0.44 Samordna opptak's deadline): a
        # short question that points back is about the topic before, unless the two
        # together plainly ask another one. One that does not point back ("må eg ha jobba
        # lenge før eg kan starte?" after fagbrev på jobb, 0.41 NAV) is, when the two
        # together say so.
        return await self.answer(dispatcher, tracker, settled=_points_back(text))

    def _after_a_career_question(self, tracker: Tracker) -> bool:
        return after_a_career_answer(tracker, previous_answered_question(tracker, self.knowledge))

    def _answerable(self, parsed: dict[str, Any] | None, before: str) -> str | None:
        intent = (parsed or {}).get("intent") or {}
        name = intent.get("name") or ""
        bar = SAME_TOPIC_CONFIDENCE if name == before else MIN_CONFIDENCE
        if intent.get("confidence", 0.0) < bar or not self.knowledge.for_intent(name):
            return None
        return name
