"""The intent classifier's probabilities for one message, without the per-call overhead.

For one message, building the feature row (TF-IDF weighting, stacking, sparse format
checks) and the calibrated SVM's ``predict_proba`` (one Python call per intent) took about
2.8 of the 3.5 ms the classifier spent, for a few hundred multiplications. This computes
the same numbers from the fitted model's arrays: the sublinear TF-IDF weighting and unit
length of each featurizer's counts, the weighted sentence embedding, the SVM's scores and
each intent's sigmoid (Platt) calibration, normalised as scikit-learn 1.1 does.
tests/unit/test_linear_scores.py checks that the two agree on real messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit


@dataclass(frozen=True)
class _Block:
    origin: str
    start: int  # the block's first column in the stacked row
    dim: int
    idf: np.ndarray | None  # None: a dense block (the sentence embedding)
    sublinear: bool
    l2: bool


@dataclass(frozen=True)
class LinearScores:
    blocks: tuple[_Block, ...]
    coef: np.ndarray  # intents x columns
    intercept: np.ndarray
    slope: np.ndarray  # each intent's sigmoid: expit(-(slope * score + offset))
    offset: np.ndarray
    dense_weight: float

    @classmethod
    def of(cls, model: Any, dense_weight: float) -> LinearScores | None:
        """From a trained ``_Model``, or None if it is not the kind this can compute (then
        scikit-learn's own path is used)."""
        classifier = model.classifier
        calibrated = getattr(classifier, "calibrated_classifiers_", None)
        if not calibrated or len(calibrated) != 1:
            return None
        calibrated = calibrated[0]
        svm = calibrated.base_estimator
        calibrators = calibrated.calibrators
        if not hasattr(svm, "coef_") or len(svm.classes_) < 3 or \
                list(svm.classes_) != list(classifier.classes_) or \
                len(calibrators) != len(svm.classes_) or \
                not all(hasattr(c, "a_") and hasattr(c, "b_") for c in calibrators):
            return None
        blocks, start = [], 0
        for origin in model.origins:
            weighting = model.weights[origin]
            if weighting is not None and (
                    not getattr(weighting, "use_idf", False)
                    or getattr(weighting, "norm", None) not in ("l2", None)):
                return None
            blocks.append(_Block(
                origin, start, model.dims[origin],
                None if weighting is None else np.asarray(weighting.idf_, dtype=np.float64),
                bool(getattr(weighting, "sublinear_tf", False)),
                getattr(weighting, "norm", None) == "l2"))
            start += model.dims[origin]
        if start != svm.coef_.shape[1]:
            return None
        return cls(tuple(blocks), np.ascontiguousarray(svm.coef_, dtype=np.float64),
                   np.asarray(svm.intercept_, dtype=np.float64),
                   np.array([float(c.a_) for c in calibrators]),
                   np.array([float(c.b_) for c in calibrators]), float(dense_weight))

    def probabilities(self, row: dict[str, Any]) -> np.ndarray:
        """Each intent's probability (in ``classes_`` order) for one message's features."""
        scores = self.intercept.copy()
        for block in self.blocks:
            feature = row.get(block.origin)
            if feature is None:
                continue
            if block.idf is None:
                values = np.asarray(feature, dtype=np.float32).reshape(-1) * self.dense_weight
                scores += self.coef[:, block.start:block.start + block.dim] @ \
                    values.astype(np.float64)
                continue
            columns, counts = _counts(feature)
            values = tfidf_weights(columns, counts, block.idf, block.sublinear, block.l2)
            scores += self.coef[:, block.start + columns] @ values
        proba = expit(-(self.slope * scores + self.offset))
        total = proba.sum()
        proba = proba / total if total != 0 else np.full_like(proba, 1 / len(proba))
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba


def tfidf_weights(columns: np.ndarray, counts: np.ndarray, idf: np.ndarray,
                  sublinear: bool, l2: bool) -> np.ndarray:
    """One message's TF-IDF values for its non-zero ``columns``, as scikit-learn's
    TfidfTransformer weights ``counts``: 1 + log(count) if sublinear, times the idf, then
    unit length if l2."""
    values = np.log(counts) + 1 if sublinear else counts
    values = values * idf[columns]
    if l2:
        length = np.sqrt(np.dot(values, values))
        if length > 0:
            values = values / length
    return values


def _counts(feature: Any) -> tuple[np.ndarray, np.ndarray]:
    """The columns and values of a one-row count matrix, duplicates summed."""
    row = feature.tocsr(copy=True)  # never change the message's own features
    row.sum_duplicates()
    return row.indices.astype(np.intp), row.data.astype(np.float64)
