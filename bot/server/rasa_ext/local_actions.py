"""The language of each message is read in the Rasa server, not at the action server.

``action_detect_language`` is the ``language`` slot's custom mapping (domain.yml): Rasa
runs it after every message, before anything else, by posting the whole conversation to
the action server and reading the answer back. It only reads the latest message and two
slots, so that round trip was a quarter of the Rasa server's time per message and half of
the action server's. Here rasa_sdk's own executor runs the same action class inside the
Rasa server, with the same answer, checked and applied as Rasa applies the action
server's (``RemoteAction.run``). Its request holds the tracker without its events and
without the domain: the action reads the latest message and two slots, and serialising
the whole history for it made each reply slower as a conversation grew. Every other
custom action still goes to the action server; plain ``rasa`` commands send this one
there too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.core.trackers import EventVerbosity
from rasa_sdk.executor import ActionExecutor

from actions.language import ActionDetectLanguage

LOCAL_ACTIONS = (ActionDetectLanguage,)

_remote_run = RemoteAction.run


@lru_cache(maxsize=1)
def executor() -> ActionExecutor:
    local = ActionExecutor()
    for action in LOCAL_ACTIONS:
        local.register_action(action)
    return local


def local_call(name: str, tracker: Any) -> dict[str, Any]:
    """The action call a local action gets: Rasa's, without events or domain."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = []
    return {"next_action": name, "sender_id": tracker.sender_id, "tracker": state,
            "domain": {}, "version": rasa.__version__}


async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
              domain: Any) -> list[events.Event]:
    if self.name() not in executor().actions:
        return await _remote_run(self, output_channel, nlg, tracker, domain)
    response = await executor().run(local_call(self.name(), tracker)) or {}
    self._validate_action_result(response)
    bot_messages = await self._utter_responses(
        response.get("responses", []), output_channel, nlg, tracker)
    return [*bot_messages, *events.deserialise_events(response.get("events", []))]


def apply() -> None:
    RemoteAction.run = run  # type: ignore[method-assign]
