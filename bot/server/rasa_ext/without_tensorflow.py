"""The Rasa server without TensorFlow, when the model it serves never runs it.

Rasa 3.6 imports TensorFlow at module level wherever a neural component or its training
helpers live (``rasa.core.policies.policy`` → the featurizers → ``rasa.utils.train_utils``
→ ``rasa.utils.tensorflow.callback``), so every Rasa process loads it: about 2 s of a
start and 270 MiB of memory. Veivalg's model runs none of those components (config.yml:
word counts, the e5 embedding, a linear classifier, rules and memoization).

So when the model to serve uses only components known to run without TensorFlow, the
server puts a stand-in in TensorFlow's place before Rasa is imported: Rasa's modules
import, their classes that subclass TensorFlow's are defined, their type hints resolve,
and anything that would *run* TensorFlow raises ``TensorFlowNotLoadedError`` at once, saying
so. A library that probes for TensorFlow inside ``try: ... except ImportError`` (thinc,
under spaCy, imports ``tensorflow.experimental``) finds it missing.

It is used only by ``python -m bot.server.rasa_server`` (``start()``), and not when
TensorFlow is already imported, when the model has a component outside
``RUNS_WITHOUT_TENSORFLOW`` (DIET, TED, a response selector, a language-model featurizer:
TensorFlow is loaded as before), when an operator configures TensorFlow (its thread or
GPU settings) or sets ``VEIVALG_LOAD_TENSORFLOW=1``. Training and plain ``rasa``
commands always load the real one.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import tarfile
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Light: rasa.constants imports no TensorFlow.
from rasa.constants import ENV_CPU_INTER_OP_CONFIG, ENV_CPU_INTRA_OP_CONFIG, ENV_GPU_CONFIG

# Rasa's own settings that configure TensorFlow at start: an operator who sets one wants
# TensorFlow.
TENSORFLOW_SETTINGS = (ENV_CPU_INTER_OP_CONFIG, ENV_CPU_INTRA_OP_CONFIG, ENV_GPU_CONFIG)
FORCE_SETTING = "VEIVALG_LOAD_TENSORFLOW"

# Where the classes of a served model's graph may come from for it to run without
# TensorFlow: Rasa's graph plumbing and its components that use scikit-learn, spaCy or
# plain Python, and Veivalg's own (none of which imports TensorFlow).
RUNS_WITHOUT_TENSORFLOW = (
    "bot.",
    "rasa.graph_components.",
    "rasa.core.policies.ensemble.",
    "rasa.core.policies.rule_policy.",
    "rasa.core.policies.memoization.",
    "rasa.nlu.utils.spacy_utils.",
    "rasa.nlu.tokenizers.whitespace_tokenizer.",
    "rasa.nlu.tokenizers.spacy_tokenizer.",
    "rasa.nlu.featurizers.sparse_featurizer.",
    "rasa.nlu.featurizers.dense_featurizer.spacy_featurizer.",
    "rasa.nlu.classifiers.fallback_classifier.",
    "rasa.nlu.classifiers.regex_message_handler.",
    "rasa.nlu.classifiers.keyword_intent_classifier.",
    "rasa.nlu.classifiers.logistic_regression_classifier.",
    "rasa.nlu.classifiers.sklearn_intent_classifier.",
    "rasa.nlu.extractors.entity_synonyms.",
    "rasa.nlu.extractors.regex_entity_extractor.",
    "rasa.nlu.extractors.crf_entity_extractor.",
    "rasa.nlu.extractors.spacy_entity_extractor.",
    "rasa.nlu.extractors.duckling_entity_extractor.",
)

# The packages the stand-in answers for. Their sub-packages named in PROBED are refused,
# the way they would be if TensorFlow were not installed.
STOOD_IN = frozenset({"tensorflow", "keras", "tensorflow_addons", "tensorflow_hub",
                      "tensorflow_text", "tensorflow_probability", "tensorflow_estimator"})
PROBED = ("tensorflow.experimental",)


class TensorFlowNotLoadedError(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} needs TensorFlow, which this Rasa server did not load: the model "
            f"it was started with has no component that uses it "
            f"(bot/server/rasa_ext/without_tensorflow.py). Set {FORCE_SETTING}=1 to load it.")


def _member(owner: str, name: str) -> type:
    """``owner.name`` as a stand-in; Python's own dunder lookups find nothing."""
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(name)
    return stand_in(f"{owner}.{name}")


class _StandInType(type):
    """A TensorFlow name, as code that only imports it sees it: it can be subclassed, put
    in a type hint and looked into; it cannot be called or instantiated."""

    def __getattr__(cls, name: str) -> Any:
        return _member(cls.__qualname__, name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TensorFlowNotLoadedError(cls.__qualname__)


def stand_in(name: str) -> type:
    return _StandInType(name.rsplit(".", 1)[-1], (),
                        {"__qualname__": name, "__module__": name.split(".", 1)[0]})


class _StandInModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return _member(self.__name__, name)


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandInModule(spec.name)
        module.__path__ = []  # a package: its submodules come here too
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name.split(".", 1)[0] not in STOOD_IN:
            return None
        if any(name == probed or name.startswith(probed + ".") for probed in PROBED):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return importlib.machinery.ModuleSpec(name, _Loader(), is_package=True)


FINDER = _Finder()


def graph_classes(model: Path) -> list[str] | None:
    """The classes the model's prediction graph uses, from its metadata; None when the
    model cannot be read so."""
    try:
        with tarfile.open(model, "r:gz") as archive:
            member = archive.extractfile("metadata.json")
            metadata = json.load(member) if member else None
        nodes = metadata["predict_schema"]["nodes"]
        return sorted({str(node["uses"]) for node in nodes.values()})
    except (OSError, tarfile.TarError, KeyError, TypeError, ValueError, AttributeError):
        return None


def runs_without_tensorflow(model: Path) -> bool:
    classes = graph_classes(model)
    if not classes:
        return False
    return all(name.startswith(RUNS_WITHOUT_TENSORFLOW) for name in classes)


def model_argument(argv: Sequence[str]) -> Path | None:
    """The model file of a ``rasa run`` command line, when it names one."""
    for index, argument in enumerate(argv):
        if argument in ("--model", "-m") and index + 1 < len(argv):
            path = Path(argv[index + 1])
        elif argument.startswith("--model="):
            path = Path(argument.split("=", 1)[1])
        else:
            continue
        return path if path.is_file() else None
    return None


def reason_to_load(argv: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """Why this Rasa server must load the real TensorFlow; None when it need not."""
    if environ.get(FORCE_SETTING, "").strip() not in ("", "0"):
        return f"{FORCE_SETTING} is set"
    configured = [setting for setting in TENSORFLOW_SETTINGS if environ.get(setting)]
    if configured:
        return f"{configured[0]} configures it"
    model = model_argument(argv)
    if model is None:
        return "no model file on the command line"
    if not runs_without_tensorflow(model):
        return f"{model} has a component that may use it, or cannot be read"
    return None


def start(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> str | None:
    """Stand in for TensorFlow unless this server must load it; return why it must (None:
    the stand-in is in place). Runs before anything imports Rasa."""
    if FINDER in sys.meta_path:
        return None
    if "tensorflow" in sys.modules:
        return "it was imported already"
    reason = reason_to_load(argv, environ)
    if reason is None:
        sys.meta_path.insert(0, FINDER)
    return reason
