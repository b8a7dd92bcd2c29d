"""Veivalg's own NLU pipeline components (referenced by path in config.yml).

- ``NamedThingMasker`` lets the classifier see "a place" or "an occupation" rather than
  which one, so "hva gjør en sveiser" is understood like "hva gjør en rørlegger" even when
  welders never occur in the training examples.
- ``OccupationExtractor`` finds the occupation a person names, inflected or compounded.
- ``CrisisDetector`` makes sure suicide and self-harm language is never classified as
  anything else, whatever the statistical classifier thought.
- ``SamiRecogniser`` marks a message written in Northern Sami, which goes to a counsellor.

The two intent overrides run after the FallbackClassifier, so a low-confidence crisis
message is not turned into ``nlu_fallback``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.server.nlp.crisis_sense import CrisisSense, corpus
from bot.server.nlp.features import EMBEDDING
from bot.shared.abroad import RECOGNITION_QUESTIONS, tells_of_a_degree_from_abroad
from bot.shared.adults import says_an_adults_age
from bot.shared.asking import (
    asks,
    asks_anything,
    asks_help_from_a_person,
    asks_if_it_counts,
    asks_if_one_must_say_who_one_is,
    asks_to_reach_a_counsellor,
    asks_who_answers,
    asks_yes_or_no,
    ends_with_farewell,
    names_someone_to_talk_to,
    names_what_was_meant,
    praise_alone,
    question_after_greeting,
    question_after_thanks,
    says_farewell,
    says_goodbye,
    says_what_was_meant,
    thanks_alone,
    turns_down_a_person,
)
from bot.shared.asking_for_more import asks_for_more
from bot.shared.crisis import (
    CHECK_KEY,
    CRISIS_INTENT,
    is_a_plain_closing,
    is_excused,
    is_payload,
    lacks_what_was_named,
    mentions_crisis,
    sentences,
    sentences_of,
    sounds_distressed,
)
from bot.shared.language import SAMI, detect_language, language_asked_for
from bot.shared.occupations import OccupationFinder, occupations
from bot.shared.places import Gazetteer, gazetteer

SAMI_INTENT = "speak_sami"
CONTINUE_TOPIC_INTENT = "continue_topic"
THANK_INTENT = "thank"
FALLBACK_INTENT = "nlu_fallback"
HANDOFF_INTENT = "human_handoff"
PERSONAL_GUIDANCE_INTENT = "ask_personal_guidance"
DENY_INTENT = "deny"
OCCUPATION_ENTITY = "occupation"
# Placeholder lemmas: letters only, so every featurizer keeps them as one word.
PLACE_LEMMA = "xstedx"
OCCUPATION_LEMMA = "xyrkex"


def override_intent(message: Message, intent: str) -> None:
    """Make ``intent`` the message's intent with full confidence, first in the ranking."""
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        entry for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != intent
    ]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


def _confidence(message: Message) -> float:
    return float((message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0)


def fall_back(message: Message) -> float:
    """Make the message ``nlu_fallback`` at the classifier's confidence, which it returns:
    the bot asks what was meant, as for any message it is unsure of."""
    confidence = _confidence(message)
    message.set(INTENT, {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: confidence},
                add_to_output=True)
    return confidence


class _Stateless(GraphComponent):
    """A component with nothing to train or persist."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)


class _OverTheReading(_Stateless, IntentClassifier):
    """A rule over the classifier's reading of each message, after the classifier."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.reread(message)
        return messages

    def reread(self, message: Message) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class NamedThingMasker(_Stateless):
    """Sets the lemma of place and occupation names to one placeholder each.

    Runs between the tokenizer and the featurizers; the text itself is left as written,
    so entity extraction and the transcript are unchanged.
    """

    def __init__(
        self, config: dict[str, Any], finder: OccupationFinder | None = None,
        places: Gazetteer | None = None,
    ) -> None:
        super().__init__(config)
        self.finder = finder or occupations()
        self.places = places or gazetteer()

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._mask(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._mask(message)
        return messages

    def _mask(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not text or not tokens:
            return
        spans = [(start, end, PLACE_LEMMA) for start, end in self.places.spans(text)]
        spans += [(m.start, m.end, OCCUPATION_LEMMA) for m in self.finder.find_all(text)]
        for token in tokens:
            for start, end, lemma in spans:
                if token.start < end and start < token.end:
                    token.lemma = lemma
                    break


# A sentence read alone by the learned half has at least this many words: MASSIVE's
# spelled-out letters ("tid nå i g. m. t.") cut at each dot are no sentences, and a lone
# "t." scored as a crisis.
SENTENCE_MIN_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Crisis language is ``crisis``, whatever the classifier said.

    Three signals, in order: the patterns (bot/shared/crisis.py); the learned sense of the
    message (bot/server/nlp/crisis_sense.py) at ``sense_threshold`` or more, unless the words
    are used in another sense (career talk about crisis work, idioms); and the intent
    classifier's own ``crisis``, which stands only at ``model_confidence`` or more and
    unexcused, and is ``nlu_fallback`` otherwise (the bot asks what was meant). DIET
    (before issue 13) learned crisis from words like "leve", "våkne" and "planlagt" and
    was sure of "ikke lyst til å leve som fattig student" (0.99); on 13,547 MASSIVE
    requests it answered crisis 33 times without the patterns, none above 0.80.

    Below ``sense_threshold`` but at ``check_threshold`` or more, the message keeps its
    intent and gets ``crisis_check`` (the score) in its parse data: the bot asks how the
    person is, with the help lines, before anything else (bot/server/crisis_first.py).
    So does the classifier's own unexcused crisis at ``check_threshold`` or more that is
    short of ``model_confidence`` (its intent is ``nlu_fallback`` meanwhile), and despair
    the patterns know may be about life or a bad day (``sounds_distressed``).
    Thresholds: bench/README.md.
    """

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource, sense: CrisisSense | None = None) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self.model_confidence = float(self.component_config["model_confidence"])
        self.sense_threshold = float(self.component_config["sense_threshold"])
        self.check_threshold = float(self.component_config["check_threshold"])
        self.second_look_threshold = float(self.component_config["second_look_threshold"])
        self._storage = model_storage
        self._resource = resource
        self.sense = sense

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"model_confidence": 0.9, "sense_threshold": 0.97, "check_threshold": 1.0,
                "second_look_threshold": 1.0}

    @classmethod
    def required_components(cls) -> list[type]:
        # It runs after the intent classifier and the FallbackClassifier (config.yml), but
        # it trains on the examples alone, and a training graph has no classifier before a
        # trainable node.
        return []

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> CrisisDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CrisisDetector:
        try:
            with model_storage.read_from(resource) as directory:
                sense = CrisisSense.load(directory)
        except (ValueError, FileNotFoundError):
            sense = None  # an NLU-only model trained without it: the patterns still run
        return cls(config, model_storage, resource, sense)

    def train(self, training_data: TrainingData) -> Resource:
        said = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples]
        positives, negatives = corpus()
        positives += [text for text, intent in said if intent == CRISIS_INTENT]
        negatives += [text for text, intent in said if intent != CRISIS_INTENT]
        self.sense = CrisisSense.train(positives, negatives)
        with self._storage.write_to(self._resource) as directory:
            self.sense.save(directory)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if mentions_crisis(text) or (
                sense := self._sense(text, message.get(EMBEDDING))
            ) >= self.sense_threshold:
                override_intent(message, CRISIS_INTENT)
                continue
            if self._unfounded(message, text):
                confidence = fall_back(message)
                if not _not_crisis(text):
                    # The classifier's own unsure crisis asks as the learned half's does:
                    # "orker ikke mer av dette egentlig" (0.85) got "which of these?".
                    sense = max(sense, confidence)
            if sounds_distressed(text) and not _not_crisis(text):
                sense = max(sense, self.check_threshold)  # "i can't take it anymore"
            if sense >= min(self.check_threshold, self.second_look_threshold) \
                    and self._a_sentence_alone_is_crisis(text):
                # "Hvor mye får jeg i stipend? Kjenner at alt er håpløst og at ingen bryr
                # seg": the second sentence alone is a crisis; asking first would only
                # delay the help lines and the urgent case. "Kan jeg ta ut BSU-en nå? Vil
                # gi pengene til lillesøster så hun har noe etter meg når jeg er død." read
                # 0.803 whole, then 0.793 after new training examples: a message of
                # several sentences somewhat like crisis language gets this second look.
                override_intent(message, CRISIS_INTENT)
                continue
            if sense >= self.check_threshold:
                message.set(CHECK_KEY, round(sense, 3), add_to_output=True)
        return messages

    def _sense(self, text: str, embedding: np.ndarray | None = None) -> float:
        """How likely the learned half finds crisis language (0 for a button's payload and
        excused career talk). ``embedding``: the SentenceEmbedder's, when the pipeline has
        one (no second pass)."""
        if self.sense is None or not text.strip() or is_payload(text) or _not_crisis(text):
            return 0.0
        vectors = None if embedding is None else np.asarray(embedding)[np.newaxis, :]
        return float(self.sense.scores([text], vectors)[0])

    def _a_sentence_alone_is_crisis(self, text: str) -> bool:
        """Whether the learned half, reading each sentence of a message of several on its
        own, finds one a crisis (the whole message was read already). Only for a message
        the bot would otherwise ask about, or whose whole reads at the second look's
        threshold or more, so the extra reading is rare."""
        every = sentences_of(text)
        if self.sense is None or len(every) < 2:
            return False
        readable = [sentence for sentence in every
                    if len(_WORDS.findall(sentence)) >= SENTENCE_MIN_WORDS
                    and not _not_crisis(sentence)]
        return bool(readable) and max(self.sense.scores(readable)) >= self.sense_threshold

    def _unfounded(self, message: Message, text: str) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != CRISIS_INTENT:
            return False
        sure = intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) >= self.model_confidence
        return not sure or _not_crisis(text)


def _not_crisis(text: str) -> bool:
    """Crisis words in another sense, a message that only closes the conversation, or one
    that only asks what if one lacks what was just named."""
    return is_excused(text) or is_a_plain_closing(text) or lacks_what_was_named(text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MoreAskedFor(_OverTheReading):
    """"kan du si litt mer om det?" goes on with the topic before (``continue_topic``):
    the classifier read such requests as out of scope, the person's own case or thanks
    (bot/shared/asking_for_more.py). The crisis net runs after it and still wins."""

    def reread(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if asks_for_more(text) or language_asked_for(text):
            # "can you explain that in english?" asks for the answer before again, in the
            # language named (it was read as a question about the service).
            override_intent(message, CONTINUE_TOPIC_INTENT)


# The words a yes or a no opens with; a question that opens otherwise is no reply.
_OPENS_A_REPLY = re.compile(
    r"\W*(?:ja|jo|jepp|jada|joda|jaja|gjerne|ok\w*|absolutt|sure|yes|yeah|yep|yup|nei|ne|næ|"
    r"nope|nah|no|not|ikke|ikkje|helst|ellers|takk|thanks|fint|greit|perfekt|okay|alright)\b",
    re.IGNORECASE)
REPLY_INTENTS = frozenset({"affirm", "deny"})
# The words that say yes or no outright ("sure, why not"; "nei, hva er det?"); "ok" and
# "fine" say neither.
_SAYS_IT = {
    "affirm": re.compile(r"\b(?:ja|jo|jepp|jada|joda|jaja|gjerne|absolutt|klart|yes|yeah|"
                         r"yep|yup|sure|please|definitely|of\s+course)\b", re.IGNORECASE),
    "deny": re.compile(r"\b(?:nei|ne|næ|nope|nah|no|not|ikke|ikkje|itj|never|aldri)\b",
                       re.IGNORECASE),
}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionIsNoReply(_OverTheReading):
    """"er det ikke NOKUT som gjør det?" asks; it does not say no (``deny``, 0.40). A yes
    or a no read from a question that does not open with one, or from a message that asks
    "who …" without saying yes or no, goes to the fallback, which reads it with the
    question before; so does a no that corrects the question ("nei, jeg mente …")."""

    def reread(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        text = (message.get(TEXT) or "").strip()
        reading = intent.get(INTENT_NAME_KEY)
        if reading not in REPLY_INTENTS:
            return
        # "do i get one of them for sure" (0.70 a yes) asks as its verb opens it
        if ((text.endswith("?") or asks_yes_or_no(text)) and not _OPENS_A_REPLY.match(text)) \
                or (asks(text) and not _SAYS_IT[reading].search(text)):
            fall_back(message)
        elif reading == DENY_INTENT and says_what_was_meant(text) \
                and names_what_was_meant(text):
            # "nei, ikkje kurs, eg meinte fagskule" (0.44 a no) after NAV's courses, "no,
            # for spring semester" (0.88) after the loan's deadline: a correction of the
            # question before, which the fallback reads with it; a no declined nothing.
            fall_back(message)


LEAVE_QUESTION_INTENT = "leave_question"
# "kor tek eg kontakt?", "who do I contact?": where to turn for the topic before, not a
# wish to leave a question for a counsellor (leave_question, 0.66, started the callback
# form). One that names a counsellor or this chat ("hvordan kontakter jeg en veileder?")
# keeps its reading.
_ASKS_WHERE_TO_TURN = re.compile(
    r"\b(?:hvem|kven|hvor|kor|kvar|who|where)\b.{0,25}"
    r"\b(?:kontakt\w*|contact\w*|henvend\w*|vende\s+meg|vend\s+meg|turn\s+to|ask|spør|"
    r"spørre|spørje|ringe|ringje|ring|call)\b", re.IGNORECASE)
_NAMES_A_COUNSELLOR = re.compile(
    r"rådgiv|radgiv|veileder|rettleiar|counsell?or|advis|\bdere\b|\bdykk\b|\byou\b|"
    r"\bdeg\b|chat|menneske|person|human|noen\s+(?:hos|her)|nokon\s+(?:hjå|her)|"
    r"legg\w*\s+(?:igjen|att)|leave|melding|beskjed|spørsmål|question|message",
    re.IGNORECASE)


# Where to get help, with a place named: "bur i Førde, kven skal eg ta kontakt med?" (0.42
# out of scope), "jeg bor i Tromsø, hvem kan jeg snakke med?" (0.53 a detail told).
_ASKS_WHERE_TO_GET_HELP = re.compile(
    r"\b(?:hvem|kven|hvor|kor|kvar|who|where|noen|nokon|someone|anyone|somebody)\b.{0,30}"
    r"\b(?:kontakt\w*|contact\w*|henvend\w*|vend\w*|"
    r"hjelp\w*|help|snakke|snakka|prate|talk|speak|gå|go|turn)\b", re.IGNORECASE)
# Someone *there*: "eg bur på stord, er det nokon der eg kan snakka med?" (0.47 a wish
# for a counsellor on the chat) asks for someone where the person lives.
_THERE = re.compile(r"\b(?:der|dær|there|near(?:by)?|nær|i\s+nærheten|i\s+nærleiken|"
                    r"close\s+to)\b", re.IGNORECASE)
# Where, as a place: "hvor kan vi snakke med noen i bodo" (0.57 a wish for a counsellor
# on the chat) asks where to go in Bodø. "hvor mye", "kor lenge" ask no place.
_ASKS_WHERE = re.compile(
    r"\b(?:hvor|kor|kvar|where)\b(?!\s+(?:mye|mykje|mykkje|lenge|lang|ofte|mange|much|many|"
    r"long|often|gammel|gammal|old))", re.IGNORECASE)
# Someone *at* the place named: "er det nokon eg kan snakka med på stord?" (0.41 a wish for
# a counsellor on the chat), "can i talk to a counsellor in tromsø": the place right after
# the person or the talking. Not where the person lives ("eg bur på stord, kan eg snakke
# med ein rettleiar?" is a wish for this chat's counsellor), nor what it is about ("connect
# me pls. I want advice about studying in Tromsø", "a carpenter in Kristiansand").
_AT_THE_PLACE = re.compile(
    r"\b(?:veileder\w*|veiledning|rettleiar\w*|rettleiing|rådgiv\w*|rådgjevar\w*|"
    r"counsell?or\w*|advis[eo]r\w*|menneske\w*|person\w*|human|noen|nokon|someone|somebody|"
    r"anyone|med|with|"
    # somewhere at the place: "e det nokon plass i ålesund der eg kan gå innom og prate med
    # ein rettleiar?", "er det noe sted rundt lillestrøm …" (0.49, 0.79 the centre)
    r"sted|stad|plass|place|somewhere|kontor\w*|office\w*)\s+(?:på|pa|i|in|at|around|rundt)\s+$|"
    # "finnes det noen å snakke med om dette her i vadsø"
    r"\b(?:her|here)\s+(?:på|pa|i|in)\s+$", re.IGNORECASE)
_LIVING_AT = re.compile(r"\b(?:bor|bur|bu|live[sd]?|living|moved|flytta|flytte[rt]?|from|fra|frå)"
                        r"\s+(?:her\s+|here\s+)?(?:på|pa|i|in|at)\s+$", re.IGNORECASE)
# Guidance face to face, or somewhere near: "and if I want to meet someone in person, not
# chat?" (0.6 the chat's price), "could I talk to someone about this face to face, in Vadsø
# maybe?" (a wish for the chat), "and could he get guidance somewhere nearby?" (the
# fallback). The career centres give it; the place is asked for when none is known.
_FACE_TO_FACE = re.compile(
    r"\bface[\s-]to[\s-]face\b|\bin\s+person\b|\bansikt\s+til\s+ansikt\b|"
    r"\bandlet\s+til\s+andlet\b|\b(?:møte|treffe|meet)\s+(?:noen|nokon|someone|somebody|"
    r"(?:en|ein|a)\s+(?:veileder|rettleiar|counsell?or|person))\b|\bfysisk\s+(?:møte|time)\b",
    re.IGNORECASE)
_NEARBY = re.compile(
    r"\b(?:nearby|near\s+(?:me|here|us|him|her|where)|close\s+(?:by|to\s+(?:me|home|here))|"
    r"somewhere\s+(?:near|close|local)\w*|locally|local|i\s+nærheten|i\s+nærleiken|"
    r"nær\s+(?:meg|her|oss|han|ho|henne|der)|lokalt)\b", re.IGNORECASE)
_HELP_OR_TALK = re.compile(
    r"\b(?:hjelp\w*|help|guidance|advice|veiledning|rettleiing|råd|snakke|snakka|prate|talk|"
    r"speak|counsell?or\w*|veileder\w*|rettleiar\w*|rådgiv\w*|someone|noen|nokon)\b",
    re.IGNORECASE)
_FACE_TO_FACE_READ_AS = frozenset({
    HANDOFF_INTENT, PERSONAL_GUIDANCE_INTENT, "nlu_fallback", "inform", "continue_topic",
    "ask_counsellor_help", "ask_about_service", "ask_service_free_anonymous"})


def _asks_for_guidance_in_person(text: str) -> bool:
    """Whether a question in ``text`` asks for guidance face to face, or near (a story
    that says where or how one works asks nothing of the kind)."""
    return any(("?" in said or asks_anything(said)) and (
        _FACE_TO_FACE.search(said) or (_NEARBY.search(said) and _HELP_OR_TALK.search(said)))
        for said in sentences(text))


# Someone to talk to, or help to choose: "finnes det noen han kan snakke med i drammen?"
# (read as a wish for guidance on the chat) asks for someone there.
_SOMEONE_WISHED_FOR = frozenset({HANDOFF_INTENT, PERSONAL_GUIDANCE_INTENT})


def _someone_at_the_place(text: str, entities: list[dict[str, Any]]) -> bool:
    for entity in entities:
        before = text[:entity.get(ENTITY_ATTRIBUTE_START) or 0]
        if entity.get(ENTITY_ATTRIBUTE_TYPE) == COUNTY_ENTITY and _AT_THE_PLACE.search(before) \
                and not _LIVING_AT.search(before):
            return True
    return False


# A career centre named by name: "is karriere oslo for people like me?" (0.61 this
# service) asks about that centre. The names are the centres' own (data/knowledge).
_NAMES_A_CAREER_CENTRE = re.compile(
    r"\bkarriere\s*(?:sent(?:er|ra|re|rum)\w*|agder|buskerud|finnmark|innlandet|møre|oslo|"
    r"troms|vestland|akershus|østfold|vestfold|telemark|rogaland|nordland|trøndelag)\b|"
    r"\bcareer\s+cent(?:re|er)s?\b", re.IGNORECASE)
CAREER_CENTRE_INTENT = "ask_career_centre"
# Readings of "kor tek eg kontakt?" that miss it: a wish to leave a question, or nothing
# the bot helps with ("hvem må jeg kontakte for å komme i gang?" after fagbrev on the job,
# 0.51 out of scope). The fallback reads it with the answer before, whose contact it asks.
_WHERE_TO_TURN_READ_AS = frozenset({LEAVE_QUESTION_INTENT, "out_of_scope",
                                    "ask_service_free_anonymous"})
# Read as out of scope, only a question where to turn that asks about nothing else leans
# on the answer before: "who do I call to get my lost wallet back?" asks about a wallet.
_NOTHING_ELSE = frozenset(
    "med da då om det dette den for å a komme kome i gang starte byrje begynne no nå "
    "først fyrst about that this it to get started start then with first now".split())


def _asks_only_where_to_turn(text: str, intent: str) -> bool:
    match = _ASKS_WHERE_TO_TURN.search(text)
    if match is None or _NAMES_A_COUNSELLOR.search(text):
        return False
    if intent == LEAVE_QUESTION_INTENT:
        return True
    rest = _WORDS.findall(text[match.end():].lower())
    return all(word in _NOTHING_ELSE for word in rest)


COUNTY_ENTITY = "county"
# Readings that say nothing of a topic of their own: with a place and a question where to
# get help, the career centre there is what was asked for.
_NO_TOPIC_OF_THEIR_OWN = frozenset({
    "out_of_scope", "nlu_fallback", "inform", "ask_counsellor_help", "ask_about_service",
    "ask_service_free_anonymous", "ask_opening_hours", "continue_topic"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class WhereToTurnIsAQuestion(_OverTheReading):
    """A question where or whom to contact, read as a wish to leave a question or as out of
    scope, goes to the fallback, which reads it with the question before ("kor tek eg
    kontakt?" after prior learning is that answer's contact). With a place named, a
    question where to get help that the classifier read as no topic of its own asks for
    the career centre there, as does such a question that names a career centre, or a wish
    for someone to talk to at a place named ("er det nokon eg kan snakka med på stord?")."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        entities = message.get(ENTITIES) or []
        # A wish for guidance asks *where* in its question, the last sentence: a story
        # before it may say where anything is.
        asked = text if intent == HANDOFF_INTENT else _last_sentence(text)
        local = intent in _NO_TOPIC_OF_THEIR_OWN or (
            intent in _SOMEONE_WISHED_FOR and (_THERE.search(asked) or _ASKS_WHERE.search(asked)))
        names_a_centre = intent in _NO_TOPIC_OF_THEIR_OWN and _NAMES_A_CAREER_CENTRE.search(text)
        asks_where_here = local and _ASKS_WHERE_TO_GET_HELP.search(asked) and any(
            entity.get(ENTITY_ATTRIBUTE_TYPE) == COUNTY_ENTITY for entity in entities)
        at_the_place = intent in _SOMEONE_WISHED_FOR and _someone_at_the_place(text, entities)
        in_person = intent in _FACE_TO_FACE_READ_AS and not turns_down_a_person(text) \
            and _asks_for_guidance_in_person(text)
        if names_a_centre or asks_where_here or at_the_place or in_person:
            override_intent(message, CAREER_CENTRE_INTENT)
        elif intent in _WHERE_TO_TURN_READ_AS and _asks_only_where_to_turn(text, intent):
            fall_back(message)


# Readings that a counsellor named as whom to talk to is taken for: the place and the
# occupation ("career counsellor") told, or that occupation's description.
_A_COUNSELLOR_NAMED = frozenset({"inform", "ask_occupation_description", "ask_occupation_path"})
COUNSELLOR_HELP_INTENT = "ask_counsellor_help"
FREE_OF_CHARGE_INTENT = "ask_service_free_anonymous"
OPENING_HOURS_INTENT = "ask_opening_hours"
# When one can talk to a person asks the hours: "what hours can i chat with a real person"
# (0.79 the opening hours) was handed over.
_ASKS_THE_HOURS = re.compile(
    r"\b(?:what|which)\s+(?:hours|times?|days?)\b|\bwhen\b|\b(?:når|nar|kva\s+tid|hva\s+tid|"
    r"ka\s+tid|kor\s+tid|åpningstid\w*|apningstid\w*|opningstid\w*|opening\s+hours)\b",
    re.IGNORECASE)
# Leaving a question, in so many words, or asking for the answer by e-mail.
_LEAVES_A_QUESTION = re.compile(
    r"\b(?:legge|leggje|legg|leave)\s+(?:igjen\s+|att\s+|igjæn\s+)?(?:et\s+|eit\s+|a\s+|my\s+)?"
    r"(?:spørsmål|question|message|beskjed)|"
    r"\b(?:svare|answer|reply|get\s+back\s+to)\s+(?:meg\s+|me\s+)?(?:på|by|via|over)\s+"
    r"(?:e-?post|e-?mail|mail|sms)\b", re.IGNORECASE)
# What talking to a counsellor costs asks the price: "do i have to pay money if i want to
# speak with a counsellor" (0.80 the service's price) and "is it expensive to talk with a
# counsellor?" (0.74) were handed over.
_ASKS_THE_PRICE = re.compile(
    r"\b(?:pay|paying|cost\w*|free|price|money|fees?|charge[sd]?|expensive|cheap|betale?|"
    r"betal\w*|kost\w*|gratis|pris|penger|pengar|dyrt?|billig)\b", re.IGNORECASE)


# Read this surely, a message asks its question; a wish for a person in it is answered too.
SURE_OF_ANOTHER_QUESTION = 0.80


def _runner_up(message: Message) -> str | None:
    ranking = message.get(INTENT_RANKING_KEY) or []
    return ranking[1].get(INTENT_NAME_KEY) if len(ranking) > 1 else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoWishForAPerson(_OverTheReading):
    """A wish for a counsellor in so many words, turned down, is a no: "no i dont want to
    talk to anyone i just want info" was handed to a counsellor (human_handoff). Asking
    whether a person answers is about the service: "is this a real person?" was handed
    over too; its answer says it is a chatbot and offers a person. A wish for a person in
    so many words is one, when the reading took the counsellor named for an occupation or
    a place told, or a person was the classifier's second reading; so is a wish to leave a
    question in so many words, when leaving one was the second reading."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        if asks_if_one_must_say_who_one_is(text) and (
                intent in (HANDOFF_INTENT, FREE_OF_CHARGE_INTENT)
                or asks_to_reach_a_counsellor(text)):
            # "må jeg oppgi navn eller personnummer for å snakke med en veileder" asks
            # whether this service is anonymous, which its answer says.
            override_intent(message, FREE_OF_CHARGE_INTENT)
        elif intent == HANDOFF_INTENT and turns_down_a_person(text):
            override_intent(message, DENY_INTENT)
        elif intent == HANDOFF_INTENT and asks_who_answers(text):
            override_intent(message, ABOUT_THE_SERVICE_INTENT)
        elif intent == HANDOFF_INTENT and ("?" in text or asks_anything(text)) \
                and not names_someone_to_talk_to(text):
            # "må jeg få en av dem?" after the programmes to list (0.79 a person): a
            # question that names no one is asked of the answer before (the fallback).
            fall_back(message)
        elif intent != HANDOFF_INTENT and asks_to_reach_a_counsellor(text) \
                and not asks_who_answers(text) \
                and not (intent == CAREER_CENTRE_INTENT and (
                    _asks_for_guidance_in_person(text)
                    # "Is there a career centre up there where he could talk to someone?"
                    or _NAMES_A_CAREER_CENTRE.search(text)
                    or _someone_at_the_place(text, message.get(ENTITIES) or []))) \
                and not (intent == FREE_OF_CHARGE_INTENT and _ASKS_THE_PRICE.search(text)) \
                and not (intent == OPENING_HOURS_INTENT and _ASKS_THE_HOURS.search(text)) \
                and (intent in _A_COUNSELLOR_NAMED or (
                    _runner_up(message) == HANDOFF_INTENT
                    and _confidence(message) < SURE_OF_ANOTHER_QUESTION)
                    # "ka gjør æ da. kan æ få hjelp av nån?" (0.68 what counsellors help
                    # with): their help asked for, not what it is
                    or (intent == COUNSELLOR_HELP_INTENT and asks_help_from_a_person(text))):
            # "hi, i live in kautokeino and want to talk to a career counsellor" (inform,
            # 0.72: a place and an occupation named), "is there a human i can chat with
            # about getting my degree from ukraine recognised" (0.57 recognition, 0.38 a
            # person): asked in so many words, a person. A question read surely ("når er
            # fristen for å søke vgs? og kan jeg snakke med en rådgiver?", 0.91) is
            # answered, and the person offered, by the answer's own action.
            override_intent(message, HANDOFF_INTENT)
        elif intent not in (LEAVE_QUESTION_INTENT, HANDOFF_INTENT, CRISIS_INTENT) \
                and _runner_up(message) == LEAVE_QUESTION_INTENT \
                and _LEAVES_A_QUESTION.search(text):
            # "jeg vil gjerne legge igjen et spørsmål om godkjenning av utdanning fra
            # Filippinene, kan noen svare på e-post?" (0.477 recognition, 0.473 leaving one)
            override_intent(message, LEAVE_QUESTION_INTENT)


GOODBYE_INTENT = "goodbye"
ABOUT_THE_SERVICE_INTENT = "ask_about_service"
# Readings a farewell at the end does not undo: a wish for a counsellor or to leave a
# question stands ("jeg vil snakke med en veileder i morgen. ha det"). Thanks with a
# farewell take leave: "takk for hjelpen, ha det" was asked "Er det noe mer du lurer
# på?". A person who says they will be in touch themselves leaves no
# question ("ok, eg tek kontakt seinare. ha det" read as leave_question).
_NOT_UNDONE_BY_A_FAREWELL = frozenset({GOODBYE_INTENT, CRISIS_INTENT, HANDOFF_INTENT,
                                       LEAVE_QUESTION_INTENT})
_WILL_BE_IN_TOUCH = re.compile(
    r"\b(?:jeg|eg|æ|e|i)\s+(?:tar|tek|tar\s+heller|tek\s+heller)\s+kontakt\b|"
    r"\b(?:jeg|eg|æ|e)\s+(?:ringer|ringjer|ringe|sender)\b|"
    # "ok, då ringjer eg i morgon. ha det": the verb first
    r"\b(?:ringer|ringjer|ringar)\s+(?:jeg|eg|æ|e)\b|"
    r"\b(?:tar|tek)\s+(?:jeg|eg|æ|e)\s+(?:heller\s+)?kontakt\b|"
    r"\bi(?:'ll|\s+will)\s+(?:get\s+in\s+touch|contact|call|reach\s+out|come\s+back)\b|"
    r"\b(?:jeg|eg|æ|e)\s+(?:kommer|kjem)\s+tilbake\b", re.IGNORECASE)


# What a word of praise alone was read as, other than thanks or a yes.
_PRAISE_MISREAD_AS = frozenset({GOODBYE_INTENT, FALLBACK_INTENT, "out_of_scope"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FarewellEndsIt(_OverTheReading):
    """"ok i will ask nav. bye" takes leave (it was read as NAV's courses, 0.51): a
    message that asks nothing and ends with a farewell is a goodbye. The crisis net runs
    after it and still wins."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        undone = intent not in _NOT_UNDONE_BY_A_FAREWELL or (
            intent == LEAVE_QUESTION_INTENT and _WILL_BE_IN_TOUCH.search(text))
        if intent == THANK_INTENT and not says_goodbye(text):
            return  # "takk for hjelpen": thanks, and the person may go on
        if undone and ends_with_farewell(text):
            override_intent(message, GOODBYE_INTENT)
        elif intent == GOODBYE_INTENT and asks_anything(text) \
                and not says_farewell(text):
            # "må jeg ha et bestemt snitt" (0.43 goodbye, for the "ha" of "ha det"): a
            # question that takes no leave is asked about, not said goodbye to.
            fall_back(message)
        elif intent == GOODBYE_INTENT and thanks_alone(text):
            # "nice takk" (0.50 goodbye) thanks and takes no leave: «Ha det bra» sent off a
            # person who may go on.
            override_intent(message, THANK_INTENT)
        elif intent in _PRAISE_MISREAD_AS and praise_alone(text):
            # "flott" after an answer (the fallback, 0.40) thanks for it; "nice" (0.80
            # goodbye) takes no leave.
            override_intent(message, THANK_INTENT)


GREET_INTENT = "greet"
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AGreetingThatAsks(_OverTheReading):
    """"God morgon. Er denne tenesta gratis?" was read as a greeting (the greeting alone
    was answered, the question never): a greeting that opens a question goes to the
    fallback, which reads the question alone and greets back if it cannot."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent == GREET_INTENT and question_after_greeting(message.get(TEXT) or ""):
            fall_back(message)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ThanksThatAsk(_OverTheReading):
    """"takk! kvar søkjer eg lån etterpå" was read as thanks (the thanks were answered, the
    question never): thanks that open a question go to the fallback, which reads the
    question alone."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent == THANK_INTENT and question_after_thanks(message.get(TEXT) or ""):
            fall_back(message)


_IN_SAMI = re.compile(r"\b(?:på|in|i)\s+(?:nord|north(?:ern)?\s+)?s[aá]mi(?:sk|sh)?\b|"
                      r"\bs[aá]megiel", re.IGNORECASE)
_GUIDANCE_OR_TALK = re.compile(
    r"veiled\w*|rettleiing\w*|snakk\w*|prat\w*|chat\w*|skriv\w*|talk\w*|speak\w*|"
    r"write|guidance|counsel\w*|someone|anyone|noen|nokon|rådgiv\w*", re.IGNORECASE)


def asks_for_guidance_in_sami(text: str) -> bool:
    """Whether a message asks to be helped in Sami ("can she chat with someone in North
    Sami?"), in Norwegian or English; the Sami quotas ("samisk bakgrunn") are not that."""
    return bool(_IN_SAMI.search(text) and _GUIDANCE_OR_TALK.search(text))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SamiRecogniser(_OverTheReading):
    """Northern Sami goes to a counsellor, whatever the classifier made of it, and so does
    a request to be helped in Sami."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        if intent == CRISIS_INTENT:
            return
        if asks_for_guidance_in_sami(text):
            # "can she chat with someone in sámegiella?" (0.4 the Sami quotas), "går det an
            # å få veiledning på samisk?": a counsellor who speaks Sami, as for Sami text.
            override_intent(message, SAMI_INTENT)
        elif detect_language(text) != SAMI:
            return
        elif is_a_plain_closing(text):
            # "takk, giitu" at the end of a chat: thanks, not a wish for a Sami counsellor.
            override_intent(message, THANK_INTENT)
        else:
            override_intent(message, SAMI_INTENT)


# Where the last question in a message begins: after the end of the sentence before it.
_LAST_QUESTION = re.compile(r"(?:^|(?<=[.!?])\s+)[^.!?]*\?[^.!?]*$")


def asked_about(matches: list[Any], text: str) -> Any | None:
    """Of the occupations a message names, the one its last question names: "I have worked
    in IT support for 15 years … What is the way to become a teacher?" asks about
    teachers. The first one named when the question names none, or nothing asks."""
    question = _LAST_QUESTION.search(text)
    if question is not None:
        for match in matches:
            if match.start >= question.start():
                return match
    return matches[0] if matches else None


# An occupation a person wants to become: right after "become", "retrain as", "bli",
# "utdanne meg til" (an article between); "trained as" is what they are.
_BECOMING = re.compile(
    r"(?:\bbecom\w*|\bwant\w*\s+to\s+be|\bwanna\s+be|\bretrain(?:ing)?\s+(?:as|to\s+be)|"
    r"\btrain(?:ing)?\s+(?:as|to\s+be)|\bstudy\w*\s+to\s+be|\bcareer\s+as|\bbli|\bverte|"
    r"\butdanne\s+(?:meg|seg|deg|ho|han|henne|ham)\s+(?:til|som)|\bomskolere\s+(?:meg|seg)\s+til|"
    # wanting to work as one: "eg vil jobbe som flygeleiar, kva utdanning krevst"
    r"\b(?:vil|ønsker|ønskjer|want\s+to|wants\s+to|would\s+like\s+to)\s+"
    r"(?:jobbe|jobba|arbeide|arbeida|work)\s+(?:som|as))"
    r"\s+(?:an?\s+|en\s+|ei\s+|et\s+|eit\s+|ein\s+)?$", re.IGNORECASE)
# The last sentence asks the way there: how, which education, what one must take. What
# one *should* choose ("kva bør eg velje?"), or what suits one, asks for guidance.
_ASKS_THE_WAY = re.compile(
    r"\bhow\b|\bwhat(?:'?s|\s+(?:does|is|would\s+be))\s+the\s+(?:\w+\s+)?(?:path|way|route)|"
    # whether it can be done at all: "… becoming a police officer. is that even possible
    # without finishing school?", "idk om det i det hele tatt gar an"
    r"\bis\s+(?:that|it|this)\s+(?:even\s+|still\s+)?possible\b|"
    r"\bg[aå]r\s+det\s+(?:i\s+det\s+hele\s+tatt\s+|i\s+det\s+heile\s+teke\s+)?an\b|"
    # getting in: "kan jeg komme inn pa sykepleie", "kva ma han gjere for a kome inn pa
    # politihogskulen?"
    r"\b(?:komme|kome|komma)\s+inn\b|\bget\s+in(?:to)?\b|"
    r"\bwhat\s+(?:(?:kind|sort|type)\s+of\s+)?(?:education|school|studies|study|training)|"
    r"\bwhich\s+(?:education|school|studies|programme)|"
    r"\b(?:hva|kva|ka)\s+(?:slags|for\s+(?:en|ei|ein))\s+(?:utdanning|skole|skule|studium)|"
    r"\bwhat\s+(?:do|does|must|shall)\s+(?:i|she|he|we|they)\s+(?:need|must|choose|take|study)|"
    r"\bwhat\s+(?:i|she|he|we)\s+(?:need|must)\b|"
    r"\bwhere\s+(?:do|does|should|shall|can|would)\s+(?:i|he|she|we|they|one)\s+"
    r"(?:even\s+|actually\s+)?(?:start|begin)|\bwhere\s+to\s+(?:start|begin)|"
    r"\b(?:do|does)\s+(?:i|he|she|we|they)\s+(?:need|have)\s+to\s+"
    r"(?:go\s+to\s+school|study|take|get|do)\b|\bcan\s+(?:i|he|she)\s+just\s+start|"
    r"\b(?:hvor|kor)\s+(?:skal|begynner|byrjar|starter|startar)\s+(?:jeg|eg|han|hun|ho|man|ein)\b|"
    r"\bmå\s+(?:jeg|eg|han|hun|ho)\s+(?:gå\s+på\s+skole|gå\s+på\s+skule|studere|ta)\b|"
    r"\bhvordan\b|\bkorleis\b|\bkossen\b|\bhåssen\b|\bhvilk\w+\s+utdanning|\bkva\s+utdanning|"
    r"\bhva\s+(?:må|skal|bør)\b|\bkva\s+(?:må|skal|bør)\b|\bka\s+(?:må|ska|bør)\b|\bveien\s+dit|"
    r"\bvegen\s+dit|"
    # what it takes: "Har lyst til å bli sykepleier. Hva trenger jeg for å komme inn?"
    r"\b(?:hva|kva|ka)\s+(?:trenger|treng|trengs|krevs|kreves|krever|krev)\b|"
    # school first or an apprenticeship, typed without å: "ma han ga vgs forst eller kan
    # han begynne som laerling rett etter 10. klasse?"
    r"\b(?:må|ma)\s+(?:jeg|eg|han|hun|ho|man)\s+(?:gå|ga)\s+(?:vgs|videreg\w+|vidareg\w+)|"
    r"\bkan\s+(?:jeg|eg|han|hun|ho|man)\s+(?:begynne|byrje|starte)\s+(?:som|i|på|pa)\s+"
    r"(?:lærling|laerling|lære|laere)|"
    # how long the way takes: "eg vil bli elektrikar her. kor lang tid tek det?"
    r"\b(?:hvor|kor|ka|åssen)\s+(?:lang\s+tid|lenge)\b|"
    # "… I want to become helsefagarbeider. What is the first step?" (the fallback)
    r"\b(?:first|next)\s+steps?\b|\b(?:første|fyrste|neste)\s+steg(?:et)?\b",
    re.IGNORECASE)
_WHAT_TO_CHOOSE = re.compile(
    r"\b(?:skal|shall|should|bør)\s+(?:jeg|eg|æ|e|i)\s+(?:velge|velje|choose|pick|go\s+for)\b|"
    r"\bsuits?\b|\bpass(?:er|ar)\b|\bright\s+for\s+me\b|\bgood\s+idea\b",
    re.IGNORECASE)
# What the work is like asks what it is, not the way there: "sønnen min vil bli rørlegger.
# hvordan er den jobben egentlig?", "korleis er det å jobbe som det?".
_WHAT_ITS_LIKE = re.compile(
    r"\b(?:hvordan|korleis|koss|how)\s+(?:er|is)\s+(?:den|det|the|that|this)\s+"
    r"(?:jobben|yrket|arbeidet|job|work)\b|"
    r"\b(?:hvordan|korleis|koss)\s+er\s+det\s+(?:å|a)\s+(?:jobbe|jobba|arbeide|arbeida|"
    r"være|vere)\b|\bwhat(?:'s|\s+is)\s+it\s+(?:really\s+)?like\b", re.IGNORECASE)
# Whether a degree from abroad must be approved asks about the degree, not the way:
# "…thinking of becoming a teacher. My degree is from Leeds - do I need to get it approved
# here?" got the way to become a teacher.
_ASKS_RECOGNITION = re.compile(
    r"\b(?:approv\w*|recogni[sz]\w*|godkjen\w*|godkjenn\w*|valid\w*|nokut|hk-?dir)\b",
    re.IGNORECASE)
# Readings a story about becoming something takes from the classifier, that the way to
# the occupation answers better: the story read as a wish for guidance, or the way read
# as one step of it (the programmes to list, the requirements), or years of work told as
# a trade certificate by experience ("… working in a call centre for 7 years … I'd like
# to become an electrician. What's the route for someone like me?"), or as going on, or
# what the work is ("hei, kva må eg søkje på viss eg vil bli sjukepleiar?", 0.54 going on),
# or a story of school left or a programme taken read as the right to upper secondary or
# what counsellors do ("sonen min er 19 og tok vg2 bygg, men no … vil bli politi").
_THE_WAY_READ_AS = frozenset({"ask_personal_guidance", "nlu_fallback", "inform",
                              "ask_upper_secondary_choices", "ask_admission_requirements",
                              "ask_23_5_rule", "ask_praksiskandidat", CONTINUE_TOPIC_INTENT,
                              "ask_occupation_description", "ask_upper_secondary_rights",
                              "ask_counsellor_help"})
OCCUPATION_PATH_INTENT = "ask_occupation_path"
# The way to an occupation read as applying to upper secondary, which it starts with:
# "Datteren min vil bli frisør. Hvordan er veien dit? Hun går i 10. klasse nå", "eg vil
# bli sjukepleiar, kva bør eg ta på vgs?"; unless the question asks how to apply.
UPPER_SECONDARY_APPLICATION_INTENT = "ask_upper_secondary_application"
_APPLYING = re.compile(r"\bs[øo]k\w*|\bapply\w*|\bapplication\w*|\bvigo\b|\w*frist\w*|"
                       r"\bdeadlines?\b", re.IGNORECASE)
# "og hvordan blir jeg det når jeg er 35 og har studiekompetanse fra før" (0.51 a trade
# certificate as an adult): the way to the occupation spoken of, whatever else is said.
_HOW_DO_I_BECOME_THAT = re.compile(
    r"^\W*(?:(?:og|men|and|but|so)\s+)?(?:hvordan|korleis|koss|åssen|how)\s+"
    r"(?:blir|bli|vert|verte|do|would|can)\s+(?:jeg|eg|æ|man|ein|en|i|you|one)\s+"
    r"(?:become\s+)?(?:det|that|one|it)\b|"
    # "kva utdanningsveg må eg velje for å kunne jobbe som det?" (0.5 guidance)
    r"\b(?:utdanning\w*|education|studies|training)\b.{0,40}\b(?:jobbe|jobba|arbeide|"
    r"arbeida|work|working)\s+(?:som|as)\s+(?:det|that|one|it|dette)\W*$", re.IGNORECASE)
# Readings that stand whatever the words: the person's safety and a wish for a person.
_NOT_THE_WAY = frozenset({CRISIS_INTENT, HANDOFF_INTENT, LEAVE_QUESTION_INTENT})
# How one becomes the occupation named next: "Hvordan blir man kokk i Norge? Jeg er 35,
# kommer fra Vietnam" (0.42 out of scope), "how can my son become a chef".
_SUBJECT = (r"(?:jeg|eg|æ|e|man|ein|en|i|you|one|han|hun|ho|he|she|vi|me|we|they|dei|de|"
            r"my\s+\w+|\w+\s+(?:min|mi|mitt))")
_HOW_TO_BECOME = re.compile(
    r"\b(?:hvordan|korleis|koss|kossen|åssen|håssen|how)\s+"
    rf"(?:(?:blir|vert|verte|becomes?)\s+{_SUBJECT}\s+|"
    rf"(?:kan|can|do|does|did|would|could|skal|ska|should|må|must)\s+{_SUBJECT}\s+"
    r"(?:bli|verte|become)\s+|(?:(?:å|a|to)\s+)?(?:bli|verte|become)\s+)"
    r"(?:an?\s+|en\s+|ei\s+|et\s+|eit\s+|ein\s+)?$", re.IGNORECASE)
_OCCUPATION_QUESTIONS = frozenset({OCCUPATION_PATH_INTENT, "ask_occupation_description"})


def wants_to_become(matches: list[Any], text: str) -> Any | None:
    """The one occupation ``text`` says the person wants to become, if it names one such."""
    targets = {match.occupation.id: match for match in matches
               if _BECOMING.search(text[max(0, match.start - 40):match.start])}
    return next(iter(targets.values())) if len(targets) == 1 else None


# A sentence of a word or two is a piece of one cut at an ordinal: "… rett etter 10.
# klasse?"
SENTENCE_MIN_WORDS = 3


def _whole_sentences(text: str) -> list[str]:
    """The sentences of ``text``, a piece cut at an ordinal joined to the one before."""
    said: list[str] = []
    for sentence in sentences(text):
        if said and len(sentence.split()) < SENTENCE_MIN_WORDS:
            said[-1] = f"{said[-1]} {sentence}"
        else:
            said.append(sentence)
    return said


def _last_sentence(text: str) -> str:
    said = _whole_sentences(text)
    return said[-1] if said else ""


def _last_question(text: str) -> str:
    """The last sentence that asks, or the last sentence: a remark may end a story after
    its question ("… kva ma han gjere for a kome inn pa politihogskulen? han er flink og i
    god form")."""
    said = _whole_sentences(text)
    asking = [sentence for sentence in said if "?" in sentence or asks_anything(sentence)]
    return asking[-1] if asking else (said[-1] if said else "")


# Help to choose is guidance, however much a programme or study choice is named: "i need
# help picking a programme for vg1" read as how many programmes one may list (0.66).
_NUMBER_OF_CHOICES = frozenset({"ask_upper_secondary_choices", "ask_higher_education_choices"})
# ... or as a pupil's rights, or not placed: "who can help him choose the programme?" (the
# fallback, 0.31 the rights) after changing programme got the rights quoted.
_HELP_TO_CHOOSE_READ_AS = _NUMBER_OF_CHOICES | {FALLBACK_INTENT, "ask_upper_secondary_rights"}
_HELP_TO_CHOOSE = re.compile(
    r"\b(?:hjelp|hjelpe|hjelpa|help|helping)\b.{0,30}?\b(?:velge|velje|velja|bestemme|"
    r"choose|choosing|pick|picking|decide|deciding)\b", re.IGNORECASE)
_HOW_MANY = re.compile(r"\b(?:hvor|kor|ka)\s+mange\b|\bhow\s+many\b", re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HelpToChoose(_OverTheReading):
    """A request for help to choose, read as the number of choices one may list (or a
    pupil's rights, or not placed), asks for guidance: a counsellor helps to choose; how
    many may be listed is asked as such."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        if intent in _HELP_TO_CHOOSE_READ_AS and _HELP_TO_CHOOSE.search(text) \
                and not _HOW_MANY.search(text):
            override_intent(message, PERSONAL_GUIDANCE_INTENT)


# Upper secondary asked about by an adult is upper secondary for adults: no age limit, the
# county's own admission, modules. "hello, i am 26 and from Eritrea. i only finished 10
# years of school in my country. can i go to upper secondary school in norway at my age?"
# (the fallback; 0.48 the right to upper secondary in its last sentence) got a pupil's
# rights, and "how long does it take" after it nothing.
ADULT_UPPER_SECONDARY_INTENT = "ask_adult_upper_secondary"
_A_PUPILS_READINGS = frozenset({FALLBACK_INTENT, "ask_upper_secondary_rights",
                                "ask_upper_secondary_application"})
_NAMES_UPPER_SECONDARY = re.compile(
    r"\bvgs\b|\bvg[123]\b|vid[ae]reg[aå]+[aen]+de|upper\s+secondary|high\s+school|"
    r"secondary\s+school", re.IGNORECASE)
_AS_AN_ADULT = re.compile(r"\b(?:som|i)\s+(?:voksen|vaksen)\b|\bas\s+an\s+adult\b|"
                          r"\b(?:voksen|vaksen)\s+alder\b", re.IGNORECASE)
# The age said may be a parent's: "I'm 45 and my daughter wants to start at vgs".
_A_CHILD = re.compile(
    r"\b(?:sønn\w*|sonen|sonnen|datter\w*|dotter\w*|dottera|dattera|gutten|jenta|barn\w*|"
    r"ungen|ungdommen|son|daughter|child\w*|kids?|teenager)\b", re.IGNORECASE)
# Higher education or admission on prior learning asked about: "and if I'm 25 with no
# upper secondary, can I use realkompetanse instead?" (after the admission requirements)
# is no question about going back to school.
_BEYOND_UPPER_SECONDARY = re.compile(
    r"realkompetanse\w*|prior\s+learning|\buniversit\w*|\buni\b|\bcollege\b|"
    r"h[øo]y?g?skol\w*|h[øo]gskul\w*|\bbachelor\w*|\bsamordna\b|\bdegree\b",
    re.IGNORECASE)
# The adult reading must be one the classifier weighed.
ADULT_AMONG_THE_FIRST = 3


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AnAdultsUpperSecondary(_OverTheReading):
    """A pupil's reading of a question about upper secondary, asked by someone who says
    they are 25 or older or asks as an adult, is upper secondary for adults."""

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        if intent not in _A_PUPILS_READINGS or not _NAMES_UPPER_SECONDARY.search(text) \
                or _A_CHILD.search(text) or _BEYOND_UPPER_SECONDARY.search(text) \
                or not (says_an_adults_age(text) or _AS_AN_ADULT.search(text)):
            return
        weighed = [entry.get(INTENT_NAME_KEY) for entry in message.get(INTENT_RANKING_KEY) or []
                   if entry.get(INTENT_NAME_KEY) != FALLBACK_INTENT][:ADULT_AMONG_THE_FIRST]
        if ADULT_UPPER_SECONDARY_INTENT in weighed:
            override_intent(message, ADULT_UPPER_SECONDARY_INTENT)


# Upper secondary's programmes, named in a question read as one about an occupation that
# names none: "hvor finner jeg info om de ulike programmene?" (0.75 what an occupation is)
# was asked which occupation. Study programmes of another level are that level's.
UPPER_SECONDARY_CHOICES_INTENT = "ask_upper_secondary_choices"
_NAMES_PROGRAMMES = re.compile(
    r"\b(?:utdannings)?program(?:met|mer|mene|ma|a|me|s)?\b|\bprogrammes?\b|"
    r"\butdanningsprogram\w*|\blinj(?:e|a|er|ene|ane|ar)\b|\bstudieretning\w*",
    re.IGNORECASE)
_ANOTHER_LEVELS_PROGRAMMES = re.compile(
    _BEYOND_UPPER_SECONDARY.pattern + r"|fagsk[uo]l\w*|folkeh\w*|\bstudy\s+programmes?\b|"
    r"\bstudieprogram\w*|\bmaster\w*", re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TheWayToAnOccupation(_OverTheReading):
    """A person who says what they want to become and asks the way there gets the way to
    that occupation: "I'm a 41-year-old English teacher … always fancied becoming an
    electrician. How would I go about that?" was read as a wish for guidance (0.81), with
    the teacher they are as the occupation. A question read as one about an occupation
    that names none, but upper secondary's programmes, is about the programmes."""

    def __init__(self, config: dict[str, Any], finder: OccupationFinder | None = None) -> None:
        super().__init__(config)
        self.finder = finder or occupations()

    def reread(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        text = message.get(TEXT) or ""
        if intent in _OCCUPATION_QUESTIONS and _NAMES_PROGRAMMES.search(text) \
                and not _ANOTHER_LEVELS_PROGRAMMES.search(text) \
                and not self.finder.find_all(text):
            override_intent(message, UPPER_SECONDARY_CHOICES_INTENT)
            return
        if intent in _OCCUPATION_QUESTIONS and asks_if_it_counts(text):
            # "teller militæret som arbeid?" after the 23/5 rule (0.48 what a soldier
            # does) asks whether it counts for the answer before: the fallback reads it so.
            fall_back(message)
            return
        if intent not in _NOT_THE_WAY and intent != OCCUPATION_PATH_INTENT \
                and _HOW_DO_I_BECOME_THAT.search(text):
            override_intent(message, OCCUPATION_PATH_INTENT)  # the form knows which one
            return
        # (a degree or papers from abroad: their readings answer that person better)
        if intent not in _NOT_THE_WAY | RECOGNITION_QUESTIONS \
                and intent != OCCUPATION_PATH_INTENT:
            asked = self._how_to_become_asked(text)
            if asked is not None:
                _the_way_to(message, asked)
                return
        if intent not in _THE_WAY_READ_AS and intent != UPPER_SECONDARY_APPLICATION_INTENT:
            return  # most messages: no need to cut them into sentences
        question = _last_question(text)
        if intent == UPPER_SECONDARY_APPLICATION_INTENT and _APPLYING.search(question):
            return  # "vil bli elektriker, hvordan søker jeg vgs?" asks how to apply
        if not (_ASKS_THE_WAY.search(question) or _asks_only_to_become(question)) \
                or _WHAT_TO_CHOOSE.search(question) or _ASKS_RECOGNITION.search(question) \
                or _WHAT_ITS_LIKE.search(question) or tells_of_a_degree_from_abroad(text):
            return
        target = wants_to_become(self.finder.find_all(text), text)
        if target is not None:
            _the_way_to(message, target)

    def _how_to_become_asked(self, text: str) -> Any | None:
        """The occupation the last question asks how one becomes, if it asks that."""
        question = _last_question(text).lower()
        if _ASKS_RECOGNITION.search(question) or tells_of_a_degree_from_abroad(text):
            # "I have a nursing degree from Kenya. How do I become a nurse in Norway?":
            # its recognition (an authorisation) answers it, not the way from the start.
            return None
        asked = [match for match in self.finder.find_all(text)
                 if _HOW_TO_BECOME.search(text[max(0, match.start - 50):match.start])
                 and text[match.start:match.end].lower() in question]
        return asked[-1] if asked else None


# "and after that become engineer?" (0.42 going on, after påbygg): a short question that
# is only the wish to become something asks the way there.
# ("men hvis jeg vil bli maler i stedet?" asks the question before for another one.)
_ONLY_TO_BECOME = re.compile(
    r"^\W*(?:(?:and|og|then|så|after\s+that|etter\s+det|deretter|etterpå|later|seinare|"
    r"senere|hva|kva|what)\W+)*(?:(?:can|could|kan)\s+(?:i|eg|jeg|æ|he|she|han|hun|ho)\s+|"
    # the wish as a condition: "og hvis jeg vil bli elektriker etterpå?" after what a
    # carpenter does (0.93 going on) got what an electrician does
    r"(?:hvis|om|viss|dersom|if)\s+(?:jeg|eg|æ|i|he|she|han|hun|ho)\s+(?:vil|ønsker\s+å|"
    r"ønskjer\s+å|want\s+to|wants\s+to|would\s+like\s+to)\s+)?"
    r"(?:become|bli|verte)\b", re.IGNORECASE)
SHORT_WISH_WORDS = 8


def _asks_only_to_become(question: str) -> bool:
    return question.rstrip().endswith("?") and len(question.split()) <= SHORT_WISH_WORDS \
        and bool(_ONLY_TO_BECOME.search(question))


def _the_way_to(message: Message, target: Any) -> None:
    """Read ``message`` as asking the way to the occupation ``target`` names."""
    override_intent(message, OCCUPATION_PATH_INTENT)
    others = [entity for entity in message.get(ENTITIES) or []
              if entity.get(ENTITY_ATTRIBUTE_TYPE) != OCCUPATION_ENTITY]
    entity = {ENTITY_ATTRIBUTE_TYPE: OCCUPATION_ENTITY, ENTITY_ATTRIBUTE_START: target.start,
              ENTITY_ATTRIBUTE_END: target.end, ENTITY_ATTRIBUTE_VALUE: target.occupation.id,
              "extractor": TheWayToAnOccupation.__name__}
    message.set(ENTITIES, others + [entity], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlaceExtractor(_Stateless, EntityExtractorMixin):
    """Adds a ``county`` entity for each place named, its value the county the place is in
    ("bor i Alta" -> Finnmark): the gazetteer of ``data/places.yml``, which also finds
    places typed without æ, ø, å ("i bodo", "Tromso") and Northern Sami names. The career
    centre form reads the same gazetteer, so a place is understood the same way in a
    question and in a bare answer."""

    def __init__(self, config: dict[str, Any], places: Gazetteer | None = None) -> None:
        super().__init__(config)
        self.places = places or gazetteer()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {ENTITY_ATTRIBUTE_TYPE: COUNTY_ENTITY, ENTITY_ATTRIBUTE_START: start,
                 ENTITY_ATTRIBUTE_END: end, ENTITY_ATTRIBUTE_VALUE: county}
                for start, end in self.places.spans(text)
                if (county := self.places.county_of(text[start:end])) is not None]
            if found:
                entities = (message.get(ENTITIES) or []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class OccupationExtractor(_Stateless, EntityExtractorMixin):
    """Adds an ``occupation`` entity whose value is the occupation's id."""

    def __init__(self, config: dict[str, Any], finder: OccupationFinder | None = None) -> None:
        super().__init__(config)
        self.finder = finder or occupations()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            match = asked_about(self.finder.find_all(text), text)
            if match is None:
                continue
            entity = {
                ENTITY_ATTRIBUTE_TYPE: OCCUPATION_ENTITY,
                ENTITY_ATTRIBUTE_START: match.start,
                ENTITY_ATTRIBUTE_END: match.end,
                ENTITY_ATTRIBUTE_VALUE: match.occupation.id,
            }
            found = self.add_extractor_name([entity])
            message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages
