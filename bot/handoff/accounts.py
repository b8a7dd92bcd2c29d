"""Counsellor accounts and desk sessions.

Passwords are hashed with scrypt (memory-hard, in Python's standard library). Sessions are
random tokens in an HttpOnly cookie; the database keeps only their SHA-256, and they
expire.

Create an account:  python -m bot.handoff.accounts add LOGIN "Display name"
(the password is asked for, or read from standard input when it is not a terminal).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import secrets
import sys
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.database import create_tables, make_engine
from bot.handoff.models import Base, Counsellor, DeskSession
from bot.settings import Settings

# scrypt with N=2^14, r=8 needs 16 MiB per hash: cheap once at login, costly to brute-force.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 12


@dataclass(frozen=True)
class CounsellorInfo:
    id: int
    name: str

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(digest.hex(), expected)


# A real hash to check against when the login does not exist, so that a wrong login
# takes as long as a wrong password and logins cannot be probed by timing.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, engine: Engine, session_minutes: int) -> None:
        self.engine = engine
        self.session_seconds = session_minutes * 60
        create_tables(Base.metadata, engine)

    def add(self, login: str, display_name: str, password: str) -> CounsellorInfo:
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
        with Session(self.engine) as db, db.begin():
            counsellor = Counsellor(
                login=login, display_name=display_name,
                password_hash=hash_password(password), created_at=time.time(),
            )
            db.add(counsellor)
            db.flush()
            return CounsellorInfo(counsellor.id, counsellor.display_name)

    def log_in(self, login: str, password: str) -> tuple[CounsellorInfo, str] | None:
        """The counsellor and a new session token, or None for a wrong login or password."""
        with Session(self.engine) as db, db.begin():
            counsellor = db.execute(
                sa.select(Counsellor).where(Counsellor.login == login)
            ).scalar_one_or_none()
            stored = counsellor.password_hash if counsellor else _DUMMY_HASH
            if not verify_password(password, stored) or counsellor is None:
                return None
            token = secrets.token_urlsafe(32)
            db.add(DeskSession(token_hash=_token_hash(token), counsellor_id=counsellor.id,
                               expires_at=time.time() + self.session_seconds))
            return CounsellorInfo(counsellor.id, counsellor.display_name), token

    def counsellor_for(self, token: str | None) -> CounsellorInfo | None:
        """Who holds this session token, if it is valid and has not expired."""
        if not token:
            return None
        with Session(self.engine) as db:
            row = db.execute(
                sa.select(Counsellor.id, Counsellor.display_name)
                .join(DeskSession, DeskSession.counsellor_id == Counsellor.id)
                .where(DeskSession.token_hash == _token_hash(token))
                .where(DeskSession.expires_at > time.time())
            ).first()
        return CounsellorInfo(row.id, row.display_name) if row else None

    def log_out(self, token: str | None) -> None:
        if token:
            with Session(self.engine) as db, db.begin():
                db.execute(
                    sa.delete(DeskSession).where(DeskSession.token_hash == _token_hash(token))
                )

    def expire_sessions_of(self, counsellor_id: int) -> None:
        with Session(self.engine) as db, db.begin():
            db.execute(sa.update(DeskSession).where(DeskSession.counsellor_id == counsellor_id)
                       .values(expires_at=0))

    def all(self) -> list[CounsellorInfo]:
        with Session(self.engine) as db:
            rows = db.execute(sa.select(Counsellor.id, Counsellor.display_name)).all()
        return [CounsellorInfo(row.id, row.display_name) for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage counsellor accounts for the desk.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create a counsellor account")
    add.add_argument("login")
    add.add_argument("display_name", help="the name people in a conversation see")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    accounts = Accounts(make_engine(settings.database_url), settings.desk_session_minutes)
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        counsellor = accounts.add(args.login, args.display_name, password)
    except ValueError as error:
        print(f"Not created: {error}.", file=sys.stderr)
        return 1
    except sa.exc.IntegrityError:
        print(f"Not created: the login {args.login!r} exists.", file=sys.stderr)
        return 1
    print(f"Counsellor {counsellor.name!r} created (id {counsellor.id}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
