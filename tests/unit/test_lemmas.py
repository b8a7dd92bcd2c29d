"""The Norwegian pipeline maps inflected forms to one lemma, as DIET's word features need."""

import random

import pytest
import spacy
from spacy.tokens import Doc

from bot.server.nlp.lemmas import full_lemma_table, merged_lemma_table
from bot.server.nlp.lemmatizer import FACTORY, CompactLemmatizer, LemmaTable
from bot.shared.settings import PROJECT_DIR

PIPELINE = PROJECT_DIR / "build" / "spacy-nb"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    if not (PIPELINE / "meta.json").exists():
        pytest.fail("build/spacy-nb is missing: run `make spacy-model` (make test does)")
    return spacy.load(PIPELINE)


def lemmas(nlp: spacy.language.Language, text: str) -> list[str]:
    return [token.lemma_.lower() for token in nlp(text)]


@pytest.mark.parametrize(
    ("forms", "lemma"),
    [
        ("søknad søknaden søknader søknadene", "søknad"),
        ("frist fristen frister fristene", "frist"),
        ("søke søker søkte søkt", "søke"),
        ("utdanning utdanningen utdanninger", "utdanning"),
        ("yrke yrket yrker yrkene", "yrke"),
    ],
)
def test_inflected_forms_share_one_lemma(nlp, forms: str, lemma: str) -> None:
    assert set(lemmas(nlp, forms)) == {lemma}


def test_sentence_initial_capital_still_finds_the_lemma(nlp) -> None:
    assert lemmas(nlp, "Søknaden")[0] == "søknad"


def test_function_words_keep_their_form(nlp) -> None:
    # "når" (when) must not become the verb "nå" (reach).
    assert lemmas(nlp, "når er fristen") == ["når", "er", "frist"]


def test_the_pipeline_is_the_one_we_built(nlp) -> None:
    assert nlp.meta["name"] == "veivalg_nb_lemmas"
    assert nlp.pipe_names == [FACTORY]


def test_table_prefers_the_shortest_lemma_for_ambiguous_forms() -> None:
    table = merged_lemma_table()
    assert table["søker"] == "søke"
    assert table["frister"] == "frist"
    assert table["søkte"] == "søke"
    assert "søknad" not in table  # a form that is its own lemma needs no entry


@pytest.mark.parametrize(
    ("nynorsk", "bokmaal"),
    [
        ("Kva er fristen for å søkje på høgskulen", "Hva er fristen for å søke på høyskolen"),
        ("søknadsfristar for vidaregåande skule", "søknadsfrister for videregående skole"),
    ],
)
def test_nynorsk_questions_share_lemmas_with_bokmaal(nlp, nynorsk: str, bokmaal: str) -> None:
    assert lemmas(nlp, nynorsk) == lemmas(nlp, bokmaal)


def test_the_compact_table_gives_what_spacys_lookup_lemmatizer_gave() -> None:
    """Against spaCy's own lookup lemmatizer on the table it had before (every form, and
    every lower-case form capitalised at the start of a sentence)."""
    table = merged_lemma_table(full_lemma_table())
    reference = spacy.blank("nb")
    lookups = spacy.lookups.Lookups()
    before = dict(table)
    for form, lemma in table.items():
        if form.islower():
            before.setdefault(form.capitalize(), lemma)
    lookups.add_table("lemma_lookup", before)
    reference.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize(lookups=lookups)
    ours = CompactLemmatizer(reference.vocab, table=LemmaTable.from_mapping(table))

    sample = random.Random(7).sample(sorted(before), 20_000)
    sample += ["Søknaden", "søknad", "SØKNADEN", "xqzj", "Oslo", "iPhone", "Ærlig"]
    lemmatizer = reference.get_pipe("lemmatizer")
    for form in sample:
        token = Doc(reference.vocab, words=[form])[0]
        assert ours.lemma(form) == lemmatizer.lookup_lemmatize(token)[0], form
