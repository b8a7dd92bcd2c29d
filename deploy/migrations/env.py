"""Alembic environment for the desk's tables (cases, counsellors, sessions, notes).

Rasa creates and owns its own `events` table; these migrations own the rest of the
schema. The database URL is VEIVALG_DATABASE_URL (or the caller's `sqlalchemy.url`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.handoff.models import Base
from bot.settings import Settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
config.set_main_option("sqlalchemy.url", url)

# Only our tables: Rasa's `events` table is not ours to migrate.
target_metadata = Base.metadata


def include_object(obj: object, name: str, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name not in target_metadata.tables)


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          include_object=include_object,
                          version_table="veivalg_alembic_version")
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
