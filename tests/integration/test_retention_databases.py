"""Retention and erasure (#12) on real PostgreSQL, which checks foreign keys (a table that
points at a case must be emptied first) and runs the counts' upsert and the concurrent
index build its own way; and one purger at a time, through PostgreSQL and through Redis.
The tests' own servers (tests/private_services.py), never the machine's."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from bot.commands.cluster import ensure_database
from bot.server import retention
from bot.server.database import make_engine
from bot.server.handoff.cases import CaseBook
from bot.server.retention import Retention, erase_now, only_one_purger, purge
from bot.server.storage import ConversationStore
from tests.private_services import PrivatePostgres, PrivateRedis
from tests.unit.test_retention import DOMAIN, NOW, age_case, conversation, counsellor, new_case

pytestmark = pytest.mark.integration


@pytest.fixture
def url(private_postgres: PrivatePostgres) -> str:
    url = private_postgres.url(f"veivalg_retention_{uuid.uuid4().hex[:8]}")
    ensure_database(url)
    return url


def rows_of(engine: sa.engine.Engine, table: str, sender: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE sender_id = :s"),
                            {"s": sender}).scalar()


async def test_purge_and_erase_on_postgresql(url: str) -> None:
    store = ConversationStore(domain=DOMAIN, url=url)
    cases = CaseBook(make_engine(url))
    engine = make_engine(url)
    await conversation(store, "gammel", days_ago=40)
    await conversation(store, "gammel-2", days_ago=40)
    await conversation(store, "ny", days_ago=1)
    await conversation(store, "slett-meg", days_ago=1)
    old_case, _ = cases.open(new_case("gammel"))
    age_case(engine, old_case.id, 40)
    cases.add_note(old_case.id, counsellor(engine), "et notat")
    with engine.begin() as conn:  # written when the conversation ended, 40 days ago
        conn.execute(sa.text("UPDATE desk_notes SET created_at = :t"), {"t": NOW - 40 * 86_400})
    other_case, _ = cases.open(new_case("gammel-2"))
    age_case(engine, other_case.id, 40)
    erased_case, _ = cases.open(new_case("slett-meg"))
    with engine.begin() as conn:  # added later, and checked by PostgreSQL
        conn.execute(sa.text("CREATE TABLE later_case_log (id SERIAL PRIMARY KEY, "
                             "case_id INTEGER NOT NULL REFERENCES desk_cases(id), what TEXT)"))
        conn.execute(sa.text("CREATE TABLE later_secrets (sender_id VARCHAR(255) NOT NULL, "
                             "created_at DOUBLE PRECISION NOT NULL)"))
        for case_id in (old_case.id, erased_case.id):
            conn.execute(sa.text("INSERT INTO later_case_log (case_id, what) VALUES (:c, 'x')"),
                         {"c": case_id})
        conn.execute(sa.text("INSERT INTO later_secrets VALUES ('slett-meg', :t), "
                             "('tom-samtale', :old), ('ny', :old)"),
                     {"t": NOW, "old": NOW - 40 * 86_400})

    # One conversation per transaction: the second one's count meets the first one's row.
    report = purge(engine, Retention(), now=NOW, batch=1)

    assert sorted(report.senders) == ["gammel", "gammel-2"]
    assert report.rows["later_case_log"] == 1 and report.rows["desk_notes"] == 1
    # A conversation that never said anything: its row goes after the retention; a
    # conversation with events keeps its row as long as the conversation.
    assert report.orphan_rows == 1
    assert rows_of(engine, "later_secrets", "tom-samtale") == 0
    assert rows_of(engine, "later_secrets", "ny") == 1
    assert rows_of(engine, "events", "ny") == 20

    deleted = erase_now(engine, "slett-meg")
    # The insights' anonymous summary row goes with the conversation too (issue 15).
    assert deleted == {"events": 20, "desk_cases": 1, "later_case_log": 1, "later_secrets": 1,
                       "conversation_summaries": 1}
    with engine.connect() as conn:
        counted = conn.execute(sa.text(
            "SELECT count, messages FROM conversation_counts WHERE kind = 'conversation' "
            "ORDER BY day")).all()
    # The two purged conversations (same day, channel, language, outcome) are one row
    # counting 2, through the upsert; the erased one is its own day's row.
    assert [tuple(row) for row in counted] == [(2, 8), (1, 4)]
    indexes = {ix["name"] for ix in sa.inspect(engine).get_indexes("events")}
    assert {"ix_events_sender_id_timestamp", "ix_events_timestamp"} <= indexes
    engine.dispose()
    store.engine.dispose()


def test_one_purger_at_a_time_through_postgresql(url: str) -> None:
    first, second = make_engine(url), make_engine(url)
    with only_one_purger(first) as held:
        assert held
        with only_one_purger(second) as also:
            assert not also
    with only_one_purger(second) as held_after:
        assert held_after
    first.dispose()
    second.dispose()


def test_one_purger_at_a_time_through_redis(url: str, private_redis: PrivateRedis) -> None:
    engine = make_engine(url)
    with only_one_purger(engine, private_redis.url()) as held:
        assert held
        assert retention.purge_once(engine, Retention(), private_redis.url()) is None
    assert retention.purge_once(engine, Retention(), private_redis.url()) is not None
    engine.dispose()
