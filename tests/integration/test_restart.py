"""Failures of the processes around a conversation: restarts and a dead action server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commands.serve import Servers
from tests.facts import answer_problems, response
from tests.servers import Chat, start_servers

pytestmark = pytest.mark.integration


@pytest.fixture
def own_servers(tmp_path: Path) -> Iterator[tuple[Servers, Path]]:
    """Servers of this test alone, so that stopping them disturbs no other test."""
    database = tmp_path / "conversations.db"
    servers = start_servers(database, tmp_path / "servers.log")
    yield servers, database
    servers.stop()


def test_a_restart_keeps_the_conversation(
    own_servers: tuple[Servers, Path], tmp_path: Path
) -> None:
    servers, database = own_servers
    chat = Chat(servers)
    person = "person-restart"
    chat.texts(person, "Kva er fristen for å søkje på vidaregåande skule?")
    servers.stop()

    restarted = start_servers(database, tmp_path / "servers-after.log")
    try:
        chat = Chat(restarted)
        said = [e["text"] for e in chat.tracker(person)["events"] if e["event"] == "user"]
        assert said == ["Kva er fristen for å søkje på vidaregåande skule?"]
        # The written language survived too: "takk" alone is answered in Nynorsk.
        assert chat.texts(person, "takk") == response("utter_thank", "nn")
    finally:
        restarted.stop()


def test_a_dead_action_server_gets_an_apology_not_silence(
    own_servers: tuple[Servers, Path],
) -> None:
    servers, _ = own_servers
    chat = Chat(servers)
    servers.stop_one("actions")
    answer = chat.texts("person-no-actions", "når er fristen for samordna opptak?")
    assert "noe gikk galt" in answer
    assert servers.rasa_ready()

    servers.start_actions()
    servers.wait_ready()
    answer = chat.texts("person-no-actions", "når er fristen for samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []
