"""The help lines a bot reply gives a person in crisis: if they do not arrive, every desk
must hear so, whatever channel failed (#16: one choke point per guarantee).

``action_crisis`` opens the urgent case before Rasa sends its replies, so the desks are
first told the person has the help lines. A channel that can fail to deliver hands each
reply it could not send in a person's turn to :class:`UndeliveredReplies`, which tells
the desk when that reply was the help lines (``bot/server/handoff/service.py``
``Desk.help_lines_undelivered``): the same ``conversation.urgent`` alert, with
``help_lines_undelivered``, as when the desk itself sends them to a person in the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.server.channels.delivery_report import NotDelivered

logger = logging.getLogger(__name__)

HELP_LINES_RESPONSE = "utter_crisis_help"  # domain.yml; sent by actions/crisis.py

# What an output channel calls with a reply it could not send in the person's turn.
OnUndelivered = Callable[[str, dict[str, Any], NotDelivered], Awaitable[None]]


def carries_help_lines(message: dict[str, Any]) -> bool:
    """Whether a bot reply (what Rasa hands ``send_response``) is the help lines: Rasa
    names the response a reply was made from in its metadata (``utter_action``)."""
    return message.get("utter_action") == HELP_LINES_RESPONSE


class UndeliveredReplies:
    """Where a channel reports the replies that did not reach the person; one per input
    channel, given the server's app at start (the desk lives in ``app.ctx.desk``)."""

    def __init__(self) -> None:
        self.app: Any = None

    def attach(self, app: Any) -> None:
        self.app = app

    async def report(self, sender_id: str, message: dict[str, Any],
                     failure: NotDelivered) -> None:
        """Log the failure (never the text); the help lines go to the desk too. Never
        raises: the rest of the turn must still be sent."""
        if not carries_help_lines(message):
            logger.warning("a bot reply did not reach the person (%s: %s)", failure.channel,
                           failure.reason)
            return
        desk = getattr(getattr(self.app, "ctx", None), "desk", None)
        if desk is None:
            logger.error("the help lines did not reach a person (%s: %s), and there is no "
                         "desk here to tell", failure.channel, failure.reason)
            return
        try:
            await desk.help_lines_undelivered(sender_id, failure)
        except Exception:  # noqa: BLE001 - the database or Redis is away: say so loudly
            logger.exception("the help lines did not reach a person (%s: %s), and the "
                             "desks could not be told", failure.channel, failure.reason)
