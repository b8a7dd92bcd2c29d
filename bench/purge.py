"""The purge's time for 100,000 stored conversations, on SQLite and on PostgreSQL.

Each conversation is stored as Rasa stores a real one: 20 events (session start, the
written-language slot, four turns with the full NLU result of each message), serialised
from Rasa's own event classes. One in ten has a live case (half of those with a note), one
in fifty a callback case with contact details, one in a hundred a crisis case. The
conversations to purge ended 100 days ago (past every retention, the crisis one too);
besides them the store holds recent conversations (with cases in the same shares) that
must stay. Figures:

- building the indexes the purge needs on a store that has only Rasa's (once per store),
- the purge itself, and conversations purged per second,
- the next purge, with nothing left to do: what every hourly purge costs a store this size.

SQLite: a temporary file with the server's settings (WAL). PostgreSQL: a scratch database
`veivalg_bench_purge_<random>` on 127.0.0.1:5432 as the `postgres` user (or the server in
``VEIVALG_BENCH_POSTGRES_URL``), created for the run and dropped after it; no other
database is touched.

    python -m bench.purge [--conversations 100000] [--recent 20000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from sqlalchemy.engine import make_url

from bench.common import heading, machine_summary, progress, table
from bench.load import bounded
from bot.server.database import make_engine
from bot.server.handoff.cases import CaseBook
from bot.server.retention import DAY, Retention, ensure_indexes, purge
from bot.server.storage import ConversationStore

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
MAX_CONVERSATIONS = 1_000_000
SENTINEL = 1234567890.125  # stands for each row's timestamp in the serialised templates
ROWS_PER_INSERT = 50_000
INTENTS = [
    "ask_higher_education_deadline", "ask_student_loan", "ask_upper_secondary_application",
    "greet", "thank", "human_handoff", "ask_apprenticeship", "ask_career_centre",
    "ask_occupation", "out_of_scope",
]
QUESTIONS = [
    "Når er fristen for å søke på Samordna opptak?",
    "kor mykje kan eg låne frå Lånekassen når eg bur heime",
    "Hvordan søker jeg læreplass som elektriker i Trøndelag?",
    "takk for hjelpa!",
]
ANSWER = ("Søknadsfristen til Samordna opptak er 15. april. Har du rett til å søke med "
          "førstegangsvitnemål, gjelder egne regler. Les mer på samordnaopptak.no.")


def _parse_data(text: str, intent: str) -> dict:
    ranking = [{"name": name, "confidence": round(0.9 / (rank + 1), 6)}
               for rank, name in enumerate([intent, *[i for i in INTENTS if i != intent]])]
    return {"intent": ranking[0], "entities": [], "text": text,
            "message_id": uuid.uuid4().hex, "metadata": {}, "intent_ranking": ranking}


def template_events() -> list[tuple[str, str | None, str | None, str]]:
    """One conversation's rows as SQLTrackerStore.save writes them, the timestamp left as
    SENTINEL: (type_name, intent_name, action_name, data)."""
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=SENTINEL),
        SessionStarted(timestamp=SENTINEL),
        ActionExecuted("action_listen", timestamp=SENTINEL),
        SlotSet("language", "nb", timestamp=SENTINEL),
    ]
    for n, text in enumerate(QUESTIONS):
        intent = INTENTS[n]
        events += [
            UserUttered(text, _parse_data(text, intent)["intent"], [],
                        _parse_data(text, intent), SENTINEL, "webchat", uuid.uuid4().hex),
            ActionExecuted("action_answer", policy="RulePolicy", confidence=1.0,
                           timestamp=SENTINEL),
            BotUttered(ANSWER, {"buttons": None, "quick_replies": None, "elements": None},
                       {"utter_action": "utter_answer"}, timestamp=SENTINEL),
            ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0,
                           timestamp=SENTINEL),
        ]
    rows = []
    for event in events:
        data = event.as_dict()
        intent = data.get("parse_data", {}).get("intent", {}).get("name")
        rows.append((event.type_name, intent, data.get("name"), json.dumps(data)))
    return rows


@dataclass(frozen=True)
class Store:
    conversations: int  # to purge
    recent: int  # to keep
    events: int
    cases: int
    megabytes: float


def _case(case_id: int, sender: str, kind: str, priority: str, tags: str, at: float,
          contact: str | None) -> tuple:
    return (case_id, sender, "webchat", kind, "resolved" if kind == "live" else "snoozed",
            priority, "nb", "higher_education", "Trøndelag", tags,
            "Tema: higher_education. Siste meldinger: «Når er fristen for å søke på "
            "Samordna opptak?» «jeg vil snakke med en rådgiver»",
            "Hvordan får jeg godkjent fagbrev fra utlandet?" if kind == "callback" else None,
            contact, None, at, at + 60 if kind == "live" else None, at,
            at + 600 if kind == "live" else None)


def rows(conversations: int, recent: int, now: float) -> Iterator[tuple[str, list, list, list]]:
    """Per conversation: its sender id, event rows, case rows and note rows."""
    template = template_events()
    case_id = note_id = 0
    for n in range(conversations + recent):
        old = n < conversations
        sender = f"web:{uuid.uuid4().hex}"
        start = now - (100 * DAY if old else 2 * DAY) + (n % 86_400)
        events = []
        for step, (type_name, intent, action, data) in enumerate(template):
            at = start + step * 3.0
            events.append((sender, type_name, at, intent, action,
                           data.replace(repr(SENTINEL), repr(at))))
        cases, notes = [], []
        at = start + 60
        if n % 10 == 0:
            case_id += 1
            cases.append(_case(case_id, sender, "live", "medium", "[]", at, None))
            if n % 20 == 0:
                note_id += 1
                notes.append((note_id, case_id, 1, "Ringte tilbake, avtalte ny samtale.", at))
        if n % 50 == 1:
            case_id += 1
            cases.append(_case(case_id, sender, "callback", "medium", "[]", at,
                               "ola.testperson@eksempel.no"))
        if n % 100 == 3:
            case_id += 1
            cases.append(_case(case_id, sender, "live", "urgent", '["crisis"]', at, None))
        yield sender, events, cases, notes


EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
CASE_COLUMNS = ("id", "sender_id", "channel", "kind", "status", "priority", "language", "topic",
                "county", "tags", "summary", "question", "contact", "assignee_id",
                "waiting_since", "first_reply_at", "created_at", "resolved_at")
NOTE_COLUMNS = ("id", "case_id", "counsellor_id", "text", "created_at")


def _copy(cursor: object, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
    """PostgreSQL's COPY, the fastest way in."""
    buffer = io.StringIO()
    for row in values:
        buffer.write("\t".join(
            "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n") for v in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def build(url: str, conversations: int, recent: int, now: float) -> Store:
    """The store as the servers make it (Rasa's events table, the desk's tables), filled."""
    ConversationStore(url=url).engine.dispose()  # Rasa's events table and its index
    engine = make_engine(url)
    CaseBook(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO desk_counsellors (id, login, display_name, "
                             "password_hash, created_at) VALUES (1, 'kari', 'Kari', 'x', 0)"))
    raw = engine.raw_connection()
    postgres = engine.dialect.name == "postgresql"
    events: list = []
    cases: list = []
    notes: list = []
    counted = [0, 0]

    def flush() -> None:
        cursor = raw.cursor()
        for table_name, columns, values in (("events", EVENT_COLUMNS, events),
                                            ("desk_cases", CASE_COLUMNS, cases),
                                            ("desk_notes", NOTE_COLUMNS, notes)):
            if not values:
                continue
            if postgres:
                _copy(cursor, table_name, columns, values)
            else:
                cursor.executemany(
                    f"INSERT INTO {table_name} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})", values)
        raw.commit()
        counted[0] += len(events)
        counted[1] += len(cases)
        events.clear()
        cases.clear()
        notes.clear()

    for n, (_, more_events, more_cases, more_notes) in enumerate(rows(conversations, recent, now)):
        events += more_events
        cases += more_cases
        notes += more_notes
        if len(events) >= ROWS_PER_INSERT:
            flush()
        if n and n % 20_000 == 0:
            progress(f"{n} conversations stored")
    flush()
    if postgres:
        raw.cursor().execute(f"SELECT setval('desk_cases_id_seq', {counted[1] + 1})")
        raw.commit()
    raw.close()
    if postgres:
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text("ANALYZE"))  # as autovacuum would have by now
    megabytes = size_mb(engine, url)
    engine.dispose()
    return Store(conversations, recent, counted[0], counted[1], megabytes)


def size_mb(engine: sa.engine.Engine, url: str) -> float:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT pg_database_size(current_database())")
                                ).scalar() / 2**20
    path = Path(make_url(url).database or "")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


@dataclass(frozen=True)
class Figures:
    database: str
    store: Store
    index_seconds: float
    purge_seconds: float
    purged: int
    kept_events: int
    idle_seconds: float
    counted: int


def measure(database: str, url: str, conversations: int, recent: int) -> Figures:
    now = time.time()
    progress(f"{database}: storing {conversations} + {recent} conversations")
    started = time.perf_counter()
    store = build(url, conversations, recent, now)
    progress(f"{database}: stored in {time.perf_counter() - started:.0f} s "
             f"({store.megabytes:.0f} MB)")
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        ensure_indexes(engine)
        index_seconds = time.perf_counter() - started
        progress(f"{database}: purging")
        report = purge(engine, Retention(), now=now)
        progress(f"{database}: the next purge")
        idle = purge(engine, Retention(), now=now)
        with engine.connect() as conn:
            kept_events = conn.execute(sa.text("SELECT count(*) FROM events")).scalar()
            counted = conn.execute(sa.text(
                "SELECT coalesce(sum(count), 0) FROM conversation_counts "
                "WHERE kind = 'conversation'")).scalar()
    finally:
        engine.dispose()
    return Figures(database, store, index_seconds, report.seconds, report.conversations,
                   kept_events, idle.seconds, counted)


@contextlib.contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A database of our own on the server, dropped afterwards whatever happens."""
    import psycopg2

    server = make_url(server_url)
    name = f"veivalg_bench_purge_{uuid.uuid4().hex[:8]}"

    def admin(statement: str) -> None:
        connection = psycopg2.connect(host=server.host, port=server.port or 5432,
                                      user=server.username, password=server.password,
                                      dbname=server.database or "postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    admin(f'CREATE DATABASE "{name}"')
    try:
        yield str(server.set(database=name))
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(figures: list[Figures]) -> None:
    heading("Purge: conversations past their retention, deleted with their cases and notes")
    rows_ = []
    for f in figures:
        rate = f.purged / f.purge_seconds if f.purge_seconds else float("nan")
        rows_.append([
            f.database, f"{f.store.conversations:,} + {f.store.recent:,}",
            f"{f.store.events:,} / {f.store.cases:,}", f"{f.store.megabytes:,.0f}",
            f"{f.index_seconds:.1f}", f"{f.purge_seconds:.1f}", f"{f.purged:,}", f"{rate:,.0f}",
            f"{f.idle_seconds:.2f}",
        ])
    print(table(["database", "old + recent", "events / cases", "MB", "index s", "purge s",
                 "purged", "conv/s", "next purge s"], rows_, left=(0,)))
    for f in figures:
        expected = f.store.recent * len(template_events())
        whole = "as expected" if (f.purged, f.kept_events, f.counted) == (
            f.store.conversations, expected, f.store.conversations) else "NOT as expected"
        print(f"{f.database}: {f.kept_events:,} events of the recent conversations left, "
              f"{f.counted:,} conversations counted in conversation_counts ({whole})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=bounded(1, MAX_CONVERSATIONS), default=100_000,
                        help="conversations past their retention, to purge")
    parser.add_argument("--recent", type=bounded(0, MAX_CONVERSATIONS), default=20_000,
                        help="recent conversations, to keep")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    print(machine_summary())
    figures = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="veivalg-bench-purge-") as workdir:
            figures.append(measure("SQLite", f"sqlite:///{workdir}/conversations.db",
                                   args.conversations, args.recent))
    if args.only in (None, "postgresql"):
        server = os.environ.get("VEIVALG_BENCH_POSTGRES_URL") or DEFAULT_POSTGRES
        with scratch_postgres(server) as url:
            figures.append(measure("PostgreSQL", url, args.conversations, args.recent))
    report(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
