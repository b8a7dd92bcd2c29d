"""A cluster of two Rasa replicas on this machine's PostgreSQL and Redis, shared by the
cluster tests (test_restarts.py restarts those servers, so it runs last)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import redis

from bot.cluster import Cluster
from bot.serve import Servers
from tests.desk import add_counsellor
from tests.servers import ALWAYS_OPEN, API_TOKEN

POSTGRES = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    database = f"veivalg_test_{uuid.uuid4().hex[:8]}"
    # Redis databases 2 and 3 belong to these tests: start them empty, so nothing kept
    # for a person by an earlier run is delivered to this one.
    for number in (2, 3):
        redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()
    running = Cluster(
        database_url=f"{POSTGRES}/{database}",
        redis_url="redis://127.0.0.1:6379/2",
        api_token=API_TOKEN,
        state_dir=tmp_path_factory.mktemp("cluster"),
        env={**ALWAYS_OPEN, "VEIVALG_REDIS_LOCK_DB": "3"},
        with_balancer=True,  # nginx, when it is installed (make test installs it)
    )
    try:
        running.start()
    except Exception:
        for log in Path(running.state_dir).glob("*.log"):
            print(log.read_text()[-3000:])
        raise
    add_counsellor(running.servers[0], "kari", "Kari")
    yield running
    running.stop()
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    connection.close()


def socket_on(replica: Servers, sender: str) -> str:
    return f"ws://127.0.0.1:{replica.rasa_port}/chat/socket?sender={sender}"
