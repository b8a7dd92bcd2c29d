"""The action server's client for the desk's internal API on the Rasa server.

Actions never make raw HTTP calls; they ask this client, which answers ``None`` when the
desk cannot be reached so that the action can tell the person something sensible.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=10)


class DeskClient:
    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        # Set by `make run` (bot/commands/serve.py) for the action server it starts.
        self.base_url = (base_url or os.environ.get("VEIVALG_RASA_URL", "http://127.0.0.1:5005"))
        self.token = token if token is not None else os.environ.get("VEIVALG_API_TOKEN", "")

    async def _call(self, method: str, path: str, body: dict | None = None) -> dict | None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.request(
                method, f"{self.base_url}/desk/internal/{path}", json=body, headers=headers
            ) as response:
                if response.status != 200:
                    logger.error("desk answered %s to %s %s", response.status, method, path)
                    return None
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.error("desk unreachable for %s %s: %s", method, path, type(error).__name__)
            return None

    async def open_case(self, case: dict[str, Any]) -> dict | None:
        return await self._call("POST", "cases", case)

    async def leave_question(self, question: dict[str, Any]) -> dict | None:
        return await self._call("POST", "callbacks", question)

    async def opening_hours(self) -> dict | None:
        return await self._call("GET", "opening-hours")
