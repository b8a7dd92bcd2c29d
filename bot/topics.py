"""Short titles for the topics a person can ask about, per written language.

Shown as buttons when the bot is unsure which topic was meant; read from data/topics.yml.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlp.language import LANGUAGES, answer_language

TOPICS_FILE = Path(__file__).resolve().parent.parent / "data" / "topics.yml"


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
