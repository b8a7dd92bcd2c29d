"""The desks that are open right now, and live events to them.

Every logged-in desk gets every event (counsellors share one queue). A counsellor is
online while one of their desk sockets is open; when the last one closes, their open
cases go back to the queue after a grace period, unless they come back in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.delivery import Socket

logger = logging.getLogger(__name__)


class DeskHub:
    def __init__(
        self, reconnect_seconds: float, on_gone: Callable[[int], Awaitable[None]]
    ) -> None:
        self.reconnect_seconds = reconnect_seconds
        self.on_gone = on_gone
        self._sockets: dict[int, set[Socket]] = {}
        self._gone: dict[int, asyncio.Task] = {}

    def online(self) -> set[int]:
        return set(self._sockets)

    def attach(self, counsellor_id: int, socket: Socket) -> None:
        self._sockets.setdefault(counsellor_id, set()).add(socket)
        timer = self._gone.pop(counsellor_id, None)
        if timer is not None:
            timer.cancel()  # back in time: their cases stay theirs

    def detach(self, counsellor_id: int, socket: Socket) -> None:
        sockets = self._sockets.get(counsellor_id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self._sockets[counsellor_id]
            self._gone[counsellor_id] = asyncio.ensure_future(self._after_grace(counsellor_id))

    async def _after_grace(self, counsellor_id: int) -> None:
        await asyncio.sleep(self.reconnect_seconds)
        self._gone.pop(counsellor_id, None)
        if counsellor_id not in self._sockets:
            await self.on_gone(counsellor_id)

    async def broadcast(self, event: dict[str, Any]) -> None:
        data = json.dumps(event, ensure_ascii=False)
        for counsellor_id, sockets in list(self._sockets.items()):
            for socket in list(sockets):
                try:
                    await socket.send(data)
                except Exception:  # noqa: BLE001 - a dead desk socket is simply dropped
                    self.detach(counsellor_id, socket)

    async def close(self) -> None:
        for timer in self._gone.values():
            timer.cancel()
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                with contextlib.suppress(Exception):  # already gone
                    await socket.close(1001, "server shutting down")
        self._sockets.clear()
