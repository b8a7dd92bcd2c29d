"""Rasa's event broker, used to relay what a person says during a handoff to the desk,
and to count messages and reply times for the operators' metrics (bot/server/metrics.py).

Rasa publishes every event it stores; while a conversation is with a counsellor, the
bot is paused but the person's messages are still stored, so they reach the desk the
moment they are saved, from whatever channel they came, without polling.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.server.metrics import ReplyClock

logger = logging.getLogger(__name__)


class DeskRelay(EventBroker):
    """Configured as ``event_broker`` in endpoints.yml; the desk attaches itself at start."""

    def __init__(self) -> None:
        self.desk: Any = None
        self._tasks: set[asyncio.Task] = set()
        self.clock = ReplyClock()  # messages and reply times for /ops/metrics

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig | None, event_loop: Any = None
    ) -> DeskRelay:
        return cls()

    def attach_desk(self, desk: Any) -> None:
        self.desk = desk

    def publish(self, event: dict[str, Any]) -> None:
        self.clock.event(event)
        if self.desk is None or event.get("event") != "user" or not event.get("sender_id"):
            return
        # publish() is synchronous; the desk's work runs on the server's loop.
        task = asyncio.ensure_future(self.desk.person_event(event["sender_id"], event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def is_ready(self) -> bool:
        return True

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
