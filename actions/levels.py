"""A question that could be asked of either level of education is taken for the level
the person asked about just before, when the message does not say which.

"kor mange utdanningar kan eg føre opp på søknaden?" right after Samordna opptak's
deadline is about Samordna opptak; "how many programmes can i list there" right after
upper secondary's is about upper secondary. Read alone, such a message is a toss-up
between the two levels' intents (0.55 and 0.50 for the other level in the seventh probe),
so only a reading short of ``SURE`` is turned to the level of the conversation.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.in_context import ABOUT_THE_SERVICE, previous_answered_question
from bot.shared.knowledge import KnowledgeBase

UPPER_SECONDARY, HIGHER_EDUCATION = "upper secondary", "higher education"
LEVEL_OF: dict[str, str] = {
    **dict.fromkeys((
        "ask_upper_secondary_application", "ask_upper_secondary_deadline",
        "ask_upper_secondary_choices", "ask_upper_secondary_rights", "ask_apprenticeship",
        "ask_pabygg",
    ), UPPER_SECONDARY),
    **dict.fromkeys((
        "ask_higher_education_deadline", "ask_higher_education_choices",
        "ask_admission_requirements", "ask_23_5_rule", "ask_competition_points",
        "ask_quotas", "ask_admission_changes",
    ), HIGHER_EDUCATION),
}
# The same question for the other level.
SIBLING: dict[str, str] = {
    "ask_upper_secondary_choices": "ask_higher_education_choices",
    "ask_higher_education_choices": "ask_upper_secondary_choices",
    "ask_upper_secondary_deadline": "ask_higher_education_deadline",
    "ask_higher_education_deadline": "ask_upper_secondary_deadline",
}
SURE = 0.80
# Words that name a level (or a place of one), folded as a keyboard without æ, ø, å types.
_NAMES_A_LEVEL = re.compile(
    r"samordna|vigo|vid[ae]reg|\bvgs\b|vg[123]|upper secondary|high school|l[aæ]replass|"
    r"l[aæ]rling|apprentic|h[oø]y?g?sk[ou]l|universit|\buni\b|college|higher education|"
    r"bachelor|master|studieønsk|study choices|fagsk[ou]l|folkeh|10\.? ?klass",
    re.IGNORECASE)


def level_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The other level's intent, when the message does not name its level, the
    classifier is unsure, and the question before was about the other level; else None."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    sibling = SIBLING.get(intent.get("name") or "")
    text = latest.get("text") or ""
    if sibling is None or (intent.get("confidence") or 0.0) >= SURE \
            or _NAMES_A_LEVEL.search(text):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    return sibling if before and LEVEL_OF.get(before[1]) == LEVEL_OF[sibling] else None
