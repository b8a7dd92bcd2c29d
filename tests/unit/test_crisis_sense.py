"""The crisis sense's own arithmetic for a message gives scikit-learn's probability."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np
import pytest

from bot.server.nlp.crisis_sense import MODEL_FILE, CrisisSense
from bot.shared.settings import PROJECT_DIR

MODEL = PROJECT_DIR / "models" / "veivalg.tar.gz"
MESSAGES = [
    "jeg orker ikke mer, vil bare forsvinne", "Når er søknadsfristen til Samordna opptak?",
    "pappa slår meg når han drikker", "eg vil ikkje leve lenger", "i want to end it all",
    "hei", "?", "", "zzzzqqqq", "<script>alert(1)</script>", "æøå ÆØÅ",
    "Kan jeg bli praksiskandidat? Jeg har jobbet i butikk i ti år og vil ta fagbrev.",
    "takk takk takk takk takk", "Mun in šat šat eallit šat", "😢😢😢",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> CrisisSense:
    if not MODEL.exists():
        pytest.skip("no trained model (make model)")
    directory = tmp_path_factory.mktemp("crisis_sense")
    with tarfile.open(MODEL) as model:
        member = next(m for m in model.getmembers() if m.name.endswith("/" + MODEL_FILE))
        (directory / MODEL_FILE).write_bytes(model.extractfile(member).read())
    return CrisisSense.load(Path(directory))


def _embeddings(count: int, dim: int) -> np.ndarray:
    vectors = np.random.default_rng(7).normal(size=(count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_shipped_model_is_scored_directly(shipped: CrisisSense) -> None:
    assert shipped.direct is not None, "_DirectScores.of refused the shipped model"


def test_the_same_probability_as_scikit_learn(shipped: CrisisSense,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    dim = shipped.classifier.coef_.shape[1] - len(shipped.ngrams.vocabulary_)
    vectors = _embeddings(len(MESSAGES), dim)
    with monkeypatch.context() as patched:
        patched.setattr(shipped.classifier, "predict_proba", None)  # not scikit-learn's way
        ours = np.concatenate([shipped.scores([text], vectors[i:i + 1])
                               for i, text in enumerate(MESSAGES)])
    theirs = shipped.classifier.predict_proba(
        shipped._features(shipped.ngrams, vectors, MESSAGES))[:, 1]
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
    assert ours.min() < 0.2 < 0.8 < ours.max()  # the messages span the scale


def test_a_model_of_another_kind_goes_the_scikit_learn_way() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["jeg vil dø", "når er fristen", "eg vil ikkje leve", "kva kostar det"]
    ngrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(texts)  # not sublinear
    features = np.hstack([_embeddings(4, 3), ngrams.transform(texts).toarray()])
    classifier = LogisticRegression().fit(features, [1, 0, 1, 0])
    sense = CrisisSense(ngrams, classifier)
    assert sense.direct is None
    vectors = _embeddings(1, 3)
    expected = classifier.predict_proba(sense._features(ngrams, vectors, ["jeg vil"]))[:, 1]
    np.testing.assert_allclose(sense.scores(["jeg vil"], vectors), expected)
