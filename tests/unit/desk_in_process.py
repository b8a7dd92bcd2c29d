"""A real desk (bot/server/handoff/service.py ``Desk``) in this process, on its own SQLite file
and without Redis, and an open desk socket that keeps what the hub sends it: for unit
tests of what the desk tells counsellors (the ``desk`` fixture in conftest.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bot.server.handoff.service import Desk
from bot.shared.settings import Settings


def desk_on_sqlite(directory: Path) -> Desk:
    settings = dataclasses.replace(Settings.from_env(),
                                   database_url=f"sqlite:///{directory / 'desk.db'}",
                                   redis_url="")
    return Desk(settings)


class DeskSocket:
    """An open desk: what the hub sends it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    async def send(self, data: str) -> None:
        self.frames.append(json.loads(data))

    async def close(self, *_: Any) -> None:
        pass

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame["type"] == kind]
