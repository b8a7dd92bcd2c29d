"""Login throttling for the desk: password guessing gets a few tries, then pauses that
double with every further failure (OWASP ASVS 2.2.1).

Counted per account and per client address: a guesser that spreads over many accounts
meets the address limit, one that spreads over many addresses meets the account limit.
An attempt takes a try *before* the password is checked, so that a hundred parallel
requests cannot all slip in before the first failure is written down; a successful login
gives its try back. While paused, attempts are refused without checking the password and
without lengthening the pause. With VEIVALG_REDIS_URL the counts live in Redis and hold
across replicas; without it (or while Redis is away) in this process.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

MAX_PAUSE_SECONDS = 15 * 60
MEMORY_SECONDS = 60 * 60  # failures are forgotten after an hour without attempts
KEY_PREFIX = "veivalg:desk:login:"

# KEYS: the counters. ARGV: now, pause, max pause, memory, then one try limit per key.
# Returns the seconds to wait (as text: Lua numbers lose their fraction in a reply), or "0"
# when the attempt may go ahead, in which case it has been counted on every key.
_ATTEMPT = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local until_ = tonumber(redis.call('HGET', key, 'until') or '0')
  if until_ - now > wait then wait = until_ - now end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  local tries = redis.call('HINCRBY', key, 'tries', 1)
  local limit = tonumber(ARGV[4 + i])
  if tries >= limit then
    local pause = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (tries - limit))
    redis.call('HSET', key, 'until', tostring(now + pause))
  end
  redis.call('EXPIRE', key, ARGV[4])
end
return '0'
"""
# KEYS[1]: give one try back; below the limit the pause is lifted. ARGV: the limit.
_GIVE_BACK = """
local tries = redis.call('HINCRBY', KEYS[1], 'tries', -1)
if tries < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[1], 'until') end
if tries <= 0 then redis.call('DEL', KEYS[1]) end
return tries
"""


def _key(kind: str, value: str) -> str:
    # Hashed: a login or address of any length or shape makes a short, plain key.
    return KEY_PREFIX + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass
class _Counter:
    tries: int = 0
    until: float = 0.0
    seen: float = 0.0


class LoginThrottle:
    def __init__(self, per_account: int, per_address: int, pause_seconds: float,
                 redis_url: str = "") -> None:
        self.limits = {"account": max(1, per_account), "address": max(1, per_address)}
        self.pause = pause_seconds
        self.local: dict[str, _Counter] = {}
        self.redis: Any = None
        if redis_url:
            from bot.server.redis_client import redis_from_url

            self.redis = redis_from_url(redis_url, decode_responses=True)
            self._attempt = self.redis.register_script(_ATTEMPT)
            self._give_back = self.redis.register_script(_GIVE_BACK)

    def _keys(self, login: str, address: str) -> dict[str, str]:
        return {"account": _key("account", login.casefold()),
                "address": _key("address", address)}

    async def attempt(self, login: str, address: str) -> float:
        """0 when this attempt may check its password (and it has been counted), else the
        seconds until the next attempt may."""
        keys = self._keys(login, address)
        if self.redis is not None:
            try:
                waited = await self._attempt(
                    keys=list(keys.values()),
                    args=[time.time(), self.pause, MAX_PAUSE_SECONDS, MEMORY_SECONDS,
                          *(self.limits[kind] for kind in keys)],
                )
                return float(waited)
            except Exception:  # noqa: BLE001 - Redis away: this replica still throttles
                logger.warning("Redis unreachable; login attempts counted in this process")
        return self._attempt_here(keys)

    async def succeeded(self, login: str, address: str) -> None:
        """The password was right: the account starts afresh, the address gets its try back."""
        keys = self._keys(login, address)
        if self.redis is not None:
            try:
                await self.redis.delete(keys["account"])
                await self._give_back(keys=[keys["address"]], args=[self.limits["address"]])
                return
            except Exception:  # noqa: BLE001 - Redis away: as in attempt()
                logger.warning("Redis unreachable; login attempts counted in this process")
        self.local.pop(keys["account"], None)
        counter = self.local.get(keys["address"])
        if counter is not None:
            counter.tries = max(0, counter.tries - 1)
            if counter.tries < self.limits["address"]:
                counter.until = 0.0

    def _attempt_here(self, keys: dict[str, str]) -> float:
        now = time.time()
        self._forget_old(now)
        counters = {kind: self.local.setdefault(key, _Counter()) for kind, key in keys.items()}
        wait = max(counter.until - now for counter in counters.values())
        if wait > 0:
            return wait
        for kind, counter in counters.items():
            counter.tries += 1
            counter.seen = now
            limit = self.limits[kind]
            if counter.tries >= limit:
                counter.until = now + min(MAX_PAUSE_SECONDS,
                                          self.pause * 2 ** (counter.tries - limit))
        return 0.0

    def _forget_old(self, now: float) -> None:
        # A sweep now and then keeps a spray of invented logins from growing the dict.
        if len(self.local) < 10_000:
            return
        for key, counter in list(self.local.items()):
            if now - counter.seen > MEMORY_SECONDS and counter.until < now:
                del self.local[key]

    async def close(self) -> None:
        if self.redis is not None:
            try:
                await self.redis.close(close_connection_pool=True)
            except Exception:  # noqa: BLE001 - already gone
                logger.debug("Redis connection already closed")
