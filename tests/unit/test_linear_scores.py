"""The classifier's own arithmetic for one message gives scikit-learn's probabilities."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from bot.server.nlp import classifier
from bot.server.nlp.linear_scores import LinearScores
from bot.shared.settings import PROJECT_DIR

MODEL = PROJECT_DIR / "models" / "veivalg.tar.gz"
MESSAGES = [
    "Når er søknadsfristen til Samordna opptak?", "hei", "kva er fristen for å søkje studielån?",
    "jeg er 23 og har ikke studiekompetanse, hva gjør jeg?", "asdkjh qwpoeiru", "takk!",
    "how do I apply for an apprenticeship in Bergen?", "<b>fag</b> 12345",
    "æøå ÆØÅ ́", "sykepleier sykepleier sykepleier lønn lønn", "?",
    "min sønn på 17 har slutta på skolen og vil begynne igjen, har han rett til det?",
]


@pytest.fixture(scope="module")
def rows_and_model() -> Iterator[tuple[list[dict[str, Any]], Any, LinearScores | None]]:
    if not MODEL.exists():
        pytest.skip("no trained model (make model)")
    # Plain Rasa: bot.server.rasa_ext's changes, once applied, would stay for the whole test run.
    from rasa.core.agent import Agent

    rows: list[dict[str, Any]] = []
    seen: dict[str, Any] = {}
    original = classifier.LinearIntentClassifier._probabilities

    def capture(self: Any, row: dict[str, Any]) -> np.ndarray:
        rows.append(row)
        seen["component"] = self
        return original(self, row)

    classifier.LinearIntentClassifier._probabilities = capture  # type: ignore[method-assign]
    try:
        agent = Agent.load(str(MODEL))
        for text in MESSAGES:
            asyncio.run(agent.parse_message(text))
    finally:
        classifier.LinearIntentClassifier._probabilities = original  # type: ignore[method-assign]
    component = seen["component"]
    yield rows, component, component._scores


def test_the_shipped_model_is_computed_the_fast_way(rows_and_model: Any) -> None:
    _, _, scores = rows_and_model
    assert scores is not None, "LinearScores.of refused the shipped model: see its checks"


def test_the_same_probabilities_as_scikit_learn(rows_and_model: Any) -> None:
    rows, component, scores = rows_and_model
    assert len(rows) == len(MESSAGES)
    for row in rows:
        expected = component.model.classifier.predict_proba(
            component._matrix(component.model, [row]))[0]
        got = scores.probabilities(row)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
        assert np.argmax(got) == np.argmax(expected)


def test_the_message_s_own_features_are_left_as_they_were(rows_and_model: Any) -> None:
    rows, _, scores = rows_and_model
    row = rows[0]
    before = {origin: (f.toarray() if hasattr(f, "toarray") else np.array(f))
              for origin, f in row.items()}
    scores.probabilities(row)
    for origin, feature in row.items():
        after = feature.toarray() if hasattr(feature, "toarray") else np.array(feature)
        np.testing.assert_array_equal(after, before[origin])
