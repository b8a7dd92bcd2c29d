"""A counsellor's message that did not reach the person (issue #16), in process: what the
person's channel reports (bot/server/handoff/person.py ``PersonLink``), and the marks the desk
keeps (bot/server/handoff/undelivered.py), which go with the conversation. Through the real
servers and a fake Telegram: tests/integration/test_telegram.py."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.channels.delivery_report import (
    BLOCKED,
    FAILED,
    NO_CHANNEL,
    NotDelivered,
    ReportsDelivery,
)
from bot.server.channels.frames import FROM_KEY, NAME_KEY, history_frame
from bot.server.database import make_engine
from bot.server.handoff.person import PersonLink
from bot.server.handoff.undelivered import UndeliveredBook
from bot.server.retention.erasure import erase_now


class Refusing(OutputChannel):
    """A channel whose service says no, and says why."""

    def __init__(self, failure: NotDelivered | None) -> None:
        self.failure = failure
        self.sent: list[dict[str, Any]] = []

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def deliver(self, recipient_id: str, message: dict[str, Any]) -> NotDelivered | None:
        self.sent.append(message)
        return self.failure


class Breaking(OutputChannel):
    """A channel that reports nothing and fails with an exception."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        raise ConnectionError("the Send API is away")


class Input:
    def __init__(self, name: str, output: OutputChannel) -> None:
        self._name, self.output = name, output

    def name(self) -> str:
        return self._name

    def get_output_channel(self) -> OutputChannel:
        return self.output


def link(*channels: Input) -> PersonLink:
    return PersonLink(SimpleNamespace(ctx=SimpleNamespace(input_channels=list(channels))))


def tracker(sender_id: str, channel: str | None) -> DialogueStateTracker:
    events = [UserUttered("hei", input_channel=channel)] if channel else []
    return DialogueStateTracker.from_events(sender_id, events)


REPLY = BotUttered("Hei, jeg heter Kari.", {}, {FROM_KEY: "counsellor", NAME_KEY: "Kari"})


def test_the_telegram_output_declares_that_it_reports() -> None:
    from bot.server.channels.telegram import TelegramApi, TelegramOutput

    assert isinstance(TelegramOutput(TelegramApi("token", "http://127.0.0.1:1")),
                      ReportsDelivery)
    assert not isinstance(Breaking(), ReportsDelivery)


async def test_a_refusal_comes_back_with_the_channel_that_refused() -> None:
    output = Refusing(NotDelivered(BLOCKED, "HTTP 403: Forbidden: bot was blocked by the user"))
    report = await link(Input("telegram", output))._send(tracker("telegram:7", "telegram"),
                                                         REPLY)
    assert report == NotDelivered(BLOCKED, "HTTP 403: Forbidden: bot was blocked by the user",
                                  "telegram")
    assert output.sent[0]["text"] == "Hei, jeg heter Kari."


async def test_a_message_that_arrived_reports_nothing() -> None:
    report = await link(Input("telegram", Refusing(None)))._send(
        tracker("telegram:7", "telegram"), REPLY)
    assert report is None


async def test_an_error_while_sending_is_a_report_not_a_crash() -> None:
    report = await link(Input("facebook", Breaking()))._send(
        tracker("messenger:42", "facebook"), REPLY)
    assert report == NotDelivered(FAILED, "ConnectionError", "facebook")


@pytest.mark.parametrize(("sender_id", "report"), [
    ("messenger:42", NotDelivered(NO_CHANNEL, channel="facebook")),  # not set up here
    ("telegram:7", NotDelivered(NO_CHANNEL, channel="telegram")),
    ("rest:0123abcd", None),  # REST cannot be pushed to: the transcript only, as documented
])
async def test_a_channel_that_is_not_there(sender_id: str, report: NotDelivered | None) -> None:
    assert await link()._send(tracker(sender_id, None), REPLY) == report


def test_a_long_report_keeps_the_services_first_300_characters() -> None:
    assert len(NotDelivered(BLOCKED, "x" * 5000).detail) == 300


@pytest.fixture
def book(tmp_path: Path) -> UndeliveredBook:
    return UndeliveredBook(make_engine(f"sqlite:///{tmp_path / 'desk.db'}"))


def test_the_transcript_marks_only_what_did_not_arrive(book: UndeliveredBook) -> None:
    sent = BotUttered("Er du der?", {}, {FROM_KEY: "counsellor", NAME_KEY: "Kari"},
                      timestamp=1_764_230_400.25)
    later = BotUttered("Nå gikk det.", {}, {FROM_KEY: "counsellor", NAME_KEY: "Kari"},
                       timestamp=1_764_230_460.5)
    transcript = history_frame([sent, later], for_desk=True)["messages"]
    failure = NotDelivered(BLOCKED, "HTTP 403: Forbidden", "telegram", parts=3,
                           delivered_parts=1)
    mark = book.record("telegram:7", transcript[0]["id"], failure)
    book.record("telegram:8", transcript[1]["id"], failure)  # another conversation's

    marked = book.mark("telegram:7", transcript)
    assert [m.get("undelivered") for m in marked] == [mark, None]
    assert mark == {"reason": "blocked", "detail": "HTTP 403: Forbidden", "channel": "telegram",
                    "parts": 3, "delivered_parts": 1}
    assert [m["text"] for m in marked] == ["Er du der?", "Nå gikk det."]  # nothing is lost


def test_the_marks_go_with_the_conversation(book: UndeliveredBook) -> None:
    book.record("telegram:7", "m1.0", NotDelivered(BLOCKED))
    book.record("telegram:8", "m2.0", NotDelivered(BLOCKED))
    assert erase_now(book.engine, "telegram:7") == {"undelivered_messages": 1}
    assert book.of("telegram:7") == {} and list(book.of("telegram:8")) == ["m2.0"]
