"""docs/architecture.md names real code: every `file` `name` reference still exists."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from bot.shared.settings import PROJECT_DIR

DOC = PROJECT_DIR / "docs" / "architecture.md"
TEXT = DOC.read_text(encoding="utf-8")

# A backticked source file, then (after spaces or a line break) a backticked name:
# "`bot/server/crisis_first.py` `CrisisFirstPolicy`",
# "`bot/server/storage.py` `ConversationStore.save`".
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|js))`\s+`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)`")
# Any backticked path in the repository: a folder ("bot/server/nlp/") or a file ("config.yml").
PATH = re.compile(r"`((?:[\w.-]+/)+(?:[\w.-]+\.\w+)?|[\w-]+\.(?:py|js|yml|md))`")
# A class or method named without its file ("`Desk.availability`", "`Incoming`").
BARE = re.compile(r"`([A-Z][a-z]\w*(?:\.[A-Za-z_]\w*)?)`")
NOT_OURS = {"Agent.handle_message", "Class.method"}  # Rasa's, and the page's own example

REFERENCES = sorted(set(REFERENCE.findall(TEXT)))
PATHS = sorted(set(PATH.findall(TEXT)))
BARE_NAMES = sorted(set(BARE.findall(TEXT)) - NOT_OURS)


@cache
def python_definitions(path: Path) -> frozenset[str]:
    """What the file defines: every def, async def and class (nested ones too), every
    module-level constant, and "Class.method" for each method in a class's own body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    names = {node.name for node in ast.walk(tree) if isinstance(node, kinds)}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        names |= {target.id for target in targets if isinstance(target, ast.Name)}
    names |= {
        f"{node.name}.{item.name}"
        for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
        for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return frozenset(names)


def defined_in_javascript(path: Path, name: str) -> bool:
    """A function in the browser code: `function name(`, or `const name = ...`."""
    escaped = re.escape(name)
    pattern = rf"\bfunction\s+{escaped}\s*\(|\b(?:const|let)\s+{escaped}\s*="
    return re.search(pattern, path.read_text(encoding="utf-8")) is not None


def test_the_page_has_references() -> None:
    # Guards the patterns themselves: a page whose references no longer match checks nothing.
    assert len(REFERENCES) >= 40, REFERENCES
    assert ("bot/server/crisis_first.py", "CrisisFirstPolicy") in REFERENCES
    assert "Desk.availability" in BARE_NAMES


@pytest.mark.parametrize(("file", "name"), REFERENCES, ids=[f"{f}:{n}" for f, n in REFERENCES])
def test_referenced_name_is_defined(file: str, name: str) -> None:
    path = PROJECT_DIR / file
    assert path.is_file(), f"docs/architecture.md names {file}, which does not exist"
    if path.suffix == ".js":
        assert "." not in name, f"{file}: name a browser function, not {name}"
        assert defined_in_javascript(path, name), f"no function {name} in {file}"
        return
    defined = python_definitions(path)
    if "." in name:
        owner, method = name.split(".")
        assert owner in defined, f"no class {owner} in {file}"
        assert name in defined, f"class {owner} in {file} defines no method {method}"
    else:
        assert name in defined, f"no def, async def, class or constant {name} in {file}"


@pytest.mark.parametrize("name", BARE_NAMES)
def test_name_without_its_file_is_in_a_named_file(name: str) -> None:
    files = {PROJECT_DIR / file for file, _ in REFERENCES if file.endswith(".py")}
    files |= {PROJECT_DIR / path for path in PATHS if path.endswith(".py")}
    assert any(name in python_definitions(path) for path in files if path.is_file()), (
        f"{name} is defined in none of the Python files docs/architecture.md names")


@pytest.mark.parametrize("path", PATHS)
def test_referenced_path_exists(path: str) -> None:
    assert (PROJECT_DIR / path).exists(), f"docs/architecture.md names {path}, which is gone"
