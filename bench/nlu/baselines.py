"""The baselines: Rasa's default NLU pipeline (what `rasa init` trains) and TF-IDF +
LinearSVC.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.nlu.data import SEED, Example, Parse

# What `rasa init` trains with: its config.yml leaves the pipeline out, and Rasa then uses
# rasa/engine/recipes/config_files/default_config.yml. Used if the package lacks that file.
DEFAULT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]
SEEDED_COMPONENTS = ("DIETClassifier", "ResponseSelector")


def default_config(path: Path) -> tuple[Path, str]:
    """Rasa's default NLU pipeline (language nb, seeded) written to path, and its origin."""
    import rasa

    source = Path(rasa.__file__).parent / "engine" / "recipes" / "config_files" / (
        "default_config.yml")
    pipeline = DEFAULT_PIPELINE
    origin = "inline copy of Rasa 3.6's default_config.yml"
    if source.exists():
        shipped = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        if shipped.get("pipeline"):
            pipeline = shipped["pipeline"]
            origin = "rasa/engine/recipes/config_files/default_config.yml"
    pipeline = [dict(component) for component in pipeline]
    for component in pipeline:
        if component.get("name") in SEEDED_COMPONENTS:
            component.setdefault("random_seed", SEED)
    config = {"recipe": "default.v1", "assistant_id": "veivalg-bench-default",
              "language": "nb", "pipeline": pipeline}
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path, origin


def tfidf_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True)),
    ])
    return make_pipeline(features, LinearSVC(random_state=SEED))


def run_tfidf(train: Sequence[Example], texts: Sequence[str]) -> tuple[list[Parse], float]:
    model = tfidf_pipeline()
    started = time.monotonic()
    model.fit([example.text for example in train], [example.intent for example in train])
    seconds = time.monotonic() - started
    return [Parse(intent, intent) for intent in model.predict(list(texts))], seconds
