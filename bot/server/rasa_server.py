"""Rasa's own command line, with Veivalg's changes to Rasa 3.6 applied first.

`make run`, the tests and the benchmarks start the Rasa server through here
(``python -m bot.server.rasa_server run ...`` takes the same arguments as ``rasa run``).

Applied first:
- Sanic's size limits (a 100 MB request body by default) come from our settings
  (bot/server/channels/limits.py); Sanic reads them from the environment when Rasa makes its app.
- The changes to Rasa's own code in bot/server/rasa_ext/: a faster check of action server
  answers, our action server's address and secret, one spaCy pipeline per process.
- Before anything imports Rasa: TensorFlow is not loaded when the model never runs it
  (bot/server/rasa_ext/without_tensorflow.py).
"""

from __future__ import annotations

import os
import sys

from bot.server import rasa_ext
from bot.server.rasa_ext import without_tensorflow


def limit_sizes() -> None:
    from bot.server.channels.limits import sanic_environment
    from bot.shared.settings import Settings

    for name, value in sanic_environment(Settings.from_env()).items():
        os.environ.setdefault(name, value)


def apply_fixes() -> None:
    limit_sizes()
    rasa_ext.apply()


def main() -> None:
    # Said at every start, so that an operator knows which kind of server runs.
    why = without_tensorflow.start(sys.argv[1:])
    print("TensorFlow is " + (f"loaded: {why}." if why else
          "not loaded: the model has no component that uses it "
          f"({without_tensorflow.FORCE_SETTING}=1 loads it)."), file=sys.stderr)
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
