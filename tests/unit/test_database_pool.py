"""The embedded SQLite database keeps its connections: busy moments open none anew."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from bot.server.database import DATABASE_THREADS, make_engine


def test_every_database_thread_keeps_its_sqlite_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    start = threading.Barrier(DATABASE_THREADS)

    def busy_moment() -> None:
        start.wait(timeout=30)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1")).scalar_one()
            start.wait(timeout=30)  # all sessions open at once

    for _ in range(3):
        threads = [threading.Thread(target=busy_moment) for _ in range(DATABASE_THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(opened) == DATABASE_THREADS, "connections were opened again"
    engine.dispose()
