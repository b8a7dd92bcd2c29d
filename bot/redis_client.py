"""Redis clients that ride out a Redis restart: a dead pooled connection is retried on
a new one instead of failing the message that met it."""

from __future__ import annotations

from typing import Any

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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
