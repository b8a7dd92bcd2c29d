"""Variants of config.yml beside it (issue 13): the other classifier, with or without the
sentence embedding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bench.nlu.data import SEED

# Variants of config.yml beside it (issue 13): which classifier, with or without the sentence
# embedding. DIET as it shipped before issue 13 (config.yml at 8dc1487).
EMBEDDER = "bot.server.nlp.features.SentenceEmbedder"
LINEAR = "bot.server.nlp.classifier.LinearIntentClassifier"
DIET: dict[str, Any] = {
    "name": "DIETClassifier", "epochs": 80, "number_of_transformer_layers": 0,
    "hidden_layers_sizes": {"text": [256]}, "embedding_dimension": 32,
    "entity_recognition": False, "constrain_similarities": True,
    "model_confidence": "softmax", "random_seed": SEED,
}
VARIANTS = {
    "linear-sparse": ("linear SVM, counts only", False, False),
    "diet-dense": ("DIET, counts + embedding", True, True),
    "diet-sparse": ("DIET, counts only (before #13)", False, True),
}


def variant_config(ours: Path, key: str, path: Path) -> Path:
    """config.yml with another classifier or without the sentence embedding."""
    _, embedding, diet = VARIANTS[key]
    config = yaml.safe_load(ours.read_text(encoding="utf-8"))
    pipeline = []
    for component in config["pipeline"]:
        if component["name"] == EMBEDDER and not embedding:
            continue
        pipeline.append(dict(DIET) if component["name"] == LINEAR and diet else component)
    config["pipeline"] = pipeline
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
