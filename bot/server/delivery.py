"""Delivery: how anything Veivalg says reaches the person's open chat sockets.

The bot's replies, a counsellor's message, a queue update: all go through ``push``. A
person may have several tabs open (several sockets) or none at all for a while (a phone
on a flaky network). A push that finds no open socket is kept and delivered when the
person reconnects, so nothing is lost.

``LocalDelivery`` keeps the sockets of this process. The scale-out setup swaps in an
implementation of the same interface that publishes through Redis, so that a push
reaches the replica that holds the socket.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections import OrderedDict, deque
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Frames kept for a person who is not connected, and people kept; the oldest go first.
PENDING_PER_PERSON = 100
PENDING_PEOPLE = 10_000
# Frames that only make sense live are dropped rather than kept for later.
EPHEMERAL_TYPES = frozenset({"typing", "pong", "ack", "error"})

Frame = dict[str, Any]


class Socket(Protocol):
    async def send(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str = "") -> None: ...


class Delivery(ABC):
    """Where frames for a person go; one instance per server process."""

    @abstractmethod
    async def attach(self, sender_id: str, socket: Socket) -> None:
        """A socket opened for the person: deliver what was kept for them."""

    @abstractmethod
    async def detach(self, sender_id: str, socket: Socket) -> None:
        """The socket closed."""

    @abstractmethod
    async def push(self, sender_id: str, frame: Frame) -> None:
        """Send the frame to every open socket of the person, or keep it for later."""

    @abstractmethod
    def is_connected(self, sender_id: str) -> bool:
        """Whether the person has an open socket (in this process)."""

    @abstractmethod
    async def close(self) -> None:
        """Close every socket (server shutdown)."""

    @abstractmethod
    async def forget(self, sender_id: str) -> None:
        """Drop what is kept for the person: their conversation was erased (#12)."""


class LocalDelivery(Delivery):
    """Delivery to the sockets held by this process."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[Socket]] = {}
        self._pending: OrderedDict[str, deque[Frame]] = OrderedDict()

    def is_connected(self, sender_id: str) -> bool:
        return bool(self._sockets.get(sender_id))

    def pending(self, sender_id: str) -> list[Frame]:
        return list(self._pending.get(sender_id, ()))

    @property
    def open_sockets(self) -> int:
        return sum(len(sockets) for sockets in self._sockets.values())

    async def attach(self, sender_id: str, socket: Socket) -> None:
        self._sockets.setdefault(sender_id, set()).add(socket)
        kept = self._pending.pop(sender_id, deque())
        while kept:
            frame = kept[0]
            if not await self._send(sender_id, socket, frame):
                self._keep(sender_id, *kept)  # the socket died at once: keep the rest
                return
            kept.popleft()

    async def detach(self, sender_id: str, socket: Socket) -> None:
        sockets = self._sockets.get(sender_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[sender_id]

    async def push(self, sender_id: str, frame: Frame) -> None:
        delivered = await self.deliver_here(sender_id, frame)
        if not delivered and frame.get("type") not in EPHEMERAL_TYPES:
            self._keep(sender_id, frame)

    async def deliver_here(self, sender_id: str, frame: Frame) -> bool:
        """Send to the person's sockets in this process; whether any took it."""
        delivered = False
        for socket in list(self._sockets.get(sender_id, ())):
            delivered = await self._send(sender_id, socket, frame) or delivered
        return delivered

    async def forget(self, sender_id: str) -> None:
        self._pending.pop(sender_id, None)

    async def close(self) -> None:
        for sender_id, sockets in list(self._sockets.items()):
            for socket in list(sockets):
                try:
                    await socket.close(1001, "server shutting down")
                except Exception:  # noqa: BLE001 - closing what may already be gone
                    pass
                finally:
                    await self.detach(sender_id, socket)

    async def _send(self, sender_id: str, socket: Socket, frame: Frame) -> bool:
        try:
            await socket.send(json.dumps(frame, ensure_ascii=False))
            return True
        except Exception as error:  # noqa: BLE001 - any failure means the socket is gone
            logger.info("chat socket gone while sending (%s); frame kept", type(error).__name__)
            await self.detach(sender_id, socket)
            return False

    def _keep(self, sender_id: str, *frames: Frame) -> None:
        kept = self._pending.setdefault(sender_id, deque(maxlen=PENDING_PER_PERSON))
        kept.extend(frames)
        self._pending.move_to_end(sender_id)
        while len(self._pending) > PENDING_PEOPLE:
            self._pending.popitem(last=False)
