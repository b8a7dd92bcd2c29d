"""Why a message did not reach the person: what a channel reports back to the desk.

A counsellor's reply is stored first and sent after (bot/server/handoff/person.py), so a message
that never arrives is still in the transcript; without a report the desk would show it as
sent. A channel whose sending can fail says so by implementing :class:`ReportsDelivery`;
a channel that cannot fail once it has the message (the web chat keeps it until the
person is back) need not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

# Why, as a code the desk words in Norwegian (bot/static/desk/desk-words.js UNDELIVERED).
BLOCKED = "blocked"  # the person blocked the bot, or their account is gone (Telegram 403)
REFUSED = "refused"  # the messaging service refused the message (4xx)
UNREACHABLE = "unreachable"  # no answer, or only errors, after every retry
NO_CHANNEL = "no_channel"  # the person's channel is not set up on this server
FAILED = "failed"  # our own code failed while sending

MAX_DETAIL_CHARS = 300  # the service's own words; enough for any Bot API description


@dataclass(frozen=True)
class NotDelivered:
    """A message (or, for a long one, some of its parts) did not reach the person."""

    reason: str
    detail: str = ""  # the service's own words, e.g. "Forbidden: bot was blocked by the user"
    channel: str = ""
    parts: int = 1  # a long message goes in parts (Telegram: 4,096 characters each) ...
    delivered_parts: int = 0  # ... and the ones before the failed part arrived

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", self.detail[:MAX_DETAIL_CHARS])

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class ReportsDelivery(Protocol):
    """An output channel that can tell whether a message reached the person."""

    async def deliver(self, recipient_id: str, message: dict[str, Any]) -> NotDelivered | None:
        """Send ``message`` (what Rasa hands ``send_response``); None when it arrived."""
        ...
