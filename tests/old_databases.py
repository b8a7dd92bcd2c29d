"""Databases as a version before migrations made them: create_all of the models as they
were at a revision, with no version table (tests of adopting them: bot/server/migrations.py)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from bot.server.migrations import VERSION_TABLE, alembic_config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def made_the_old_way(engine: sa.engine.Engine, revision: str) -> None:
    """The desk's tables as create_all made them when the models were at `revision`:
    the migrations' tables at that revision, reflected from a scratch database, created
    here with create_all (the migrations never touch this database)."""
    scratch = sa.create_engine("sqlite://", future=True)
    with scratch.connect() as connection, connection.begin():
        command.upgrade(alembic_config("sqlite://", connection), revision)
        old = sa.MetaData()
        old.reflect(connection)
    old.remove(old.tables[VERSION_TABLE])
    old.create_all(engine)
    scratch.dispose()
