"""One spaCy pipeline per process, not one per graph node.

Rasa's model graph has two nodes of the SpacyNLP component (one provides the pipeline,
one runs it), and each one's constructor loads the pipeline from disk: two copies of
the same read-only pipeline in memory. Loaded once per path here, they share it.
"""

from __future__ import annotations

from functools import lru_cache

from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

# Registers the lemmatizer that build/spacy-nb names (bot/server/nlp/features.py does the same
# for plain `rasa` commands, whose graph imports it before the pipeline is loaded).
from bot.server.nlp import lemmatizer  # noqa: F401

_load_model = SpacyNLP.load_model


@lru_cache(maxsize=4)
def load_model_once(spacy_model_name: str) -> SpacyModel:
    return _load_model(spacy_model_name)


def apply() -> None:
    SpacyNLP.load_model = staticmethod(load_model_once)  # type: ignore[method-assign,assignment]
