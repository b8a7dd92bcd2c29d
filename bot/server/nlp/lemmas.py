"""Build the Norwegian spaCy pipeline that Rasa's SpacyNLP loads from a path.

spaCy ships no Norwegian pipeline, so we start from ``spacy.blank("nb")`` and add a
lookup lemmatizer (bot/server/nlp/lemmatizer.py, compact in memory) built from the Bokmål
tables in spacy-lookups-data (derived from Norsk Ordbank, Språkbanken at the National
Library of Norway, CC BY 4.0). Those tables are split by part of speech and meant for a
tagger we do not have, so they are merged into one form -> lemma table here.

Norsk Ordbank is Bokmål and holds few of the compounds this service lives on
("læreplass", "folkehøgskule", "vaksenopplæring"): the words with æ/ø/å in the bot's own
answers and training examples are known words too, so that the spelling tables read
"lareplass" as "læreplass" and leave "frå" and "lærar" alone.

Run as ``python -m bot.server.nlp.lemmas OUT_DIR`` (``make spacy-model`` does).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import sys
from pathlib import Path

import spacy
from spacy.lang.nb.stop_words import STOP_WORDS
from spacy.language import Language

from bot.server.nlp import lemmatizer as lemmatizer_module
from bot.server.nlp import spelling
from bot.shared.settings import PROJECT_DIR

# What the bot says and what it learns from (Makefile: the pipeline is built again when
# they change).
VOCABULARY_DIRS = (PROJECT_DIR / "data" / "knowledge", PROJECT_DIR / "data" / "nlu")
_WORD = re.compile(r"[^\W\d_]+")

# When a form belongs to several parts of speech, the shortest lemma wins ("frister" is
# more often "frist" than "friste", "søker" more often about "søke" than "søker"), and
# among equally long lemmas the earlier part of speech ("søkte": "søke", not "søkt").
POS_PRIORITY = ("verb", "noun", "adj", "adv")

PIPELINE_NAME = "veivalg_nb_lemmas"
OVERRIDES = Path(__file__).with_name("lemma_overrides.tsv")


def _lookups_data_dir() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data"


def _read_table(name: str) -> dict:
    with gzip.open(_lookups_data_dir() / name, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def read_overrides(path: Path = OVERRIDES) -> dict[str, str]:
    """Our own form -> lemma corrections and Nynorsk forms (see the file's header)."""
    overrides: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, lemma = line.split("\t")
            overrides[form.strip()] = lemma.strip()
    return overrides


def full_lemma_table() -> dict[str, str]:
    """Every form of Norsk Ordbank's per-POS tables, and our overrides, with its lemma."""
    candidates: dict[str, tuple[int, int, str]] = {}
    exceptions = _read_table("nb_lemma_exc.json.gz")
    for rank, pos in enumerate(POS_PRIORITY):
        for form, lemmas in exceptions.get(pos, {}).items():
            if lemmas:
                candidate = (len(lemmas[0]), rank, lemmas[0])
                candidates[form] = min(candidates.get(form, candidate), candidate)
    table = {form: lemma for form, (_, _, lemma) in candidates.items()}
    for form, lemma in _read_table("nb_lemma_lookup.json.gz").items():
        table.setdefault(form, lemma)
    table.update(read_overrides())
    return table


def merged_lemma_table(table: dict[str, str] | None = None) -> dict[str, str]:
    """The lookup lemmatizer's form -> lemma table: only the forms it must change."""
    table = full_lemma_table() if table is None else table
    overrides = read_overrides()
    # Function words keep their form ("når" is not the verb "nå"), and a form that is
    # its own lemma needs no entry: the lemmatizer falls back to the text. Both keep
    # the table small, which keeps server start fast.
    table = {
        form: lemma
        for form, lemma in table.items()
        if form != lemma and (form.lower() not in STOP_WORDS or form in overrides)
    }
    # Sentence-initial forms ("Søknaden") are the lemmatizer's to lower-case
    # (bot/server/nlp/lemmatizer.py), so they need no entries of their own.
    return table


def build_pipeline(table: dict[str, str] | None = None) -> Language:
    nlp = spacy.blank("nb")
    lemmatizer = nlp.add_pipe(lemmatizer_module.FACTORY)
    lemmatizer.table = lemmatizer_module.LemmaTable.from_mapping(merged_lemma_table(table))
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = (
        "spaCy blank nb tokenizer with a lookup lemmatizer from Norsk Ordbank "
        "(Språkbanken, National Library of Norway; CC BY 4.0, via spacy-lookups-data)."
    )
    nlp.meta["license"] = "CC BY 4.0 (lemma data)"
    return nlp


def project_words(directories: tuple[Path, ...] = VOCABULARY_DIRS) -> set[str]:
    """The words with æ, ø or å in the project's YAML files under ``directories``."""
    words: set[str] = set()
    for directory in directories:
        for path in sorted(directory.glob("*.yml")):
            words |= {word.lower() for word in _WORD.findall(path.read_text(encoding="utf-8"))
                      if spelling.has_norwegian_letters(word)}
    return words


# English words of at least this log probability (spacy-lookups-data's English lexeme
# table) are words of their own in English text: "take" is never "tåke". Rarer ones are
# mostly names and typos ("tromso", "bodo": read as Tromsø and Bodø).
ENGLISH_MIN_LOG_PROBABILITY = -18.0


def english_words() -> set[str]:
    """The English words, and their forms, that English text never reads as Norwegian."""
    lemmas = _read_table("en_lemma_lookup.json.gz")
    frequent = _read_table("en_lexeme_prob.json.gz")
    return ({form.lower() for form in lemmas} | {lemma.lower() for lemma in lemmas.values()}
            | {word.lower() for word, logprob in frequent.items()
               if logprob >= ENGLISH_MIN_LOG_PROBABILITY})


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bot.server.nlp.lemmas OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    # A stale part of an earlier build (a component since replaced) must not linger.
    shutil.rmtree(out, ignore_errors=True)
    table = full_lemma_table()
    build_pipeline(table).to_disk(out)
    spelling.build(table, merged_lemma_table(table), set(STOP_WORDS) | project_words(), out,
                   english_words())
    print(f"Norwegian spaCy pipeline and spelling tables written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
