"""The desk page's JavaScript: its state changes are tested in Node (tests/js/), run from
here so that `make test` fails when they fail; and every module the page imports is one
the desk serves, as JavaScript (a module script with another MIME type is refused)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bot.server.handoff.desk import STATIC_DIR, STATIC_FILES
from bot.shared.settings import PROJECT_DIR

JS_TESTS = PROJECT_DIR / "tests" / "js"
# `import {...} from './desk-state.js';`, over one line or several.
IMPORT = re.compile(r"""^\s*import\s[^;]*?\bfrom\s+['"]\./([\w.-]+)['"]""", re.MULTILINE)


def test_the_desk_state_tests_pass_in_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on the PATH: the desk's JavaScript tests (tests/js/) need "
                    "Node.js 20 or newer (Debian: apt-get install nodejs)")
    assert list(JS_TESTS.glob("*.test.mjs")), f"no JavaScript tests in {JS_TESTS}"
    run = subprocess.run([node, "--test", "--test-reporter=tap", str(JS_TESTS)],
                         cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, f"node --test tests/js failed:\n{run.stdout}\n{run.stderr}"
    # Guards the runner itself: a pattern that found no file would pass with 0 tests.
    assert re.search(r"^# pass [1-9]\d*$", run.stdout, re.MULTILINE), run.stdout


def served_modules() -> set[str]:
    """The desk page's modules: the entry script, and whatever the served scripts import."""
    modules, todo = set(), ["desk.js"]
    while todo:
        name = todo.pop()
        if name in modules:
            continue
        modules.add(name)
        todo += IMPORT.findall((STATIC_DIR / name).read_text(encoding="utf-8"))
    return modules


def test_every_module_the_desk_imports_is_served_as_javascript() -> None:
    modules = served_modules()
    assert {"desk.js", "desk-state.js", "desk-api.js", "desk-view.js", "desk-words.js"} <= modules
    for name in modules:
        assert STATIC_FILES.get(name, "").startswith("application/javascript"), (
            f"desk.js imports {name}, which bot/server/handoff/desk.py STATIC_FILES does not serve")
    assert '<script type="module" src="desk.js"></script>' in (
        STATIC_DIR / "index.html").read_text(encoding="utf-8")
