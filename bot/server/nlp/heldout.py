"""Whether a test message repeats a training example, so that held-out figures stay honest.

A held-out figure says how the bot does on messages it has not seen. A test message that is
a training example with other capitals, punctuation or Norwegian letters, with its words in
another order, with one word more, less or changed, or in another spelling, was seen: the
classifier gets its features almost for free. Such a message belongs in neither
``tests/nlu/`` nor the crisis phrasing sets, whether the example is in ``data/nlu/`` or in
``data/crisis/`` (the crisis net's learned half): ``tests/unit/test_heldout_is_held_out.py``
fails on one, and ``bench.nlu`` (bench/nlu/data.py) leaves it out of its figures.

Texts are compared by their *keys*:

- Unicode NFKC, case folded; place and occupation names become one placeholder word each,
  as ``NamedThingMasker`` makes them one lemma for the classifier ("hva gjør en sveiser" and
  "hva gjør en rørlegger" are one sentence to it);
- apostrophes dropped ("don't" = "dont"), every other punctuation mark or symbol a space;
- letters without diacritics, and æ/ø/å as people write them without a Norwegian keyboard
  ("vær", "vaer" and "ver" agree; "Kárášjohka" = "karasjohka");
- spaces collapsed.

A test message repeats a training example when

- ``exact``: the keys are equal, whatever the two intents;
- ``reordered``: the keys have the same words in another order;
- ``one word``: the keys are one word apart (inserted, deleted or replaced; in texts of two
  words or more, since two one-word messages are always one word apart);
- ``similar``: the keys' characters are at least ``SIMILAR`` alike (difflib's ratio): the
  same sentence in another spelling, inflection or written language, two or more words
  apart ("kan jeg sende vitnemål digitalt" / "kan eg sende vitnemålet digitalt").

The near kinds count only between examples of the same intent; see ``TrainingIndex``.
Lemmas are not compared: on short questions they make different questions one word apart
("hvordan får jeg læreplass" / "hvordan søker jeg læreplass"), and ``similar`` already
catches the inflected forms of a longer sentence.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.shared.crisis import CRISIS_INTENT
from bot.shared.occupations import occupations
from bot.shared.places import gazetteer
from bot.shared.settings import PROJECT_DIR

TRAINING_DIR = PROJECT_DIR / "data" / "nlu"
HELDOUT_DIR = PROJECT_DIR / "tests" / "nlu"
CRISIS_PHRASINGS = (PROJECT_DIR / "tests" / "unit" / "crisis_phrasings.yml",)
CRISIS_PHRASING_DIR = PROJECT_DIR / "tests" / "crisis"
# What the learned half of the crisis net trains on (bot/server/nlp/crisis_sense.py), besides the
# crisis intent's examples.
CRISIS_TRAINING_DIR = PROJECT_DIR / "data" / "crisis"

# Read off data/nlu against tests/nlu: every pair from 0.85 up was one sentence in another
# spelling, inflection or written language; from 0.80 to 0.85 half were different questions
# on one frame ("how do I get an apprenticeship" / "how long is an apprenticeship", 0.847).
SIMILAR = 0.85

PLACE = "xplacex"
OCCUPATION = "xoccupationx"

_APOSTROPHES = re.compile(r"['’ʼ`´]")
# After diacritics are gone: what a keyboard without æ, ø, å turns them into.
_LETTERS = str.maketrans({"æ": "e", "ø": "o", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss",
                          "ð": "d", "þ": "th", "ł": "l"})
_DIGRAPHS = re.compile(r"aa|ae|oe")
_DIGRAPH_LETTER = {"aa": "a", "ae": "e", "oe": "o"}


def _masked(text: str) -> str:
    """``text`` lowercased, each place and occupation name replaced by a placeholder word."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: spans would shift
        return lowered
    spans = [(start, end, PLACE) for start, end in gazetteer().spans(lowered)]
    spans += [(match.start, match.end, OCCUPATION) for match in occupations().find_all(lowered)]
    limit = len(lowered)
    for start, end, word in sorted(spans, reverse=True):
        if end <= limit:  # overlapping names: the later one is already replaced
            lowered = f"{lowered[:start]} {word} {lowered[end:]}"
            limit = start
    return lowered


def key(text: str) -> str:
    """What is left of ``text`` when what does not make it another message is taken out."""
    text = _masked(unicodedata.normalize("NFKC", text)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    text = "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char))
    text = _DIGRAPHS.sub(lambda match: _DIGRAPH_LETTER[match.group(0)],
                         text.translate(_LETTERS))
    return " ".join(text.split())


@dataclass(frozen=True)
class Example:
    """A training or test message, its intent and the file it is in.

    A crisis phrasing set's negatives are examples of anything *but* crisis: ``negative``.
    """

    text: str
    intent: str
    source: str
    negative: bool = False

    @property
    def label(self) -> str:
        return f"not {self.intent}" if self.negative else self.intent

    def agrees_with(self, training: Example) -> bool:
        """Whether ``training`` teaches the answer this example expects."""
        positive = training.intent == self.intent and not training.negative
        return not positive if self.negative else positive


@dataclass(frozen=True)
class Repeat:
    """A test message that repeats a training example: how, and which one."""

    test: Example
    training: Example
    how: str  # "exact", "reordered", "one word" or "similar"

    def __str__(self) -> str:
        return (f"{self.test.source}: {self.test.text!r} ({self.test.label}) is {self.how} "
                f"{self.training.source}: {self.training.text!r} ({self.training.label})")


class TrainingIndex:
    """The training examples, indexed so that each test message is compared quickly.

    An equal key is a repeat whatever the intents (a contradiction, if they differ). The
    near kinds count only when the intents agree: a test message one word from a training
    example of another intent ("frist vigo" / "frist studielån") is a minimal pair, the
    hardest test there is, and its answer was not seen.
    """

    def __init__(self, examples: Iterable[Example]) -> None:
        self.examples = list(examples)
        self.keys = [key(example.text) for example in self.examples]
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._reordered: dict[tuple[str, ...], list[int]] = defaultdict(list)
        # One word apart: one word deleted from a training example, or replaced by "\0".
        self._deleted: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._replaced: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, text in enumerate(self.keys):
            words = tuple(text.split())
            self._exact[text].append(index)
            self._reordered[tuple(sorted(words))].append(index)
            if len(words) >= 2:
                for position in range(len(words)):
                    self._deleted[words[:position] + words[position + 1:]].append(index)
                    self._replaced[(*words[:position], "\0", *words[position + 1:])].append(
                        index)
        # Letter counts give difflib's quick_ratio, an upper bound of its ratio, for every
        # training example at once; the slow ratio is then computed for a few.
        self._alphabet = {char: column for column, char in
                          enumerate(sorted({char for text in self.keys for char in text}))}
        self._counts = np.array([self._count(text) for text in self.keys], dtype=np.int32)
        self._lengths = np.array([len(text) for text in self.keys], dtype=np.int32)

    def repeat_of(self, example: Example) -> Repeat | None:
        """A training example that ``example`` repeats, the closest kind first; or None."""
        text = key(example.text)
        if self._exact.get(text):
            return Repeat(example, self.examples[self._exact[text][0]], "exact")
        words = tuple(text.split())
        for how, candidates in (("reordered", self._reordered.get(tuple(sorted(words)), [])),
                                ("one word", self._one_word(words)),
                                ("similar", self._similar(text))):
            for index in candidates:
                if example.agrees_with(self.examples[index]):
                    return Repeat(example, self.examples[index], how)
        return None

    def repeats(self, examples: Iterable[Example]) -> list[Repeat]:
        return [found for example in examples if (found := self.repeat_of(example))]

    def _one_word(self, words: tuple[str, ...]) -> Iterator[int]:
        # A training example with one word more.
        yield from self._deleted.get(words, [])
        if len(words) < 2:  # two one-word messages are always one word apart
            return
        for position in range(len(words)):
            # One word less, or one word replaced.
            yield from self._exact.get(" ".join(words[:position] + words[position + 1:]), [])
            yield from self._replaced.get((*words[:position], "\0", *words[position + 1:]),
                                          [])

    def _count(self, text: str) -> np.ndarray:
        counts = np.zeros(len(self._alphabet) + 1, dtype=np.int32)
        for char in text:
            counts[self._alphabet.get(char, len(self._alphabet))] += 1
        return counts

    def _similar(self, text: str) -> Iterator[int]:
        if not text:
            return
        common = np.minimum(self._counts, self._count(text)).sum(axis=1)
        bound = 2 * common / (self._lengths + len(text))
        matcher = difflib.SequenceMatcher(None, text, autojunk=False)
        for index in np.flatnonzero(bound >= SIMILAR):
            matcher.set_seq2(self.keys[index])
            if matcher.ratio() >= SIMILAR:
                yield int(index)


# --- reading the files ----------------------------------------------------------------------

_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _plain(text: str) -> str:
    """An example's text without Rasa's entity annotation: "[Bodø](county)" -> "Bodø"."""
    return _ENTITY.sub(r"\1", text)


def nlu_examples(paths: Sequence[Path]) -> list[Example]:
    """Intent examples of Rasa NLU YAML files, in order (lookups and synonyms are not)."""
    examples = []
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in document.get("nlu") or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(Example(_plain(line[2:].strip()), item["intent"],
                                            _shown(path)))
    return examples


def training_examples(directory: Path = TRAINING_DIR) -> list[Example]:
    return nlu_examples(sorted(directory.rglob("*.yml")))


def pipeline_training_examples(crisis_dir: Path = CRISIS_TRAINING_DIR) -> list[Example]:
    """Everything the NLU pipeline learns from: data/nlu, and data/crisis for the crisis
    net's learned half (its negatives are examples of anything but crisis)."""
    return [*training_examples(), *phrasing_examples(sorted(crisis_dir.glob("*.yml")))]


def heldout_files(directory: Path = HELDOUT_DIR) -> list[Path]:
    return sorted(directory.glob("*.yml"))


def crisis_phrasing_files() -> list[Path]:
    """tests/unit/crisis_phrasings.yml and every tests/crisis/**/*.yml (held-out ones too),
    which share its shape."""
    return [*CRISIS_PHRASINGS, *sorted(CRISIS_PHRASING_DIR.rglob("*.yml"))]


def phrasing_examples(paths: Sequence[Path], intent: str = CRISIS_INTENT) -> list[Example]:
    """A phrasing set's ``positives`` (of ``intent``) and ``negatives`` (of anything else),
    each a mapping of language to texts."""
    examples = []
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for side in ("positives", "negatives"):
            for texts in (document.get(side) or {}).values():
                examples += [Example(str(text), intent, _shown(path), side == "negatives")
                             for text in texts or []]
    return examples


def _shown(path: Path) -> str:
    """A path as a reader finds it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)
