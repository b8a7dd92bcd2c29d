"""Occupations: complete data, and names recognised as people write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.shared.language import LANGUAGES
from bot.shared.occupations import OccupationError, OccupationFinder, load_occupations, occupations


@pytest.fixture(scope="module")
def finder() -> OccupationFinder:
    return occupations()


def test_at_least_150_occupations_with_everything_filled_in(finder: OccupationFinder) -> None:
    assert len(finder.occupations) >= 150
    for occupation in finder.occupations.values():
        assert re.fullmatch(r"\d{4}", occupation.styrk08), occupation.id
        assert occupation.url.startswith("https://utdanning.no/yrker/beskrivelse/"), occupation.id
        for language in LANGUAGES:
            assert occupation.names[language], (occupation.id, language)
            assert len(occupation.description[language]) > 20, (occupation.id, language)
            assert len(occupation.path[language]) > 20, (occupation.id, language)


@pytest.mark.parametrize(
    ("text", "occupation"),
    [
        ("hva gjør en rørlegger?", "rorlegger"),
        ("hva gjør rørleggere", "rorlegger"),
        ("rørleggeren sa at", "rorlegger"),
        ("kva gjer røyrleggjarane", "rorlegger"),
        ("hvordan blir jeg sykepleier", "sykepleier"),
        ("sykepleierne på sykehuset", "sykepleier"),
        ("korleis bli sjukepleiar", "sykepleier"),
        ("what do nurses do", "sykepleier"),
        ("how do I become an electrician", "elektriker"),
        ("elektrikerne", "elektriker"),
        ("kva gjer ein elektrikar", "elektriker"),
        # the other standard's agent-noun ending, and names typed without æ, ø and å
        ("enn rørleggar?", "rorlegger"),
        ("kor mykje tenar ein snekkar", "snekker"),
        ("og rorleggar da", "rorlegger"),
        ("hva tjener en laerer", "laerer"),
        ("bli lastebilsjafor", "yrkessjafor"),
        # compounds are recognised by their last part
        ("hvordan blir jeg barnesykepleier", "sykepleier"),
        ("skipselektriker", "elektriker"),
        ("IT-utvikler", "systemutvikler"),
        ("software developer", "systemutvikler"),
    ],
)
def test_names_are_found_inflected_in_nynorsk_english_and_compounds(
    finder: OccupationFinder, text: str, occupation: str
) -> None:
    found = finder.find(text)
    assert found is not None and found.id == occupation


@pytest.mark.parametrize(
    "text",
    ["når er fristen for samordna opptak", "jeg vil jobbe med ungdommer",
     "sykdommer og eiendommer", "contractor", "", "hei",
     # the plural of "program" in Norwegian, not the English "programmer"
     "hvilke programmer finnes det", "kva for programmer kan eg velje mellom"],
)
def test_no_occupation_where_none_is_named(finder: OccupationFinder, text: str) -> None:
    assert finder.find(text) is None


@pytest.mark.parametrize(
    "text",
    ["hva lærer man på en fagskole", "hva lærer jeg på vg1 helse", "kva lærer ein på fagskulen",
     "jeg maler huset i sommer", "jeg selger bil på fritida"],
)
def test_a_name_used_as_a_verb_is_no_occupation(finder: OccupationFinder, text: str) -> None:
    assert finder.find(text) is None


@pytest.mark.parametrize(
    ("text", "occupation"),
    [("hva tjener en lærer", "laerer"), ("han er lærer", "laerer"), ("kan man bli lærer", "laerer"),
     ("eg vil bli lærar", "laerer"), ("lærer", "laerer"), ("hun er maler", "maler"),
     # a pronoun after it, but in the next sentence
     ("har lyst til a bli sykepleier. jeg har bare yrkesfag", "sykepleier"),
     ("I want to become a programmer", "systemutvikler")],
)
def test_the_same_word_as_a_name_is_the_occupation(
    finder: OccupationFinder, text: str, occupation: str
) -> None:
    found = finder.find(text)
    assert found is not None and found.id == occupation


def test_the_match_points_at_the_name_in_the_text(finder: OccupationFinder) -> None:
    text = "Hva gjør Rørleggerne egentlig?"
    match = finder.find_match(text)
    assert match is not None and text[match.start:match.end] == "Rørleggerne"


def write(tmp_path: Path, **changes: object) -> Path:
    occupation = {
        "id": "test", "styrk08": "1234", "url": "https://utdanning.no/yrker/beskrivelse/test",
        "checked": "2026-01-01", "names": {"nb": ["testar"], "nn": ["testar"], "en": ["tester"]},
        "description": {lang: "Tester ting grundig hver dag." for lang in LANGUAGES},
        "path": {lang: "Vg1, Vg2 og to år som lærling." for lang in LANGUAGES},
    }
    occupation.update(changes)
    text = yaml.safe_dump({"version": 1, "occupations": [occupation]}, allow_unicode=True)
    # A date, as the real files have it, not a string.
    (tmp_path / "o.yml").write_text(text.replace("'2026-01-01'", "2026-01-01"), "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [({"styrk08": "12"}, "four-digit"), ({"url": "https://example.no/"}, "utdanning.no"),
     ({"names": {"nb": ["a"]}}, "names"), ({"path": {"nb": "x"}}, "path")],
)
def test_a_broken_occupation_is_refused(tmp_path: Path, changes: dict, complaint: str) -> None:
    with pytest.raises(OccupationError, match=complaint):
        load_occupations(write(tmp_path, **changes))


def test_a_complete_occupation_loads(tmp_path: Path) -> None:
    assert load_occupations(write(tmp_path)).find("testarane").id == "test"
