"""bot.commands.cluster.Supervisor on real processes: a killed one is started again after a
back-off that grows while it keeps dying and starts afresh once it has run a while."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.commands.cluster import RESTART_DELAYS, STABLE_SECONDS, Supervisor, Watched


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sleeper() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start(started: list[subprocess.Popen]) -> None:
    started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)


def test_a_killed_process_is_started_again_with_growing_back_off(
        sleeper: list[subprocess.Popen]) -> None:
    clock, said = Clock(), []
    start(sleeper)
    watched = Watched("Rasa replica 2 (port 1234)", lambda: sleeper[-1],
                      lambda: start(sleeper), lambda: True, started=clock.now)
    supervisor = Supervisor([watched], clock=clock, say=said.append)

    supervisor.check()
    assert said == [] and len(sleeper) == 1  # running: nothing to do

    kill(sleeper[-1])
    supervisor.check()
    assert said == [f"Rasa replica 2 (port 1234) stopped unexpectedly (killed by SIGKILL); "
                    f"starting it again in {RESTART_DELAYS[0]} s (restart 1 in a row). "
                    "The other processes go on answering."]
    assert len(sleeper) == 1  # not before the back-off
    clock.now += RESTART_DELAYS[0]
    supervisor.check()
    assert len(sleeper) == 2 and sleeper[-1].poll() is None
    clock.now += 0.5
    supervisor.check()
    assert said[-1] == "Rasa replica 2 (port 1234) is back after 0.5 s."

    # Dying again soon after: the next delay is longer.
    kill(sleeper[-1])
    supervisor.check()
    assert f"starting it again in {RESTART_DELAYS[1]} s (restart 2 in a row)" in said[-1]
    clock.now += RESTART_DELAYS[1]
    supervisor.check()
    assert len(sleeper) == 3

    # After running a while, a death counts as the first again.
    clock.now += STABLE_SECONDS
    supervisor.check()
    kill(sleeper[-1])
    supervisor.check()
    assert f"starting it again in {RESTART_DELAYS[0]} s (restart 1 in a row)" in said[-1]


def test_a_process_that_cannot_start_is_retried_at_most_every_minute(
        sleeper: list[subprocess.Popen]) -> None:
    clock, said = Clock(), []
    failing: list[subprocess.Popen] = []

    def start_failing() -> None:
        failing.append(subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
        failing[-1].wait(30)

    start(sleeper)
    watched = Watched("action server (port 5055)", lambda: (failing or sleeper)[-1],
                      start_failing, lambda: False, started=clock.now)
    supervisor = Supervisor([watched], clock=clock, say=said.append)
    kill(sleeper[-1])
    delays = []
    for _ in range(len(RESTART_DELAYS) + 2):
        supervisor.check()  # sees it dead (exit code 3 after the first time)
        delays.append(watched.restart_at - clock.now)
        clock.now = watched.restart_at
        supervisor.check()  # starts it; it exits at once
    assert delays == [*RESTART_DELAYS, RESTART_DELAYS[-1], RESTART_DELAYS[-1]]
    assert "stopped unexpectedly (exit code 3)" in said[-1]
    assert not any("is back" in line for line in said)
