"""A cluster of two Rasa replicas on a PostgreSQL and a Redis of the tests' own
(tests/private_services.py), shared by the cluster tests. test_restarts.py restarts those
servers, so it runs last."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.clients import add_counsellor
from bot.commands.cluster import Cluster
from bot.commands.serve import Servers
from tests.private_services import PrivatePostgres, PrivateRedis
from tests.servers import ALWAYS_OPEN, API_TOKEN, ONE_ADDRESS

LONG_WAIT_MINUTES = 0.5


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory, private_postgres: PrivatePostgres,
            private_redis: PrivateRedis) -> Iterator[Cluster]:
    running = Cluster(
        database_url=private_postgres.url("veivalg"),
        redis_url=private_redis.url(0),
        api_token=API_TOKEN,
        state_dir=tmp_path_factory.mktemp("cluster"),
        # The tests send one conversation a dozen messages at once, faster than a person;
        # the rate limits shared by the replicas are tested on frames (test_replicas.py).
        # A long wait of half a minute has the queue watched every 10 s instead of 20
        # (test_desk_across_replicas.py waits for two rounds).
        env={**ALWAYS_OPEN, **ONE_ADDRESS, "VEIVALG_REDIS_LOCK_DB": "1",
             "VEIVALG_MESSAGES_PER_MINUTE": "100000",
             "VEIVALG_LONG_WAIT_MINUTES": str(LONG_WAIT_MINUTES)},
        with_balancer=True,  # nginx, when it is installed (make test installs it)
    )
    try:
        running.start()
    except Exception:
        for log in Path(running.state_dir).glob("*.log"):
            print(log.read_text()[-3000:])
        raise
    try:
        add_counsellor(running.servers[0], "kari", "Kari")
        yield running
    finally:
        running.stop()


def socket_on(replica: Servers) -> str:
    return f"ws://127.0.0.1:{replica.rasa_port}/chat/socket"
