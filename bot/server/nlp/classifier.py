"""The intent classifier: a linear SVM over every featurizer's sentence features.

Chosen by measurement (bench/README.md, NLU): on our held-out questions a linear model on
the word and character counts together with the sentence embedding beat DIET on the same
features, and it trains in seconds instead of minutes. Each featurizer's counts are
TF-IDF-weighted (sublinear) and scaled to unit length, the embedding weighs ``dense_weight``
against them, and the SVM's scores are calibrated into probabilities out of fold (Platt
scaling), so that the FallbackClassifier's thresholds mean what they say.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, spmatrix

from bot.server.nlp import stored
from bot.server.nlp.linear_scores import LinearScores

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intents.pkl"
SEED = 42


@dataclass
class _Model:
    origins: list[str]  # featurizers, in the order their features are stacked
    weights: dict[str, Any]  # origin -> TfidfTransformer (counts) or None (dense)
    dims: dict[str, int]
    classifier: Any  # CalibratedClassifierCV


def sentence_features(message: Message) -> dict[str, Any]:
    """origin -> the message's sentence-level feature row for its text."""
    return {
        features.origin: features.features
        for features in message.features
        if features.type == FEATURE_TYPE_SENTENCE and features.attribute == TEXT
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource, model: _Model | None = None) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.model = model
        self._scores: LinearScores | None = None
        self._scores_for: _Model | None = None  # the model _scores was made from

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 1.0, "dense_weight": 2.0, "calibration_folds": 5}

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        model = stored.load(model_storage, resource, MODEL_FILE)
        if model is None:
            logger.warning("No trained intent classifier in the model: every intent is unknown.")
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfTransformer

        examples = [m for m in training_data.intent_examples if sentence_features(m)]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("Fewer than two intents to learn: the classifier is not trained.")
            return self._resource
        rows = [sentence_features(m) for m in examples]
        origins = sorted({origin for row in rows for origin in row})
        dims = {origin: next(r[origin].shape[-1] for r in rows if origin in r)
                for origin in origins}
        weights: dict[str, Any] = {}
        for origin in origins:
            sample = next(r[origin] for r in rows if origin in r)
            if isinstance(sample, spmatrix):
                weights[origin] = TfidfTransformer(sublinear_tf=True).fit(
                    _stack_sparse([r.get(origin) for r in rows], dims[origin]))
            else:
                weights[origin] = None
        model = _Model(origins, weights, dims, None)
        model.classifier = self._fit(self._matrix(model, rows), labels)
        self.model = model
        stored.save(self._storage, self._resource, MODEL_FILE, model)
        return self._resource

    def _fit(self, matrix: Any, labels: list[str]) -> Any:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC

        fewest = min(Counter(labels).values())
        folds = max(2, min(int(self.component_config["calibration_folds"]), fewest))
        classifier = CalibratedClassifierCV(
            LinearSVC(C=float(self.component_config["C"]), random_state=SEED),
            method="sigmoid", ensemble=False,
            cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED),
        )
        return classifier.fit(matrix, np.asarray(labels))

    def _matrix(self, model: _Model, rows: list[dict[str, Any]]) -> Any:
        blocks = []
        for origin in model.origins:
            dim = model.dims[origin]
            transformer = model.weights[origin]
            if transformer is not None:
                blocks.append(transformer.transform(_stack_sparse(
                    [row.get(origin) for row in rows], dim)))
            else:
                dense = np.vstack([
                    np.asarray(row[origin], dtype=np.float32).reshape(1, -1) if origin in row
                    else np.zeros((1, dim), dtype=np.float32) for row in rows
                ])
                blocks.append(csr_matrix(dense * float(self.component_config["dense_weight"])))
        return hstack(blocks).tocsr()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._classify(message)
        return messages

    def _probabilities(self, row: dict[str, Any]) -> np.ndarray:
        """One message's probability per intent: the fitted model's own arithmetic
        (bot/server/nlp/linear_scores.py), or scikit-learn's path where that cannot do it."""
        if self._scores_for is not self.model:
            self._scores = LinearScores.of(self.model, self.component_config["dense_weight"])
            self._scores_for = self.model
        if self._scores is not None:
            return self._scores.probabilities(row)
        return self.model.classifier.predict_proba(self._matrix(self.model, [row]))[0]

    def _classify(self, message: Message) -> None:
        row = sentence_features(message)
        if self.model is None or not row:
            message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                        add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
            return
        probabilities = self._probabilities(row)
        order = np.argsort(probabilities)[::-1][:LABEL_RANKING_LENGTH]
        ranking = [{INTENT_NAME_KEY: str(self.model.classifier.classes_[i]),
                    PREDICTED_CONFIDENCE_KEY: float(probabilities[i])} for i in order]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _stack_sparse(rows: list[Any], dim: int) -> Any:
    """One CSR matrix from sentence rows (a row may be missing: zeros)."""
    from scipy.sparse import vstack

    return vstack([row if row is not None else csr_matrix((1, dim)) for row in rows]).tocsr()
