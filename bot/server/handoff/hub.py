"""The desks that are open right now, and live events to them.

Every logged-in desk gets every event (counsellors share one queue). A counsellor is
online while one of their desk sockets is open; when the last one closes, their open
cases go back to the queue after a grace period, unless they come back in time.

With several server processes (VEIVALG_REDIS_URL set), events go through Redis
publish/subscribe to the desks held by every replica, and who is online is a Redis set
that each replica refreshes for its own desks.

Each socket belongs to a login session: a session that ends (logout, expiry, a disabled
account) closes its sockets with code 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bot.server.delivery import Socket

logger = logging.getLogger(__name__)

EVENTS = "veivalg:desk:events"
ONLINE = "veivalg:desk:online"
HEARTBEAT_SECONDS = 10
ONLINE_SECONDS = 30  # a replica that stops refreshing loses its desks after this
SESSION_ENDED = 4401  # the close code the desk page answers with its login form


class DeskHub:
    def __init__(
        self, reconnect_seconds: float, on_gone: Callable[[int], Awaitable[None]],
        redis_url: str = "",
    ) -> None:
        self.reconnect_seconds = reconnect_seconds
        self.on_gone = on_gone
        self._sockets: dict[int, set[Socket]] = {}
        self._session_of: dict[Socket, str] = {}
        self._gone: dict[int, asyncio.Task] = {}
        self._tasks: list[asyncio.Task] = []
        self.replica = uuid.uuid4().hex
        self.redis: Any = None
        if redis_url:
            from bot.server.redis_client import redis_from_url

            self.redis = redis_from_url(redis_url, decode_responses=True)
            # Pub/sub channels are shared by all Redis databases: name ours by database.
            self.events = f"{EVENTS}:{self.redis.connection_pool.connection_kwargs.get('db', 0)}"

    async def start(self) -> None:
        if self.redis is None:
            return
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.events)
        from bot.server.redis_client import listen_forever

        self._tasks = [
            asyncio.ensure_future(listen_forever(self.redis, pubsub, self.events,
                                                 self._send_here)),
            asyncio.ensure_future(self._heartbeat()),
        ]

    async def _heartbeat(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                await self._mark_online()
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def _mark_online(self) -> None:
        if self.redis is None or not self._sockets:
            return
        until = time.time() + ONLINE_SECONDS
        await self.redis.zadd(ONLINE, {f"{cid}:{self.replica}": until for cid in self._sockets})

    async def online(self) -> set[int]:
        if self.redis is None:
            return set(self._sockets)
        try:
            members = await self.redis.zrangebyscore(ONLINE, time.time(), "+inf")
        except Exception:  # noqa: BLE001 - without Redis, this replica's desks are all we know
            return set(self._sockets)
        return {int(member.split(":")[0]) for member in members} | set(self._sockets)

    async def attach(self, counsellor_id: int, socket: Socket, session: str = "") -> None:
        self._sockets.setdefault(counsellor_id, set()).add(socket)
        if session:
            self._session_of[socket] = session
        timer = self._gone.pop(counsellor_id, None)
        if timer is not None:
            timer.cancel()  # back in time: their cases stay theirs
        with contextlib.suppress(Exception):
            await self._mark_online()

    async def detach(self, counsellor_id: int, socket: Socket) -> None:
        self._session_of.pop(socket, None)
        sockets = self._sockets.get(counsellor_id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self._sockets[counsellor_id]
            if self.redis is not None:
                with contextlib.suppress(Exception):
                    await self.redis.zrem(ONLINE, f"{counsellor_id}:{self.replica}")
            self._gone[counsellor_id] = asyncio.ensure_future(self._after_grace(counsellor_id))

    def sessions(self) -> set[str]:
        """The login sessions that have a socket open here."""
        return set(self._session_of.values())

    async def end_sessions(self, ended: set[str]) -> None:
        """Close the sockets of sessions that are over; each socket's own handler then
        detaches it, as for any closed socket."""
        for socket, session in list(self._session_of.items()):
            if session in ended:
                self._session_of.pop(socket, None)
                with contextlib.suppress(Exception):  # already gone
                    await socket.close(SESSION_ENDED, "session ended")

    async def _after_grace(self, counsellor_id: int) -> None:
        await asyncio.sleep(self.reconnect_seconds)
        self._gone.pop(counsellor_id, None)
        if counsellor_id not in await self.online():
            await self.on_gone(counsellor_id)

    async def broadcast(self, event: dict[str, Any]) -> None:
        data = json.dumps(event, ensure_ascii=False)
        if self.redis is not None:
            try:
                await self.redis.publish(self.events, data)
                return
            except Exception:  # noqa: BLE001 - Redis down: at least this replica's desks
                logger.warning("Redis unreachable; desk event sent to this replica only")
        await self._send_here(data)

    async def _send_here(self, data: str) -> None:
        for counsellor_id, sockets in list(self._sockets.items()):
            for socket in list(sockets):
                try:
                    await socket.send(data)
                except Exception:  # noqa: BLE001 - a dead desk socket is simply dropped
                    await self.detach(counsellor_id, socket)

    async def close(self) -> None:
        for task in [*self._gone.values(), *self._tasks]:
            task.cancel()
        for counsellor_id, sockets in list(self._sockets.items()):
            for socket in list(sockets):
                with contextlib.suppress(Exception):  # already gone
                    await socket.close(1001, "server shutting down")
            if self.redis is not None:
                with contextlib.suppress(Exception):
                    await self.redis.zrem(ONLINE, f"{counsellor_id}:{self.replica}")
        self._sockets.clear()
        if self.redis is not None:
            with contextlib.suppress(Exception):
                await self.redis.close()
