"""Stand-ins for the action server's clients, and trackers with a conversation behind them,
for the action tests (the desk itself is tested against the real servers in
tests/integration/test_handoff.py)."""

from __future__ import annotations

import copy
from typing import Any

from rasa_sdk import Tracker

from actions.desk_client import DeskClient
from actions.nlu_client import NluClient

NOWHERE = "http://127.0.0.1:1"  # nothing listens: a call that slips through fails fast

HOURS = {"open_now": False, "counsellors_online": 0,
         "text": {"nb": "mandag–fredag 08.00–16.00", "nn": "måndag–fredag 08.00–16.00",
                  "en": "Monday–Friday 08.00–16.00"}}
QUEUED = {"status": "queued", "position": 3, "wait_minutes": 12}
CLOSED = {"status": "unavailable", "reason": "closed", "opening_hours": HOURS}
NOBODY_ONLINE = {"status": "unavailable", "reason": "nobody_online", "opening_hours": HOURS}


class FakeDesk(DeskClient):
    """The desk's internal API with set answers; it keeps what the actions asked for.
    ``None`` is what DeskClient answers when the desk cannot be reached."""

    def __init__(self, case: dict[str, Any] | None = None,
                 hours: dict[str, Any] | None = None,
                 saved: dict[str, Any] | None = None) -> None:
        super().__init__(base_url=NOWHERE, token="")
        self.case, self.hours, self.saved = case, hours, saved
        self.opened: list[dict[str, Any]] = []
        self.questions: list[dict[str, Any]] = []
        self.hours_asked = 0

    async def open_case(self, case: dict[str, Any]) -> dict[str, Any] | None:
        self.opened.append(case)
        return self.case

    async def leave_question(self, question: dict[str, Any]) -> dict[str, Any] | None:
        self.questions.append(question)
        return self.saved

    async def opening_hours(self) -> dict[str, Any] | None:
        self.hours_asked += 1
        return self.hours


class NoNlu(NluClient):
    """A Rasa server that does not answer: a message is read whole, never in parts."""

    def __init__(self) -> None:
        super().__init__(base_url=NOWHERE, token="")

    async def parse(self, text: str) -> dict[str, Any] | None:
        return None


def user(text: str, intent: str, channel: str = "webchat") -> dict[str, Any]:
    """A message from the person, as the action server gets it in the tracker's events."""
    return {"event": "user", "text": text, "input_channel": channel,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.95},
                           "entities": []}}


def conversation(state: dict[str, Any], *said: dict[str, Any], form: str | None = None,
                 **slots: Any) -> Tracker:
    """A tracker (from the JSON fixture) whose person said ``said``, the last of it being
    the latest message; ``form`` is the form that was running."""
    state = copy.deepcopy(state)
    state["events"] = list(said)
    if said:
        state["latest_message"] = said[-1]["parse_data"]
    state["slots"].update(slots)
    state["active_loop"] = {"name": form} if form else {}
    return Tracker.from_dict(state)
