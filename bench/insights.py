"""How fast the insights page and the review queue answer on a store of a million events.

Builds a store as the servers make it: 50,000 conversations of 20 events each (Rasa's own
event rows, bench/purge.py's template), spread over the last 30 days, each with its
summary row (bot/server/insights/summary.py writes one as the events are saved); one in ten with
a live case (reasons, first replies), one in fifty a callback, one in five a satisfaction
answer, one in five an unanswered message. Then times, each the median of 5 runs:

- ``insights()`` (what GET /desk/api/insights runs) for 7 and 30 days,
- the alternative: counting conversations by channel straight from the events table,
- grouping 10,000 unanswered messages (bot/server/insights/review.py), and the whole review
  queue read from the database.

PostgreSQL: a scratch database on 127.0.0.1:5432 (or ``VEIVALG_BENCH_POSTGRES_URL``),
created for the run and dropped after it; no other database is touched. SQLite: a
temporary file, as ``make run`` has.

    python -m bench.insights [--conversations 50000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from bench.common import heading, machine_summary, progress, table
from bench.load import bounded
from bench.purge import DEFAULT_POSTGRES, SENTINEL, _copy, scratch_postgres, template_events
from bot.server.database import make_engine
from bot.server.handoff.cases import CaseBook
from bot.server.insights.queries import insights
from bot.server.insights.review import group, review_queue
from bot.server.insights.summary import OSLO
from bot.server.retention import DAY, ensure_indexes
from bot.server.storage import ConversationStore

RUNS = 5
GOAL_SECONDS = 1.0
BATCH = 50_000
CHANNELS = ["webchat"] * 6 + ["telegram"] * 3 + ["rest"]
LANGUAGES = ["nb"] * 7 + ["nn"] * 2 + ["en"]
TOPICS = ["ask_higher_education_deadline", "ask_student_finance_deadline", "ask_apprenticeship",
          "ask_upper_secondary_application", "ask_admission_requirements", "ask_23_5_rule",
          "ask_personal_guidance", "ask_career_centre", None]
COUNTIES = ["Oslo", "Vestland", "Trøndelag", "Viken", "Nordland", "Rogaland", None]
REASONS = ["asked"] * 5 + ["unsure"] * 2 + ["personal_guidance"] * 2 + ["sami"]

# Unanswered messages: questions the bot was not taught, each asked in many wordings.
SUBJECTS = ["pilot", "flyger", "veterinær", "dykker", "gamer", "youtuber", "astronaut",
            "tatovør", "sommelier", "jordmor", "politi", "brannkonstruktør", "kokk", "frisør",
            "sveiser", "dronefører", "fotograf", "skuespiller", "musiker", "bonde"]
FRAMES = ["hvordan blir jeg {s}", "hva må til for å bli {s}", "kan jeg bli {s} uten studier",
          "hvor lang utdanning er det å bli {s}", "hva tjener en {s}", "er det vanskelig å bli {s}",
          "jeg vil bli {s}, hva gjør jeg", "korleis blir eg {s}", "how do I become a {s}",
          "finnes det jobb som {s} i Norge"]
OTHER = ["hva blir været i morgen", "kan dere bestille pizza", "hvem vant kampen i går",
         "kan du skrive leksa mi", "hva er meningen med livet", "anbefal en god film"]


def unanswered_texts(count: int, rng: random.Random) -> list[str]:
    texts = []
    for _ in range(count):
        if rng.random() < 0.2:
            base = rng.choice(OTHER)
        else:
            base = rng.choice(FRAMES).format(s=rng.choice(SUBJECTS))
        if rng.random() < 0.3:
            base = base.capitalize() + "?"
        texts.append(base)
    return texts


def build(url: str, conversations: int, now: float) -> int:
    """The store, filled; how many event rows."""
    ConversationStore(url=url).engine.dispose()  # Rasa's events table, the summaries
    engine = make_engine(url)
    CaseBook(engine)  # the desk's tables
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO desk_counsellors (id, login, display_name, "
                             "password_hash, created_at) VALUES (1, 'kari', 'Kari', 'x', 0)"))
    rng = random.Random(42)
    template = template_events()
    texts = unanswered_texts(conversations // 5 + 1, rng)
    raw = engine.raw_connection()
    postgres = engine.dialect.name == "postgresql"
    tables: dict[str, tuple[tuple[str, ...], list[tuple]]] = {
        "events": (("sender_id", "type_name", "timestamp", "intent_name", "action_name",
                    "data"), []),
        "conversation_summaries": (("sender_id", "started_at", "day", "hour", "last_at",
                                    "channel", "language", "topic", "county", "messages",
                                    "unanswered", "handed_over", "callback"), []),
        "desk_cases": (("id", "sender_id", "channel", "kind", "status", "priority", "language",
                        "tags", "summary", "assignee_id", "waiting_since", "first_reply_at",
                        "created_at", "resolved_at", "reason"), []),
        "satisfaction": (("kind", "score", "channel", "language", "created_at"), []),
        "unanswered_messages": (("sender_id", "text", "why", "guess", "language",
                                 "created_at"), []),
    }
    stored = [0]

    def flush() -> None:
        cursor = raw.cursor()
        for name, (columns, values) in tables.items():
            if not values:
                continue
            if postgres:
                _copy(cursor, name, columns, values)
            else:
                cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES "
                                   f"({', '.join('?' for _ in columns)})", values)
            if name == "events":
                stored[0] += len(values)
            values.clear()
        raw.commit()

    case_id = 0
    for n in range(conversations):
        sender = f"web:{uuid.uuid4().hex}"
        start = now - rng.random() * 30 * DAY
        for step, (type_name, intent, action, data) in enumerate(template):
            at = start + step * 3.0
            tables["events"][1].append((sender, type_name, at, intent, action,
                                        data.replace(repr(SENTINEL), repr(at))))
        began = datetime.fromtimestamp(start, OSLO)
        live, callback = n % 10 == 0, n % 50 == 1
        channel, language = rng.choice(CHANNELS), rng.choice(LANGUAGES)
        tables["conversation_summaries"][1].append((
            sender, start, began.date().isoformat(), began.hour, start + 60, channel, language,
            rng.choice(TOPICS), rng.choice(COUNTIES), 4, int(n % 5 == 0), int(live),
            int(callback)))
        if live or callback:
            case_id += 1
            replied = start + 60 + rng.expovariate(1 / 300) if live and n % 7 else None
            tables["desk_cases"][1].append((
                case_id, sender, channel, "live" if live else "callback",
                "resolved" if replied else "pending", "medium", language, "[]", "",
                1 if replied else None, start + 60, replied, start + 60,
                replied + 600 if replied else None, rng.choice(REASONS) if live else None))
        if n % 5 == 2:
            tables["satisfaction"][1].append(("answer", int(rng.random() < 0.8), channel,
                                              language, start - start % 3600))
        if n % 5 == 0:
            tables["unanswered_messages"][1].append((sender, texts[n // 5], "nlu_fallback",
                                                     "ask_admission_requirements", language,
                                                     start))
        if len(tables["events"][1]) >= BATCH:
            flush()
        if n and n % 10_000 == 0:
            progress(f"{n} conversations stored")
    flush()
    if postgres:
        raw.cursor().execute(f"SELECT setval('desk_cases_id_seq', {case_id + 1})")
        raw.commit()
    raw.close()
    ensure_indexes(engine)  # what the server's first purge makes (bot/server/retention/)
    if postgres:
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return stored[0]


def timed(work: Callable[[], object]) -> float:
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def grouped_queries(engine: sa.engine.Engine, since: float) -> list:
    """The other way to count the summaries: one grouped query per chart (what
    bot/server/insights/queries.py did first), to compare with its one pass in the same run."""
    from bot.server.handoff.models import ConversationSummary

    s = ConversationSummary.__table__
    with engine.connect() as conn:
        return [conn.execute(sa.select(column, sa.func.count()).where(s.c.started_at >= since)
                             .group_by(column)).all()
                for column in (s.c.day, s.c.hour, s.c.topic, s.c.language, s.c.county,
                               s.c.channel)]


def parts(engine: sa.engine.Engine, since: float, now: float) -> dict[str, float]:
    """The seconds of each part of insights(): summaries, cases, satisfaction."""
    from bot.server.insights import queries

    seconds = {}
    for name, work in (("summaries", lambda c: queries._conversations(c, since)),
                       ("cases", lambda c: queries._cases(c, since, now)),
                       ("satisfaction", lambda c: queries._satisfaction(c, since))):
        with engine.connect() as conn:
            seconds[name] = timed(lambda work=work, conn=conn: work(conn))
    return seconds


def events_scan(engine: sa.engine.Engine, since: float) -> dict[str, int]:
    """The alternative to the summaries: conversations by channel from the raw events."""
    channels: dict[str, int] = {}
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT sender_id, min(id) FROM events WHERE type_name = 'user' "
            "AND timestamp >= :since GROUP BY sender_id"), {"since": since}).all()
        firsts = [row[1] for row in rows]
        for start in range(0, len(firsts), 5000):
            for (data,) in conn.execute(sa.text("SELECT data FROM events WHERE id IN :ids")
                                        .bindparams(sa.bindparam("ids", expanding=True)),
                                        {"ids": firsts[start:start + 5000]}):
                channel = json.loads(data).get("input_channel") or ""
                channels[channel] = channels.get(channel, 0) + 1
    return channels


def measure(database: str, url: str, conversations: int) -> list[list[str]]:
    now = time.time()
    progress(f"{database}: storing {conversations:,} conversations")
    started = time.perf_counter()
    events = build(url, conversations, now)
    progress(f"{database}: {events:,} events stored in {time.perf_counter() - started:.0f} s")
    engine = make_engine(url)
    rows = []
    try:
        for days in (7, 30):
            found = insights(engine, days, now)
            seconds = timed(lambda days=days: insights(engine, days, now))
            rows.append([database, f"insights, {days} days", f"{events:,}",
                         f"{found['conversations']:,} conversations", f"{seconds:.3f}",
                         "yes" if seconds < GOAL_SECONDS else "NO"])
        split = parts(engine, now - 30 * DAY, now)
        rows.append([database, "  of which: " + ", ".join(
            f"{name} {value:.3f}" for name, value in split.items()), "", "", "", ""])
        seconds = timed(lambda: grouped_queries(engine, now - 30 * DAY))
        rows.append([database, "summaries as six grouped queries, 30 days", f"{events:,}",
                     f"{conversations:,} conversations", f"{seconds:.3f}", "-"])
        seconds = timed(lambda: events_scan(engine, now - 30 * DAY))
        rows.append([database, "by channel from raw events, 30 days", f"{events:,}",
                     f"{conversations:,} conversations", f"{seconds:.3f}",
                     "yes" if seconds < GOAL_SECONDS else "NO"])
        queue = review_queue(engine, 30, [], now)
        seconds = timed(lambda: review_queue(engine, 30, [], now))
        rows.append([database, "review queue, 30 days", f"{events:,}",
                     f"{queue['messages']:,} messages, {len(queue['groups'])} groups",
                     f"{seconds:.3f}", "-"])
    finally:
        engine.dispose()
    return rows


def grouping_rows(count: int = 10_000) -> list[list[str]]:
    texts = unanswered_texts(count, random.Random(7))
    groups = group(texts)
    seconds = timed(lambda: group(texts))
    largest = len(groups[0]) if groups else 0
    return [["(memory)", f"grouping {count:,} unanswered messages", "-",
             f"{len(groups)} groups, largest {largest}", f"{seconds:.3f}", "-"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=bounded(1000, 200_000), default=50_000,
                        help="conversations of 20 events each")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    print(machine_summary())
    rows = grouping_rows()
    if args.only in (None, "postgresql"):
        server = os.environ.get("VEIVALG_BENCH_POSTGRES_URL") or DEFAULT_POSTGRES
        with scratch_postgres(server) as url:
            rows += measure("PostgreSQL", url, args.conversations)
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="veivalg-bench-insights-") as workdir:
            rows += measure("SQLite", f"sqlite:///{workdir}/conversations.db",
                            args.conversations)
    heading(f"Insights: median of {RUNS} runs (goal: under {GOAL_SECONDS:.0f} s)")
    print(table(["database", "what", "events", "counted", "seconds", "< 1 s"], rows,
                left=(0, 1, 3)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
