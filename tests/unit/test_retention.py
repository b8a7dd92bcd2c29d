"""Retention and erasure (#12) on a real SQLite store: what has outlived its retention goes,
what is going on stays, one conversation can be erased from every table, counts survive."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server import retention
from bot.server.database import make_engine
from bot.server.delivery import LocalDelivery
from bot.server.handoff.cases import CaseBook, NewCase
from bot.server.handoff.models import Counsellor
from bot.server.retention import DAY, Retention, command, erase_conversation, erase_now, purge
from bot.server.storage import ConversationStore
from bot.shared.settings import PROJECT_DIR, Settings

DOMAIN = Domain.load(PROJECT_DIR / "domain.yml")
NOW = time.time()
RULES = Retention(days=30, crisis_days=90, callback_days=14)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture
def store(url: str) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, url=url)


@pytest.fixture
def engine(store: ConversationStore) -> sa.engine.Engine:
    return store.engine


@pytest.fixture
def cases(url: str) -> CaseBook:
    return CaseBook(make_engine(url))


def turns(start: float, end: float, count: int, channel: str) -> list[Event]:
    events: list[Event] = []
    for n in range(count):
        at = start + (end - start) * n / max(1, count - 1)
        events += [
            UserUttered(f"melding {n}", {"name": "greet", "confidence": 1.0}, timestamp=at,
                        input_channel=channel),
            ActionExecuted("utter_greet", timestamp=at),
            BotUttered(f"svar {n}", timestamp=at),
            ActionExecuted("action_listen", timestamp=at),
        ]
    return events


async def conversation(store: ConversationStore, sender: str, days_ago: float,
                       last_days_ago: float | None = None, count: int = 4,
                       channel: str = "rest", language: str = "nn") -> None:
    """A stored conversation that began `days_ago` and was last active `last_days_ago`."""
    start = NOW - days_ago * DAY
    end = NOW - (days_ago if last_days_ago is None else last_days_ago) * DAY
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
        SlotSet("language", language, timestamp=start),
        *turns(start, end, count, channel),
    ]
    await store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots))


def rows_of(engine: sa.engine.Engine, table: str, sender: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE sender_id = :s"),
                            {"s": sender}).scalar()


def counts_table(engine: sa.engine.Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(
            sa.select(retention.counts).order_by(retention.counts.c.id)).mappings()]


def age_case(engine: sa.engine.Engine, case_id: int, days_ago: float) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE desk_cases SET created_at = :t, waiting_since = :t "
                             "WHERE id = :id"), {"t": NOW - days_ago * DAY, "id": case_id})


def new_case(sender: str, **fields: Any) -> NewCase:
    return NewCase(sender_id=sender, channel="webchat", language="nb", topic="higher_education",
                   county=None, summary="Vil søke høyere utdanning", **fields)


def counsellor(engine: sa.engine.Engine) -> int:
    with engine.begin() as conn:
        return conn.execute(sa.insert(Counsellor.__table__).values(
            login="kari", display_name="Kari", password_hash="x", created_at=NOW)
        ).inserted_primary_key[0]


async def test_an_old_conversation_goes_and_a_recent_one_stays(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    await conversation(store, "gammel", days_ago=40, channel="webchat", language="nn")
    await conversation(store, "ny", days_ago=2)

    report = purge(engine, RULES, now=NOW)

    assert report.conversations == 1 and report.senders == ["gammel"]
    assert rows_of(engine, "events", "gammel") == 0
    assert rows_of(engine, "events", "ny") > 0
    assert await store.retrieve_full_tracker("ny") is not None
    # What survives is a count: no sender id, no text.
    [row] = counts_table(engine)
    assert row["kind"] == "conversation" and row["count"] == 1 and row["messages"] == 4
    assert (row["channel"], row["language"], row["outcome"]) == ("webchat", "nn", "bot")
    assert "gammel" not in json.dumps(counts_table(engine))


async def test_a_conversation_that_is_going_on_is_not_cut(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    # Began 45 days ago, last message yesterday: its last activity is what counts.
    await conversation(store, "lang", days_ago=45, last_days_ago=1)
    report = purge(engine, RULES, now=NOW)
    assert report.conversations == 0
    assert rows_of(engine, "events", "lang") == 4 * 4 + 4


async def test_desk_activity_keeps_a_conversation(
    store: ConversationStore, engine: sa.engine.Engine, cases: CaseBook
) -> None:
    await conversation(store, "notert", days_ago=40)
    case, _ = cases.open(new_case("notert"))
    age_case(engine, case.id, 40)
    cases.add_note(case.id, counsellor(engine), "ringte i går")  # a note today
    assert purge(engine, RULES, now=NOW).conversations == 0
    assert rows_of(engine, "desk_cases", "notert") == 1


async def test_crisis_cases_keep_their_conversation_for_their_own_period(
    store: ConversationStore, engine: sa.engine.Engine, cases: CaseBook
) -> None:
    await conversation(store, "krise", days_ago=40)
    await conversation(store, "krise-gammel", days_ago=100)
    for sender, days in (("krise", 40), ("krise-gammel", 100)):
        case, _ = cases.open(new_case(sender, priority="urgent", tags=("crisis",)))
        age_case(engine, case.id, days)

    report = purge(engine, RULES, now=NOW)

    assert report.senders == ["krise-gammel"] and report.kept == 1
    assert rows_of(engine, "events", "krise") > 0 and rows_of(engine, "desk_cases", "krise") == 1
    assert rows_of(engine, "desk_cases", "krise-gammel") == 0
    kinds = {(row["kind"], row["outcome"]) for row in counts_table(engine)}
    assert kinds == {("conversation", "crisis"), ("crisis_case", "pending")}


async def test_a_callback_case_loses_question_contact_and_notes_after_its_period(
    store: ConversationStore, engine: sa.engine.Engine, cases: CaseBook
) -> None:
    await conversation(store, "ring-meg", days_ago=20)
    case, _ = cases.open(new_case("ring-meg", kind="callback", question="Hva med fagbrev?",
                                  contact="ola.testperson@eksempel.no"))
    age_case(engine, case.id, 20)
    cases.add_note(case.id, counsellor(engine), "ringte, ikke svar")
    with engine.begin() as conn:  # the note too is older than 14 days
        conn.execute(sa.text("UPDATE desk_notes SET created_at = :t"), {"t": NOW - 20 * DAY})

    report = purge(engine, RULES, now=NOW)

    assert report.callback_cases == 1 and report.conversations == 0
    emptied = cases.get(case.id)
    assert (emptied.contact, emptied.question, emptied.summary) == (None, None, "")
    assert emptied.status == "resolved" and cases.notes(case.id) == []
    assert rows_of(engine, "events", "ring-meg") > 0  # the transcript keeps its 30 days


async def test_a_dry_run_deletes_nothing(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    await conversation(store, "gammel", days_ago=40)
    report = purge(engine, RULES, now=NOW, dry_run=True)
    assert report.conversations == 1 and report.rows["events"] == 4 + 16
    assert rows_of(engine, "events", "gammel") == 20
    assert counts_table(engine) == []


async def test_the_purge_indexes_what_it_filters_by(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    await conversation(store, "ny", days_ago=1)
    purge(engine, RULES, now=NOW)
    indexes = {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes("events")}
    assert indexes["ix_events_sender_id_timestamp"] == ["sender_id", "timestamp"]
    assert indexes["ix_events_timestamp"] == ["timestamp"]


async def test_erasure_reaches_every_table_including_ones_added_later(
    store: ConversationStore, engine: sa.engine.Engine, cases: CaseBook
) -> None:
    await conversation(store, "slett-meg", days_ago=1)
    await conversation(store, "annen", days_ago=1)
    case, _ = cases.open(new_case("slett-meg"))
    cases.add_note(case.id, counsellor(engine), "et notat")
    # Tables written after bot/server/retention/ was: one keyed by sender_id (like the web chat's
    # resume-secret hashes), one pointing at a case by a foreign key.
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE later_secrets (sender_id VARCHAR(255), hash TEXT)"))
        conn.execute(sa.text("CREATE TABLE later_case_log (id INTEGER PRIMARY KEY, "
                             "case_id INTEGER REFERENCES desk_cases(id), what TEXT)"))
        for sender in ("slett-meg", "annen"):
            conn.execute(sa.text("INSERT INTO later_secrets VALUES (:s, 'h')"), {"s": sender})
        conn.execute(sa.text("INSERT INTO later_case_log (case_id, what) VALUES (:c, 'åpnet')"),
                     {"c": case.id})
    await store.retrieve("slett-meg")  # cached in this process

    deleted = await erase_conversation(store, "slett-meg")

    assert deleted == {"events": 20, "desk_cases": 1, "desk_notes": 1, "later_secrets": 1,
                       "later_case_log": 1, "conversation_summaries": 1}
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            columns = {c["name"] for c in sa.inspect(engine).get_columns(table)}
            if "sender_id" in columns:
                assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE sender_id = "
                                            "'slett-meg'")).scalar() == 0, table
        assert conn.execute(sa.text("SELECT count(*) FROM later_case_log")).scalar() == 0
    assert "slett-meg" not in store._windows
    assert await store.retrieve("slett-meg") is None
    assert rows_of(engine, "events", "annen") == 20
    assert rows_of(engine, "later_secrets", "annen") == 1
    kinds = {(row["kind"], row["outcome"], row["count"]) for row in counts_table(engine)}
    assert kinds == {("conversation", "handoff", 1), ("live_case", "pending", 1)}


async def test_the_audit_log_keeps_who_opened_a_case_but_not_whose_it_was(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    await conversation(store, "lest", days_ago=1)
    with engine.begin() as conn:  # the desk's audit log (desk hardening, #12)
        conn.execute(sa.text("INSERT INTO desk_audit (counsellor_id, case_id, sender_id, "
                             "action, at) VALUES (3, 17, 'lest', 'view', :t)"), {"t": NOW})

    deleted = erase_now(engine, "lest")

    assert deleted == {"events": 20, "desk_audit (sender id blanked)": 1,
                       "conversation_summaries": 1}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT counsellor_id, case_id, sender_id, action "
                                    "FROM desk_audit")).all() == [(3, 17, "[slettet]", "view")]

async def test_another_process_does_not_serve_an_erased_conversation_from_its_cache(
    url: str, store: ConversationStore
) -> None:
    await conversation(store, "bufret", days_ago=1)
    other_process = ConversationStore(domain=DOMAIN, url=url)
    tracker = await other_process.retrieve("bufret")
    assert tracker.get_slot("language") == "nn"

    erase_now(store.engine, "bufret")
    assert await other_process.retrieve("bufret") is None

    # The same id writes again: a new conversation, nothing of the erased one in it.
    await store.save(DialogueStateTracker.from_events("bufret", turns(NOW, NOW, 1, "rest"),
                                                      DOMAIN.slots))
    again = await other_process.retrieve("bufret")
    assert again.get_slot("language") == "nb"  # the domain's initial value, not "nn"
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["melding 0"]


async def test_erasure_drops_frames_kept_for_the_person(store: ConversationStore) -> None:
    await conversation(store, "borte", days_ago=1)
    delivery = LocalDelivery()
    await delivery.push("borte", {"type": "message", "text": "svar fra rådgiveren"})
    assert delivery.pending("borte")
    await erase_conversation(store, "borte", delivery=delivery)
    assert delivery.pending("borte") == []


async def test_the_schedule_purges_inside_the_server_and_tells_the_desks(
    store: ConversationStore, engine: sa.engine.Engine, cases: CaseBook,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    await conversation(store, "gammel", days_ago=40)
    case, _ = cases.open(new_case("gammel"))
    age_case(engine, case.id, 40)
    await store.retrieve("gammel")
    told: list[dict[str, Any]] = []

    async def broadcast(event: dict[str, Any]) -> None:
        told.append(event)

    app = SimpleNamespace(ctx=SimpleNamespace(
        agent=SimpleNamespace(tracker_store=store),
        desk=SimpleNamespace(hub=SimpleNamespace(broadcast=broadcast))))
    monkeypatch.setenv("VEIVALG_DATABASE_URL", str(engine.url))
    report = await retention.RetentionSchedule().purge_here(app)

    assert report is not None and report.conversations == 1
    assert rows_of(engine, "events", "gammel") == 0
    assert "gammel" not in store._windows
    assert told == [{"type": "conversation.erased", "case_id": case.id}]


async def test_the_command_purges_and_prints_counts(
    store: ConversationStore, engine: sa.engine.Engine, url: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await conversation(store, "gammel", days_ago=40)
    await conversation(store, "ny", days_ago=1)
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)
    monkeypatch.delenv("VEIVALG_REDIS_URL", raising=False)

    assert command.main(["purge", "--dry-run"]) == 0
    assert "Would purge 1 conversations" in capsys.readouterr().out
    assert rows_of(engine, "events", "gammel") == 20

    assert command.main(["purge"]) == 0
    printed = capsys.readouterr().out
    assert "Purged 1 conversations" in printed and "events 20" in printed
    assert rows_of(engine, "events", "gammel") == 0 and rows_of(engine, "events", "ny") == 20


def test_a_retention_of_zero_days_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIVALG_RETENTION_DAYS", "0")
    with pytest.raises(ValueError, match="VEIVALG_RETENTION_DAYS"):
        Settings.from_env()


async def test_the_web_chat_erases_under_the_conversations_lock(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    """What the widget's delete button calls: it waits for a reply being written, so that
    no part of the conversation is saved after the erasure."""
    from rasa.core.lock_store import InMemoryLockStore

    await conversation(store, "web:slett", days_ago=1)
    delivery = LocalDelivery()
    await delivery.push("web:slett", {"type": "message", "text": "et svar"})
    locks = InMemoryLockStore()
    app = SimpleNamespace(ctx=SimpleNamespace(
        agent=SimpleNamespace(tracker_store=store, lock_store=locks),
        input_channels=[SimpleNamespace(delivery=delivery)]))

    async with locks.lock("web:slett"):  # a reply is being written
        erasing = asyncio.ensure_future(retention.erase_everywhere(app, "web:slett"))
        await asyncio.sleep(0.3)
        assert not erasing.done()
        assert rows_of(engine, "events", "web:slett") == 20
    erased = await asyncio.wait_for(erasing, 10)

    assert erased == {"erased": True, "case_ids": [],
                      "rows": {"events": 20, "conversation_summaries": 1}}
    assert rows_of(engine, "events", "web:slett") == 0
    assert delivery.pending("web:slett") == []


def test_every_table_is_in_the_privacy_record(store: ConversationStore, url: str) -> None:
    """docs/privacy.md names every table the service keeps: a new one is added there, with
    what it holds, why and for how long, or this fails."""
    from bot.server.handoff.models import Base

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    retention.counts.metadata.create_all(engine)
    record = (PROJECT_DIR / "docs" / "privacy.md").read_text(encoding="utf-8")
    tables = set(sa.inspect(engine).get_table_names())
    assert {"events", "desk_cases", "conversation_counts"} <= tables
    assert {table for table in tables if f"`{table}`" not in record} == set()


async def test_insights_rows_go_with_their_conversation(
    store: ConversationStore, engine: sa.engine.Engine
) -> None:
    """The summary and the unanswered messages carry the sender id: the purge and an
    erasure take them with the conversation; a satisfaction comment goes after the period."""
    from bot.server.handoff.models import Satisfaction

    for sender in ("gammel", "ny", "slett"):
        tracker = DialogueStateTracker.from_events(sender, [
            UserUttered("hvordan blir jeg pilot", {"name": "nlu_fallback", "confidence": 0.2},
                        timestamp=NOW - (40 if sender == "gammel" else 1) * DAY,
                        input_channel="webchat")], DOMAIN.slots)
        await store.save(tracker)
    with engine.begin() as conn:
        conn.execute(sa.insert(Satisfaction.__table__), [
            {"kind": "counsellor", "score": 5, "comment": "Takk!", "created_at": at}
            for at in (NOW - 40 * DAY, NOW - DAY)])
    for table in ("conversation_summaries", "unanswered_messages"):
        assert rows_of(engine, table, "gammel") == 1

    report = purge(engine, RULES, now=NOW)
    await erase_conversation(store, "slett")

    assert report.comments == 1
    for table in ("conversation_summaries", "unanswered_messages"):
        assert (rows_of(engine, table, "gammel"), rows_of(engine, table, "ny"),
                rows_of(engine, table, "slett")) == (0, 1, 0), table
    with engine.connect() as conn:
        comments = conn.execute(sa.select(Satisfaction.comment).order_by(Satisfaction.id))
        assert [row[0] for row in comments] == [None, "Takk!"]  # the score stays
