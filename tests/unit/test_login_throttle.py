"""The desk's login throttle, in this process and on a real Redis shared by two "replicas"
(the tests' own Redis server, tests/private_services.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bot.server.handoff.throttle import LoginThrottle
from tests.private_services import PrivateRedis

PER_ACCOUNT, PER_ADDRESS, PAUSE = 3, 6, 0.5

Make = Callable[[], LoginThrottle]


@pytest.fixture(params=["in-process", "redis"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """Makes throttles that share their counts, as the replicas of one service do."""
    made: list[LoginThrottle] = []
    if request.param == "redis":
        redis: PrivateRedis = request.getfixturevalue("private_redis")
        redis.client().flushdb()  # the tests' own server: nobody else's data in it
        url = redis.url()
        shared = None
    else:
        url = ""
        shared = LoginThrottle(PER_ACCOUNT, PER_ADDRESS, PAUSE)

    def new() -> LoginThrottle:
        throttle = LoginThrottle(PER_ACCOUNT, PER_ADDRESS, PAUSE, url)
        if shared is not None:
            throttle.local = shared.local  # one process: one memory
        made.append(throttle)
        return throttle

    yield new
    for throttle in made:
        await throttle.close()


async def test_a_few_tries_then_pauses_that_double(make: Make) -> None:
    throttle = make()
    assert [await throttle.attempt("kari", "192.0.2.1") for _ in range(PER_ACCOUNT)] == [0] * 3
    first = await throttle.attempt("kari", "192.0.2.1")
    assert 0 < first <= PAUSE
    assert await throttle.attempt("kari", "192.0.2.99") > 0  # the account, from anywhere
    assert await throttle.attempt("ola", "192.0.2.1") == 0  # the address is not paused yet

    # The throttle counts wall-clock time (shared by replicas), asyncio sleeps on the
    # monotonic clock: the two can differ by microseconds, so wait a little past the pause.
    await asyncio.sleep(first + 0.05)
    assert await throttle.attempt("kari", "192.0.2.1") == 0  # one more try ...
    second = await throttle.attempt("kari", "192.0.2.1")
    assert PAUSE < second <= 2 * PAUSE  # ... and a pause twice as long


async def test_refused_attempts_do_not_lengthen_the_pause(make: Make) -> None:
    throttle = make()
    for _ in range(PER_ACCOUNT):
        await throttle.attempt("kari", "192.0.2.2")
    for _ in range(20):
        assert 0 < await throttle.attempt("kari", "192.0.2.2") <= PAUSE


async def test_the_right_password_starts_the_account_afresh(make: Make) -> None:
    throttle = make()
    for _ in range(PER_ACCOUNT - 1):
        await throttle.attempt("kari", "192.0.2.3")
    await throttle.attempt("kari", "192.0.2.3")  # this one was the right password:
    await throttle.succeeded("kari", "192.0.2.3")
    assert [await throttle.attempt("kari", "192.0.2.3") for _ in range(PER_ACCOUNT)] == [0] * 3


async def test_many_accounts_from_one_address_meet_the_address_limit(make: Make) -> None:
    throttle = make()
    for number in range(PER_ADDRESS):
        assert await throttle.attempt(f"login-{number}", "192.0.2.4") == 0
    assert await throttle.attempt("kari", "192.0.2.4") > 0
    assert await throttle.attempt("kari", "192.0.2.5") == 0


async def test_parallel_attempts_get_no_more_tries(make: Make) -> None:
    """Counted before the password check: a burst cannot slip in before the first failure."""
    throttle = make()
    waits = await asyncio.gather(*(throttle.attempt("kari", "192.0.2.6") for _ in range(40)))
    assert waits.count(0) == PER_ACCOUNT


async def test_replicas_share_the_count(make: Make) -> None:
    one, other = make(), make()
    await one.attempt("kari", "192.0.2.7")
    await other.attempt("kari", "192.0.2.8")
    await one.attempt("kari", "192.0.2.9")
    assert await other.attempt("kari", "192.0.2.10") > 0
