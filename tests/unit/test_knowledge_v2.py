"""Knowledge v2 (issue 14): honest dates, a review cycle, new answers and nearest offices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from actions.career_centres import ActionAnswerCareerCentre
from bot.shared.knowledge import (
    CHECKED_AGAINST,
    KnowledgeError,
    load_file,
    load_knowledge,
    overdue,
)
from bot.shared.places import COUNTIES, county_of
from bot.shared.wording import minutes

KB = load_knowledge()
PROJECT = Path(__file__).resolve().parents[2]
# Questions whose answers follow rules that change: every entry must carry review_by.
RULE_BOUND_INTENTS = {
    "ask_admission_changes", "ask_23_5_rule", "ask_quotas", "ask_competition_points",
    "ask_improve_grades", "ask_folkehogskole", "ask_higher_education_deadline",
    "ask_student_finance_deadline", "ask_study_finance_part_time", "ask_study_finance_abroad",
}
NEW_INTENTS = (
    "ask_job_prospects", "ask_study_finance_part_time", "ask_study_finance_abroad",
    "ask_improve_grades", "ask_competition_points", "ask_admission_changes",
    "ask_qualifications_without_papers",
)


def test_no_entry_is_past_its_review_date() -> None:
    late = overdue(KB.entries.values(), dt.date.today())
    assert not late, "check these against their sources and move review_by: " + ", ".join(
        f"{entry.id} (review by {entry.review_by})" for entry in late)


def test_an_entry_past_its_review_date_is_overdue() -> None:
    entry = KB.entries["admission_changes.overview"]
    assert overdue([entry], entry.review_by + dt.timedelta(days=1)) == [entry]
    assert overdue([entry], entry.review_by) == []


@pytest.mark.parametrize("intent", sorted(RULE_BOUND_INTENTS))
def test_rule_bound_answers_have_a_review_date(intent: str) -> None:
    entries = KB.for_intent(intent)
    assert entries, f"no answer for {intent}"
    assert all(entry.review_by for entry in entries), [e.id for e in entries if not e.review_by]


def test_every_entry_says_what_it_was_checked_against() -> None:
    assert {entry.checked_against for entry in KB.entries.values()} <= set(CHECKED_AGAINST)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"checked_against": "the web"}, "checked_against"),
     ({"review_by": None}, "needs review_by"),
     ({"review_by": dt.date(2020, 1, 1)}, "after checked")],
)
def test_a_bad_review_field_is_refused(tmp_path, change, message) -> None:
    entry = {"id": "x.y", "intent": "ask_quotas", "source": "https://example.org/",
             "checked": dt.date(2026, 12, 3), "checked_against": "stored copy",
             "rule_bound": True, "review_by": dt.date(2027, 1, 15),
             "text": {"nb": "a", "nn": "b", "en": "c"}}
    entry.update(change)
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump({"entries": [entry]}), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message):
        load_file(path)


@pytest.mark.parametrize("intent", NEW_INTENTS)
def test_every_new_question_has_a_sourced_answer_in_three_languages(intent: str) -> None:
    domain = yaml.safe_load((PROJECT / "domain.yml").read_text(encoding="utf-8"))
    assert intent in domain["intents"]
    for entry in KB.for_intent(intent):
        assert entry.source.startswith("https://")
        for language in ("nb", "nn", "en"):
            assert entry.text[language].strip()
            assert "«" not in entry.text["en"]


def test_the_extra_loan_over_30_is_called_a_loan_not_a_grant() -> None:
    text = KB.entries["study_finance.over_30_loan"].text
    assert "ikke et stipend" in text["nb"] and "ikkje eit stipend" in text["nn"]
    assert "not a grant" in text["en"]


def test_admission_answers_say_which_year_they_apply_to() -> None:
    for entry_id in ("higher_education.rule_23_5", "higher_education.rule_23_5_experience",
                     "folk_high_school.extra_points", "admission_changes.overview",
                     "competition_points.how", "quotas.first_time_and_others"):
        for language, text in KB.entries[entry_id].text.items():
            assert "2026" in text or "2027" in text, (entry_id, language)


CENTRES_WITH_OFFICES = [c for c in COUNTIES if (KB.for_county(c) and KB.for_county(c).offices)]


@pytest.mark.parametrize("county", CENTRES_WITH_OFFICES)
def test_each_office_serves_places_in_its_own_county(county: str) -> None:
    for office in KB.for_county(county).offices:
        for place in (office.town, *office.serves):
            assert county_of(place) == county, f"{office.name}: {place} -> {county_of(place)}"
            assert KB.nearest_office(county, [place]) is not None


def test_offices_exist_where_the_issue_asked() -> None:
    assert {"Vestland", "Innlandet", "Møre og Romsdal", "Finnmark", "Troms"} <= set(
        CENTRES_WITH_OFFICES)


@pytest.mark.parametrize(
    ("county", "place", "town"),
    [("Vestland", "Førde", "Førde"), ("Vestland", "Florø", "Førde"),
     ("Vestland", "Stord", "Stord"), ("Innlandet", "Elverum", "Hamar"),
     ("Innlandet", "Kongsvinger", "Hamar"), ("Innlandet", "Gjøvik", "Gjøvik"),
     ("Finnmark", "Kirkenes", "Vadsø"), ("Troms", "Harstad", "Bardufoss")],
)
def test_a_town_gets_its_nearest_office(county: str, place: str, town: str) -> None:
    office = KB.nearest_office(county, [place.lower()])
    assert office is not None and office.town == town


async def test_the_career_centre_answer_leads_with_the_nearest_office(
    make_tracker, dispatcher, domain
) -> None:
    tracker = make_tracker(county="Vestland", language="nn")
    tracker.events.append({"event": "user", "text": "karrieresenter i Førde?",
                           "parse_data": {"intent": {"name": "ask_career_centre"}}})
    await ActionAnswerCareerCentre().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith("Næraste kontor for deg: Karriere Vestland i Førde.")


@pytest.mark.parametrize(
    ("count", "language", "said"),
    [(1, "nb", "1 minutt"), (5, "nb", "5 minutter"), (1, "nn", "1 minutt"),
     (4, "nn", "4 minutt"), (1, "en", "1 minute"), (2, "en", "2 minutes"),
     (1, "se", "1 minutt")],
)
def test_minutes_agree_with_their_number(count: int, language: str, said: str) -> None:
    assert minutes(count, language) == said


def test_default_response_and_county_question_are_correct_norwegian() -> None:
    text = (PROJECT / "domain.yml").read_text(encoding="utf-8")
    assert "ett av disse temaene" in text and "eitt av desse temaa" in text
    assert "nærast deg" in text and "næraste deg" not in text
    assert "{wait_minutes} minutt" not in text


def test_every_case_topic_the_bot_sets_has_a_norwegian_name() -> None:
    from actions.handoff import TOPICS
    from bot.shared.topics import case_topic_name, case_topics

    codes = set(TOPICS.values()) | {entry.id.split(".")[0] for entry in KB.entries.values()}
    assert codes <= set(case_topics()), codes - set(case_topics())
    assert case_topic_name("career_centre") == "Karrieresenter"
    assert case_topic_name("something_new") == "something_new"


@pytest.mark.parametrize("county", COUNTIES)
def test_every_town_we_know_in_a_county_gets_that_countys_centre(county: str) -> None:
    from bot.shared.places import fold, gazetteer

    centre = KB.for_county(county)
    assert centre is not None and centre.county == county
    # The county's own names (Northern Sami "Finnmárku") name no town.
    county_names = {fold(county), fold("Finnmárku")}
    towns = [place for place, of in gazetteer().counties.items()
             if of == county and place not in county_names]
    assert towns or county == "Oslo", f"no towns for {county} in data/places.yml"
    if centre.offices:  # then every town must reach one of them
        lost = [town for town in towns if KB.nearest_office(county, [town]) is None]
        assert not lost, f"{county}: no office serves {lost}"
