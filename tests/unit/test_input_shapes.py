"""Inputs the fuzz suite (tests/fuzz/) found crashing a channel, refused at the parser."""

from __future__ import annotations

from typing import Any

import pytest

from bot.server.channels.frames import parse_frame
from bot.server.channels.incoming import Rejection, check_encodable, nesting_depth
from bot.server.channels.messenger import event_problem
from bot.server.channels.telegram import update_problem

DEEP = "[" * 5000 + "]" * 5000


def test_nesting_is_measured_at_any_depth() -> None:
    deep: list[Any] = []
    for _ in range(4999):
        deep = [deep]
    assert nesting_depth("x") == 0
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth(deep) == 5000


def test_json_nested_too_deeply_is_refused() -> None:
    nested: Any = 1
    for _ in range(40):
        nested = {"a": nested}
    assert check_encodable(nested).code == "invalid_json"
    assert check_encodable({"a": {"b": [1]}}) is None


@pytest.mark.parametrize("raw", [DEEP, '{"type": "ping", "x": ' + DEEP + "}", DEEP.encode()])
def test_a_frame_nested_too_deeply_is_refused(raw: str | bytes) -> None:
    assert isinstance(parse_frame(raw), Rejection)


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 1, "date": 1, "chat": {"id": 42, "type": "private"}, **fields}


@pytest.mark.parametrize("update", [
    {"update_id": 1, "message": {"message_id": 1, "chat": {}, "text": "hei"}},
    {"update_id": 1, "message": message(chat={"id": "42", "type": "private"})},
    {"update_id": 1, "message": message(chat={"id": True})},
    {"update_id": 1, "message": message(chat={"id": 2**64})},
    {"update_id": 1, "message": message(**{"from": "x"})},
    {"update_id": 1, "message": message(**{"from": {"id": 1, "language_code": 5}})},
    {"update_id": 1, "edited_message": []},
    {"update_id": 1, "callback_query": "x"},
    {"update_id": 1, "callback_query": {"data": "a", "message": message(
        reply_markup={"inline_keyboard": [["a"]]})}},
])
def test_telegram_updates_the_bot_api_never_sends_are_refused(update: dict[str, Any]) -> None:
    assert update_problem(update)


@pytest.mark.parametrize("update", [
    {"update_id": 1, "message": message(text="hei", **{"from": {"id": 42}})},
    {"update_id": 1, "callback_query": {"id": "1", "data": "a", "message": message(
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})}},
    {"update_id": 1, "callback_query": {"id": "1", "inline_message_id": "x", "data": "a"}},
    {"update_id": 1, "my_chat_member": {"anything": True}},
])
def test_telegram_updates_as_sent_pass(update: dict[str, Any]) -> None:
    assert update_problem(update) is None


def event(**fields: Any) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": "71"}, "recipient": {"id": "1"}, **fields}]}]}


@pytest.mark.parametrize("payload", [
    {"object": "page"},
    {"object": "page", "entry": {}},
    {"object": "page", "entry": [{"messaging": "x"}]},
    {"object": "page", "entry": [{"messaging": [1]}]},
    {"object": "page", "entry": [{"messaging": [{"message": {"text": "hei"}}]}]},
    event(message={"text": 5}),
    event(message={"mid": "m", "attachments": []}),
    event(message={"mid": "m", "attachments": [{"type": "image"}]}),
    event(message={"mid": "m", "text": "x", "quick_reply": {"payload": 5}}),
    event(message="hei"),
    event(postback={"title": "x"}),
])
def test_messenger_events_meta_never_sends_are_refused(payload: dict[str, Any]) -> None:
    assert event_problem(payload)


@pytest.mark.parametrize("payload", [
    event(message={"mid": "m", "text": "hei"}),
    event(message={"mid": "m", "text": "x", "quick_reply": {"payload": "/greet"}}),
    event(message={"mid": "m", "attachments": [{"type": "image",
                                                "payload": {"url": "https://x/y.png"}}]}),
    event(postback={"title": "Ja", "payload": "/affirm"}),
    event(delivery={"mids": ["m1"], "watermark": 1}),
])
def test_messenger_events_as_sent_pass(payload: dict[str, Any]) -> None:
    assert event_problem(payload) is None
