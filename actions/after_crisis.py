"""The turns right after the help lines, when what the person writes is about them.

"no i dont want to call anyone" after the help lines is not a topic to pick from buttons,
nor a no to a topic: the bot says that is all right and how to write to someone instead.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from bot.shared.crisis import CRISIS_ACTION

# The action that answers a question from the knowledge base (actions/answers.py).
ANSWER_ACTION = "action_answer_question"

# The help lines are fresh for this many of the person's messages after them.
AFTER_CRISIS_MESSAGES = 2


def just_after_crisis(tracker: Tracker) -> bool:
    """Whether the bot gave the help lines (``action_crisis``) in answer to one of the
    person's last few messages before the latest, and answered no question since: an
    unclear message or a no then is about that ("no i dont want to call anyone"), and
    gets no topic buttons."""
    seen = 0  # the person's messages, from the latest back
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen += 1
            if seen > AFTER_CRISIS_MESSAGES:
                return False
        elif event.get("event") == "action" and seen >= 1:
            if event.get("name") == CRISIS_ACTION:
                return True
            if event.get("name") == ANSWER_ACTION:
                return False
    return False


# "nei eg vil ikkje ringje nokon", "i dont want to talk to anyone": a refusal of the help
# lines, not an answer that all is well.
_REFUSES_HELP = re.compile(
    r"\b(vil|orker|gidder|klarer|klarar|tør|tor|kan)\s+(ikke|ikkje|ikkj|ik|itj|ikk)\s+"
    r"(å\s+)?(ringe|ringje|ringa|snakke|snakka|prate|prata|kontakte|kontakta)\b|"
    r"\b(don'?t|dont|do\s+not|won'?t|wont|can'?t|cant|not\s+going\s+to)\s+"
    r"(want\s+to\s+|wanna\s+)?(call|phone|ring|talk|speak|contact)\b",
    re.IGNORECASE)


def refuses_help(text: str) -> bool:
    """Whether a typed answer turns down calling or talking to someone."""
    return bool(_REFUSES_HELP.search(text))
