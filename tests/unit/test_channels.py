"""Channel pieces that need no server: Telegram's texts and Messenger's push path."""

from __future__ import annotations

import pytest

from bot.channels.messenger import MessengerInput
from bot.channels.telegram import language_from_telegram, notice, split_text


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
    assert notice("queue", "nn", position=2, wait_minutes=5).startswith("Du er nummer 2")
    assert notice("joined", "en", name="Kari") == "Counsellor Kari has joined the conversation."
    assert notice("left", "se", name="Kari").startswith("Rådgiver Kari")  # no Sami yet: nb


def test_messenger_pushes_through_its_output_channel_only_when_configured() -> None:
    assert MessengerInput("v", "s", "token").get_output_channel().name() == "facebook"
    assert MessengerInput("", "", "").get_output_channel() is None
