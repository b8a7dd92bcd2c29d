"""Words typed without æ, ø and å, and common dialect forms, read as the written words.

Many people write from a keyboard or phone without Norwegian letters ("soknadsfrist",
"hoyere utdanning", "laan") or as they speak ("ka", "koss", "ittj"). The classifier should
see the word meant. A word is corrected only when it is no word of its own: a form unknown
to Norsk Ordbank that becomes a known one when a/o/ae/oe/aa are read as æ/ø/å. The
original text is kept for the record; only the features read the corrected form.

People writing English use this service's Norwegian words too ("how long is pabygg",
"lanekassen"): in English text only a word that is no English word is read this way, and
never through the dialect table ("uni" is English there).

The tables are built with the spaCy pipeline (``python -m bot.server.nlp.lemmas``) into
``spelling.npz`` beside it: hashes, not Python strings, so that a million known forms
cost a few megabytes of memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.strings import hash_string

FILE_NAME = "spelling.npz"
DIALECT_FILE = Path(__file__).with_name("dialect.tsv")
# Typed without Norwegian letters: both the two-letter and the one-letter spellings.
_FOLDINGS = ({"æ": "ae", "ø": "oe", "å": "aa"}, {"æ": "a", "ø": "o", "å": "a"})
_NORWEGIAN = re.compile("[æøå]")
_FOLDABLE = re.compile("[ao]")
# Letters held for emphasis ("hellooo", "takkkk"): no word has a letter three times over.
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
# Short words are too often something else ("for", "sok", "ar"): leave them to the dialect
# table and the character features.
MIN_LENGTH = 4


def has_norwegian_letters(word: str) -> bool:
    return bool(_NORWEGIAN.search(word.lower()))


def unstretched(word: str) -> list[str]:
    """The word meant when a letter is held ("takkkk"): each held letter written twice,
    then once ("takk", "tak"); none when no letter is held. One letter held alone
    ("ddddd") is mash, not "dd"."""
    if not _STRETCHED.search(word) or len(set(word.lower())) < 2:
        return []
    return [_STRETCHED.sub(r"\1\1", word), _STRETCHED.sub(r"\1", word)]


def fold(word: str, folding: Mapping[str, str]) -> str:
    return "".join(folding.get(char, char) for char in word)


def _hashes(words: Iterable[str]) -> np.ndarray:
    return np.array(sorted({hash_string(word) for word in words}), dtype=np.uint64)


def read_dialect(path: Path = DIALECT_FILE) -> dict[str, tuple[str, str]]:
    """typed form -> (written form, lemma), from ``dialect.tsv``."""
    forms: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            typed, written, lemma = (part.strip() for part in line.split("\t"))
            forms[typed] = (written, lemma)
    return forms


def build(table: Mapping[str, str], lemmatizer: Mapping[str, str], extra_known: Iterable[str],
          out_dir: Path, english: Iterable[str] = ()) -> Path:
    """Write the spelling tables: ``table`` has every form of Norsk Ordbank (form -> lemma),
    ``lemmatizer`` the lemmas the pipeline gives (a form missing there is its own lemma),
    ``english`` the English words never read as Norwegian in English text."""
    known = {form.lower() for form in table} | {lemma.lower() for lemma in table.values()}
    known |= {word.lower() for word in extra_known}
    strings: dict[str, int] = {}
    keys: dict[int, tuple[int, int]] = {}
    for form in sorted(word for word in known if _NORWEGIAN.search(word)):
        lemma = lemmatizer.get(form, form)
        for folding in _FOLDINGS:
            folded = fold(form, folding)
            if folded in known:
                continue  # "for" is a word: never read it as "før"
            key = hash_string(folded)
            if key not in keys:  # the first written form, alphabetically, wins a tie
                keys[key] = (strings.setdefault(form, len(strings)),
                             strings.setdefault(lemma, len(strings)))
    ordered = sorted(keys)
    path = out_dir / FILE_NAME
    np.savez_compressed(
        path,
        known=_hashes(known),
        folded=np.array(ordered, dtype=np.uint64),
        written=np.array([keys[key][0] for key in ordered], dtype=np.int32),
        lemma=np.array([keys[key][1] for key in ordered], dtype=np.int32),
        strings=np.array(list(strings), dtype=object),
        english=_hashes(word.lower() for word in english),
    )
    return path


@dataclass(frozen=True)
class Correction:
    written: str
    lemma: str


class Speller:
    """What a word typed without Norwegian letters, or in dialect, stands for."""

    def __init__(self, known: np.ndarray, folded: np.ndarray, written: np.ndarray,
                 lemma: np.ndarray, strings: Iterable[str],
                 dialect: Mapping[str, tuple[str, str]], english: np.ndarray) -> None:
        self._known = known
        self._folded = folded
        self._written = written
        self._lemma = lemma
        self._strings = list(strings)
        self._dialect = dict(dialect)
        self._english = english

    @classmethod
    def load(cls, directory: Path) -> Speller:
        with np.load(directory / FILE_NAME, allow_pickle=True) as data:
            return cls(data["known"], data["folded"], data["written"], data["lemma"],
                       data["strings"].tolist(), read_dialect(), data["english"])

    def is_known(self, word: str) -> bool:
        return _contains(self._known, hash_string(word))

    def correct(self, word: str) -> Correction | None:
        """The written word meant, or None when ``word`` is fine as it is."""
        lower = word.lower()
        if lower in self._dialect:
            return Correction(*self._dialect[lower])
        for form in unstretched(lower):
            if form in self._dialect:
                return Correction(*self._dialect[form])
            if self.is_known(form):
                return Correction(form, form)
        return self._unfolded(lower)

    def correct_in_english(self, word: str) -> Correction | None:
        """The Norwegian word meant by ``word`` in English text ("pabygg": "påbygg"), or
        None: English words and dialect forms are left alone."""
        lower = word.lower()
        if _contains(self._english, hash_string(lower)):
            return None
        return self._unfolded(lower)

    def _unfolded(self, lower: str) -> Correction | None:
        """The word with æ/ø/å that ``lower`` is typed without, or None."""
        if (len(lower) < MIN_LENGTH or not lower.isalpha() or _NORWEGIAN.search(lower)
                or not _FOLDABLE.search(lower) or self.is_known(lower)):
            return None
        index = find(self._folded, hash_string(lower))
        if index is None:
            return None
        return Correction(self._strings[self._written[index]], self._strings[self._lemma[index]])


def find(sorted_hashes: np.ndarray, key: int) -> int | None:
    """Where ``key`` is in a sorted array of 64-bit hashes, or None."""
    index = int(np.searchsorted(sorted_hashes, np.uint64(key)))
    return index if index < len(sorted_hashes) and int(sorted_hashes[index]) == key else None


def _contains(sorted_hashes: np.ndarray, key: int) -> bool:
    return find(sorted_hashes, key) is not None
