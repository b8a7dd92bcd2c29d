"""The answers the bot gives: one entry per fact, in Bokmål, Nynorsk and English.

Entries live in ``data/knowledge/*.yml``. Each carries the source that backs it, the
date it was last checked and what it was checked against (``stored copy`` when compared
with a stored collection of the pages, ``verified_live`` when the live page was read), so
a counsellor can see where an answer comes from. Rule-bound entries (deadlines, admission
rules, money) also carry ``review_by``: after that date the entry is overdue, and a test
fails until an editor has checked it again (see ``overdue``).

A county's career-centre entry lists its offices and the places each serves, so a town
is answered with its nearest office (``KnowledgeBase.nearest_office``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from bot.shared.language import BOKMAAL, ENGLISH, LANGUAGES, NYNORSK, answer_language
from bot.shared.places import COUNTIES, fold

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "data" / "knowledge"

# How a source is introduced under an answer, per written language.
SOURCE_LABEL = {BOKMAAL: "Kilde", NYNORSK: "Kjelde", ENGLISH: "Source"}
NEAREST_LABEL = {
    BOKMAAL: "Nærmeste kontor for deg: {name}.",
    NYNORSK: "Næraste kontor for deg: {name}.",
    ENGLISH: "The office nearest you: {name}.",
}
PHONE_LABEL = {BOKMAAL: "Telefon", NYNORSK: "Telefon", ENGLISH: "Phone"}

# What a fact was compared with when it was last checked.
STORED_COPY = "stored copy"
VERIFIED_LIVE = "verified_live"
# The page is where the facts are kept, but the stored collection had no copy to compare.
UNCONFIRMED = "unconfirmed"
CHECKED_AGAINST = (STORED_COPY, VERIFIED_LIVE, UNCONFIRMED)


class KnowledgeError(ValueError):
    """A knowledge file that breaks the schema; the message names the file and entry."""


@dataclass(frozen=True)
class Office:
    """One office of a county's career centre and the places it is the nearest for."""

    name: str
    town: str
    serves: tuple[str, ...]
    url: str | None = None
    phone: str | None = None
    # False where the stored sources did not confirm the office; the report lists these.
    confirmed: bool = True

    def serves_place(self, place: str) -> bool:
        folded = fold(place).strip()
        return folded == fold(self.town) or folded in {fold(name) for name in self.serves}


@dataclass(frozen=True)
class Entry:
    id: str
    intent: str
    source: str
    checked: dt.date
    text: Mapping[str, str]
    # Set for a county's career centre: the answer depends on where the person lives.
    county: str | None = None
    checked_against: str = STORED_COPY
    # Rule-bound entries must be checked again by this date.
    review_by: dt.date | None = None
    offices: tuple[Office, ...] = ()

    def render(self, language: str) -> str:
        """The answer in ``language`` with its source linked below it."""
        return render_answer([self], language)


def render_office(entry: Entry, office: Office | None, language: str) -> str:
    """A career-centre answer, led by the person's nearest office when we know it."""
    language = answer_language(language)
    if office is None:
        return entry.render(language)
    lead = NEAREST_LABEL[language].format(name=office.name)
    if office.phone:
        lead += f" {PHONE_LABEL[language]}: {office.phone}."
    if office.url and office.url != entry.source:
        lead += f" {office.url}"
    return lead + "\n\n" + entry.render(language)


def overdue(entries: Iterable[Entry], today: dt.date) -> list[Entry]:
    """Entries whose ``review_by`` date has passed: their facts must be checked again."""
    return [entry for entry in entries if entry.review_by is not None and entry.review_by < today]


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

    def intent_answered(self, text: str) -> str | None:
        """The intent whose answer ``text`` is, as the bot sends it in any language (a
        general answer, or a county's career centre); None for any other text."""
        return self._answered_by_text.get(text.strip())

    def intent_quoted(self, sentences: list[str]) -> str | None:
        """The intent whose answer, in any language, holds every one of ``sentences`` (the
        bot quoting the answer above); None when no answer holds them all."""
        wanted = [sentence.strip() for sentence in sentences if sentence.strip()]
        if not wanted:
            return None
        return next((intent for answer, intent in self._answered_by_text.items()
                     if all(sentence in answer for sentence in wanted)), None)

    @cached_property
    def _answered_by_text(self) -> dict[str, str]:
        intents = sorted({entry.intent for entry in self.entries.values()
                          if entry.county is None})
        answers = {render_answer(self.for_intent(intent), language).strip(): intent
                   for intent in intents for language in LANGUAGES}
        # A county's career centre, led by the nearest office or not: "hva med Bergen?"
        # was answered as the career-centre question, whatever it was read as.
        for entry in self.entries.values():
            if entry.county is not None:
                for office in (None, *entry.offices):
                    for language in LANGUAGES:
                        answers[render_office(entry, office, language).strip()] = entry.intent
        return answers

    def for_county(self, county: str) -> Entry | None:
        """The career centre of ``county``."""
        return next((entry for entry in self.entries.values() if entry.county == county), None)

    def nearest_office(self, county: str, places: Iterable[str]) -> Office | None:
        """The office of ``county``'s centre that serves the first of ``places`` it knows."""
        centre = self.for_county(county)
        if centre is None:
            return None
        for place in places:
            office = next((o for o in centre.offices if o.serves_place(place)), None)
            if office is not None:
                return office
        return None

    @cached_property
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
    checked_against = raw.get("checked_against")
    if checked_against not in CHECKED_AGAINST:
        raise KnowledgeError(
            f"{entry_where}: checked_against must be one of {', '.join(CHECKED_AGAINST)}")
    review_by = raw.get("review_by")
    if raw.get("rule_bound") and review_by is None:
        raise KnowledgeError(f"{entry_where}: a rule-bound entry needs review_by")
    if review_by is not None and not isinstance(review_by, dt.date):
        raise KnowledgeError(f"{entry_where}: review_by must be a date (YYYY-MM-DD)")
    if isinstance(review_by, dt.date) and review_by <= checked:
        raise KnowledgeError(f"{entry_where}: review_by must come after checked")
    offices = tuple(_parse_office(o, entry_where) for o in raw.get("offices") or ())
    if offices and county is None:
        raise KnowledgeError(f"{entry_where}: only a county's career centre has offices")
    return Entry(
        id=str(raw["id"]),
        intent=str(raw["intent"]),
        source=source,
        checked=checked,
        text={lang: str(text[lang]) for lang in LANGUAGES},
        county=county,
        checked_against=checked_against,
        review_by=review_by,
        offices=offices,
    )


def _parse_office(raw: object, where: str) -> Office:
    if not isinstance(raw, dict) or not raw.get("name") or not raw.get("town"):
        raise KnowledgeError(f"{where}: an office needs a name and a town")
    for key in ("url",):
        if raw.get(key) and not str(raw[key]).startswith("https://"):
            raise KnowledgeError(f"{where} ({raw['name']}): {key} must be an https URL")
    return Office(
        name=str(raw["name"]),
        town=str(raw["town"]),
        serves=tuple(str(place) for place in raw.get("serves") or ()),
        url=raw.get("url"),
        phone=str(raw["phone"]) if raw.get("phone") else None,
        confirmed=bool(raw.get("confirmed", True)),
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
