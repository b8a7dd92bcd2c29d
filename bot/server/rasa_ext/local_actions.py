"""The language of each message is read in the Rasa server, not at the action server.

``action_detect_language`` is the ``language`` slot's custom mapping (domain.yml): Rasa
runs it after every message, before anything else, by posting the whole conversation to
the action server and reading the answer back. It only reads the latest message and two
slots, so that round trip was a quarter of the Rasa server's time per message and half of
the action server's. Here rasa_sdk's own executor runs the same action class inside the
Rasa server, with the same request and the same answer, checked and applied as Rasa
applies the action server's (``RemoteAction.run``). Every other custom action still goes
to the action server; plain ``rasa`` commands send this one there too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
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


async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
              domain: Any) -> list[events.Event]:
    if self.name() not in executor().actions:
        return await _remote_run(self, output_channel, nlg, tracker, domain)
    response = await executor().run(self._action_call_format(tracker, domain)) or {}
    self._validate_action_result(response)
    bot_messages = await self._utter_responses(
        response.get("responses", []), output_channel, nlg, tracker)
    return [*bot_messages, *events.deserialise_events(response.get("events", []))]


def apply() -> None:
    RemoteAction.run = run  # type: ignore[method-assign]
