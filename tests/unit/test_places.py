"""Places people name, mapped to the 15 counties (data/places.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.shared.places import (
    COUNTIES,
    county_of,
    find_county,
    gazetteer,
    load_gazetteer,
    names_a_former_county,
    places_in,
)

# The towns KNOWLEDGE.md says people name, and the Northern Sami names it lists.
TOWNS = {
    "Bodø": "Nordland", "Narvik": "Nordland", "Drammen": "Buskerud", "Kongsberg": "Buskerud",
    "Trondheim": "Trøndelag", "Steinkjer": "Trøndelag", "Kautokeino": "Finnmark",
    "Karasjok": "Finnmark", "Alta": "Finnmark", "Hammerfest": "Finnmark", "Vadsø": "Finnmark",
    "Kirkenes": "Finnmark", "Tromsø": "Troms", "Harstad": "Troms", "Bardufoss": "Troms",
    "Bergen": "Vestland", "Stord": "Vestland", "Stavanger": "Rogaland",
    "Haugesund": "Rogaland", "Kristiansand": "Agder", "Arendal": "Agder",
    "Ålesund": "Møre og Romsdal", "Molde": "Møre og Romsdal", "Hamar": "Innlandet",
    "Lillehammer": "Innlandet", "Gjøvik": "Innlandet", "Fredrikstad": "Østfold",
    "Sarpsborg": "Østfold", "Lillestrøm": "Akershus", "Asker": "Akershus", "Bærum": "Akershus",
    "Tønsberg": "Vestfold", "Sandefjord": "Vestfold", "Skien": "Telemark",
    "Porsgrunn": "Telemark", "Oslo": "Oslo",
    "Guovdageaidnu": "Finnmark", "Kárášjohka": "Finnmark", "Áltá": "Finnmark",
    "Čáhcesuolu": "Finnmark", "Hámmárfeasta": "Finnmark", "Girkonjárga": "Finnmark",
    "Romsa": "Troms",
    # small municipalities the seventy-sixth probe named, and one with a hyphen
    "Båtsfjord": "Finnmark", "Bømlo": "Vestland", "Målselv": "Troms", "Ulstein": "Møre og Romsdal",
    "Nord-Fron": "Innlandet", "Hitra": "Trøndelag",
}


@pytest.mark.parametrize(("place", "county"), sorted(TOWNS.items()))
def test_towns_and_sami_names_map_to_their_county(place: str, county: str) -> None:
    assert county_of(place) == county
    assert county_of(place.lower()) == county


@pytest.mark.parametrize("county", COUNTIES)
def test_every_county_maps_to_itself(county: str) -> None:
    assert county_of(county) == county
    assert county_of(county.upper()) == county


@pytest.mark.parametrize(
    ("spelling", "county"),
    [("Tromso", "Troms"), ("Alesund", "Møre og Romsdal"), ("Baerum", "Akershus"),
     ("Karasjohka", "Finnmark"), ("TRONDELAG", "Trøndelag"), ("Bodo", "Nordland")],
)
def test_spellings_without_norwegian_letters_work(spelling: str, county: str) -> None:
    assert county_of(spelling) == county


@pytest.mark.parametrize(
    ("text", "county"),
    [("jeg bor i Alta", "Finnmark"), ("eg bur på Voss", "Vestland"),
     ("karrieresenter i Mo i Rana?", "Nordland"), ("i live near tromso", "Troms"),
     ("finnes det noe i Møre og Romsdal", "Møre og Romsdal")],
)
def test_a_place_is_found_in_a_sentence(text: str, county: str) -> None:
    assert find_county(text) == county


@pytest.mark.parametrize(
    "text", ["Narnia", "jeg liker å gå på ski", "vil bli altmuligmann", "", "Viken",
             # municipalities named by everyday words are left out (Time, Hole, Strand, Sola,
             # Heim, Os, Lund, Vik, Sand)
             "what time does the chat open", "there is a hole in my cv",
             "vi gikk langs stranda i sola", "eg vil flytte heim att", "kan eg ta det i os",
             "hun bor ved en lund i en vik", "sand i skoa"]
)
def test_no_county_when_no_place_is_named(text: str) -> None:
    assert find_county(text) is None


def test_spans_point_at_the_place_in_the_original_text() -> None:
    text = "Er det et senter i Kárášjohka eller Tromso?"
    assert [text[start:end] for start, end in gazetteer().spans(text)] == ["Kárášjohka", "Tromso"]


def _places_file(tmp_path: Path, counties: dict[str, list[str]]) -> Path:
    path = tmp_path / "places.yml"
    path.write_text(yaml.safe_dump({"counties": counties}, allow_unicode=True), encoding="utf-8")
    return path


def test_the_file_must_list_the_fifteen_counties(tmp_path: Path) -> None:
    counties: dict[str, list[str]] = {county: [] for county in COUNTIES if county != "Troms"}
    with pytest.raises(ValueError, match="missing \\['Troms'\\]"):
        load_gazetteer(_places_file(tmp_path, counties | {"Viken": ["Drammen"]}))


def test_a_place_cannot_belong_to_two_counties(tmp_path: Path) -> None:
    counties = {county: [] for county in COUNTIES} | {"Troms": ["Narvik"], "Nordland": ["Narvik"]}
    with pytest.raises(ValueError, match="'Narvik' is listed under two counties"):
        load_gazetteer(_places_file(tmp_path, counties))


@pytest.mark.parametrize(
    ("text", "county"),
    [("Hi, I'm in Tønsberg. I used to see 'Vestfold og Telemark' everywhere - which career "
      "centre do I use now?", "Vestfold"),
     ("før het det Troms og Finnmark fylkeskommune, men eg bur i Alta", "Finnmark"),
     ("Troms og Finnmark", None), ("vestfold and telemark", None), ("i live in Viken", None)],
)
def test_a_county_split_in_2024_places_no_one(text: str, county: str | None) -> None:
    """Its two halves are no places: the town named decides, or the person is asked."""
    assert find_county(text) == county
    assert {county_of(place) for place in places_in(text)} == ({county} if county else set())
    assert names_a_former_county(text)


def test_a_county_of_today_is_no_former_county() -> None:
    assert not names_a_former_county("jeg bor i Troms, men jobber i Finnmark")
    assert find_county("jeg bor i Troms, men jobber i Finnmark") == "Troms"
