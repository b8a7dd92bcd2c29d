"""Which county a place belongs to, so a person can say "Alta" and get Finnmark's centre.

The places and their counties are in ``data/places.yml``. The NLU pipeline finds them in a
message as the ``county`` entity (``PlaceExtractor``), and the career centre form reads a
place typed as a bare answer to "where do you live?", with or without Norwegian letters
("Tromso", "Alesund"): one gazetteer for both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PLACES_FILE = Path(__file__).resolve().parents[2] / "data" / "places.yml"

COUNTIES = (
    "Akershus", "Oslo", "Vestland", "Rogaland", "Trøndelag", "Innlandet", "Agder", "Østfold",
    "Møre og Romsdal", "Buskerud", "Vestfold", "Nordland", "Telemark", "Troms", "Finnmark",
)

# People on foreign keyboards write "o" for "ø", "a" for "å", "ae" for "æ".
_ASCII = str.maketrans({"ø": "o", "å": "a", "æ": "ae"})

# The counties of 2020–2023 that were split on 1 January 2024 (KNOWLEDGE.md): such a name
# places no one. "Hi, I'm in Tønsberg … 'Vestfold og Telemark' … which career centre?"
# got Telemark's (the last county named), and "Troms og Finnmark" got Finnmark's.
_FORMER_COUNTY = re.compile(
    r"(?<!\w)(?:viken|vestfold\s*(?:og|and|&|-)\s*telemark|troms\s*(?:og|and|&|-)\s*finnmark)"
    r"(?:\s+fylke(?:skommune)?)?(?!\w)")


def _without_former_counties(text: str) -> str:
    """``text`` (lowercased) with the names of former counties blanked, positions kept."""
    return _FORMER_COUNTY.sub(lambda match: " " * len(match.group(0)), text)


def names_a_former_county(text: str) -> bool:
    """``text`` names a county that was split in 2024 ("Troms og Finnmark", "Viken")."""
    return bool(_FORMER_COUNTY.search(fold(text)))


def fold(text: str) -> str:
    """Lowercase without diacritics, so "Kárášjohka", "karasjohka" and "KÁRÁŠJOHKA" agree."""
    text = text.lower().translate(_ASCII)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Gazetteer:
    """Folded place name -> county, with a pattern that finds any of them in a text."""

    counties: dict[str, str]
    pattern: re.Pattern[str]
    # Matches the names as written and folded, on text that is only lowercased, so the
    # positions of what it finds are positions in the original text.
    spans_pattern: re.Pattern[str]

    def county_of(self, place: str) -> str | None:
        return self.counties.get(fold(place).strip())

    def find_county(self, text: str) -> str | None:
        """The county of the first place named in ``text``; longer names win ("Mo i Rana")."""
        match = self.pattern.search(_without_former_counties(fold(text)))
        return self.counties[match.group(0)] if match else None

    def places_in(self, text: str) -> list[str]:
        """The places (folded) named in ``text``, in the order they are named."""
        return [match.group(0)
                for match in self.pattern.finditer(_without_former_counties(fold(text)))]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where places are named in ``text``, as (start, end) character positions."""
        return [match.span()
                for match in self.spans_pattern.finditer(_without_former_counties(text.lower()))]


def load_gazetteer(path: Path = PLACES_FILE) -> Gazetteer:
    listed: dict[str, list[str] | None] = yaml.safe_load(
        path.read_text(encoding="utf-8"))["counties"]
    missing, unknown = set(COUNTIES) - set(listed), set(listed) - set(COUNTIES)
    if missing or unknown:
        raise ValueError(f"{path.name}: list the 15 counties of 2024; missing {sorted(missing)}, "
                         f"not a county {sorted(unknown)}")
    counties: dict[str, str] = {fold(county): county for county in COUNTIES}
    written = {county.lower() for county in COUNTIES}
    for county, places in listed.items():
        for place in places or []:
            if counties.get(fold(place), county) != county:
                raise ValueError(f"{path.name}: {place!r} is listed under two counties")
            counties[fold(place)] = county
            written.add(place.lower())
    return Gazetteer(
        counties=counties, pattern=_any_of(counties), spans_pattern=_any_of(written | set(counties))
    )


def _any_of(names: Iterable[str]) -> re.Pattern[str]:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def county_of(place: str) -> str | None:
    """The county of a place name or county name, or None if we do not know it."""
    return gazetteer().county_of(place)


def places_in(text: str) -> list[str]:
    """The places named anywhere in ``text`` (folded), in order."""
    return gazetteer().places_in(text)


def find_county(text: str) -> str | None:
    """The county of the first place named anywhere in ``text``."""
    return gazetteer().find_county(text)
