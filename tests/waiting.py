"""Waiting for something to happen, instead of sleeping and hoping it has."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(look: Callable[[], T], done: Callable[[T], bool] = bool, *, timeout: float,
               what: str, interval: float = 0.1) -> T:
    """Call `look` until `done` holds for what it returns, and return that. After
    `timeout` seconds, fail naming `what` did not happen and the last thing seen."""
    deadline = time.monotonic() + timeout
    while True:
        seen = look()
        if done(seen):
            return seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s (last seen: {seen!r})")
        time.sleep(interval)  # between two looks at the condition, not a guess at a delay
