"""Delivery across several Rasa server processes, through Redis.

A person's socket lives in one replica, but the push for them (the bot's answer to a
message that another replica took, a counsellor's reply from a desk on another replica)
can start anywhere. Each replica subscribes to one Redis channel and delivers what it
receives to the sockets it holds. A Redis set per person says which replicas hold their
sockets; a push for a person with none is kept in a Redis list and delivered by
whichever replica they reconnect to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid

from bot.server.delivery import EPHEMERAL_TYPES, PENDING_PER_PERSON, Frame, LocalDelivery, Socket
from bot.server.redis_client import listen_forever, redis_from_url

logger = logging.getLogger(__name__)

CHANNEL = "veivalg:delivery"  # + the Redis database: channels are shared by all of them
KEPT_SECONDS = 24 * 3600  # frames kept for a person who does not come back are dropped


def _holders(sender_id: str) -> str:
    return f"veivalg:sockets:{sender_id}"


def _kept(sender_id: str) -> str:
    return f"veivalg:kept:{sender_id}"


class RedisDelivery(LocalDelivery):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.redis = redis_from_url(url, decode_responses=True)
        self.channel = f"{CHANNEL}:{self.redis.connection_pool.connection_kwargs.get('db', 0)}"
        self.replica = uuid.uuid4().hex
        self._listener: asyncio.Task | None = None

    async def start(self) -> None:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.channel)
        # A restarted Redis forgot who holds which sockets: register them again.
        self._listener = asyncio.ensure_future(listen_forever(
            self.redis, pubsub, self.channel, self._deliver_published, self._register_all))

    async def _deliver_published(self, data: str) -> None:
        published = json.loads(data)
        await self.deliver_here(published["sender"], published["frame"])

    async def _register_all(self) -> None:
        for sender_id in list(self._sockets):
            await self.redis.sadd(_holders(sender_id), self.replica)
            await self.redis.expire(_holders(sender_id), KEPT_SECONDS)

    async def push(self, sender_id: str, frame: Frame) -> None:
        if await self.redis.scard(_holders(sender_id)):
            await self.redis.publish(self.channel, json.dumps({"sender": sender_id, "frame": frame},
                                                         ensure_ascii=False))
        elif frame.get("type") not in EPHEMERAL_TYPES:
            key = _kept(sender_id)
            await self.redis.rpush(key, json.dumps(frame, ensure_ascii=False))
            await self.redis.ltrim(key, -PENDING_PER_PERSON, -1)
            await self.redis.expire(key, KEPT_SECONDS)

    async def attach(self, sender_id: str, socket: Socket) -> None:
        self._sockets.setdefault(sender_id, set()).add(socket)
        await self.redis.sadd(_holders(sender_id), self.replica)
        await self.redis.expire(_holders(sender_id), KEPT_SECONDS)
        while (raw := await self.redis.lpop(_kept(sender_id))) is not None:
            if not await self._send(sender_id, socket, json.loads(raw)):
                await self.redis.lpush(_kept(sender_id), raw)  # gone at once: keep it
                return

    async def detach(self, sender_id: str, socket: Socket) -> None:
        await super().detach(sender_id, socket)
        if not self.is_connected(sender_id):
            with contextlib.suppress(Exception):
                await self.redis.srem(_holders(sender_id), self.replica)

    async def forget(self, sender_id: str) -> None:
        await super().forget(sender_id)
        await self.redis.delete(_kept(sender_id))

    async def close(self) -> None:
        held = list(self._sockets)
        await super().close()
        for sender_id in held:
            with contextlib.suppress(Exception):
                await self.redis.srem(_holders(sender_id), self.replica)
        if self._listener is not None:
            self._listener.cancel()
        await self.redis.close()
