"""Input checks shared by channels, and identity-number redaction."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from bot.server.channels.incoming import (
    NO_ANSWER,
    check_sender,
    check_text,
    clean_text,
    failure_replies,
    no_answer_text,
)
from bot.server.privacy import contains_identity_number, redact_identity_numbers
from tests.facts import response


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


# Invented identity numbers with valid check digits: 01019912368 is a fødselsnummer for
# 1 January 1999, 41019912351 the D-number for the same date; 31129956715 is the worked
# example of fnrinfo.no's check-digit page.
@pytest.mark.parametrize(
    ("text", "redacted"),
    [("01019912368", "[fjernet]"), ("fnr 010199 12368 ok", "fnr [fjernet] ok"),
     ("010199-12368", "[fjernet]"), ("010199.12368", "[fjernet]"),
     ("(01019912368)", "([fjernet])"), ("31129956715", "[fjernet]"),
     ("d-nummer 41019912351", "d-nummer [fjernet]"),
     ("010199\u00a012368", "[fjernet]"),  # no-break space
     ("010199\u200b12368", "[fjernet]"),  # zero-width space
     ("0101\u200b9912368", "[fjernet]"),
     ("010199  12368", "[fjernet]"), ("01.01.99 12368", "[fjernet]"),
     ("0101 9912 368", "[fjernet]"), ("010199\u201312368", "[fjernet]"),  # en dash
     ("010199 \u2013 12368", "[fjernet]"), ("01 01 99 123 68.", "[fjernet]."),
     ("\uff10\uff11\uff10\uff11\uff19\uff19\uff11\uff12\uff13\uff16\uff18",
      "[fjernet]"),  # full-width digits
     ("født 01.01.99, nr 01019912368 og 41019912351", "født 01.01.99, nr [fjernet] og [fjernet]")],
)
def test_identity_numbers_are_redacted(text: str, redacted: str) -> None:
    # All of it goes: the first six digits are the date of birth.
    assert contains_identity_number(text)
    assert redact_identity_numbers(text) == redacted


@pytest.mark.parametrize(
    "text", ["ring 22 40 00 40", "116 123", "15. april kl. 23.59", "1234567890", "123456789012",
             "01019912345",  # the shape, but not the check digits
             "22 40 00 40 123",  # a phone number and an extension
             "ordrenummer 20231114007", "15.08.2027 kl. 12.00", "01019912368123"]
)
def test_other_numbers_are_kept(text: str) -> None:
    assert not contains_identity_number(text)
    assert redact_identity_numbers(text) == text


def test_no_answer_apology_follows_the_language() -> None:
    assert no_answer_text("kva er fristen").startswith("Orsak")
    assert no_answer_text("what is the deadline").startswith("Sorry")
    assert no_answer_text("hmm").startswith("Beklager")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load("domain.yml")


def test_a_failure_is_an_apology_in_the_person_s_language(domain: Domain) -> None:
    assert failure_replies("når er fristen for samordna opptak?", domain) == [NO_ANSWER["nb"]]
    assert failure_replies("kva kostar det å studere?", domain) == [NO_ANSWER["nn"]]
    # Northern Sami is read but not written: the apology is in Bokmål, not an error.
    assert no_answer_text("Mun háliidan diehtit oahppat") == NO_ANSWER["nb"]


@pytest.mark.parametrize(("text", "language"), [
    ("jeg orker ikke mer, vil bare forsvinne for godt", "nb"),
    ("eg vil ikkje leve lenger", "nn"),
    ("I don't want to live anymore", "en"),
])
def test_a_failure_with_crisis_words_gives_the_help_lines_first(
    domain: Domain, text: str, language: str
) -> None:
    assert failure_replies(text, domain) == [response("utter_crisis_help", language),
                                             NO_ANSWER[language]]
