"""What an answer must say, checked without the code that writes answers.

Tests compare answers with facts written down here by hand from ../shared/KNOWLEDGE.md and
with the knowledge files read as plain YAML, never with ``bot.shared.knowledge``'s own rendering:
a test that asks the code under test for the expected answer cannot fail.

Facts are matched as whole words ("tre" is not found in "treng"), ignoring case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.shared.language import detect_language

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCE_LABEL = {"nb": "Kilde", "nn": "Kjelde", "en": "Source"}

_MONTHS_NO = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True)
class Date:
    """A day of the year, written "15. april" in Norwegian and "15 April" in English."""

    day: int
    month: int

    def said_in(self, language: str) -> str:
        if language == "en":
            return f"{self.day} {_MONTHS_EN[self.month - 1]}"
        return f"{self.day}. {_MONTHS_NO[self.month - 1]}"


@dataclass(frozen=True)
class Worded:
    """One fact worded differently in each written language."""

    nb: str
    nn: str
    en: str

    def said_in(self, language: str) -> str:
        return str(getattr(self, language))


# A fact worded the same in every language (a number, a name, a web address) is a str.
Fact = str | Date | Worded


def said_in(fact: Fact, language: str) -> str:
    return fact if isinstance(fact, str) else fact.said_in(language)


def mentions(text: str, phrase: str) -> bool:
    """``phrase`` occurs in ``text`` as whole words, whatever the case."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def missing(text: str, facts: Iterable[Fact], language: str = "nb") -> list[str]:
    """The facts ``text`` does not state, as they should have been written."""
    wordings = [said_in(fact, language) for fact in facts]
    return [wording for wording in wordings if not mentions(text, wording)]


# Words that exist in one written language only. Found in an answer in another language,
# they show a sentence in the wrong language (say one Bokmål entry in a Nynorsk answer).
_ONLY_IN = {
    "nb": frozenset("ikke jeg hva hvordan hvorfor hvem fra noe noen mye være hvis dem".split()),
    "nn": frozenset(
        "ikkje eg kva korleis kvifor kven frå noko nokon mykje vere òg dersom dei ein eit".split()
    ),
}
_NOT_ENGLISH = _ONLY_IN["nb"] | _ONLY_IN["nn"] | {"du", "det", "er", "å"}
_FOREIGN = {"nb": _ONLY_IN["nn"], "nn": _ONLY_IN["nb"], "en": _NOT_ENGLISH}


def language_problems(text: str, language: str) -> list[str]:
    """Why ``text`` is not plainly written in ``language`` (empty when it is)."""
    problems = []
    detected = detect_language(text)
    if detected != language:
        problems.append(f"reads as {detected}, not {language}")
    words = set(re.findall(r"\w+", text.lower()))
    foreign = sorted(words & _FOREIGN[language])
    if foreign:
        problems.append(f"words from another written language: {', '.join(foreign)}")
    return problems


def split_sources(answer: str) -> tuple[str, list[tuple[str, str]]]:
    """The answer's text, and the (label, url) source lines that end it."""
    lines = answer.split("\n")
    sources: list[tuple[str, str]] = []
    while lines and (found := re.fullmatch(r"(\w+): (https://\S+)", lines[-1])):
        sources.insert(0, (found[1], found[2]))
        lines.pop()
    return "\n".join(lines), sources


@cache
def entries_on_file() -> tuple[dict[str, Any], ...]:
    """Every knowledge entry, read straight from the YAML files."""
    return tuple(
        entry
        for path in sorted((DATA_DIR / "knowledge").glob("*.yml"))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    )


def on_file(intent: str | None = None, county: str | None = None) -> list[dict[str, Any]]:
    """The general entries of ``intent``, or the career centre of ``county``."""
    if county is not None:
        return [entry for entry in entries_on_file() if entry.get("county") == county]
    return [entry for entry in entries_on_file()
            if entry["intent"] == intent and entry.get("county") is None]


def answer_problems(answer: str, intent: str, language: str) -> list[str]:
    """Why ``answer`` is not the knowledge answer to ``intent`` in ``language``: the wrong
    written language, a fact or an entry left out, or sources other than the entries' own.
    Empty when it is the answer."""
    text, sources = split_sources(answer)
    problems = language_problems(text, language)
    problems += [f"does not say {wording!r}"
                 for wording in missing(text, ANSWER_FACTS[intent], language)]
    entries = on_file(intent)
    problems += [f"leaves out {entry['id']}" for entry in entries
                 if entry["text"][language].strip() not in text]
    expected = sorted((SOURCE_LABEL[language], url) for url in {e["source"] for e in entries})
    if sorted(sources) != expected:
        problems.append(f"sources {sources}, expected each of {expected} once")
    return problems


def centre_problems(answer: str, county: str, language: str) -> list[str]:
    """Why ``answer`` is not the career centre of ``county`` in ``language`` (empty when
    it is): the wrong written language, a fact left out, or another source."""
    text, sources = split_sources(answer)
    problems = language_problems(text, language)
    facts = (county, *CENTRE_FACTS, *CENTRE_NAMES.get(county, ()))
    problems += [f"does not say {wording!r}" for wording in missing(text, facts, language)]
    expected = [(SOURCE_LABEL[language], centre["source"]) for centre in on_file(county=county)]
    if sources != expected:
        problems.append(f"sources {sources}, expected {expected}")
    return problems


def response(name: str, language: str) -> str:
    """A response's text in ``language`` as domain.yml has it (Bokmål is the default)."""
    domain = yaml.safe_load((DATA_DIR.parent / "domain.yml").read_text(encoding="utf-8"))
    for variation in domain["responses"][name]:
        slots = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if slots.get("language", "nb") == language:
            return str(variation["text"])
    raise KeyError(f"{name} has no {language} text")


def filled(text: str, name: str, language: str) -> dict[str, str] | None:
    """The values in response ``name``'s placeholders when ``text`` is that response in
    ``language``, e.g. {"position": "1", ...}; None when ``text`` is something else."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(response(name, language)))
    found = re.fullmatch(pattern, text, re.DOTALL)
    return found.groupdict() if found else None


def occupation_on_file(occupation_id: str) -> dict[str, Any]:
    """One occupation, read straight from data/occupations."""
    [found] = [
        occupation
        for path in sorted((DATA_DIR / "occupations").glob("*.yml"))
        for occupation in yaml.safe_load(path.read_text(encoding="utf-8"))["occupations"]
        if occupation["id"] == occupation_id
    ]
    return found


# By hand from ../shared/KNOWLEDGE.md: what each general answer must tell, in any language.
ANSWER_FACTS: dict[str, tuple[Fact, ...]] = {
    "ask_23_5_rule": (
        Worded("23/5-regelen", "23/5-regelen", "23/5 rule"), "23",
        Worded("fem års", "fem års", "five years"), Worded("seks fag", "seks fag", "six subjects"),
        "393", "140", "84", "224", "privatist",
    ),
    "ask_about_service": (
        "Karriereveiledning.no", "HK-dir", "Bergen", "Trøndelag", "Hamar", "Tromsø",
        Worded("telefon", "telefon", "phone"), Date(1, 3), Date(15, 4),
        Worded("nynorsk", "nynorsk", "Nynorsk"),
        Worded("nordsamisk", "nordsamisk", "Northern Sami"),
    ),
    "ask_admission_requirements": (
        "generell studiekompetanse", "påbygg",
        Worded("23/5-regelen", "23/5-regelen", "23/5 rule"), "realkompetanse", "25",
        "Samordna opptak", Date(1, 3),
    ),
    "ask_adult_upper_secondary": (
        Worded("ingen øvre aldersgrense", "inga øvre aldersgrense", "no upper age limit"),
        Worded("fylkeskommunen", "fylkeskommunen", "county"), "realkompetansevurdering",
        Worded("gratis", "gratis", "free of charge"), "kompetansebevis", "fagbrev",
    ),
    "ask_apprenticeship": (
        Worded("lærling", "lærling", "apprentice"), "fagbrev", "vigo.no", Date(1, 3),
        Date(1, 2), "lærekandidat",
    ),
    "ask_counsellor_help": (
        "CV", Worded("gratis", "gratis", "free"), "19",
        Worded("taushetsplikt", "teieplikt", "confidentiality"), "NAV", Date(1, 3), Date(15, 4),
    ),
    "ask_cv": ("CV", Worded("karriereveileder", "karriererettleiar", "career counsellor")),
    "ask_diploma": ("vitnemalsportalen.no", Worded("videregående", "vidaregåande",
                                                   "upper secondary"), "2000"),
    "ask_fagbrev_on_the_job": (
        "fagbrev på jobb", Worded("ett års", "eitt års", "a year"),
        Worded("fem års", "fem års", "five years"), "praksiskandidat",
    ),
    "ask_fagskole": (
        Worded("et halvt år til to år", "eit halvt år til to år", "six months to two years"),
        "fagbrev", "generell studiekompetanse", "realkompetanse", "Samordna opptak",
        Date(15, 4), Date(1, 3), Worded("gratis", "gratis", "free"), "Lånekassen", "NAV", "19",
    ),
    "ask_folkehogskole": (
        "Samordna opptak",
        Worded("direkte til hver skole", "direkte til kvar skule", "directly to each school"),
        Worded("2 tilleggspoeng", "2 tilleggspoeng", "2 extra points"),
        Worded("10 prosent", "10 prosent", "10 per cent"),
        Worded("generell studiekompetanse", "generell studiekompetanse",
               "Higher Education Entrance Qualification"),
        "2026", "2027",
    ),
    "ask_foreign_education_recognition": (
        "generell godkjenning", "HK-dir", "NOKUT", Worded("frivillig", "frivillig", "voluntary"),
        "studiepoeng",
        Worded("GSU-lista", "GSU-lista", "GSU list"),
        Worded("fagbrev", "fagbrev", "trade certificate"),
    ),
    "ask_higher_education_choices": (
        Worded("inntil ti studieønsker", "inntil ti studieønske", "up to ten study choices"),
        Date(1, 7), Worded("juli", "juli", "July"), Date(15, 4),
        "Samordna opptak",
    ),
    "ask_higher_education_deadline": (
        "Samordna opptak", Date(1, 2), Date(15, 4), Worded("23.59", "23.59", "23:59"),
        Date(1, 3), Worded("Politihøgskolen", "Politihøgskolen", "Police University College"),
        "UiT", "realkompetanse", "25",
    ),
    "ask_job_application": (
        Worded("stillingsannonsen", "stillingsannonsen", "job advertisement"), "CV",
    ),
    "ask_job_interview": (
        Worded("intervjuet", "intervjuet", "interview"),
        Worded("tilbakemelding", "tilbakemelding", "feedback"),
    ),
    "ask_job_search": (
        "karriereveiledning.no", Worded("CV", "CV", "CVs"), "praksiskandidat",
        "realkompetansevurdering",
    ),
    "ask_nav_benefits_studying": (Worded("dagpenger", "dagpengar", "dagpenger"), "25", "NAV"),
    "ask_nav_courses": ("NAV", "AMO", "19"),
    "ask_pabygg": (
        "påbygg", "Vg3", "Vg2", "generell studiekompetanse",
        Worded("fagbrev", "fagbrev", "trade certificate"),
    ),
    "ask_praksiskandidat": (
        "praksiskandidat", Worded("25 prosent", "25 prosent", "25 per cent"),
        Worded("fem år", "fem år", "five years"), "Vg3", "privatist",
    ),
    "ask_prior_learning": (
        "realkompetansevurdering", Worded("gratis", "gratis", "free"),
        Worded("fylkeskommunen", "fylkeskommunen", "county"), "kompetansebevis",
        Worded("statsforvalteren", "statsforvaltaren", "statsforvalteren"),
        Worded("samisk", "samisk", "Sami"),
    ),
    "ask_quotas": (
        Worded("samisk tilknytning", "samisk tilknyting", "samisk tilknytning"),
        Worded("medisin", "medisin", "medicine"), "UiT", "Samordna opptak",
        Worded("førstegangsvitnemål", "førstegongsvitnemål", "first-time diploma"), "21",
        "Nordland", "Troms", "Finnmark", Worded("kjønnskvoter", "kjønnskvotar", "gender quotas"),
        "2027",
    ),
    # Issue 14: the questions that had no answer.
    "ask_admission_changes": (
        "NOU 2022: 17", "Meld. St. 20 (2023–2024)", "Innst. 378 S", "2026", "2027",
        Worded("alderspoengene", "alderspoenga", "age points"),
        Worded("folkehøgskole", "folkehøgskule", "folk high school"),
        Worded("kjønnskvoter", "kjønnskvotar", "gender quotas"),
        Worded("23/5-regelen", "23/5-regelen", "23/5 rule"), Date(1, 2), "Samordna opptak",
    ),
    "ask_competition_points": (
        "10", Worded("skolepoeng", "skulepoeng", "school points"),
        Worded("konkurransepoengene", "konkurransepoenga", "competition points"),
        Worded("alderspoeng", "alderspoeng", "age points"), "2026", "2027",
    ),
    "ask_improve_grades": (
        "privatist", "InSchool Privatist", Worded("ordinær kvote", "ordinær kvote",
                                                 "ordinary quota"), "2026", "2027",
    ),
    "ask_job_prospects": ("utdanning.no", Worded("SSB", "SSB", "Statistics Norway")),
    "ask_study_finance_part_time": (
        "Lånekassen", Worded("deltid", "deltid", "part-time"), Worded("nett", "nett", "online"),
    ),
    "ask_study_finance_abroad": (
        "Lånekassen", Worded("utveksling", "utveksling", "exchange"),
        Worded("fire uker", "fire veker", "four weeks"),
        Worded("skolepenger", "skulepengar", "tuition fees"),
    ),
    "ask_qualifications_without_papers": (
        "HK-dir", Worded("flykte", "flykte", "flee"),
        Worded("kvalifikasjonspass", "kvalifikasjonspass", "qualifications passport"),
    ),
    "ask_regulated_profession": (
        Worded("sykepleier", "sjukepleiar", "nurse"),
        Worded("autorisasjon", "autorisasjon", "authorisation"), "Helsedirektoratet",
        Worded("norsk", "norsk", "Norwegian"),
    ),
    "ask_own_case": (
        Worded("kan ikke se", "kan ikkje sjå", "can't see"), "samordnaopptak.no", "vigo.no",
        "lanekassen.no", Worded("personnummeret", "personnummeret", "national identity number"),
    ),
    "ask_service_free_anonymous": (
        Worded("gratis", "gratis", "free"), Worded("anonym", "anonym", "anonymous"), "HK-dir",
        Worded("fødselsnummer", "fødselsnummer", "national identity number"),
    ),
    "ask_student_finance_deadline": (
        "Lånekassen", Worded("studieplass", "studieplass", "study place"), Date(15, 11),
        Date(15, 3), "BankID", "lanekassen.no",
    ),
    "ask_student_finance_extra": (
        "Lånekassen", Worded("barn", "barn", "children"), "over 30",
        Worded("skolepenger", "skulepengar", "tuition fees"),
        Worded("tilleggslån", "tilleggslån", "extra loan"),
        Worded("ikke et stipend", "ikkje eit stipend", "not a grant"),
    ),
    "ask_student_grant": (
        "Lånekassen", Worded("40 prosent", "40 prosent", "40 per cent"),
        Worded("stipend", "stipend", "grant"),
    ),
    "ask_trade_certificate_adult": (
        Worded("tre hovedveier", "tre hovudvegar", "three main routes"), "fagbrev på jobb",
        "praksiskandidat", Worded("opplæringsloven", "opplæringslova", "Education Act"),
    ),
    "ask_upper_secondary_application": ("vigo.no", "ID-porten", "MinID"),
    "ask_upper_secondary_choices": (
        "Vg1", Worded("tre ulike utdanningsprogram", "tre ulike utdanningsprogram",
                      "three different education programmes"),
    ),
    "ask_upper_secondary_deadline": (
        Date(1, 3), Date(1, 2), "fortrinnsrett", "lærekandidat",
        Worded("mandagen", "måndagen", "Monday"),
    ),
    "ask_upper_secondary_rights": (
        Worded("opplæringsloven", "opplæringslova", "Education Act"), "19", "vigo.no", "OT", "24",
    ),
}

# The 15 counties since 1 January 2024 (KNOWLEDGE.md), each with a career centre.
COUNTIES = (
    "Akershus", "Oslo", "Vestland", "Rogaland", "Trøndelag", "Innlandet", "Agder", "Østfold",
    "Møre og Romsdal", "Buskerud", "Vestfold", "Nordland", "Telemark", "Troms", "Finnmark",
)
# What every county's career centre answer tells (KNOWLEDGE.md, "County career centres").
CENTRE_FACTS: tuple[Fact, ...] = (
    Worded("gratis", "gratis", "free"), "19", "NAV",
    Worded("taushetsplikt", "teieplikt", "confidentiality"),
)
# The centres KNOWLEDGE.md names, and where their offices are.
CENTRE_NAMES: dict[str, tuple[Fact, ...]] = {
    "Finnmark": ("Karriere Finnmark", "Alta", "Vadsø", "Hammerfest", "Kirkenes"),
    "Troms": ("Karriere Troms", "Tromsø", "Bardufoss"),
    "Vestland": ("Bergen", "Stord", "Nordhordland", "Førde"),
    "Innlandet": ("Hamar", "Elverum", "Kongsvinger", "Gjøvik"),
    "Østfold": ("Karrieresenter Østfold",),
    "Telemark": ("Karrieresenter Telemark",),
    "Buskerud": ("Karriere Buskerud",),
    "Agder": ("Karriere Agder",),
    "Møre og Romsdal": ("Karriere Møre og Romsdal",),
    "Oslo": ("Karriere Oslo",),
}


# Written for the tests, not taken from any set the thresholds were chosen on: the learned
# half is fairly, not fully, sure of it (0.87 with 2026-12-06's data, in the middle of the
# band from 0.80 to 0.97 where the bot asks how the person is). "Jeg vil bare forsvinne
# fra alt og alle" served until the data moved it to a crisis (0.95 → 0.97 or more).
PERHAPS_CRISIS = "alt er så tungt, vil bare bort fra alt"
