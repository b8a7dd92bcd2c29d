"""The Rasa server's image holds every part of the repository the server imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from bot.shared.settings import PROJECT_DIR

DOCKERFILE = PROJECT_DIR / "deploy" / "docker" / "rasa.Dockerfile"

# What `python -m bot.server.rasa_server run` imports before it serves: our changes to Rasa, the
# channels and the desk named in credentials.yml, the model's custom components.
IMPORT_THE_SERVER = """
import json, sys
import bot.server.rasa_server
bot.server.rasa_server.apply_fixes()
import bot.server.channels.webchat, bot.server.channels.telegram
import bot.server.channels.messenger, bot.server.channels.rest
import bot.server.handoff.desk, bot.server.storage, bot.server.locks, bot.server.handoff.relay
import bot.server.nlp.features, bot.server.nlp.components
import bot.server.nlp.classifier, bot.server.nlp.nonsense
import bot.server.crisis_first
print(json.dumps([getattr(m, "__file__", None) or "" for m in list(sys.modules.values())]))
"""


def copied_into_the_runtime_stage() -> set[str]:
    """The repository paths the image's last stage copies (COPY without --from)."""
    last_stage = DOCKERFILE.read_text(encoding="utf-8").split("\nFROM ")[-1]
    copied: set[str] = set()
    for line in last_stage.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(part.rstrip("/") for part in line.split()[1:-1])
    return copied


def test_every_module_the_rasa_server_imports_is_in_its_image() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_THE_SERVER], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    files = json.loads(done.stdout.strip().splitlines()[-1])
    ours = {Path(f).relative_to(PROJECT_DIR) for f in files
            if f.startswith(str(PROJECT_DIR)) and "/.venv/" not in f}
    copied = copied_into_the_runtime_stage()
    missing = sorted(str(path) for path in ours
                     if not any(re.match(rf"{re.escape(c)}(/|$)", str(path)) for c in copied))
    assert missing == [], f"the Rasa image lacks {missing}"
