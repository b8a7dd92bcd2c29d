"""The in-process delivery: pushes reach every open socket, or wait for a reconnect."""

from __future__ import annotations

import json

from bot.server.delivery import PENDING_PER_PERSON, LocalDelivery


class FakeSocket:
    """A socket that records what it was sent, and can be made to fail like a dropped one."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict] = []
        self.fail = fail
        self.closed = False

    async def send(self, data: str) -> None:
        if self.fail:
            raise ConnectionResetError("dropped")
        self.sent.append(json.loads(data))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = True


def message(n: int) -> dict:
    return {"type": "message", "id": f"m{n}", "text": f"melding {n}"}


async def test_a_push_reaches_every_open_socket_of_the_person() -> None:
    delivery, tab1, tab2, other = LocalDelivery(), FakeSocket(), FakeSocket(), FakeSocket()
    await delivery.attach("p", tab1)
    await delivery.attach("p", tab2)
    await delivery.attach("q", other)
    await delivery.push("p", message(1))
    assert tab1.sent == tab2.sent == [message(1)]
    assert other.sent == []


async def test_a_push_with_no_socket_is_delivered_on_reconnect_in_order() -> None:
    delivery = LocalDelivery()
    await delivery.push("p", message(1))
    await delivery.push("p", {"type": "typing", "on": True})  # live only: not kept
    await delivery.push("p", message(2))
    socket = FakeSocket()
    await delivery.attach("p", socket)
    assert socket.sent == [message(1), message(2)]
    assert delivery.pending("p") == []


async def test_a_dropped_socket_is_forgotten_and_the_push_kept() -> None:
    delivery, dead = LocalDelivery(), FakeSocket(fail=True)
    await delivery.attach("p", dead)
    await delivery.push("p", message(1))
    assert not delivery.is_connected("p")
    assert delivery.pending("p") == [message(1)]


async def test_kept_pushes_are_bounded_per_person() -> None:
    delivery = LocalDelivery()
    for n in range(PENDING_PER_PERSON + 5):
        await delivery.push("p", message(n))
    kept = delivery.pending("p")
    assert len(kept) == PENDING_PER_PERSON and kept[-1] == message(PENDING_PER_PERSON + 4)


async def test_close_closes_every_socket() -> None:
    delivery, a, b = LocalDelivery(), FakeSocket(), FakeSocket()
    await delivery.attach("p", a)
    await delivery.attach("q", b)
    await delivery.close()
    assert a.closed and b.closed and delivery.open_sockets == 0
