"""What the desk shows of a message that may be crisis language (bot/server/handoff/service.py
``Desk.person_event``), in process with a real desk on SQLite: marked as it arrives, and
shown once when the bot puts it back on the tracker after asking about it. In a browser:
tests/browser/test_desk_crisis.py."""

from __future__ import annotations

from bot.server.handoff.cases import NewCase
from bot.server.handoff.service import Desk
from tests.unit.desk_in_process import DeskSocket

PERSON = "webchat:perhaps"


def written(text: str, **parse: object) -> dict[str, object]:
    return {"event": "user", "text": text, "timestamp": 1.0,
            "parse_data": {"intent": {"name": "ask_cv", "confidence": 0.9}, **parse}}


async def test_perhaps_crisis_language_is_marked_and_a_message_put_back_is_not_shown_again(
    desk: Desk,
) -> None:
    desk.cases.open(NewCase(PERSON, "webchat", "nb", None, None, ""))
    socket = DeskSocket()
    await desk.hub.attach(1, socket)
    await desk.person_event(PERSON, written("vil bare forsvinne", crisis_check=0.9))
    await desk.person_event(PERSON, written("når er fristen"))
    put_back = {**written("vil bare forsvinne"), "metadata": {"veivalg_replayed": True}}
    await desk.person_event(PERSON, put_back)
    shown = [frame["message"] for frame in socket.of_type("message.created")]
    assert [m["text"] for m in shown] == ["vil bare forsvinne", "når er fristen"]
    assert [m.get("alert") for m in shown] == ["crisis_check", None]
    assert socket.of_type("conversation.urgent") == []
