"""Bring the desk's tables up to date with Alembic (deploy/migrations).

Run before starting the replicas of a scale-out setup (``make run-cluster`` does):
``python -m bot.migrations``. The embedded SQLite default creates its tables itself.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot.settings import PROJECT_DIR, Settings

MIGRATIONS = PROJECT_DIR / "deploy" / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def main() -> int:
    url = Settings.from_env().database_url
    upgrade(url)
    print("The desk's tables are up to date.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
