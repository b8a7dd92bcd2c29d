"""Abuse limits shared by every channel: how fast, and how big.

Rates are token buckets (a burst is fine, a flood is refused) kept per conversation and
per client address, so a reconnect or a new conversation id does not start afresh. They
live in this process, or in Redis when ``VEIVALG_REDIS_URL`` is set, so that replicas
behind a load balancer count together. Over the limit a channel answers 429 with
``Retry-After`` (HTTP) or an ``error`` frame ``rate_limited`` (the web chat socket).

Sizes: Sanic refuses any request body over ``VEIVALG_MAX_REQUEST_BYTES`` and any socket
frame over ``VEIVALG_MAX_CHANNEL_BYTES`` before reading it (bot/server/rasa_server.py sets both),
and the channels' own routes refuse bodies over ``VEIVALG_MAX_CHANNEL_BYTES``; both
refusals are a 413 with a JSON body.

The client address is the connection's peer, or, when the peer is one of
``VEIVALG_TRUSTED_PROXIES``, the nearest untrusted address in ``X-Forwarded-For``: a
client that writes its own header gains nothing.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from sanic import response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.security_headers import client_address
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

# Buckets one process keeps without Redis; the least recently used go first (a forgotten
# bucket is a full one, so forgetting is lenient, never wrong the other way).
LOCAL_BUCKETS = 100_000
REDIS_PREFIX = "veivalg:limit:"
REDIS_TIMEOUT_SECONDS = 0.5
REDIS_PAUSE_SECONDS = 5


@dataclass(frozen=True)
class Rate:
    """``per_minute`` on average, up to ``burst`` at once."""

    per_minute: float
    burst: int

    @classmethod
    def of(cls, per_minute: int) -> Rate:
        """The allowance with a burst of a third of a minute's worth (at least 5): a
        person who asks several short questions in a row, or presses buttons quickly,
        is not stopped; a flood is, after the burst."""
        return cls(float(per_minute), max(5, per_minute // 3))

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


NOTICE_RATE = Rate(1.0, 1)


class Buckets(Protocol):
    async def take(self, key: str, rate: Rate) -> float:
        """Take one token from the bucket ``key``: 0 when it was there, else the seconds
        until one will be."""


def _refill(tokens: float, updated: float, now: float, rate: Rate) -> float:
    return min(float(rate.burst), tokens + max(0.0, now - updated) * rate.per_second)


class LocalBuckets:
    """Buckets in this process."""

    def __init__(self, keep: int = LOCAL_BUCKETS) -> None:
        self.keep = keep
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def take(self, key: str, rate: Rate) -> float:
        now = time.monotonic()
        tokens, updated = self._buckets.pop(key, (float(rate.burst), now))
        tokens = _refill(tokens, updated, now, rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / rate.per_second if rate.per_second > 0 else 60.0
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.keep:
            self._buckets.popitem(last=False)
        return wait


# One bucket, read and written atomically in Redis, on Redis' own clock (the replicas'
# clocks may differ). Returns the wait as a string: Redis would cut a number to an integer.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
elseif rate > 0 then
  wait = (1 - tokens) / rate
else
  wait = 60
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / math.max(rate, 0.001)) + 1)
return tostring(wait)
"""


class RedisBuckets:
    """Buckets in Redis, shared by every replica. While Redis is unreachable each process
    counts on its own, so a flood is still refused, and a message does not wait for Redis:
    no retries, short timeouts, and Redis is left alone for a few seconds after a failure."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.redis = redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                    socket_timeout=REDIS_TIMEOUT_SECONDS)
        self.script = self.redis.register_script(_TAKE)
        self.fallback = LocalBuckets()
        self._down_until = 0.0

    async def take(self, key: str, rate: Rate) -> float:
        if time.monotonic() < self._down_until:
            return await self.fallback.take(key, rate)
        try:
            wait = await self.script(keys=[REDIS_PREFIX + key],
                                     args=[rate.per_second, rate.burst])
        except Exception as error:  # noqa: BLE001 - Redis down: count in this process
            logger.warning("rate limits counted per process for %d s: Redis unreachable (%s)",
                           REDIS_PAUSE_SECONDS, type(error).__name__)
            self._down_until = time.monotonic() + REDIS_PAUSE_SECONDS
            return await self.fallback.take(key, rate)
        return float(wait.decode() if isinstance(wait, bytes) else wait)

    async def close(self) -> None:
        await self.redis.close(close_connection_pool=True)


class Limits:
    """The abuse limits of one server process (kept in its app state: ``limits_of``)."""

    def __init__(self, settings: Settings, buckets: Buckets | None = None) -> None:
        self.settings = settings
        if buckets is None:
            buckets = RedisBuckets(settings.redis_url) if settings.redis_url else LocalBuckets()
        self.buckets = buckets
        self.messages = Rate.of(settings.messages_per_minute)
        self.frames = Rate.of(settings.frames_per_minute)
        self.ip_messages = Rate.of(settings.ip_messages_per_minute)
        self.ip_frames = Rate.of(settings.ip_frames_per_minute)

    def client_ip(self, request: Request) -> str:
        """Who is asking: the peer, or the address a trusted proxy says it forwards for."""
        return client_address(request, self.settings.trusted_proxies)

    async def _take(self, checks: list[tuple[str, Rate]]) -> float:
        """Take from every bucket in turn; the first refusal stops it and says how long."""
        for key, rate in checks:
            wait = await self.buckets.take(key, rate)
            if wait > 0:
                return wait
        return 0.0

    async def message(self, conversation: str | None, ip: str | None) -> float:
        """A message (or anything else that costs a turn or a database write)."""
        checks = []
        if ip is not None:
            checks.append((f"ip-message:{ip}", self.ip_messages))
        if conversation is not None:
            checks.append((f"message:{conversation}", self.messages))
        return await self._take(checks)

    async def frame(self, conversation: str | None, ip: str | None) -> float:
        """Any frame on a chat socket, and the socket's opening."""
        checks = []
        if ip is not None:
            checks.append((f"ip-frame:{ip}", self.ip_frames))
        if conversation is not None:
            checks.append((f"frame:{conversation}", self.frames))
        return await self._take(checks)

    async def notice(self, conversation: str) -> float:
        """Telling a person they are too fast: once a minute at most."""
        return await self.buckets.take(f"notice:{conversation}", NOTICE_RATE)

    async def close(self) -> None:
        if isinstance(self.buckets, RedisBuckets):
            await self.buckets.close()


def limits_of(app: Any, settings: Settings | None = None) -> Limits:
    """The process's limits, made on first use and kept in the app's state."""
    limits = getattr(app.ctx, "veivalg_limits", None)
    if limits is None:
        limits = Limits(settings or Settings.from_env())
        app.ctx.veivalg_limits = limits
    return limits


def retry_after(wait: float) -> int:
    return max(1, math.ceil(wait))


RATE_LIMITED = "rate_limited"


def rate_limited_message(wait: float) -> str:
    return f"too many requests; try again in {retry_after(wait)} s"


def too_many(wait: float) -> HTTPResponse:
    """429 with Retry-After, in the same JSON shape as every other refusal."""
    return response.json(
        {"error": RATE_LIMITED, "message": rate_limited_message(wait),
         "retry_after": retry_after(wait)},
        status=429, headers={"Retry-After": str(retry_after(wait))},
    )


def too_large(limit: int) -> HTTPResponse:
    return response.json(
        {"error": "request_too_large",
         "message": f"the request body may be at most {limit} bytes"},
        status=413,
    )


def body_too_large(request: Request, limit: int) -> HTTPResponse | None:
    """413 for a channel's request whose body is over ``limit`` bytes, else None."""
    declared = request.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() else len(request.body or b"")
    if size > limit or len(request.body or b"") > limit:
        return too_large(limit)
    return None


def answer_oversized_requests_in_json(app: Any, settings: Settings) -> None:
    """Sanic's own refusal of a body over ``REQUEST_MAX_SIZE`` as our JSON 413."""

    def payload_too_large(request: Request, exception: Exception) -> HTTPResponse:
        return too_large(settings.max_request_bytes)

    app.error_handler.add(PayloadTooLarge, payload_too_large)


def sanic_environment(settings: Settings) -> dict[str, str]:
    """Sanic's size limits for the Rasa server, as the environment Sanic reads them from
    when Rasa makes its app (they must be set before the server starts listening)."""
    return {
        "SANIC_REQUEST_MAX_SIZE": str(settings.max_request_bytes),
        "SANIC_WEBSOCKET_MAX_SIZE": str(settings.max_channel_bytes),
    }
