"""The desk's audit log: which counsellor opened which conversation, and when.

Written when a counsellor opens a case (its transcript comes with it) or takes one; it
holds ids and times only, never what was said. Operators read it with

    python -m bot.server.handoff.audit [--case ID] [--counsellor LOGIN] [--since YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.server.database import create_tables, make_engine
from bot.server.handoff.models import AuditEntry, Base, Counsellor
from bot.shared.settings import Settings

VIEW = "view"  # the case with its transcript and notes
TAKE = "take"


@dataclass(frozen=True)
class Entry:
    at: float
    counsellor_id: int
    login: str
    action: str
    case_id: int
    sender_id: str

    def line(self) -> str:
        when = dt.datetime.fromtimestamp(self.at, dt.timezone.utc).isoformat(timespec="seconds")
        return "\t".join([when, str(self.counsellor_id), self.login, self.action,
                          str(self.case_id), self.sender_id])


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(Base.metadata, engine)

    def record(self, counsellor_id: int, case_id: int, sender_id: str, action: str) -> None:
        with Session(self.engine) as db, db.begin():
            db.add(AuditEntry(counsellor_id=counsellor_id, case_id=case_id,
                              sender_id=sender_id, action=action, at=time.time()))

    def entries(self, case_id: int | None = None, login: str | None = None,
                since: float | None = None, limit: int = 1000) -> list[Entry]:
        """Newest first."""
        query = (sa.select(AuditEntry, Counsellor.login)
                 .outerjoin(Counsellor, Counsellor.id == AuditEntry.counsellor_id)
                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
        if case_id is not None:
            query = query.where(AuditEntry.case_id == case_id)
        if login is not None:
            query = query.where(Counsellor.login == login)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        with Session(self.engine) as db:
            rows = db.execute(query).all()
        return [Entry(row.AuditEntry.at, row.AuditEntry.counsellor_id, row.login or "",
                      row.AuditEntry.action, row.AuditEntry.case_id, row.AuditEntry.sender_id)
                for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Which counsellor opened which conversation (newest first; tab-separated: "
                    "time, counsellor id, login, action, case id, sender id).")
    parser.add_argument("--case", type=int, help="only this case")
    parser.add_argument("--counsellor", metavar="LOGIN", help="only this counsellor")
    parser.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="only from this day on (UTC)")
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    since = None
    if args.since is not None:
        since = dt.datetime.combine(args.since, dt.time(), dt.timezone.utc).timestamp()
    log = AuditLog(make_engine(Settings.from_env().database_url))
    for entry in log.entries(args.case, args.counsellor, since, args.limit):
        sys.stdout.write(entry.line() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
