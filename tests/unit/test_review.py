"""The review queue: unanswered messages grouped by similarity, labelled, exported."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from bot.server.database import make_engine
from bot.server.handoff.cases import CaseBook
from bot.server.handoff.models import UnansweredMessage
from bot.server.insights.review import (
    LabelError,
    check_label,
    export_yaml,
    group,
    label_messages,
    review_queue,
)

INTENTS = ["ask_student_finance_deadline", "out_of_scope", "greet"]
PILOT = ["hvordan blir jeg pilot", "Hvordan blir jeg pilot?", "hvordan blir man pilot",
         "hvordan kan jeg bli pilot"]
SKI = ["hvor er det best å gå på ski", "hvor går det an å gå på ski i påsken"]
OTHER = ["kan dere bestille pizza"]


def test_similar_questions_are_grouped_and_others_are_not() -> None:
    texts = [*PILOT, *SKI, *OTHER]
    groups = [{texts[i] for i in members} for members in group(texts)]
    assert groups[0] == set(PILOT)  # the largest first
    assert set(OTHER) in groups
    assert not any(g & set(PILOT) and g & set(SKI) for g in groups)
    assert sorted(i for members in group(texts) for i in members) == list(range(len(texts)))
    assert group([]) == []


@pytest.fixture
def engine(tmp_path: Path) -> sa.engine.Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    CaseBook(engine)  # makes the tables
    now = time.time()
    with engine.begin() as connection:
        connection.execute(sa.insert(UnansweredMessage.__table__), [
            {"sender_id": f"web:{n}", "text": text, "why": "nlu_fallback",
             "guess": "ask_student_finance_deadline", "language": "nb", "created_at": now}
            for n, text in enumerate([*PILOT, *OTHER])])
    return engine


def test_the_queue_shows_texts_and_never_who_wrote_them(engine: sa.engine.Engine) -> None:
    queue = review_queue(engine, days=7, intents=INTENTS)
    assert queue["messages"] == 5 and queue["intents"] == sorted(INTENTS)
    first = queue["groups"][0]
    assert first["size"] == 4 and set(first["texts"]) == set(PILOT)
    assert first["guess"] == "ask_student_finance_deadline" and first["label"] is None
    assert "web:" not in str(queue)
    assert review_queue(engine, days=1, intents=INTENTS, now=time.time() + 3 * 86_400)[
        "messages"] == 0


def test_labelled_groups_export_as_rasa_training_data(engine: sa.engine.Engine) -> None:
    queue = review_queue(engine, days=7, intents=INTENTS)
    pilot, pizza = queue["groups"][0], queue["groups"][1]
    assert label_messages(engine, pilot["ids"], "new_intent", "ask_become_pilot") == 4
    assert label_messages(engine, pizza["ids"], "out_of_scope", None) == 1
    relabelled = review_queue(engine, days=7, intents=INTENTS)["groups"][0]
    assert relabelled["label"] == {"label": "new_intent", "intent": "ask_become_pilot"}

    exported = yaml.safe_load(export_yaml(engine))
    assert exported["version"] == "3.1"
    examples = {item["intent"]: item["examples"].splitlines() for item in exported["nlu"]}
    assert examples["ask_become_pilot"] == [f"- {text}" for text in PILOT]
    assert examples["out_of_scope"] == ["- kan dere bestille pizza"]


@pytest.mark.parametrize(("label", "intent", "problem"), [
    ("maybe", None, "label"),
    ("intent", "ask_unknown", "not an intent"),
    ("new_intent", "greet", "exists"),
    ("new_intent", "Ask Pilot!", "lower-case"),
    ("intent", None, "lower-case"),
])
def test_a_wrong_label_is_refused_with_the_reason(label: str, intent: str | None,
                                                  problem: str) -> None:
    with pytest.raises(LabelError, match=problem):
        check_label(label, intent, INTENTS)


@pytest.mark.parametrize("ids", [[], "1", [True], [0], [2**63], [1.5], None])
def test_wrong_message_ids_are_refused(engine: sa.engine.Engine, ids: object) -> None:
    with pytest.raises(LabelError, match="ids"):
        label_messages(engine, ids, "out_of_scope", None)


def test_a_group_grows_across_batches_and_a_repeated_text_counts_once() -> None:
    from bot.server.insights.review import BATCH

    marks = [("!" * n) + ("?" * (n % 3)) for n in range(1, BATCH + 1)]  # distinct texts
    texts = [text for mark in marks
             for text in (f"hvordan blir jeg pilot{mark}", f"kan dere bestille pizza{mark}")]
    texts += ["Hvordan blir jeg  pilot!"] * 5  # asked again, spelled alike
    groups = group(texts)
    assert sorted(len(members) for members in groups) == [BATCH, BATCH + 5]
    assert all(len({"pilot" in texts[i] for i in members}) == 1 for members in groups)
