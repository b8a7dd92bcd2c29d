"""The spaCy lemmatizer of the Norwegian pipeline, with its 588,000 forms kept compact.

spaCy's own lookup lemmatizer holds its table as a Python dict of strings: about 220 MB
in every process that loads the pipeline. Here a form is found by its 64-bit hash
(spaCy's, the one every token already carries) in a sorted array, and its lemma is an
index into one list of distinct lemmas: a few megabytes, and the same lemmas.

Like spaCy's lookup mode, a form that is not in the table is its own lemma, and a
capitalised form at the start of a sentence ("Søknaden") has the lemma of its lower-case
form when it has none of its own.

Loading ``build/spacy-nb`` needs this module imported first (it registers the factory):
the pipeline's custom components import it (bot/server/nlp/features.py).
"""

# No ``from __future__ import annotations``: spaCy reads the factory's signature at run
# time, and string annotations break it.
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.vocab import Vocab

from bot.server.nlp.spelling import find

FACTORY = "veivalg_lemmatizer"
FILE_NAME = "lemmas.npz"


class LemmaTable:
    """form -> lemma, for the forms whose lemma is not the form itself."""

    def __init__(self, keys: np.ndarray, lemmas: np.ndarray, strings: Iterable[str]) -> None:
        self._keys = keys
        self._lemmas = lemmas
        self._strings = list(strings)

    @classmethod
    def from_mapping(cls, table: Mapping[str, str]) -> "LemmaTable":
        strings: dict[str, int] = {}
        pairs = sorted((hash_string(form), strings.setdefault(lemma, len(strings)))
                       for form, lemma in table.items())
        return cls(np.array([key for key, _ in pairs], dtype=np.uint64),
                   np.array([index for _, index in pairs], dtype=np.int32), strings)

    @classmethod
    def load(cls, path: Path) -> "LemmaTable":
        with np.load(path, allow_pickle=False) as data:
            return cls(data["keys"], data["lemmas"], str(data["strings"]).split("\n"))

    def save(self, path: Path) -> None:
        if any("\n" in lemma for lemma in self._strings):
            raise ValueError("a lemma with a line break cannot be stored")
        np.savez_compressed(path, keys=self._keys, lemmas=self._lemmas,
                            strings=np.array("\n".join(self._strings)))

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, form: str) -> str | None:
        index = find(self._keys, hash_string(form))
        return None if index is None else self._strings[self._lemmas[index]]


class CompactLemmatizer:
    """Sets ``token.lemma_`` from a :class:`LemmaTable`."""

    def __init__(self, vocab: Vocab, name: str = FACTORY,
                 table: "LemmaTable | None" = None) -> None:
        self.vocab = vocab
        self.name = name
        self.table = table or LemmaTable.from_mapping({})

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = self.lemma(token.text)
        return doc

    def lemma(self, text: str) -> str:
        found = self.table.get(text)
        if found is None and text[:1].isupper():
            lower = text.lower()
            if lower.capitalize() == text:
                found = self.table.get(lower)
        return text if found is None else found

    def to_disk(self, path: Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.table.save(path / FILE_NAME)

    def from_disk(self, path: Path, exclude: Iterable[str] = ()) -> "CompactLemmatizer":
        self.table = LemmaTable.load(Path(path) / FILE_NAME)
        return self


@Language.factory(FACTORY)
def make_lemmatizer(nlp: Language, name: str) -> Any:
    return CompactLemmatizer(nlp.vocab, name)
