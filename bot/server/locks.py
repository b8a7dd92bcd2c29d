"""One message at a time per conversation, across every server process, through Redis.

Rasa's RedisLockStore issues its tickets with a read-modify-write of one Redis key, so
two replicas taking messages for the same conversation at the same moment can both get
in (seen here: a reply that waited out the lock's lifetime, and messages taken at once).
This lock is Redis' own: SET NX with an expiry and a token, released only by its holder
(redis-py's Lock, a Lua script), so two processes can never hold it together.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import LockError as RedisLockError

from bot.server.redis_client import redis_client

RETRY_SECONDS = 0.01  # how often a waiting message tries again: replies take ~25 ms


class ConversationLocks(LockStore):
    """Configured as ``lock_store`` in deploy/endpoints.yml."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        config = {**(endpoint_config.kwargs if endpoint_config else {}), **settings}
        host = (endpoint_config.url if endpoint_config else None) or config.get("host")
        self.prefix = config.get("key_prefix") or "veivalg"
        self.redis = redis_client(
            host=host or "127.0.0.1", port=int(config.get("port") or 6379),
            db=int(config.get("db") or 1), password=config.get("password") or None,
        )

    @contextlib.asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[Any]:
        held = self.redis.lock(
            f"{self.prefix}:lock:{conversation_id}", timeout=lock_lifetime,
            sleep=RETRY_SECONDS, blocking_timeout=lock_lifetime,
        )
        if not await held.acquire():
            raise LockError(f"conversation {conversation_id!r} stayed locked")
        try:
            yield held
        finally:
            with contextlib.suppress(RedisLockError):  # expired meanwhile: nothing to free
                await held.release()
