"""The answers the bot gives: one entry per fact, in Bokmål, Nynorsk and English.

Entries live in ``data/knowledge/*.yml``. Each carries the source that backs it and the
date that source was last checked, so a counsellor can see where an answer comes from
and an editor can see which answers are due for a new check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.nlp.language import BOKMAAL, ENGLISH, LANGUAGES, NYNORSK, answer_language
from bot.places import COUNTIES

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"

# How a source is introduced under an answer, per written language.
SOURCE_LABEL = {BOKMAAL: "Kilde", NYNORSK: "Kjelde", ENGLISH: "Source"}


class KnowledgeError(ValueError):
    """A knowledge file that breaks the schema; the message names the file and entry."""


@dataclass(frozen=True)
class Entry:
    id: str
    intent: str
    source: str
    checked: dt.date
    text: Mapping[str, str]
    # Set for a county's career centre: the answer depends on where the person lives.
    county: str | None = None

    def render(self, language: str) -> str:
        """The answer in ``language`` with its source linked below it."""
        return render_answer([self], language)


def render_answer(entries: Sequence[Entry], language: str) -> str:
    """One message: the entries' texts in ``language``, then each source once."""
    language = answer_language(language)
    texts = "\n\n".join(entry.text[language].strip() for entry in entries)
    sources = list(dict.fromkeys(entry.source for entry in entries))
    return texts + "".join(f"\n{SOURCE_LABEL[language]}: {source}" for source in sources)


class KnowledgeBase:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in self.entries:
                raise KnowledgeError(f"duplicate knowledge entry id {entry.id!r}")
            self.entries[entry.id] = entry

    def for_intent(self, intent: str) -> list[Entry]:
        """The general answer to an intent (county-specific entries are left out)."""
        return [
            entry for entry in self.entries.values()
            if entry.intent == intent and entry.county is None
        ]

    def for_county(self, county: str) -> Entry | None:
        """The career centre of ``county``."""
        return next((entry for entry in self.entries.values() if entry.county == county), None)

    @property
    def intents(self) -> set[str]:
        return {entry.intent for entry in self.entries.values()}


def _parse_entry(raw: object, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: an entry must be a mapping")
    missing = [key for key in ("id", "intent", "source", "checked", "text") if not raw.get(key)]
    if missing:
        raise KnowledgeError(f"{where} ({raw.get('id', '?')}): missing {', '.join(missing)}")
    entry_where = f"{where} ({raw['id']})"
    source = str(raw["source"])
    if not source.startswith("https://"):
        raise KnowledgeError(f"{entry_where}: source must be an https URL, got {source!r}")
    checked = raw["checked"]
    if not isinstance(checked, dt.date):
        raise KnowledgeError(f"{entry_where}: checked must be a date (YYYY-MM-DD)")
    text = raw["text"]
    if not isinstance(text, dict):
        raise KnowledgeError(f"{entry_where}: text must map language to text")
    absent = [lang for lang in LANGUAGES if not str(text.get(lang) or "").strip()]
    if absent:
        raise KnowledgeError(f"{entry_where}: no text in {', '.join(absent)}")
    county = raw.get("county")
    if county is not None and county not in COUNTIES:
        raise KnowledgeError(f"{entry_where}: {county!r} is not one of the 15 counties")
    return Entry(
        id=str(raw["id"]),
        intent=str(raw["intent"]),
        source=source,
        checked=checked,
        text={lang: str(text[lang]) for lang in LANGUAGES},
        county=county,
    )


def load_file(path: Path) -> list[Entry]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise KnowledgeError(f"{path.name}: expected a list under 'entries'")
    return [_parse_entry(raw, f"{path.name} #{i + 1}") for i, raw in enumerate(raw_entries)]


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise KnowledgeError(f"no knowledge files in {directory}")
    return KnowledgeBase(entry for path in files for entry in load_file(path))
