"""One pair of real servers for the fuzz suite, with every channel configured: Telegram
and Messenger answer into fakes of their APIs on loopback, and a counsellor can log in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.clients import add_counsellor
from bench.fake_telegram import SECRET, TOKEN, FakeTelegram
from tests import fake_messenger
from tests.fake_messenger import FakeGraph
from tests.fuzz.harness import (
    COUNSELLOR,
    EXAMPLES,
    TALLIES,
    Fuzzing,
    Http,
    ServerLog,
    summary_lines,
    write_results,
)
from tests.servers import start_servers


@pytest.fixture(scope="package")
def fuzzing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzing]:
    telegram, graph = FakeTelegram(), FakeGraph()
    telegram.start()
    graph.start()
    state = tmp_path_factory.mktemp("fuzz")
    servers = start_servers(state / "conversations.db", state / "servers.log", env={
        "VEIVALG_TELEGRAM_TOKEN": TOKEN,
        "VEIVALG_TELEGRAM_SECRET": SECRET,
        "VEIVALG_TELEGRAM_API_URL": telegram.url,
        "VEIVALG_MESSENGER_VERIFY": fake_messenger.VERIFY,
        "VEIVALG_MESSENGER_SECRET": fake_messenger.SECRET,
        "VEIVALG_MESSENGER_PAGE_TOKEN": fake_messenger.PAGE_TOKEN,
        "VEIVALG_MESSENGER_API_URL": graph.url,
        # Generous limits: the fuzzer is one client sending thousands of inputs, and what
        # it tests is parsing, not the rate limits (a 429 counts as a clear refusal).
        "VEIVALG_MESSAGES_PER_MINUTE": "100000",
        "VEIVALG_FRAMES_PER_MINUTE": "100000",
        "PYTHONUNBUFFERED": "1",  # every log line in the file before its answer is read
    })
    try:
        add_counsellor(servers, COUNSELLOR, "Kari Fuzz")
        yield Fuzzing(servers, telegram, graph, ServerLog(servers.log_path),
                      Http(servers.rasa_port))
    finally:
        servers.stop()
        telegram.stop()
        graph.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures of bench/README.md's "Fuzzing" section, printed after every run."""
    if not TALLIES:
        return
    write_results()
    terminalreporter.write_sep("=", f"fuzzing: inputs per channel (at least {EXAMPLES} each)")
    for line in summary_lines():
        terminalreporter.write_line(line)
