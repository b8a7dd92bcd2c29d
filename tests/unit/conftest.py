"""Fixtures for action tests, after rasa-demo: a tracker from JSON, a dispatcher, the domain;
and a real desk in this process (tests/unit/desk_in_process.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.server.handoff.service import Desk
from bot.shared.settings import PROJECT_DIR
from tests.unit.desk_in_process import desk_on_sqlite

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tracker_dict() -> dict[str, Any]:
    return json.loads((FIXTURES / "tracker.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_tracker(tracker_dict: dict[str, Any]) -> Callable[..., Tracker]:
    """A tracker with the given latest text, intent and slots."""

    def make(text: str | None = None, intent: str | None = None, **slots: Any) -> Tracker:
        state = copy.deepcopy(tracker_dict)
        if text is not None:
            state["latest_message"]["text"] = text
        if intent is not None:
            state["latest_message"]["intent"]["name"] = intent
        state["slots"].update(slots)
        return Tracker.from_dict(state)

    return make


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
async def desk(tmp_path: Path) -> Desk:
    """A real desk on its own SQLite file, without Redis."""
    return desk_on_sqlite(tmp_path)
