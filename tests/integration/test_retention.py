"""Retention and erasure (#12) with the real servers: conversations stored by a real Rasa
server are purged by the server itself and by the command, and a counsellor erases one
from the desk, from every table, including a table the code has never heard of."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from bench.clients import Counsellor, add_counsellor
from bot.commands.serve import Servers
from bot.shared.settings import PROJECT_DIR
from tests.servers import Chat, conversation, start_servers
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

DAY = 86_400
# The server's own purge runs every 3 s here, with the default 30-day retention.
PURGE_EVERY_MINUTES = 0.05


@pytest.fixture(scope="module")
def retention_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("retention")
    servers = start_servers(state / "conversations.db", state / "servers.log",
                            env={"VEIVALG_PURGE_INTERVAL_MINUTES": str(PURGE_EVERY_MINUTES)})
    add_counsellor(servers, "kari", "Kari")
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def database(retention_servers: Servers) -> Iterator[sa.engine.Engine]:
    engine = sa.create_engine(retention_servers.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def person(retention_servers: Servers) -> Chat:
    return Chat(retention_servers)


@pytest.fixture
def kari(retention_servers: Servers) -> Iterator[Counsellor]:
    """Kari, logged in with her desk open, so that a handoff queues a case."""
    counsellor = Counsellor(retention_servers)
    assert counsellor.log_in("kari")[0] == 200
    loop = asyncio.new_event_loop()
    socket = loop.run_until_complete(counsellor.socket())
    counsellor.desk_events = lambda: drain(loop, socket)  # type: ignore[attr-defined]
    yield counsellor
    loop.run_until_complete(socket.close())
    loop.close()


def drain(loop: asyncio.AbstractEventLoop, socket: Any) -> list[dict[str, Any]]:
    """The desk events that have arrived (waiting up to a second for each)."""
    events: list[dict[str, Any]] = []

    async def read() -> None:
        while True:
            try:
                events.append(json.loads(await asyncio.wait_for(socket.recv(), 1)))
            except asyncio.TimeoutError:
                return

    loop.run_until_complete(read())
    return events


def rows(database: sa.engine.Engine, table: str, sender: str) -> int:
    """Rows of a REST sender's conversation (its id is a digest of the sender)."""
    with database.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE sender_id = :s"),
                            {"s": conversation(sender)}).scalar()


def age(database: sa.engine.Engine, sender: str, days: float) -> None:
    """The conversation as if it had ended `days` ago: its events and its cases."""
    with database.begin() as conn:
        conn.execute(sa.text("UPDATE events SET timestamp = timestamp - :s WHERE sender_id = :id"),
                     {"s": days * DAY, "id": conversation(sender)})
        conn.execute(sa.text("UPDATE desk_cases SET created_at = created_at - :s, "
                             "waiting_since = waiting_since - :s, "
                             "resolved_at = resolved_at - :s WHERE sender_id = :id"),
                     {"s": days * DAY, "id": conversation(sender)})


def counted(database: sa.engine.Engine) -> int:
    """Conversations in the statistics (none before the first purge made the table)."""
    if not sa.inspect(database).has_table("conversation_counts"):
        return 0
    with database.connect() as conn:
        return conn.execute(sa.text("SELECT coalesce(sum(count), 0) FROM conversation_counts "
                                    "WHERE kind = 'conversation'")).scalar()


def hand_off(person: Chat, kari: Counsellor, sender: str) -> dict[str, Any]:
    """A real conversation with a queued case: the bot is paused for it."""
    person.texts(sender, "Når er fristen for samordna opptak?")
    person.texts(sender, "jeg vil snakke med et menneske")
    assert person.send(sender, "hallo?") == []  # paused: the desk has it
    return kari.case_of(sender)


def test_the_server_purges_an_old_conversation_on_its_own(
    person: Chat, database: sa.engine.Engine
) -> None:
    person.texts("r-old", "Når er fristen for å søke høyere utdanning?")
    person.texts("r-recent", "Når er fristen for å søke høyere utdanning?")
    assert rows(database, "events", "r-old") > 0
    before = counted(database)

    age(database, "r-old", 40)

    wait_until(lambda: rows(database, "events", "r-old"), lambda n: n == 0, timeout=30,
               what="the server's purge deleted the 40-day-old conversation")
    assert rows(database, "events", "r-recent") > 0
    assert counted(database) == before + 1


def test_the_command_purges_and_the_server_forgets_what_it_cached(
    retention_servers: Servers, person: Chat, kari: Counsellor, database: sa.engine.Engine
) -> None:
    hand_off(person, kari, "r-command")
    person.texts("r-command-recent", "takk")
    age(database, "r-command", 20)  # past 10 days (the command's), not 30 (the server's)
    command = [sys.executable, "-m", "bot.server.retention", "purge"]
    env = {"VEIVALG_DATABASE_URL": retention_servers.database_url,
           "VEIVALG_RETENTION_DAYS": "10", "PATH": os.environ.get("PATH", "/usr/bin"),
           "PYTHONPATH": str(PROJECT_DIR)}

    dry = subprocess.run([*command, "--dry-run"], capture_output=True, text=True,
                         cwd=PROJECT_DIR, env=env, timeout=120)
    assert dry.returncode == 0, dry.stderr
    assert "Would purge 1 conversations" in dry.stdout
    assert rows(database, "events", "r-command") > 0

    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_DIR, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Purged 1 conversations" in done.stdout and "desk_cases 1" in done.stdout
    assert rows(database, "events", "r-command") == 0
    assert rows(database, "desk_cases", "r-command") == 0
    assert rows(database, "events", "r-command-recent") > 0
    # The server had this conversation cached, paused for a counsellor; another process
    # deleted it. The person writing again starts afresh and the bot answers.
    assert person.texts("r-command", "Når er fristen for samordna opptak?")


def test_erasing_from_the_desk_needs_a_login(
    retention_servers: Servers, person: Chat, kari: Counsellor, database: sa.engine.Engine
) -> None:
    case = hand_off(person, kari, "r-not-yours")
    stranger = Counsellor(retention_servers)
    assert stranger.call("POST", f"/desk/api/cases/{case['id']}/erase", {})[0] == 401
    assert rows(database, "events", "r-not-yours") > 0
    assert kari.call("POST", f"/desk/api/cases/{case['id']}/close", {})[0] == 200


def test_a_counsellor_erases_a_conversation_from_every_table(
    person: Chat, kari: Counsellor, database: sa.engine.Engine
) -> None:
    case = hand_off(person, kari, "r-erase")
    person.texts("r-other", "takk")
    assert kari.call("POST", f"/desk/api/cases/{case['id']}/notes", {"text": "notat"})[0] == 201
    # A table added after bot/server/retention/ was written: the erasure finds it in the schema.
    with database.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS later_table "
                             "(sender_id VARCHAR(255) NOT NULL, secret_hash VARCHAR(64))"))
        for sender in ("r-erase", "r-other"):
            conn.execute(sa.text("INSERT INTO later_table VALUES (:s, 'hash')"),
                         {"s": conversation(sender)})
    counted_before = counted(database)
    kari.desk_events()

    status, body = kari.call("POST", f"/desk/api/cases/{case['id']}/erase", {})

    assert status == 200, body
    assert body["erased"] is True and body["case_ids"] == [case["id"]]
    assert body["rows"]["desk_notes"] == 1 and body["rows"]["later_table"] == 1
    inspector = sa.inspect(database)
    keyed = [table for table in inspector.get_table_names()
             if "sender_id" in {column["name"] for column in inspector.get_columns(table)}]
    assert {"events", "desk_cases", "later_table"} <= set(keyed)
    assert {table: rows(database, table, "r-erase") for table in keyed} == dict.fromkeys(keyed, 0)
    with database.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM desk_notes WHERE case_id = :c"),
                            {"c": case["id"]}).scalar() == 0
    assert rows(database, "events", "r-other") > 0
    assert rows(database, "later_table", "r-other") == 1
    assert counted(database) == counted_before + 1  # a count is all that is left
    assert {"type": "conversation.erased", "case_id": case["id"]} in kari.desk_events()
    assert kari.call("GET", f"/desk/api/cases/{case['id']}")[0] == 404
    # The bot is no longer paused for a case that no longer exists.
    assert person.texts("r-erase", "Når er fristen for samordna opptak?")
