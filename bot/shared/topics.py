"""Short titles for the topics a person can ask about, per written language.

Shown as buttons when the bot is unsure which topic was meant; read from data/topics.yml.
The same file names what a counsellor's case is about (``case_topics``), so the desk shows
"Karrieresenter", not ``career_centre``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.shared.language import LANGUAGES, answer_language

TOPICS_FILE = Path(__file__).resolve().parents[2] / "data" / "topics.yml"


def load_titles(path: Path = TOPICS_FILE) -> dict[str, dict[str, str]]:
    """Intent -> {language: title}; every title in every language the bot writes."""
    topics = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topics") or {}
    for intent, titles in topics.items():
        missing = [lang for lang in LANGUAGES if not (titles or {}).get(lang)]
        if missing:
            raise ValueError(f"{path.name}: {intent} has no title in {', '.join(missing)}")
    return topics


@lru_cache(maxsize=1)
def titles() -> dict[str, dict[str, str]]:
    return load_titles()


def title(intent: str, language: str) -> str:
    return titles()[intent][answer_language(language)]


def load_case_topics(path: Path = TOPICS_FILE) -> dict[str, dict[str, str]]:
    """Case topic -> {language: name}; every name in every language the bot writes."""
    topics = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("case_topics") or {}
    for topic, names in topics.items():
        missing = [lang for lang in LANGUAGES if not (names or {}).get(lang)]
        if missing:
            raise ValueError(f"{path.name}: case topic {topic} has no name in {', '.join(missing)}")
    return topics


@lru_cache(maxsize=1)
def case_topics() -> dict[str, dict[str, str]]:
    return load_case_topics()


def case_topic_name(topic: str, language: str = "nb") -> str:
    """The name of a case topic; an unknown one as it is, so nothing is hidden."""
    names = case_topics().get(topic)
    return names[answer_language(language)] if names else topic


def case_topic_names(language: str = "nb") -> dict[str, str]:
    return {topic: names[answer_language(language)] for topic, names in case_topics().items()}
