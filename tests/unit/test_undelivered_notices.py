"""The desk's notices to a person that did not reach them (#16): a counsellor who takes a
case must not believe the person was told "Rådgiver Kari har kommet inn i samtalen" when
their channel refused it. In process: a real desk on SQLite (bot/server/handoff/service.py
``Desk.notify``), the real ``PersonLink`` and a fake channel that refuses. Through the
real servers and a fake Telegram: tests/integration/test_telegram.py."""

from __future__ import annotations

import dataclasses
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.channels.delivery_report import BLOCKED, FAILED, NO_CHANNEL, NotDelivered
from bot.server.handoff.accounts import CounsellorInfo
from bot.server.handoff.cases import NewCase
from bot.server.handoff.person import PersonLink
from bot.server.handoff.service import Desk
from tests.unit.desk_in_process import DeskSocket

PERSON = "telegram:4242"
KARI = CounsellorInfo(1, "Kari")
BLOCKED_BY_PERSON = NotDelivered(BLOCKED, "HTTP 403: Forbidden: bot was blocked by the user")


class RefusingTelegram(OutputChannel):
    """A channel that shows notices as messages; its service refuses each one with
    ``failure`` (None: each arrives). It keeps the frames it was given."""

    def __init__(self, failure: NotDelivered | None = None) -> None:
        self.failure = failure
        self.frames: list[dict[str, Any]] = []

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_frame(self, recipient_id: str, frame: dict[str, Any],
                         language: str | None) -> NotDelivered | None:
        self.frames.append(frame)
        return self.failure


class BrokenTelegram(RefusingTelegram):
    async def send_frame(self, recipient_id: str, frame: dict[str, Any],
                         language: str | None) -> NotDelivered | None:
        raise ConnectionError("the Bot API client is closed")


class Input:
    def __init__(self, output: OutputChannel) -> None:
        self.output = output

    def name(self) -> str:
        return self.output.name()

    def get_output_channel(self) -> OutputChannel:
        return self.output


class Trackers:
    """The tracker store, as far as ``PersonLink.notify`` reads it."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(
            sender_id, [UserUttered("hei", input_channel="telegram")])


def link_through(*outputs: OutputChannel) -> PersonLink:
    agent = SimpleNamespace(tracker_store=Trackers())
    return PersonLink(SimpleNamespace(ctx=SimpleNamespace(
        agent=agent, input_channels=[Input(output) for output in outputs])))


async def open_case(desk: Desk, output: OutputChannel) -> tuple[int, DeskSocket]:
    desk.person = link_through(output)
    case, _ = desk.cases.open(NewCase(PERSON, "telegram", "nb", None, None, ""))
    socket = DeskSocket()
    await desk.hub.attach(KARI.id, socket)
    return case.id, socket


async def test_a_joined_notice_the_person_did_not_get_is_told_to_every_desk(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    case_id, socket = await open_case(desk, RefusingTelegram(BLOCKED_BY_PERSON))
    with caplog.at_level(logging.INFO):
        await desk.take(case_id, KARI)
    assert socket.of_type("notice.undelivered") == [{
        "type": "notice.undelivered", "case_id": case_id, "notice": "joined",
        "counsellor": {"id": 1, "name": "Kari"},
        "undelivered": {"reason": "blocked", "channel": "telegram", "parts": 1,
                        "delivered_parts": 0,
                        "detail": "HTTP 403: Forbidden: bot was blocked by the user"},
    }]
    # The take itself is told first: the desks know whose case it is.
    kinds = [frame["type"] for frame in socket.frames]
    assert kinds.index("assignee.changed") < kinds.index("notice.undelivered")
    assert f"the joined notice in case {case_id} was not delivered (telegram: blocked)" \
        in caplog.text
    assert "4242" not in caplog.text  # who the person is stays out of the log


async def test_closing_reports_the_left_notice_and_the_rating_request(desk: Desk) -> None:
    telegram = RefusingTelegram()
    case_id, socket = await open_case(desk, telegram)
    desk.person.resume_bot = _nothing  # the bot's own goodbye is a message: not a notice
    await desk.take(case_id, KARI)
    desk.cases.replied(case_id)  # a conversation with a reply is asked to be rated
    telegram.failure = BLOCKED_BY_PERSON
    await desk.close(case_id, KARI)
    assert [(n["notice"], n.get("counsellor")) for n in socket.of_type("notice.undelivered")] == [
        ("left", {"id": 1, "name": "Kari"}), ("rate", None)]


async def _nothing(*_: Any) -> None:
    return None


async def test_notices_that_arrived_and_typing_are_not_reported(desk: Desk) -> None:
    telegram = RefusingTelegram()
    case_id, socket = await open_case(desk, telegram)
    await desk.take(case_id, KARI)
    telegram.failure = BLOCKED_BY_PERSON
    await desk.counsellor_typing(KARI, case_id, True)
    assert socket.of_type("notice.undelivered") == []
    assert [frame["type"] for frame in telegram.frames] == ["handoff", "typing"]


async def test_a_channel_that_breaks_or_is_not_there_is_a_report_not_a_crash() -> None:
    joined = {"type": "handoff", "event": "joined", "name": "Kari"}
    assert await link_through(BrokenTelegram()).notify(PERSON, joined) == NotDelivered(
        FAILED, "ConnectionError", "telegram")
    assert await link_through().notify(PERSON, joined) == NotDelivered(
        NO_CHANNEL, channel="telegram")
    # Without words there was nothing to miss; REST cannot be pushed to at all.
    assert await link_through().notify(PERSON, {"type": "typing", "on": True}) is None
    assert await link_through().notify("rest:0123abcd", joined) is None


async def test_the_channel_is_named_when_its_report_leaves_it_out() -> None:
    report = await link_through(RefusingTelegram(BLOCKED_BY_PERSON)).notify(
        PERSON, {"type": "rate"})
    assert report == dataclasses.replace(BLOCKED_BY_PERSON, channel="telegram")


class RefusingSendApi:
    """Meta's client, answering as the Send API does for a person out of reach: an error
    as JSON, not an exception."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, payload: dict[str, Any], recipient_id: str, *_: Any) -> dict[str, Any]:
        self.sent.append(payload)
        return {"error": {"code": 551, "message": "(#551) This person isn't available."}}

    def send_action(self, *_: Any) -> dict[str, Any]:
        return {"error": {"code": 551, "message": "(#551) This person isn't available."}}


async def test_messenger_reads_the_send_apis_answer_to_a_notice() -> None:
    from bot.server.channels.messenger import MessengerOutput

    client = RefusingSendApi()
    output = MessengerOutput(client)
    joined = {"type": "handoff", "event": "joined", "name": "Kari"}
    assert await output.send_frame("messenger:42", joined, "nb") == NotDelivered(
        BLOCKED, "(#551) This person isn't available.")
    assert client.sent == [{"text": "Rådgiver Kari har kommet inn i samtalen."}]
    assert await output.send_frame("messenger:42", {"type": "typing", "on": True}, "nb") is None
