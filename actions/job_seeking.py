"""Follow-ups on writing a CV or a job application: what to put in it, and its form.

"skal jeg ha bilde", "should i put my sommerjobb at kiwi on it", "hvor langt skal det være"
right after the CV or the application were read as out of scope (0.78-0.90) and got "I
can't help with that". They ask about the answer just given: its sentences on it, or the
answer again with a counsellor offered (who can go through the CV with the person).
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.in_context import previous_answered_question
from bot.shared.knowledge import KnowledgeBase

# The answers on writing something for an employer.
WRITING = frozenset({"ask_cv", "ask_job_application"})
# What goes in it, or its form: including something, a photo, its length or pages, and
# whether something is fine to put there.
_ITS_CONTENT = re.compile(
    r"\b(?:(?:ha|ta|få|legge|leggje|skrive|skriva|sette|setje|put|include|list|mention|add)\s+"
    r"(?:\w+\s+){0,4}?(?:med|ved|inn|på|opp|it\s+on|on\s+it|in\s+it|on\s+there|in)|"
    r"include|mention|bilde|bilete|photo|picture|foto|"
    # its length, not a distance: "hvor langt er det til Bergen"
    r"(?:hvor|kor|how)\s+(?:lang|langt|long|mange\s+sider|many\s+pages)\b"
    r"(?!.*\b(?:til|to|fra|frå|from|away|unna)\b)|"
    r"sider|pages?|embarrassing|flaut|pinlig)\b", re.IGNORECASE)
MAX_WORDS = 20


def asks_what_goes_in_it(text: str) -> bool:
    return bool(_ITS_CONTENT.search(text)) and len(text.split()) <= MAX_WORDS


def writing_asked_about(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The CV or the application answered just before, when the latest message asks what
    goes in it or its form; None otherwise."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not asks_what_goes_in_it(text):
        return None
    before = previous_answered_question(tracker, knowledge)
    return before[1] if before and before[1] in WRITING else None
