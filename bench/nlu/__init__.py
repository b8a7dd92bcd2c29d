"""NLU figures (`python -m bench.nlu`, the CLI in __main__.py): our pipeline against Rasa's
default pipeline, TF-IDF + LinearSVC and variants of config.yml, the FallbackClassifier's
thresholds, and handoff quality.

One module per part: data (training data, held-out set), baselines, variants, rasa_models
(train and parse in this process), evaluation, scores, thresholds, handoff, massive,
reports and output (stdout, report.md, the confusion matrix).

What other code takes from here (bench.retrain, bench.crisis) is re-exported below, so that
``from bench.nlu import ...`` keeps working.
"""

from bench.nlu.data import (
    CONFIG_PATH,
    FALLBACK,
    HELDOUT_DIR,
    LANGUAGES,
    NLU_DIR,
    NOT_CAREER,
    NOT_IN_SCOPE,
    OUT_OF_SCOPE,
    Example,
    Parse,
    held_out,
    load_heldout,
    load_training_data,
    training_index,
    with_examples,
)
from bench.nlu.massive import massive_dir, read_massive, report_massive
from bench.nlu.rasa_models import parse_rasa, prepare_environment, train_rasa, workspace

__all__ = [
    "CONFIG_PATH",
    "FALLBACK",
    "HELDOUT_DIR",
    "LANGUAGES",
    "NLU_DIR",
    "NOT_CAREER",
    "NOT_IN_SCOPE",
    "OUT_OF_SCOPE",
    "Example",
    "Parse",
    "held_out",
    "load_heldout",
    "load_training_data",
    "massive_dir",
    "parse_rasa",
    "prepare_environment",
    "read_massive",
    "report_massive",
    "train_rasa",
    "training_index",
    "with_examples",
    "workspace",
]
