"""Rasa's own tracker-store settings reach our conversation store (#16): an operator who
follows Rasa's documentation (SQL_POOL_SIZE, SQL_MAX_OVERFLOW,
POSTGRESQL_SCHEMA) gets what it says, beside our timeouts. On the tests' own PostgreSQL.
If a Rasa upgrade renames these settings, this fails."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from bot.commands.cluster import ensure_database
from bot.server.database import make_engine
from bot.server.storage import ConversationStore
from tests.private_services import PrivatePostgres

pytestmark = pytest.mark.integration
SCHEMA = "veivalg_samtaler"


@pytest.fixture
def url(private_postgres: PrivatePostgres) -> str:
    url = private_postgres.url(f"veivalg_settings_{uuid.uuid4().hex[:8]}")
    ensure_database(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return url


def test_rasas_pool_and_schema_settings_are_kept(url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQL_POOL_SIZE", "3")
    monkeypatch.setenv("SQL_MAX_OVERFLOW", "2")
    monkeypatch.setenv("POSTGRESQL_SCHEMA", SCHEMA)
    store = ConversationStore(url=url)
    try:
        assert store.engine.pool.size() == 3
        assert store.engine.pool._max_overflow == 2
        with store.engine.connect() as connection:
            assert connection.execute(sa.text("SHOW search_path")).scalar() == SCHEMA
            # our own limits stay
            assert connection.execute(sa.text("SHOW statement_timeout")).scalar() != "0"
            tables = connection.execute(sa.text(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'events'")).scalars().all()
        assert tables == [SCHEMA]
    finally:
        store.engine.dispose()
