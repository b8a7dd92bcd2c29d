"""The loaded model kept out of the garbage collector's full passes.

Once the model has loaded, the Rasa server holds a few million long-lived Python objects
(the spaCy pipeline and its lemma table, the domain, the rules). Python's collector walks
all of them at every full collection: about 0.15 s, spent on whichever message happens to
trigger it (about one in a few hundred: ``bench.latency``'s max). ``gc.freeze()`` right
after loading moves them to a permanent generation the collector skips; none of them is
ever garbage while the server runs. A model loaded later (``PUT /model``) is not frozen.
"""

from __future__ import annotations

import gc
from typing import Any

from rasa.core import run

_load_agent_on_start = run.load_agent_on_start


async def load_agent_then_freeze(*args: Any, **kwargs: Any) -> Any:
    agent = await _load_agent_on_start(*args, **kwargs)
    gc.collect()
    gc.freeze()
    return agent


def apply() -> None:
    run.load_agent_on_start = load_agent_then_freeze
