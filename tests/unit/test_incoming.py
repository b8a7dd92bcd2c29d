"""Input checks shared by channels, and identity-number redaction."""

from __future__ import annotations

import pytest

from bot.channels.incoming import check_sender, check_text, clean_text, no_answer_text
from bot.privacy import contains_identity_number, redact_identity_numbers


@pytest.mark.parametrize("sender", ["a", "9f1c2d3e-4b5a-6789", "web:abc_123", "x" * 128])
def test_valid_senders(sender: str) -> None:
    assert check_sender(sender) is None


@pytest.mark.parametrize("sender", [None, "", 7, "x" * 129, "a b", "../x", "<b>", "ø"])
def test_invalid_senders(sender: object) -> None:
    assert check_sender(sender).code == "invalid_sender"


def test_text_limits() -> None:
    assert check_text("hei", 10) == ("hei", None)
    assert check_text("x" * 11, 10)[1].status == 413
    assert check_text("", 10)[1].code == "empty_message"
    assert check_text("\x00\x01", 10)[1].code == "empty_message"
    assert check_text(None, 10)[1].code == "invalid_message"


def test_clean_text_keeps_lines_and_drops_control_characters() -> None:
    assert clean_text("  hei\x00 du\nder\t! \x1b[31m ") == "hei du\nder\t! [31m"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [("01019912345", "[fjernet]"), ("fnr 010199 12345 ok", "fnr [fjernet] ok"),
     ("010199-12345", "[fjernet]"), ("010199.12345", "[fjernet]"),
     ("(01019912345)", "([fjernet])")],
)
def test_identity_numbers_are_redacted(text: str, redacted: str) -> None:
    # All of it goes: the first six digits are the date of birth.
    assert contains_identity_number(text)
    assert redact_identity_numbers(text) == redacted


@pytest.mark.parametrize(
    "text", ["ring 22 40 00 40", "116 123", "15. april kl. 23.59", "1234567890", "123456789012"]
)
def test_other_numbers_are_kept(text: str) -> None:
    assert redact_identity_numbers(text) == text


def test_no_answer_apology_follows_the_language() -> None:
    assert no_answer_text("kva er fristen").startswith("Orsak")
    assert no_answer_text("what is the deadline").startswith("Sorry")
    assert no_answer_text("hmm").startswith("Beklager")
