"""A real server started on an SQLite database from before migrations (create_all, no
version table) adopts it: the counsellor logs in, the waiting case is still in the queue,
and the database is at the migrations' head."""

from __future__ import annotations

import http.cookiejar
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from bot.server.database import make_engine
from bot.server.migrations import VERSION_TABLE, revision_tables
from tests.old_databases import head_revision, made_the_old_way
from tests.servers import start_servers

pytestmark = pytest.mark.integration

PASSWORD = "et-langt-testpassord"


def old_database(path: Path) -> str:
    """The tables as the version before the head's made them, with a counsellor and a
    person waiting in the queue."""
    revision = revision_tables()[-2][0]
    engine = make_engine(f"sqlite:///{path}")
    made_the_old_way(engine, revision)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO desk_counsellors (id, login, display_name, password_hash, created_at)"
            " VALUES (1, 'kari', 'Kari', :hash, :now)"),
            {"hash": PasswordHasher().hash(PASSWORD), "now": time.time()})
        connection.execute(sa.text(
            "INSERT INTO desk_cases (id, sender_id, kind, status, priority, tags, summary,"
            " waiting_since, created_at) VALUES (7, 'venter', 'live', 'pending', 'medium',"
            " '[]', 'Om sykepleie', :now, :now)"), {"now": time.time()})
    engine.dispose()
    return revision


def call(opener: urllib.request.OpenerDirector, url: str, body: Any = None) -> Any:
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_server_adopts_a_database_from_before_with_its_rows(tmp_path: Path) -> None:
    database = tmp_path / "veivalg.db"
    old_database(database)
    servers = start_servers(database, tmp_path / "servers.log")
    try:
        desk = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        call(desk, f"{servers.rasa_url}/desk/api/login", {"login": "kari", "password": PASSWORD})
        cases = call(desk, f"{servers.rasa_url}/desk/api/cases")["cases"]
        assert [(case["id"], case["sender_id"]) for case in cases] == [(7, "venter")]
    finally:
        servers.stop()
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        assert connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")
                                  ).scalars().all() == [head_revision()]
    engine.dispose()
