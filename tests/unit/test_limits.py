"""The abuse limits' pieces: token buckets in the process and in a real Redis shared by
two "replicas", who the client is behind a proxy, and Messenger's per-sender limit."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic.compat import Header

from bot.server.channels import limits as limits_module
from bot.server.channels.limits import Limits, LocalBuckets, Rate, RedisBuckets, limits_of
from bot.server.channels.messenger import MessengerInput
from bot.shared.settings import Settings, parse_networks
from tests.private_services import PrivateRedis, running


def settings(**changes: Any) -> Settings:
    return dataclasses.replace(Settings.from_env(), redis_url="", **changes)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(limits_module.time, "monotonic", fake)
    return fake


async def test_a_bucket_allows_a_burst_then_says_how_long_to_wait(clock: Clock) -> None:
    buckets, rate = LocalBuckets(), Rate(per_minute=60, burst=3)
    assert [await buckets.take("k", rate) for _ in range(3)] == [0, 0, 0]
    assert await buckets.take("k", rate) == pytest.approx(1.0)
    clock.now += 1.0
    assert await buckets.take("k", rate) == 0
    assert await buckets.take("other", rate) == 0  # buckets are separate


def test_the_burst_is_a_third_of_a_minute_at_least_five() -> None:
    assert Rate.of(30) == Rate(30.0, 10)
    assert Rate.of(6).burst == 5
    assert Rate.of(1200).burst == 400


async def test_a_new_conversation_from_the_same_address_does_not_start_afresh(
        clock: Clock) -> None:
    limits = Limits(settings(messages_per_minute=60, ip_messages_per_minute=30))
    waits = [await limits.message(f"conversation-{n}", "203.0.113.9") for n in range(12)]
    assert waits[:10] == [0] * 10 and all(wait > 0 for wait in waits[10:])
    assert await limits.message("conversation-x", "198.51.100.1") == 0  # someone else


async def test_one_conversation_is_limited_whatever_address_it_comes_from(clock: Clock) -> None:
    limits = Limits(settings(messages_per_minute=15))
    waits = [await limits.message("one", f"192.0.2.{n}") for n in range(7)]
    assert waits[:5] == [0] * 5 and waits[5] > 0


def request(peer: str, forwarded: list[str] | None = None) -> Any:
    headers = Header([("x-forwarded-for", field) for field in forwarded or []])
    return SimpleNamespace(ip=peer, headers=headers)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("198.51.100.7", None, "198.51.100.7"),
        # A client that writes its own header gains nothing.
        ("198.51.100.7", ["203.0.113.1"], "198.51.100.7"),
        # Through our proxy: the address it saw; what the client wrote before it is ignored.
        ("127.0.0.1", ["203.0.113.1, 198.51.100.7"], "198.51.100.7"),
        ("127.0.0.1", ["203.0.113.1", "198.51.100.7"], "198.51.100.7"),
        # Two proxies of ours (a network as well as an address): the first untrusted hop.
        ("127.0.0.1", ["198.51.100.7, 10.1.2.3"], "198.51.100.7"),
        ("::1", ["2001:db8::5"], "2001:db8::5"),
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", ["not an address"], "127.0.0.1"),
    ],
)
def test_the_client_is_who_our_proxies_say(peer: str, forwarded: list[str] | None,
                                           client: str) -> None:
    limits = Limits(settings(trusted_proxies=parse_networks("127.0.0.1, ::1, 10.0.0.0/8")))
    assert limits.client_ip(request(peer, forwarded)) == client


def test_no_proxy_is_trusted_when_none_is_configured() -> None:
    limits = Limits(settings(trusted_proxies=parse_networks("")))
    assert limits.client_ip(request("127.0.0.1", ["203.0.113.1"])) == "127.0.0.1"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[PrivateRedis]:
    with running(PrivateRedis()) as server:
        yield server


async def test_replicas_share_their_buckets_through_redis(redis_server: PrivateRedis) -> None:
    one = Limits(settings(messages_per_minute=15), RedisBuckets(redis_server.url(3)))
    two = Limits(settings(messages_per_minute=15), RedisBuckets(redis_server.url(3)))
    try:
        waits = [await (one if n % 2 else two).message("shared", None) for n in range(7)]
        assert waits[:5] == [0] * 5
        assert waits[5] > 0 and waits[6] > 0
    finally:
        await one.close()
        await two.close()


async def test_without_redis_each_process_still_counts() -> None:
    unreachable = RedisBuckets("redis://127.0.0.1:9/0")  # nothing listens on port 9
    limits = Limits(settings(messages_per_minute=15), unreachable)
    try:
        waits = [await limits.message("flood", None) for _ in range(7)]
        assert waits[:5] == [0] * 5 and waits[5] > 0
    finally:
        await limits.close()


async def test_messenger_drops_a_flood_from_one_sender(clock: Clock) -> None:
    app = SimpleNamespace(ctx=SimpleNamespace())
    limits_of(app, settings(messages_per_minute=15))
    handled: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        handled.append(message.text)

    within = MessengerInput.limited(app, on_new_message)
    for n in range(8):
        await within(UserMessage(f"hei {n}", CollectingOutputChannel(), "psid-1"))
    await within(UserMessage("hei", CollectingOutputChannel(), "psid-2"))
    assert handled == [f"hei {n}" for n in range(5)] + ["hei"]
