"""Markup, script and keyboard mash get no career answer.

A classifier always picks some intent: "<script>alert(1)</script>" or "asdkjh qwe" would be
answered as a question about student loans if nothing stopped it. A message is nonsense
when it holds markup or script, or when none of its words is a word: not in Norsk Ordbank
(bot/server/nlp/spelling.py), not a dialect form, and not in any training example (English and
Nynorsk questions are). Nonsense becomes ``nlu_fallback``, and the bot asks what was meant.
A link alone asks nothing either (the classifier read one as an e-mail address given to
the callback form), nor does a sum in a short message ("whats 2+2" got the apprenticeship
answer). Digits or symbols alone are left to the classifier (a phone number is
an answer to the callback form). A message with a place or an occupation in it is never
nonsense; a crisis message is never lost to this (the crisis net runs after it).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.server.nlp import stored
from bot.server.nlp.features import DEFAULT_TABLES, speller_at
from bot.server.nlp.spelling import Speller, unstretched
from bot.shared.asking import NONSENSE_KEY, asks, says_farewell
from bot.shared.crisis import is_a_plain_closing

FALLBACK_INTENT = "nlu_fallback"
VOCABULARY_FILE = "vocabulary.pkl"
_MARKUP = re.compile(
    r"<[^<>]{0,200}>|&#?\w{1,10};|\b(?:https?|javascript|data|vbscript):\S*|\{\{.*?\}\}|\$\{.*?\}",
    re.IGNORECASE | re.DOTALL,
)
# Markup or script in a chat message is never a career question, whatever words it holds.
_CODE = re.compile(
    r"<\s*/?\s*[a-z][^<>]{0,200}>|\bjavascript:|\bon(?:error|load|click|mouse\w*|focus)\s*=",
    re.IGNORECASE,
)
# Sums ("whats 2+2", "hva er 12*12"), in a short message: no career question ("23+5" is
# how some write the 23/5 rule).
_SUM = re.compile(
    r"(?<![\w/])(?!23\s*\+\s*5\b)\d+(?:[.,]\d+)?\s*[+*×÷^=]\s*\d+(?:[.,]\d+)?(?![\d.,])"
    # "er 3+2 år nok?" adds up time, for the 23/5 rule or a trade's practice
    r"(?!\s*(?:år|aar|years?|yrs|mnd|måneder|månader|months?|timer|timar|hours?|uker|veker|"
    r"weeks?)\b)", re.IGNORECASE)
SUM_MAX_WORDS = 5
# A web address, with or without its scheme.
_LINK = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)\S+", re.IGNORECASE)
_LINK_ONLY_REST = " \t\r\n.,;:!?()[]<>\"'"
# "/human_handoff" typed as text (the channels mark it with a word joiner so that Rasa does
# not unpack it; a real button never reaches the pipeline): never the intent it names.
_PAYLOAD = re.compile(r"[\s\u2060]*/[A-Za-z_]\w*\s*(?:\{.*\})?\s*$", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Compounds: up to three known parts of two letters or more, joined directly or by the
# linking letters of Norwegian compounds ("yrke-s-fag").
COMPOUND_PARTS = 3
COMPOUND_MIN_PART = 2
COMPOUND_MIN_LENGTH = 5
LINKS = "se"


# Chat shorthand ("tnx", "næh", "jepp") is in no dictionary. Thanks and OK as people type
# them ("tnx", "thx", "ty") are known closings (bot/shared/crisis.py) and never nonsense.
# Other shorthand: one short word the classifier is sure is small talk keeps that
# reading: small talk is never a career answer, and mash is seldom read as small talk
# with that confidence (bench/README.md, issue 13).
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny"})
SHORTHAND_MAX_LETTERS = 4
SHORTHAND_CONFIDENCE = 0.7
_SHORTHAND = re.compile(rf"\s*[^\W\d_]{{2,{SHORTHAND_MAX_LETTERS}}}[\s.!?]*")


def is_chat_shorthand(text: str, intent: dict[str, Any]) -> bool:
    return (bool(_SHORTHAND.fullmatch(text)) and intent.get(INTENT_NAME_KEY) in SMALL_TALK
            and float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= SHORTHAND_CONFIDENCE)


# "hvilke fag må jeg ha da" was read as goodbye (0.66): "ha" is half of "ha det". A
# message that asks (a question word opening a sentence or clause, four words or more)
# and says no farewell is no goodbye: the fallback asks what was meant, or reads it with
# the question before, instead of "Ha det bra, og lykke til!".
GOODBYE = "goodbye"
QUESTION_MIN_WORDS = 4


def asks_instead_of_leaving(text: str, intent: dict[str, Any]) -> bool:
    return (intent.get(INTENT_NAME_KEY) == GOODBYE and len(words(text)) >= QUESTION_MIN_WORDS
            and asks(text) and not says_farewell(text))


def without_markup(text: str) -> str:
    return _MARKUP.sub(" ", text)


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(without_markup(text))]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NonsenseGuard(GraphComponent, IntentClassifier):
    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 speller: Speller, vocabulary: frozenset[str] = frozenset()) -> None:
        self.component_config = config
        self._storage = model_storage
        self._resource = resource
        self.speller = speller
        self.vocabulary = vocabulary

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"tables": DEFAULT_TABLES}

    @classmethod
    def required_components(cls) -> list[type]:
        return []

    @classmethod
    def _speller(cls, config: dict[str, Any]) -> Speller:
        return speller_at({**cls.get_default_config(), **config}["tables"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NonsenseGuard:
        return cls(config, model_storage, resource, cls._speller(config))

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> NonsenseGuard:
        # Without a vocabulary, Norsk Ordbank alone still tells words from mash.
        vocabulary = stored.load(model_storage, resource, VOCABULARY_FILE) or frozenset()
        return cls(config, model_storage, resource, cls._speller(config), vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = frozenset(
            word for message in training_data.intent_examples
            for word in words(message.get(TEXT) or "")
        )
        stored.save(self._storage, self._resource, VOCABULARY_FILE, self.vocabulary)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if (self.is_nonsense(text) and not message.get(ENTITIES)
                    and not is_chat_shorthand(text, message.get(INTENT) or {})):
                # The classifier's ranking of mash is noise: no topic to suggest (the
                # clarify action would offer its top three as "Gjelder det ett av disse?").
                self._to_fallback(message, others=[])
                message.set(NONSENSE_KEY, True, add_to_output=True)
            elif asks_instead_of_leaving(text, message.get(INTENT) or {}):
                # The other readings stay, as topics to offer.
                self._to_fallback(message, others=[
                    reading for reading in message.get(INTENT_RANKING_KEY) or []
                    if reading.get(INTENT_NAME_KEY) != GOODBYE])
        return messages

    @staticmethod
    def _to_fallback(message: Message, others: list[dict[str, Any]]) -> None:
        """The fallback at the classifier's confidence, ranked first before ``others``."""
        confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY, 0.0)
        fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback, *others], add_to_output=True)

    def is_nonsense(self, text: str) -> bool:
        if not text.strip():
            return False  # empty is handled by the channels
        if _CODE.search(text) or _PAYLOAD.match(text):
            return True
        rest, links = _LINK.subn(" ", text)
        if links and not rest.strip(_LINK_ONLY_REST):
            return True  # links and nothing else: the bot asks what the person means
        if is_a_plain_closing(text):
            return False  # "tnx", "thx", "ty": thanks as people type them
        found = words(text)
        if _SUM.search(text) and len(text.split()) <= SUM_MAX_WORDS:
            return True
        # Digits alone are often an answer ("928 44 102" for a phone number, "2027"): the
        # classifier and the dialogue decide those.
        return bool(found) and not any(self._is_word(word) for word in found)

    def _is_word(self, word: str) -> bool:
        return any(self._is_known(form) or self._is_compound(form)
                   for form in (word, *unstretched(word)))

    def _is_known(self, word: str) -> bool:
        return (word in self.vocabulary or self.speller.is_known(word)
                or self.speller.correct(word) is not None)

    def _is_compound(self, word: str, parts: int = COMPOUND_PARTS) -> bool:
        """Known words written together: Norwegian compounds Norsk Ordbank does not list
        ("samekvote", "yrkesfagkvote") and phrases typed as one word ("hadebra"). Mash
        rarely splits into words: its pieces are too short or unknown."""
        if len(word) < COMPOUND_MIN_LENGTH:
            return False
        for cut in range(COMPOUND_MIN_PART, len(word) - COMPOUND_MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            if not self._is_known(head):
                continue
            if self._is_known(tail) or (tail[0] in LINKS and self._is_known(tail[1:])):
                return True
            if parts > 2 and self._is_compound(tail, parts - 1):
                return True
        return False
