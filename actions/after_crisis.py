"""The turns right after the help lines, when what the person writes is about them.

"no i dont want to call anyone" after the help lines is not a topic to pick from buttons,
nor a no to a topic: the bot says that is all right and how to write to someone instead.
"""

from __future__ import annotations

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
