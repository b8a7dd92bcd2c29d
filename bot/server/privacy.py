"""Keep national identity numbers out of the service.

The service is anonymous and never asks for a fødselsnummer or D-number, but people type
them anyway, in every spelling: "010199 12345", "01.01.99 12345", "0101 9912 345", with
a non-breaking or zero-width space, a dash or an en dash. Every incoming message passes
through here before Rasa sees it, so such a number is never parsed, logged or stored.

A number counts when its eleven digits, in whole groups, form a valid identity number: a
date (day + 40 for a D-number, month + 40 or + 80 for the registers' own and synthetic
test numbers) and both mod-11 check digits. Other eleven-digit numbers (a phone number
and extension, an order number) are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

REDACTED = "[fjernet]"

_DIGITS = 11
# Characters people and keyboards put between digit groups: any Unicode space (no-break,
# thin, ideographic), zero-width characters, dots, slashes and every kind of dash.
_SEPARATOR = r"[\s\u200b-\u200d\u2060\ufeff./\-\u2010-\u2015\u2212]{1,3}"
# A run of digit groups that nothing but separators holds together.
_DIGIT_RUN = re.compile(rf"\d+(?:{_SEPARATOR}\d+)*")
_GROUP = re.compile(r"\d+")

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def is_identity_number(number: str) -> bool:
    """Whether eleven digits are a valid fødselsnummer or D-number (or an H-number or a
    synthetic test number, which are shaped the same)."""
    if len(number) != _DIGITS or not number.isascii() or not number.isdigit():
        return False
    day, month = int(number[:2]), int(number[2:4])
    day = day - 40 if day > 40 else day  # D-number
    month = month % 40 if month > 40 else month  # H-number (+40), synthetic (+80)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    digits = [int(d) for d in number]
    first = _check_digit(digits[:9], _WEIGHTS_1)
    if first is None or first != digits[9]:
        return False
    return _check_digit(digits[:10], _WEIGHTS_2) == digits[10]


def _spans(text: str) -> list[tuple[int, int]]:
    """Where identity numbers are in ``text``: whole digit groups adding up to eleven
    digits within one run, so a number is never cut out of a longer one. Linear in the
    length of ``text``."""
    found = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        # ends[n]: digits in groups 0..n-1; each value occurs once (groups are non-empty).
        ends = [0]
        for group in groups:
            ends.append(ends[-1] + len(group.group()))
        after = {total: index for index, total in enumerate(ends)}
        # As ASCII: "\d" also matches full-width and other scripts' digits.
        digits = "".join(_ascii(group.group()) for group in groups)
        for first, total in enumerate(ends[:-1]):
            stop = after.get(total + _DIGITS)
            if stop is not None and is_identity_number(digits[total:total + _DIGITS]):
                found.append((groups[first].start(), groups[stop - 1].end()))
    return _merged(found)


def _ascii(digits: str) -> str:
    return digits if digits.isascii() else "".join(str(unicodedata.digit(c)) for c in digits)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def redact_identity_numbers(text: str) -> str:
    pieces, kept_from = [], 0
    for start, end in _spans(text):
        pieces += [text[kept_from:start], REDACTED]
        kept_from = end
    return "".join([*pieces, text[kept_from:]])


def contains_identity_number(text: str) -> bool:
    return bool(_spans(text))


def redact_value(value: Any) -> Any:
    """``value`` (JSON-like: text, lists, mappings) with identity numbers removed from
    every string in it, keys included."""
    if isinstance(value, str):
        return redact_identity_numbers(value) if _may_hold_one(value) else value
    if isinstance(value, dict):
        return {redact_value(key): redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    return value


def _may_hold_one(text: str) -> bool:
    # Cheap first: most stored strings hold fewer than eleven digits.
    return sum(char.isdigit() for char in text) >= _DIGITS
