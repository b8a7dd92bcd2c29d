"""The action server's client for the Rasa server's own understanding (``/model/parse``).

Used to read the parts of a message with several questions one at a time. Like the desk
client it answers ``None`` when the Rasa server cannot be asked, so that the action can
fall back to answering the message as a whole.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

# A part of a message is parsed while the person waits for the answer: give up quickly.
TIMEOUT = aiohttp.ClientTimeout(total=3)


class NluClient:
    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        # Set by `make run` (bot/commands/serve.py) for the action server it starts.
        self.base_url = base_url or os.environ.get("VEIVALG_RASA_URL", "http://127.0.0.1:5005")
        self.token = token if token is not None else os.environ.get("VEIVALG_API_TOKEN", "")

    async def parse(self, text: str) -> dict[str, Any] | None:
        """Rasa's parse of ``text`` (intent, ranking, entities), or None."""
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.post(
                f"{self.base_url}/model/parse", json={"text": text},
                # Rasa's HTTP API takes its token as a query parameter.
                params={"token": self.token},
            ) as response:
                if response.status != 200:
                    logger.error("model/parse answered %s", response.status)
                    return None
                answer = await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.error("model/parse unreachable: %s", type(error).__name__)
            return None
        return answer if isinstance(answer, dict) else None
