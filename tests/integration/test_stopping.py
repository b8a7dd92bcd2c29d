"""`make run` stopped as a service manager stops it: every way of stopping stops both
servers, so the next start finds its ports free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.commands.serve import PROJECT_DIR, free_ports
from tests.servers import API_TOKEN, MODEL_PATH

pytestmark = pytest.mark.integration


def children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                           text=True, check=False).stdout.split()
    return [int(child) for child in found]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its parent.
    return "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]


@pytest.mark.parametrize("signals", [[signal.SIGTERM], [signal.SIGTERM, signal.SIGTERM],
                                     [signal.SIGINT, signal.SIGTERM]])
def test_a_stop_signal_stops_both_servers(tmp_path: Path, signals: list[int]) -> None:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make model` (make test does)")
    rasa_port, action_port = free_ports(2)
    env = {**os.environ, "VEIVALG_RASA_PORT": str(rasa_port),
           "VEIVALG_ACTION_PORT": str(action_port), "VEIVALG_API_TOKEN": API_TOKEN,
           "VEIVALG_DATABASE_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    serve = subprocess.Popen([sys.executable, "-m", "bot.commands.serve"], cwd=PROJECT_DIR, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    servers: list[int] = []
    try:
        output = ""
        deadline = time.monotonic() + 180
        while "is ready after" not in output and time.monotonic() < deadline:
            line = serve.stdout.readline()
            assert line, f"bot.commands.serve exited before it was ready:\n{output}"
            output += line
        servers = children(serve.pid)
        assert len(servers) == 2, output  # the action server and the Rasa server
        for number, sent in enumerate(signals):
            if number:
                time.sleep(0.5)  # the second one arrives while the servers are stopping
            serve.send_signal(sent)
        rest = serve.communicate(timeout=60)[0]
        assert serve.returncode == 0, rest
        assert "Both servers stopped." in rest
        assert [pid for pid in servers if alive(pid)] == []
    finally:
        if serve.poll() is None:
            serve.kill()
        for pid in servers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
