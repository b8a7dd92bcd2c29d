"""Libraries the Rasa server never uses, kept out of its memory.

TensorFlow 2.12 imports JAX when it is installed (it is one of TensorFlow's own
requirements), only for converting JAX models to TF Lite, and inside
``try: ... except ImportError``. Neither Rasa nor Veivalg converts models, and JAX with
its XLA library costs the Rasa process 64 MB. Marking it as missing in ``sys.modules``
makes that import fail the way TensorFlow expects. It must run before Rasa (and so
TensorFlow) is imported: ``bot.server.rasa_ext`` does it first.
"""

from __future__ import annotations

import sys

UNUSED = ("jax",)


def keep_out() -> None:
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
