"""Rasa NLU models trained and parsed in this process, quietly, with their memory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.nlu.data import FALLBACK, Parse, write_nlu_yaml
from bot.shared.settings import PROJECT_DIR

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData


def train_rasa(config: Path, data: TrainingData, workdir: Path, name: str) -> tuple[Path, float]:
    """A Rasa NLU model of `data`, trained in full (no cache), and its training seconds."""
    from rasa.model_training import train_nlu

    data_file = write_nlu_yaml(data, workdir / f"{name}-data" / "nlu.yml")
    started = time.monotonic()
    # Rasa prints "Your Rasa model is trained ..." on stdout, which holds the figures alone.
    with contextlib.redirect_stdout(sys.stderr):
        model = train_nlu(str(config), str(data_file), str(workdir / "models"),
                          fixed_model_name=name,
                          additional_arguments={"force_full_training": True})
    seconds = time.monotonic() - started
    shutil.rmtree(data_file.parent, ignore_errors=True)
    if not model:
        raise RuntimeError(f"Rasa did not train a model with {config}")
    return Path(model), seconds


def parse_rasa(model: Path, texts: Sequence[str]) -> list[Parse]:
    """Every text through the trained NLU graph in this process (Agent.parse_message)."""
    from rasa.core.agent import Agent

    before = resident_mib()
    with contextlib.redirect_stdout(sys.stderr):
        agent = Agent.load(str(model))
    parsed = asyncio.run(parse_all(agent, texts))
    LOADED_MIB[model.name.split(".")[0]] = resident_mib() - before
    del agent
    release_tensorflow()
    return [to_parse(data) for data in parsed]


# Model name -> how much this process's resident memory grew by loading it and parsing.
LOADED_MIB: dict[str, float] = {}


def resident_mib() -> float:
    """VmRSS of this process, MiB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def parse_all(agent: Any, texts: Sequence[str]) -> list[dict[str, Any]]:
    return [await agent.parse_message(text) for text in texts]


def to_parse(data: dict[str, Any]) -> Parse:
    final = (data.get("intent") or {}).get("name") or FALLBACK
    ranking = [entry for entry in data.get("intent_ranking") or []
               if entry.get("name") != FALLBACK]
    if not ranking:
        return Parse(final, final, 0.0, 0.0)
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    return Parse(ranking[0]["name"], final, float(ranking[0]["confidence"]), float(second))


def release_tensorflow() -> None:
    gc.collect()
    with contextlib.suppress(Exception):
        import tensorflow as tf

        tf.keras.backend.clear_session()


def prepare_environment() -> None:
    """What the Makefile exports, a quiet Rasa, no training cache, the project as cwd."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ["LOG_LEVEL"] = "WARNING"  # also turns off DIET's epoch progress bars
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # every training is a full one
    # config.yml's relative paths (build/spacy-nb) and custom components (bot.server.nlp).
    os.chdir(PROJECT_DIR)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    # Rasa's log and structlog go to stderr: stdout holds the figures alone.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    # Libraries' deprecation notices are noise here. Importing Rasa asks for every
    # DeprecationWarning "once"; catch_warnings undoes that (and Rasa's other filters).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import rasa.core.agent  # noqa: F401
        import rasa.model_training  # noqa: F401
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(logging.WARNING)
        configure_structlog(logging.WARNING)
    warnings.filterwarnings("once", category=UserWarning)  # as Rasa does
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-nlu-") as workdir:
        yield Path(workdir)
