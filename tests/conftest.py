"""Fixtures shared by the integration and browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.fake_telegram import FakeTelegram
from bot.commands.serve import Servers
from tests.servers import Chat, start_servers

# private_postgres and private_redis: servers of the tests' own, for any test that needs one.
pytest_plugins = ["tests.private_services"]


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("veivalg")


@pytest.fixture(scope="session")
def servers(state_dir: Path) -> Iterator[Servers]:
    log_path = state_dir / "servers.log"
    running = start_servers(state_dir / "conversations.db", log_path)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def chat(servers: Servers) -> Chat:
    return Chat(servers)


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API on loopback, one per test module."""
    fake = FakeTelegram()
    fake.start()
    yield fake
    fake.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Show the servers' output under a failed integration test."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and "state_dir" in getattr(item, "funcargs", {}):
        log = item.funcargs["state_dir"] / "servers.log"
        if log.exists():
            report.sections.append(("servers' output (last 80 lines)",
                                    "\n".join(log.read_text().splitlines()[-80:])))
