"""The desk's migrations build exactly the tables the code uses, on real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg2
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.cluster import ensure_database
from bot.handoff.models import Base
from bot.migrations import upgrade
from tests.cluster.conftest import POSTGRES

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"veivalg_migrate_{uuid.uuid4().hex[:8]}"
    url = f"{POSTGRES}/{name}"
    ensure_database(url)
    yield url
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def test_migrations_build_the_tables_the_models_describe(empty_database: str) -> None:
    upgrade(empty_database)
    upgrade(empty_database)  # twice: nothing more to do
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM veivalg_alembic_version"))
        assert [row[0] for row in version] == ["0001"]
        context = MigrationContext.configure(connection, opts={
            "include_object": lambda obj, name, type_, reflected, compare_to:
                not (type_ == "table" and name not in Base.metadata.tables),
        })
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
