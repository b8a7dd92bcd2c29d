"""The knowledge base: every entry complete, and a broken entry refused with a clear error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.shared.knowledge import (
    Entry,
    KnowledgeBase,
    KnowledgeError,
    load_knowledge,
    render_answer,
    render_office,
)
from bot.shared.language import LANGUAGES
from bot.shared.places import COUNTIES
from bot.shared.topics import title, titles

DOMAIN = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


def test_every_entry_has_three_languages_a_source_and_a_date(knowledge: KnowledgeBase) -> None:
    assert knowledge.entries
    for entry in knowledge.entries.values():
        assert set(entry.text) == set(LANGUAGES), entry.id
        assert all(entry.text[lang].strip() for lang in LANGUAGES), entry.id
        assert entry.source.startswith("https://"), entry.id
        assert isinstance(entry.checked, dt.date), entry.id
        assert entry.checked <= dt.date.today(), f"{entry.id} checked in the future"


def test_every_entry_answers_an_intent_of_the_domain(knowledge: KnowledgeBase) -> None:
    assert knowledge.intents <= set(DOMAIN["intents"])


def answered_from_knowledge() -> set[str]:
    """Intents that a rule answers with action_answer_question."""
    intents = set()
    for path in Path("data/rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            steps = rule.get("steps", [])
            for step, following in zip(steps, steps[1:], strict=False):
                if "intent" in step and following.get("action") == "action_answer_question":
                    intents.add(step["intent"])
    return intents


def test_every_question_the_rules_answer_has_an_answer(knowledge: KnowledgeBase) -> None:
    questions = answered_from_knowledge()
    assert questions, "no rule answers from the knowledge base"
    assert questions <= knowledge.intents


def test_every_entry_is_reachable_from_an_intent(knowledge: KnowledgeBase) -> None:
    """Each answer on file is sent by some rule: general ones by action_answer_question,
    county centres through the career-centre form and action_answer_career_centre."""
    answered = answered_from_knowledge()
    centre_rules = yaml.safe_load(Path("data/rules/career_centres.yml").read_text("utf-8"))
    centre_actions = {step.get("action") for rule in centre_rules["rules"]
                      for step in rule["steps"]}
    assert "action_answer_career_centre" in centre_actions
    for entry in knowledge.entries.values():
        if entry.county is None:
            assert entry.intent in answered, f"{entry.id}: no rule answers {entry.intent}"
            assert entry in knowledge.for_intent(entry.intent)
        else:
            assert entry.intent == "ask_career_centre", entry.id
            assert knowledge.for_county(entry.county) == entry


def test_the_knowledge_covers_the_routine_field(knowledge: KnowledgeBase) -> None:
    general = [entry for entry in knowledge.entries.values() if entry.county is None]
    assert len(general) >= 60
    topics = {entry.id.split(".")[0] for entry in general}
    assert {
        "service", "upper_secondary", "apprenticeship", "adult", "trade_certificate",
        "prior_learning", "higher_education", "student_finance", "nav", "foreign_education",
        "fagskole", "folk_high_school", "job_seeking",
    } <= topics


def test_every_county_has_its_career_centre(knowledge: KnowledgeBase) -> None:
    for county in COUNTIES:
        assert knowledge.for_county(county) is not None, county


def test_answers_are_plain_text(knowledge: KnowledgeBase) -> None:
    # The source is linked by the code; the text carries no markup or URLs of its own.
    for entry in knowledge.entries.values():
        for text in entry.text.values():
            assert "<" not in text and "http" not in text, entry.id


def test_render_links_the_source_in_the_persons_language() -> None:
    entry = Entry(
        id="t.x", intent="ask_x", source="https://example.no/a", checked=dt.date(2026, 1, 1),
        text={"nb": "Svar.", "nn": "Svar på nynorsk.", "en": "Answer."},
    )
    assert entry.render("nb") == "Svar.\nKilde: https://example.no/a"
    assert entry.render("nn") == "Svar på nynorsk.\nKjelde: https://example.no/a"
    assert entry.render("en") == "Answer.\nSource: https://example.no/a"
    assert entry.render("se") == entry.render("nb")  # no answer in that language: Bokmål


GOOD = {
    "id": "t.ok",
    "intent": "ask_x",
    "source": "https://example.no/",
    "checked": dt.date(2026, 1, 1),
    "checked_against": "stored copy",
    "text": {"nb": "a", "nn": "b", "en": "c"},
}


def write_entry(tmp_path: Path, **changes: object) -> Path:
    entry = {**GOOD, **changes}
    entry = {key: value for key, value in entry.items() if value is not None}
    (tmp_path / "topic.yml").write_text(
        yaml.safe_dump({"version": 1, "entries": [entry]}, allow_unicode=True),
        encoding="utf-8",
    )
    return tmp_path


def test_a_complete_entry_loads(tmp_path: Path) -> None:
    knowledge = load_knowledge(write_entry(tmp_path))
    assert knowledge.for_intent("ask_x")[0].checked == dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"text": {"nb": "a", "en": "c"}}, "no text in nn"),
        ({"text": {"nb": "a", "nn": "  ", "en": "c"}}, "no text in nn"),
        ({"text": {"nb": "a", "nn": "b"}}, "no text in en"),
        ({"source": None}, "missing source"),
        ({"source": "http://example.no/"}, "https"),
        ({"checked": None}, "missing checked"),
        ({"checked": "last week"}, "checked must be a date"),
        ({"intent": None}, "missing intent"),
    ],
)
def test_an_incomplete_entry_is_refused(tmp_path: Path, changes: dict, complaint: str) -> None:
    with pytest.raises(KnowledgeError, match=complaint):
        load_knowledge(write_entry(tmp_path, **changes))


def test_an_unknown_county_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not one of the 15 counties"):
        load_knowledge(write_entry(tmp_path, county="Viken"))


def test_entries_of_one_intent_are_sent_as_one_answer_with_each_source_once() -> None:
    common = {"intent": "ask_x", "checked": dt.date(2026, 1, 1)}
    first = Entry(id="t.a", source="https://example.no/a", text={"nb": "En.", "nn": "Ein.",
                                                                  "en": "One."}, **common)
    second = Entry(id="t.b", source="https://example.no/a", text={"nb": "To.", "nn": "To.",
                                                                   "en": "Two."}, **common)
    assert render_answer([first, second], "en") == "One.\n\nTwo.\nSource: https://example.no/a"


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(yaml.safe_dump({"entries": [GOOD]}), encoding="utf-8")
    (tmp_path / "b.yml").write_text(yaml.safe_dump({"entries": [GOOD]}), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate"):
        load_knowledge(tmp_path)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no knowledge files"):
        load_knowledge(tmp_path)


def test_every_topic_the_bot_may_suggest_has_a_title(knowledge: KnowledgeBase) -> None:
    titled = set(titles())
    general = {entry.intent for entry in knowledge.entries.values() if entry.county is None}
    assert general | {"ask_career_centre", "ask_occupation_description"} <= titled
    assert titled <= set(DOMAIN["intents"])
    for intent in titled:
        assert all(0 < len(title(intent, lang)) <= 32 for lang in LANGUAGES), intent


def test_a_career_centres_answer_is_known_as_the_career_centre_question(
        knowledge: KnowledgeBase) -> None:
    # "hva med Bergen?" is read as continue_topic and answered with the nearest office;
    # what comes after it ("is it free?") leans on the career centre, not on "continue".
    centre = knowledge.for_county("Vestland")
    assert centre is not None and centre.offices
    for language in LANGUAGES:
        for office in (None, centre.offices[0]):
            text = render_office(centre, office, language)
            assert knowledge.intent_answered(f"{text}\n") == "ask_career_centre"
    assert knowledge.intent_answered("Karriere Vestland") is None
