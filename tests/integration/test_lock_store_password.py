"""The conversation locks reach a Redis that demands a password, as managed Redis
services do: deploy/endpoints.yml passes VEIVALG_REDIS_PASSWORD to bot/server/locks.py."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.commands.serve import free_port
from bot.shared.settings import PROJECT_DIR

PASSWORD = "et-redis-passord-for-testen"


@pytest.fixture
def guarded_redis() -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="veivalg-redis-auth-") as directory:
        server = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory,
             "--requirepass", PASSWORD],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            client = redis.Redis(port=port, password=PASSWORD, socket_timeout=2)
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.05)  # no "ready" notification from redis-server
            client.close()
            yield port
        finally:
            server.terminate()
            server.wait(30)


def locks(monkeypatch: pytest.MonkeyPatch, port: int, password: str) -> LockStore:
    settings = {"VEIVALG_REDIS_HOST": "127.0.0.1", "VEIVALG_REDIS_PORT": str(port),
                "VEIVALG_REDIS_LOCK_DB": "1", "VEIVALG_REDIS_PASSWORD": password,
                # the rest of the file is read too
                "VEIVALG_ACTION_URL": "http://127.0.0.1:9/webhook",
                "VEIVALG_ACTION_TOKEN": "ikke-i-bruk-her-0123456789"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(PROJECT_DIR / "deploy" / "endpoints.yml"), "lock_store")
    return LockStore.create(config)


async def test_the_locks_use_the_password(monkeypatch: pytest.MonkeyPatch,
                                          guarded_redis: int) -> None:
    store = locks(monkeypatch, guarded_redis, PASSWORD)
    try:
        async with store.lock("web:passord-test"):
            held = redis.Redis(port=guarded_redis, password=PASSWORD, db=1)
            assert held.exists("veivalg:lock:web:passord-test") == 1
            held.close()
    finally:
        # An open pooled socket left to the garbage collector warns in a later test.
        await store.redis.close(close_connection_pool=True)


async def test_without_the_password_the_locks_are_refused(monkeypatch: pytest.MonkeyPatch,
                                                          guarded_redis: int) -> None:
    store = locks(monkeypatch, guarded_redis, "")
    try:
        with pytest.raises(redis.AuthenticationError):
            async with store.lock("web:passord-test"):
                pass
    finally:
        await store.redis.close(close_connection_pool=True)
