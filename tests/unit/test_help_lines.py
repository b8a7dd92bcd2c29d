"""Help lines in a bot reply that did not reach the person (#16): what a channel reports
(bot/server/channels/help_lines.py) and what the desk does with it (bot/server/handoff/service.py
``Desk.help_lines_undelivered``), in process with a real desk on SQLite. Through the
real servers, a fake Telegram and a fake Send API: tests/integration/test_telegram.py and
tests/integration/test_messenger_handoff.py."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from bot.server.channels.delivery_report import BLOCKED, UNREACHABLE, NotDelivered
from bot.server.channels.help_lines import HELP_LINES_RESPONSE, UndeliveredReplies
from bot.server.handoff.cases import NewCase
from bot.server.handoff.service import Desk
from tests.unit.desk_in_process import DeskSocket

BLOCKED_ON_TELEGRAM = NotDelivered(BLOCKED, "HTTP 403: Forbidden: bot was blocked by the user",
                                   "telegram")
HELP_LINES = {"text": "Ring 116 123.", "utter_action": HELP_LINES_RESPONSE}
PERSON = "telegram:4242"


async def open_desk(desk: Desk) -> DeskSocket:
    socket = DeskSocket()
    await desk.hub.attach(1, socket)
    return socket


def reporting_to(desk: Desk | None) -> UndeliveredReplies:
    replies = UndeliveredReplies()
    replies.attach(SimpleNamespace(ctx=SimpleNamespace(desk=desk)))
    return replies


def case_for(desk: Desk, sender_id: str, priority: str) -> None:
    desk.cases.open(NewCase(sender_id, "telegram", "nb", None, None, "", priority=priority))


async def test_help_lines_that_did_not_arrive_alert_every_desk_on_the_urgent_case(
    desk: Desk
) -> None:
    case_for(desk, PERSON, "urgent")
    socket = await open_desk(desk)
    await reporting_to(desk).report(PERSON, HELP_LINES, BLOCKED_ON_TELEGRAM)
    [alert] = socket.frames
    assert alert["type"] == "conversation.urgent"
    assert alert["case"]["sender_id"] == PERSON and alert["reason"] == "crisis"
    assert alert["help_lines_undelivered"] == BLOCKED_ON_TELEGRAM.as_json()


@pytest.mark.parametrize("why", ["another reply", "no case", "a case not urgent"])
async def test_no_desk_is_alerted_that_has_no_crisis_to_correct(
    desk: Desk, why: str, caplog: pytest.LogCaptureFixture
) -> None:
    if why == "a case not urgent":
        case_for(desk, PERSON, "medium")
    socket = await open_desk(desk)
    message = {"text": "Hei!", "utter_action": "utter_greet"} if why == "another reply" \
        else HELP_LINES
    with caplog.at_level(logging.WARNING):
        await reporting_to(desk).report(PERSON, message, BLOCKED_ON_TELEGRAM)
    assert socket.frames == []
    logged = caplog.text
    if why != "another reply":
        assert "the help lines did not reach a person (telegram: blocked)" in logged
    # Who the person is and what was said stay out of the log.
    assert "4242" not in logged and "116 123" not in logged and "Hei!" not in logged


async def test_a_server_without_a_desk_or_with_a_broken_one_logs_and_goes_on(
    caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        async def help_lines_undelivered(self, sender_id: str, failure: NotDelivered) -> None:
            raise ConnectionError("the database is away")

    failure = NotDelivered(UNREACHABLE, "HTTP 502, 4 attempts", "facebook")
    with caplog.at_level(logging.ERROR):
        await reporting_to(None).report(PERSON, HELP_LINES, failure)
        await reporting_to(Broken()).report(PERSON, HELP_LINES, failure)
        await UndeliveredReplies().report(PERSON, HELP_LINES, failure)  # before the start
    assert caplog.text.count("the help lines did not reach a person (facebook: "
                             "unreachable)") == 3
