"""Channel pieces that need no server: Telegram's texts and Messenger's push path."""

from __future__ import annotations

import pytest
from fbmessenger import MessengerClient
from rasa.core.channels.channel import UserMessage

from bot.server.channels.incoming import AS_TEXT
from bot.server.channels.messenger import MessengerInput, PageMessages
from bot.server.channels.notices import notice
from bot.server.channels.telegram import language_from_telegram, split_text


def test_split_text_cuts_at_spaces_and_keeps_everything() -> None:
    text = " ".join(f"ord{n}" for n in range(2000))
    pieces = split_text(text, limit=500)
    assert all(len(piece) <= 500 for piece in pieces)
    assert " ".join(pieces) == text


def test_split_text_cuts_a_word_longer_than_the_limit() -> None:
    assert split_text("x" * 10, limit=4) == ["xxxx", "xxxx", "xx"]
    assert split_text("kort") == ["kort"]


@pytest.mark.parametrize(
    ("code", "language"),
    [("nb", "nb"), ("no", "nb"), ("nn", "nn"), ("en-GB", "en"), ("de", "nb"), (None, "nb")],
)
def test_language_from_telegram(code: str | None, language: str) -> None:
    assert language_from_telegram(code) == language


def test_notices_in_three_languages() -> None:
    assert notice("queue", "nn", position=2, wait="5 minutt").startswith("Du er nummer 2")
    assert notice("joined", "en", name="Kari") == "Counsellor Kari has joined the conversation."
    assert notice("left", "se", name="Kari").startswith("Rådgiver Kari")  # no Sami yet: nb


def test_messenger_pushes_through_its_output_channel_only_when_configured() -> None:
    assert MessengerInput("v", "s", "token").get_output_channel().name() == "facebook"
    assert MessengerInput("", "", "").get_output_channel() is None


class Graph:
    """Meta's Graph API (outside the project): what would have been sent, to whom."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, object]] = []

    def send(self, payload: object, recipient_id: str, *args: object, **kwargs: object) -> None:
        self.sent.append((recipient_id, payload))

    def send_action(self, action: object, recipient_id: str, *args: object,
                    **kwargs: object) -> None:
        self.sent.append((recipient_id, action))


class Store:
    async def retrieve(self, sender_id: str) -> None:
        return None


class Agent:
    tracker_store = Store()


async def test_messenger_messages_are_checked_and_namespaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Hei!")

    graph = Graph()
    # Meta's client (outside the project) records instead of calling the Graph API.
    monkeypatch.setattr(MessengerClient, "send", lambda _, *a, **k: graph.send(*a, **k))
    monkeypatch.setattr(MessengerClient, "send_action",
                        lambda _, *a, **k: graph.send_action(*a, **k))
    messages = PageMessages("token", on_new_message, Agent(), max_chars=2000)
    event = {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": "4242"}, "recipient": {"id": "1"},
         "message": {"mid": "m1", "text": "/crisis mitt nummer er 010199 12368"}}]}]}
    await messages.handle(event, None)

    [message] = received
    assert message.sender_id == "messenger:4242"
    assert message.text == AS_TEXT + "/crisis mitt nummer er [fjernet]"
    assert {recipient for recipient, _ in graph.sent} == {"4242"}
