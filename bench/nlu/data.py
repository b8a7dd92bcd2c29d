"""The training data as `rasa train` reads it, the held-out set with repeats of training
examples left out, and the intents that are not career questions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.server.nlp.heldout import CRISIS_TRAINING_DIR, Repeat, TrainingIndex, phrasing_examples
from bot.server.nlp.heldout import Example as Utterance
from bot.shared.settings import PROJECT_DIR

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData


CONFIG_PATH = PROJECT_DIR / "config.yml"
NLU_DIR = PROJECT_DIR / "data" / "nlu"
HELDOUT_DIR = PROJECT_DIR / "tests" / "nlu"
HELDOUT_ENV = "VEIVALG_NLU_HELDOUT"
LANGUAGES = ("nb", "nn", "en", "se")

SEED = 42
TUNING_SAMPLE = 1000
DEFAULT_FOLDS = 5

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny"})
# Not a career question: in-scope examples are those whose true intent is none of these.
NOT_IN_SCOPE = SMALL_TALK | {OUT_OF_SCOPE}
# An out-of-domain message "answered" with one of these got no career answer.
NOT_CAREER = NOT_IN_SCOPE | {FALLBACK}
COUNSELLOR = frozenset({"human_handoff", "ask_personal_guidance"})


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str = ""


@dataclass(frozen=True)
class Parse:
    """One parse: the classifier's own top intent (nlu_fallback left out of the ranking),
    the final intent after the FallbackClassifier, and the top two confidences."""

    intent: str
    final: str
    confidence: float = math.nan
    second: float = math.nan


def load_training_data(config: Path, nlu_dir: Path) -> TrainingData:
    """data/nlu as `rasa train` reads it: Rasa's own importer, synonyms and lookups included."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_nlu_importer_from_config(
        str(config), training_data_paths=[str(nlu_dir)]
    )
    return importer.get_nlu_data()


def load_heldout(directory: Path) -> tuple[list[Example], list[str]]:
    """Held-out examples by language, and the language files that are missing."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples: list[Example] = []
    missing: list[str] = []
    for language in LANGUAGES:
        path = directory / f"{language}.yml"
        if not path.exists():
            missing.append(path.name)
            continue
        for message in load_data(str(path)).intent_examples:
            examples.append(Example(message.get("text"), message.get("intent"), language))
    return examples, missing


def with_examples(data: TrainingData, examples: Sequence[Message]) -> TrainingData:
    """The same synonyms, regexes and lookup tables with other training examples."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData(
        training_examples=list(examples),
        entity_synonyms=dict(data.entity_synonyms),
        regex_features=list(data.regex_features),
        lookup_tables=list(data.lookup_tables),
        responses=dict(data.responses),
    )


def as_examples(data: TrainingData) -> list[Example]:
    return [Example(message.get("text"), message.get("intent"))
            for message in data.intent_examples]


def training_index(data: TrainingData) -> TrainingIndex:
    """data/nlu as read, and data/crisis, which the crisis net's learned half trains on."""
    crisis = phrasing_examples(sorted(CRISIS_TRAINING_DIR.glob("*.yml")))
    return TrainingIndex([*(Utterance(message.get("text") or "", message.get("intent"),
                                      "data/nlu") for message in data.intent_examples),
                          *crisis])


def held_out(index: TrainingIndex, examples: Sequence[Example], intent: str | None = None,
             ) -> tuple[list[Example], list[Repeat]]:
    """The examples that repeat no training example, and the repeats left out.

    A repeat measures memory, not understanding; it is dropped from the test side, so that
    the model measured is trained on the same data as the one `make model` ships. ``intent``
    stands for the examples' own (MASSIVE's are out of scope for us).
    """
    kept: list[Example] = []
    repeats: list[Repeat] = []
    for example in examples:
        found = index.repeat_of(Utterance(example.text, intent or example.intent,
                                          f"{example.language}.yml"))
        if found is None:
            kept.append(example)
        else:
            repeats.append(found)
    return kept, repeats


def write_nlu_yaml(data: TrainingData, path: Path) -> Path:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(str(path), data)
    return path
