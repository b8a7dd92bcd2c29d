"""What people write never reaches the servers' logs: not in a conversation that goes
well, and not when the database refuses a write. SQLAlchemy's errors carried the SQL
parameters (the conversation id and the stored event, which is what the person wrote),
and Rasa logs those errors."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from bot.commands.serve import Servers
from tests.servers import Chat, resume, socket_url, start_servers

pytestmark = pytest.mark.integration

PHRASE = "purple walrus 4711"  # ASCII: stored events are JSON with non-ASCII escaped
IDENTITY_NUMBER = "01019912368"  # invented, with valid check digits


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servers, Path, Path]]:
    state = tmp_path_factory.mktemp("logs")
    database, log = state / "conversations.db", state / "servers.log"
    servers = start_servers(database, log)
    yield servers, database, log
    servers.stop()


async def test_no_message_text_in_the_logs(logged: tuple[Servers, Path, Path]) -> None:
    servers, database, log = logged
    chat = Chat(servers)
    message = f"Jeg lurer på {PHRASE}, fødselsnummer {IDENTITY_NUMBER}. Når er fristen?"
    assert chat.send("logs-rest", message)
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket)
        await person.opening()
        await person.send(type="message", text=message)
        await person.until("message")

    # The database refuses the write of a message: another process holds SQLite's write
    # lock longer than the server waits for it (busy_timeout).
    assert chat.send("logs-locked", "hei")
    holder = sqlite3.connect(database, timeout=1)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        status, _ = chat.post(json.dumps({"sender": "logs-locked", "message": message}).encode())
    finally:
        holder.rollback()
        holder.close()
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "database is locked" in written, "the write did not fail: nothing was tested"
    assert status in (200, 503)
    assert "[parameters:" not in written  # SQLAlchemy's rendering of a statement's values
    assert PHRASE not in written
    assert IDENTITY_NUMBER not in written
