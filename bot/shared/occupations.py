"""Occupations a person can ask about: what the work is, and how to get there.

Each occupation in ``data/occupations/*.yml`` has our own short description, its STYRK-08
code, the usual education path in Norway and the utdanning.no description link. People
write occupations inflected ("sykepleierne"), in Nynorsk ("sjukepleiarar"), in English
("nurses") and inside compounds ("intensivsykepleier"); ``OccupationFinder`` recognises
all of those from the base names in the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.shared.language import (
    BOKMAAL,
    ENGLISH,
    LANGUAGES,
    NYNORSK,
    TYPED_WITHOUT,
    answer_language,
    detect_language,
)

OCCUPATIONS_DIR = Path(__file__).resolve().parents[2] / "data" / "occupations"

# Endings of Norwegian and English noun forms, longest first: "sjåførene" -> "sjåfør",
# "lærarane" -> "lærar", "leger" -> "lege", "nurses" -> "nurse".
_ENDINGS = ("arane", "erne", "ene", "ane", "ar", "er", "en", "ne", "es", "e", "n", "r", "s")
# A compound is recognised by its last part ("barne|sykepleier"), when that part is long
# enough not to hide inside unrelated words.
_MIN_COMPOUND_HEAD = 5
_MIN_COMPOUND_PREFIX = 3
# Everyday words that end like an occupation: "ungdommer" is young people, not judges.
_NOT_COMPOUNDS = re.compile(r"(?:dommer|dommar|dommene|dommane)$|^(?:fordommer|fordommar)$")
_TOKEN = re.compile(r"\w+")
# Bokmål's "-er" and Nynorsk's "-ar" agent nouns name one occupation: people write
# "rørleggar" or "sveisar" whichever form the data lists.
_AGENT_ENDINGS = ("er", "ar")
_MIN_AGENT_NOUN = 5
_MAX_NAME_WORDS = 4
# Some names are also a verb's present tense ("lærer", "maler", "selger", "baker"). Next
# to a personal pronoun the word is the verb: "hva lærer man på fagskolen", "jeg selger
# bil", not the occupation ("han er lærer", "en lærer", "bli lærer").
_PRONOUNS = frozenset({
    "jeg", "eg", "du", "han", "hun", "ho", "vi", "me", "dere", "de", "dei", "dykk", "man",
    "ein", "en",
})
_CLAUSE_OPENERS = frozenset({"og", "men", "at", "fordi", "for", "så", "når", "hvis", "viss", "om"})
# English names that are other words in Norwegian: "hvilke programmer finnes det" asks
# about programmes (the plural of "program"), not software developers.
_NORWEGIAN_WORDS_TOO = frozenset({"programmer"})


class OccupationError(ValueError):
    """An occupation file that breaks the schema; the message names the file and entry."""


@dataclass(frozen=True)
class Occupation:
    id: str
    styrk08: str
    url: str
    checked: dt.date
    names: Mapping[str, tuple[str, ...]]
    description: Mapping[str, str]
    path: Mapping[str, str]

    def name(self, language: str) -> str:
        """The occupation's main name in ``language``."""
        return self.names[answer_language(language)][0]


@dataclass(frozen=True)
class OccupationMatch:
    occupation: Occupation
    start: int
    end: int


_SENTENCE_END = re.compile(r"[.!?;:]")


def _normalise(name: str) -> str:
    return " ".join(_TOKEN.findall(name.lower()))


def _is_verb(words: list[str], at: int, ends_sentence: bool = False) -> bool:
    """Whether the word at ``at`` is a verb in the present tense by its neighbours: an
    -er/-ar form with a personal pronoun right after it in the same sentence ("hva lærer
    man"; not "… bli sykepleier. jeg har …"), or with one right before it that opens a
    clause ("jeg maler huset", "men jeg selger"). After an inverted verb the pronoun is the
    subject and the word a noun again ("blir jeg sykepleier"); "en" before is the article
    ("en lærer")."""
    word = words[at]
    if not word.endswith(("er", "ar")):
        return False
    after = words[at + 1] if at + 1 < len(words) else ""
    if after in _PRONOUNS and not ends_sentence:
        return True
    before = words[at - 1] if at > 0 else ""
    opens_clause = at == 1 or (at >= 2 and words[at - 2] in _CLAUSE_OPENERS)
    return before in _PRONOUNS and before not in {"en", "ein"} and opens_clause


def _stems(word: str) -> list[str]:
    """``word`` and what it could be without an inflectional ending, each also with the
    other written standard's agent-noun ending ("rørleggar" -> "rørlegger")."""
    forms = [word]
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.append(word[: -len(ending)])
    return forms + [_other_agent_ending(form) for form in forms
                    if form.endswith(_AGENT_ENDINGS) and len(form) >= _MIN_AGENT_NOUN]


def _other_agent_ending(form: str) -> str:
    return form[:-2] + ("er" if form.endswith("ar") else "ar")


def _ascii_forms(key: str) -> set[str]:
    """``key`` as it may be typed on a keyboard without æ, ø and å ("sjafor",
    "rorlegger", "laerer"): the same name."""
    forms = {key}
    for letter, replacements in TYPED_WITHOUT.items():
        if letter in key:
            forms = {form.replace(letter, replacement)
                     for form in forms for replacement in replacements}
    return forms - {key}


class OccupationFinder:
    """Finds the occupation a message names, if any."""

    def __init__(self, occupations: Iterable[Occupation]) -> None:
        self.occupations: dict[str, Occupation] = {}
        self._by_name: dict[str, Occupation] = {}
        heads: set[str] = set()
        for occupation in occupations:
            if occupation.id in self.occupations:
                raise OccupationError(f"duplicate occupation id {occupation.id!r}")
            self.occupations[occupation.id] = occupation
            for language, names in occupation.names.items():
                for name in names:
                    key = _normalise(name)
                    known = self._by_name.get(key)
                    if known is not None and known.id != occupation.id:
                        raise OccupationError(
                            f"name {name!r} belongs to both {known.id!r} and {occupation.id!r}"
                        )
                    self._by_name[key] = occupation
                    # English writes compounds apart: "contractor" is no "actor".
                    if language != ENGLISH and " " not in key and len(key) >= _MIN_COMPOUND_HEAD:
                        heads.add(key)
        self._add_ascii_forms(heads)
        self._heads = frozenset(heads)

    def _add_ascii_forms(self, heads: set[str]) -> None:
        """Index every name also as typed without æ, ø and å, where that form is no other
        occupation's name."""
        for key, occupation in list(self._by_name.items()):
            for form in _ascii_forms(key):
                if self._by_name.setdefault(form, occupation) is occupation and key in heads:
                    heads.add(form)

    def get(self, occupation_id: str) -> Occupation | None:
        return self.occupations.get(occupation_id)

    def find(self, text: str) -> Occupation | None:
        """The occupation named in ``text``: whole names first, then compounds."""
        match = self.find_match(text)
        return match.occupation if match else None

    def find_match(self, text: str) -> OccupationMatch | None:
        """The first occupation named in ``text`` and where it stands."""
        return next(iter(self.find_all(text)), None)

    def find_all(self, text: str) -> list[OccupationMatch]:
        """Every occupation named in ``text``, left to right; longer names win."""
        tokens = list(_TOKEN.finditer(text.lower()))
        words = [token.group(0) for token in tokens]
        norwegian = bool(_NORWEGIAN_WORDS_TOO.intersection(words)) \
            and detect_language(text) in (BOKMAAL, NYNORSK)
        found: list[OccupationMatch] = []
        start = 0
        while start < len(words):
            size, occupation = self._longest_at(words, start)
            following = tokens[start + size].start() if start + size < len(tokens) else None
            ends_sentence = following is not None and bool(
                _SENTENCE_END.search(text[tokens[start + size - 1].end():following]))
            one_word = size == 1 and (_is_verb(words, start, ends_sentence)
                                      or (norwegian and words[start] in _NORWEGIAN_WORDS_TOO))
            if occupation is not None and not one_word:
                end = tokens[start + size - 1].end()
                found.append(OccupationMatch(occupation, tokens[start].start(), end))
            start += size
        return found

    def _longest_at(self, words: list[str], start: int) -> tuple[int, Occupation | None]:
        for size in range(min(_MAX_NAME_WORDS, len(words) - start), 0, -1):
            found = self._lookup(words[start : start + size])
            if found is not None:
                return size, found
        return 1, self._compound(words[start])

    def _lookup(self, words: list[str]) -> Occupation | None:
        head, last = " ".join(words[:-1]), words[-1]
        for form in _stems(last):
            found = self._by_name.get(f"{head} {form}".strip())
            if found is not None:
                return found
        # "it utvikler" and "it-utvikler" and "itutvikler" are one name.
        if len(words) > 1:
            return self._by_name.get("".join(words))
        return None

    def _compound(self, word: str) -> Occupation | None:
        if _NOT_COMPOUNDS.search(word):
            return None
        for form in _stems(word):
            # The longest last part first: "barnesykepleier" is a sykepleier.
            for start in range(_MIN_COMPOUND_PREFIX, len(form) - _MIN_COMPOUND_HEAD + 1):
                if form[start:] in self._heads:
                    return self._by_name[form[start:]]
        return None


def _texts(raw: dict, key: str, where: str) -> dict[str, str]:
    texts = raw.get(key)
    if not isinstance(texts, dict) or any(not str(texts.get(lang) or "").strip()
                                          for lang in LANGUAGES):
        raise OccupationError(f"{where}: {key} needs text in {', '.join(LANGUAGES)}")
    return {lang: str(texts[lang]).strip() for lang in LANGUAGES}


def _parse(raw: object, where: str) -> Occupation:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise OccupationError(f"{where}: an occupation must be a mapping with an id")
    where = f"{where} ({raw['id']})"
    styrk08 = str(raw.get("styrk08") or "")
    if not re.fullmatch(r"\d{4}", styrk08):
        raise OccupationError(f"{where}: styrk08 must be a four-digit code, got {styrk08!r}")
    url = str(raw.get("url") or "")
    if not url.startswith("https://utdanning.no/yrker/beskrivelse/"):
        raise OccupationError(f"{where}: url must be an utdanning.no occupation description")
    if not isinstance(raw.get("checked"), dt.date):
        raise OccupationError(f"{where}: checked must be a date (YYYY-MM-DD)")
    names = raw.get("names")
    if not isinstance(names, dict) or any(not names.get(lang) for lang in LANGUAGES):
        raise OccupationError(f"{where}: names needs a list in {', '.join(LANGUAGES)}")
    return Occupation(
        id=str(raw["id"]),
        styrk08=styrk08,
        url=url,
        checked=raw["checked"],
        names={lang: tuple(str(name).lower() for name in names[lang]) for lang in LANGUAGES},
        description=_texts(raw, "description", where),
        path=_texts(raw, "path", where),
    )


def load_occupations(directory: Path = OCCUPATIONS_DIR) -> OccupationFinder:
    occupations: list[Occupation] = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw_list = document.get("occupations")
        if not isinstance(raw_list, list):
            raise OccupationError(f"{path.name}: expected a list under 'occupations'")
        occupations += [_parse(raw, f"{path.name} #{i + 1}") for i, raw in enumerate(raw_list)]
    if not occupations:
        raise OccupationError(f"no occupations in {directory}")
    return OccupationFinder(occupations)


@lru_cache(maxsize=1)
def occupations() -> OccupationFinder:
    return load_occupations()
