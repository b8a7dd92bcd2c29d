"""How many cores one sentence embedding may use: two when the machine has a core idle
right now, else one.

The servers run every maths library with one thread (bot/commands/serve.py): a team of threads
per call, on a busy machine, made each embedding several times slower, and two replicas
that each took two cores starved each other (7 embeddings a second each instead of 46).
But one message at a time, a second core nearly halves the embedding
(multilingual-e5-small, 23 → 15 ms on two cores), and that is most of a reply's wait.
So an embedding takes a second thread only when the kernel says that nothing else on the
machine is ready to run (``/proc/loadavg``'s count of runnable tasks, this thread
included), and no other embedding is under way in this process; under load every message
keeps one thread, as before. OpenMP keeps this number per calling thread
(``omp_set_num_threads``), so it is set in the NLU worker thread just before the call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

THREADS_VARIABLE = "VEIVALG_EMBED_THREADS"


def threads_alone(environ: Any = os.environ) -> int:
    """Threads for an embedding that runs alone: the setting, else the cores (at most 2;
    the model is too small to gain from more)."""
    setting = environ.get(THREADS_VARIABLE)
    if setting:
        return max(1, int(setting))
    return max(1, min(2, os.cpu_count() or 1))


def idle_cores(loadavg: Path = Path("/proc/loadavg")) -> int:
    """Cores with nothing ready to run on them now, besides the calling thread: the
    cores less the kernel's count of runnable tasks (which includes the caller). 0 where
    that count cannot be read."""
    try:
        runnable = int(loadavg.read_text().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return 0
    return max(0, (os.cpu_count() or 1) - runnable)


@lru_cache(maxsize=1)
def _openmp() -> Any | None:
    """The OpenMP runtime the embedding engine runs on (bot/server/nlp/sentence_engine.py),
    or None when it cannot be found: then the environment's setting stands."""
    from bot.server.nlp import sentence_engine

    return sentence_engine.openmp_runtime()


class Cores:
    """Counts this process's embeddings under way and sets each one's threads."""

    def __init__(self, alone: int | None = None,
                 idle: Callable[[], int] = idle_cores) -> None:
        self.alone = threads_alone() if alone is None else alone
        self.idle = idle
        self._running = 0
        self._lock = threading.Lock()

    @contextmanager
    def for_one_embedding(self) -> Iterator[int]:
        """The threads this embedding runs with, set for the calling thread meanwhile."""
        with self._lock:
            self._running += 1
            alone = self._running == 1
        threads = min(self.alone, self.idle() + 1) if alone and self.alone > 1 else 1
        runtime = _openmp() if self.alone > 1 else None
        before = runtime.omp_get_max_threads() if runtime is not None else None
        if runtime is not None:
            runtime.omp_set_num_threads(threads)
        try:
            yield threads
        finally:
            if runtime is not None:
                runtime.omp_set_num_threads(before)  # the environment's setting again
            with self._lock:
                self._running -= 1


CORES = Cores()
