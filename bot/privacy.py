"""Keep national identity numbers out of the service.

The service is anonymous and never asks for a fødselsnummer or D-number, but people type
them anyway. Every incoming message passes through here before Rasa sees it, so such a
number is never parsed, logged or stored in the tracker.
"""

from __future__ import annotations

import re

# 11 digits, optionally written as 6 + 5 with a space, dot or dash; not part of a longer
# number. Every 11-digit number is removed: a false positive costs nothing here.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)")

REDACTED = "[fjernet]"


def redact_identity_numbers(text: str) -> str:
    return _IDENTITY_NUMBER.sub(REDACTED, text)


def contains_identity_number(text: str) -> bool:
    return bool(_IDENTITY_NUMBER.search(text))
