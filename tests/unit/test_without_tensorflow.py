"""The Rasa server stands in for TensorFlow when its model never runs it
(bot/server/rasa_ext/without_tensorflow.py), and loads the real one whenever it might."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from bot.commands.serve import MODEL_PATH
from bot.server.rasa_ext import without_tensorflow
from bot.server.rasa_ext.without_tensorflow import (
    RUNS_WITHOUT_TENSORFLOW,
    reason_to_load,
    runs_without_tensorflow,
)
from bot.shared.settings import PROJECT_DIR

DIET = "rasa.nlu.classifiers.diet_classifier.DIETClassifier"
RULES = "rasa.core.policies.rule_policy.RulePolicy"


def model_using(tmp_path: Path, *classes: str) -> Path:
    """A model archive whose prediction graph uses these classes (metadata only)."""
    metadata = json.dumps({"predict_schema": {"nodes": {
        f"node_{index}": {"uses": name} for index, name in enumerate(classes)}}}).encode()
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(metadata)
        archive.addfile(info, io.BytesIO(metadata))
    return path


def our_model() -> Path:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make model` (make test does)")
    return MODEL_PATH


def test_our_model_runs_without_tensorflow() -> None:
    assert runs_without_tensorflow(our_model())
    assert reason_to_load(["run", "--model", str(our_model())], {}) is None


def test_a_model_with_a_neural_component_gets_tensorflow(tmp_path: Path) -> None:
    assert runs_without_tensorflow(model_using(tmp_path, RULES, "bot.server.x.Y"))
    neural = model_using(tmp_path, RULES, DIET)
    assert not runs_without_tensorflow(neural)
    assert "component" in reason_to_load(["run", "--model", str(neural)], {})


def test_an_unreadable_model_gets_tensorflow(tmp_path: Path) -> None:
    (tmp_path / "broken.tar.gz").write_bytes(b"not a model")
    assert not runs_without_tensorflow(tmp_path / "broken.tar.gz")
    assert not runs_without_tensorflow(tmp_path / "missing.tar.gz")
    assert not runs_without_tensorflow(model_using(tmp_path))  # no classes at all


def test_an_operator_can_ask_for_tensorflow(tmp_path: Path) -> None:
    model = ["run", "--model", str(model_using(tmp_path, RULES))]
    assert reason_to_load(model, {}) is None
    assert reason_to_load(model, {"VEIVALG_LOAD_TENSORFLOW": "0"}) is None
    assert "VEIVALG_LOAD_TENSORFLOW" in reason_to_load(model, {"VEIVALG_LOAD_TENSORFLOW": "1"})
    # Rasa's own TensorFlow settings mean the operator wants it configured.
    assert "TF_INTRA_OP" in reason_to_load(model, {"TF_INTRA_OP_PARALLELISM_THREADS": "2"})
    # Without a model file (a directory, Rasa's latest) nothing is known: load it.
    assert reason_to_load(["run", "--model", str(tmp_path)], {})
    assert reason_to_load(["run"], {})
    assert reason_to_load([f"--model={model[-1]}"], {}) is None


def test_a_process_that_imported_tensorflow_keeps_it() -> None:
    import tensorflow  # noqa: F401  (as any process that trained or imported Rasa first)

    assert without_tensorflow.start(["run", "--model", str(our_model())]) == (
        "it was imported already")
    assert without_tensorflow.FINDER not in sys.meta_path


SERVE_WITHOUT_TENSORFLOW = """
import asyncio, sys
from bot.server.rasa_ext import without_tensorflow
assert without_tensorflow.start(["run", "--model", sys.argv[1]], {}) is None
import bot.server.rasa_server
bot.server.rasa_server.apply_fixes()
from rasa.core.agent import Agent

agent = Agent.load(sys.argv[1])
parsed = asyncio.run(agent.parse_message("Når er søknadsfristen til Samordna opptak?"))
replies = asyncio.run(agent.handle_text("hei", sender_id="someone"))
print("intent", parsed["intent"]["name"], "replies", len(replies))

real = ("tensorflow.python", "keras.src", "keras.engine")
loaded = [name for name in real if name in sys.modules]
print("loaded", loaded)
import thinc.compat
print("thinc sees tensorflow", thinc.compat.has_tensorflow)

import tensorflow as tf
from rasa.utils.tensorflow.callback import RasaTrainingLogger
for attempt in (lambda: tf.constant(1), lambda: RasaTrainingLogger(1, True),
                lambda: tf.keras.layers.Dense(3)):
    try:
        attempt()
    except without_tensorflow.TensorFlowNotLoadedError as error:
        print("refused", str(error).split(" needs ")[0])
"""


def test_the_served_model_answers_and_tensorflow_is_never_run() -> None:
    done = subprocess.run([sys.executable, "-c", SERVE_WITHOUT_TENSORFLOW, str(our_model())],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "intent ask_higher_education_deadline replies 1" in out, out
    assert "loaded []" in out, out
    assert "thinc sees tensorflow False" in out, out
    # Whatever would run TensorFlow says so at once, instead of doing something else.
    assert re.findall(r"^refused (.*)$", out, re.MULTILINE) == [
        "tensorflow.constant", "RasaTrainingLogger", "tensorflow.keras.layers.Dense"], out


def test_the_components_said_to_run_without_tensorflow_do_not_use_it() -> None:
    """A Rasa upgrade that makes one of them use TensorFlow fails here: it would then get
    the stand-in. Constants from rasa.utils.tensorflow.constants are plain strings."""
    import rasa

    root = Path(rasa.__file__).parent.parent
    uses = re.compile(r"^\s*(?:import tensorflow|from tensorflow)|\btf\.|\bkeras\b", re.MULTILINE)
    rasa_prefixes = [prefix for prefix in RUNS_WITHOUT_TENSORFLOW if prefix.startswith("rasa.")]
    checked = []
    for prefix in rasa_prefixes:
        base = root / prefix.rstrip(".").replace(".", "/")
        sources = [base.with_suffix(".py")] if base.with_suffix(".py").exists() else sorted(
            base.rglob("*.py"))
        assert sources, f"{prefix} is no longer in Rasa"
        for source in sources:
            text = source.read_text(encoding="utf-8")
            assert not uses.search(text), f"{source.relative_to(root)} uses TensorFlow"
            checked.append(source)
    assert len(checked) >= len(rasa_prefixes)
