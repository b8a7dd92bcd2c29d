"""Redis clients that ride out a Redis restart: a dead pooled connection is retried on
a new one instead of failing the message that met it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRIES = 5


def _resilience() -> dict[str, Any]:
    return {
        "retry": Retry(ExponentialBackoff(cap=2, base=0.05), RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
        # No health_check_interval: with redis-py 4.6 it breaks pubsub.listen()
        # (TypeError on a None response, redis/redis-py#1788), losing a second of pushes.
    }


def redis_from_url(url: str, **options: Any) -> redis.Redis:
    return redis.from_url(url, **_resilience(), **options)


def redis_client(**options: Any) -> redis.Redis:
    return redis.Redis(**_resilience(), **options)


async def listen_forever(
    client: redis.Redis, pubsub: Any, channel: str,
    handle: Callable[[str], Awaitable[None]],
    on_resubscribe: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Hand every message on `channel` to `handle`, subscribing again whenever the
    subscription ends (a Redis restart). An ended listen() returns at once, so there is
    a pause before each new subscription, or the loop would spin."""
    while True:
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    await handle(message["data"])
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - Redis restarted: subscribe again
            logger.warning("subscription to %s lost (%s)", channel, type(error).__name__)
        await asyncio.sleep(1)
        with contextlib.suppress(Exception):
            pubsub = client.pubsub()
            await pubsub.subscribe(channel)
            if on_resubscribe is not None:
                await on_resubscribe()
