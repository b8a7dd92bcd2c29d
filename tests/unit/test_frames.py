"""The web chat's frame handling: bad frames become clear errors, never exceptions."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from bot.server.channels.frames import (
    DISPLAY_KEY,
    FROM_KEY,
    NAME_KEY,
    Incoming,
    bot_message_frame,
    current_session,
    history_frame,
    parse_frame,
)
from bot.server.channels.incoming import Rejection


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ('{"type": "message", "text": "hei"}', "message"),
        ('{"type": "message", "text": "/ask_x", "title": "Lån", "id": 3}', "message"),
        ('{"type": "typing", "on": true}', "typing"),
        ('{"type": "language", "language": "nn"}', "language"),
        ('{"type": "ping"}', "ping"),
        ('{"type": "resume"}', "resume"),
        ('{"type": "resume", "sender": "web:ab", "secret": "x"}', "resume"),
        ('{"type": "end"}', "end"),
        ('{"type": "erase"}', "erase"),
        (b'{"type": "ping"}', "ping"),
    ],
)
def test_good_frames_are_read(raw: str, kind: str) -> None:
    frame = parse_frame(raw)
    assert isinstance(frame, Incoming) and frame.type == kind


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "invalid_frame"),
        ("", "invalid_frame"),
        (b"\xff\xfe\x00", "invalid_frame"),
        ("[1, 2]", "invalid_frame"),
        ('"message"', "invalid_frame"),
        ('{"text": "hei"}', "invalid_frame"),
        ('{"type": 5}', "invalid_frame"),
        ('{"type": "shutdown"}', "invalid_frame"),
        ('{"type": "message", "text": "x", "id": {"a": 1}}', "invalid_frame"),
        ('{"type": "message", "text": "x", "title": 7}', "invalid_frame"),
        ('{"type": "typing"}', "invalid_frame"),
        ('{"type": "message", "text": "hei \\ud800"}', "invalid_frame"),  # lone surrogate
        ('{"type": "message", "text": "hei", "title": "\\udc00"}', "invalid_frame"),
        ('{"type": "language", "language": "de"}', "invalid_language"),
    ],
)
def test_bad_frames_become_rejections(raw: str, code: str) -> None:
    frame = parse_frame(raw)
    assert isinstance(frame, Rejection) and frame.code == code and frame.message


def test_a_counsellors_message_carries_the_display_name_only() -> None:
    frame = bot_message_frame(
        {"text": "Hei, jeg er Kari.", "timestamp": 10.5, FROM_KEY: "counsellor", NAME_KEY: "Kari"}
    )
    assert frame["from"] == "counsellor" and frame["name"] == "Kari"
    assert frame["id"] == "m10.5"


def test_bot_buttons_keep_title_and_payload_only() -> None:
    frame = bot_message_frame(
        {"text": "Velg", "buttons": [{"title": "Lån", "payload": "/ask_x", "extra": 1}]}
    )
    assert frame["buttons"] == [{"title": "Lån", "payload": "/ask_x"}]
    assert frame["from"] == "bot" and "name" not in frame


def test_history_shows_what_was_said_with_the_same_ids_as_live() -> None:
    bot = BotUttered("Svar", {"buttons": [{"title": "A", "payload": "/a"}]}, timestamp=2.0)
    events = [
        ActionExecuted("action_listen", timestamp=0.5),
        UserUttered("hei", timestamp=1.0),
        SlotSet("language", "nb", timestamp=1.1),
        bot,
        UserUttered("/ask_x", metadata={DISPLAY_KEY: "Lån og stipend"}, timestamp=3.0),
        UserUttered("EXTERNAL: greet", timestamp=4.0),
    ]
    history = history_frame(events)
    assert [(m["from"], m["text"]) for m in history["messages"]] == [
        ("user", "hei"), ("bot", "Svar"), ("user", "Lån og stipend"),
    ]
    assert history["messages"][1]["id"] == bot_message_frame(bot.message())["id"]
    json.dumps(history)  # the frame is sent as JSON


def test_a_resume_frame_takes_only_strings() -> None:
    for raw in ('{"type": "resume", "sender": 1}', '{"type": "resume", "secret": ["x"]}'):
        assert isinstance(parse_frame(raw), Rejection)


def test_history_is_the_current_session_only() -> None:
    now = time.time()
    domain = SimpleNamespace(session_config=SimpleNamespace(session_expiration_time=60))
    old = [SessionStarted(timestamp=now - 9000), UserUttered("gammelt", timestamp=now - 9000)]
    new = [SessionStarted(timestamp=now - 60), UserUttered("nytt", timestamp=now - 60)]
    assert current_session(SimpleNamespace(events=old + new), domain) == new
    # A session that has expired is not shown again, even before a new one starts.
    assert current_session(SimpleNamespace(events=old), domain) == []
    assert current_session(None, domain) == []
