"""The desk's migrations build exactly the tables the code uses, on real PostgreSQL (the
tests' own server, which goes away with every database in it)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.commands.cluster import ensure_database
from bot.server.handoff.models import Base
from bot.server.migrations import alembic_config, upgrade
from tests.private_services import PrivatePostgres

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_database(private_postgres: PrivatePostgres) -> str:
    url = private_postgres.url(f"veivalg_migrate_{uuid.uuid4().hex[:8]}")
    ensure_database(url)
    return url


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def test_migrations_build_the_tables_the_models_describe(empty_database: str) -> None:
    upgrade(empty_database)
    upgrade(empty_database)  # twice: nothing more to do
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM veivalg_alembic_version"))
        assert [row[0] for row in version] == [head_revision()]
        context = MigrationContext.configure(connection, opts={
            "include_object": lambda obj, name, type_, reflected, compare_to:
                not (type_ == "table" and name not in Base.metadata.tables),
        })
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_a_database_made_before_migrations_is_adopted(empty_database: str) -> None:
    """create_all, no version table (a server started on PostgreSQL without
    `python -m bot.server.migrations`): stamped at the head, its rows kept."""
    engine = sa.create_engine(empty_database)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO desk_counsellors (login, display_name, password_hash, created_at)"
            " VALUES ('kari', 'Kari', 'hash', 1.0)"))
    upgrade(empty_database)
    with engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM veivalg_alembic_version"))
        assert [row[0] for row in version] == [head_revision()]
        assert connection.execute(sa.text("SELECT login FROM desk_counsellors")).all() == [
            ("kari",)]
    engine.dispose()
