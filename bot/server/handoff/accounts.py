"""Counsellor accounts and desk sessions.

Passwords are hashed with Argon2id (argon2-cffi's RFC 9106 profile: 64 MiB, 3 passes, 4
lanes; above OWASP's floor). A hash made with other parameters, or an older account's
scrypt hash, still logs in and is replaced at that login. Sessions are random tokens in an
HttpOnly cookie; the database keeps only their SHA-256, and they expire. A disabled account
cannot log in, and its sessions are gone.

    python -m bot.server.handoff.accounts add LOGIN "Display name" [--role lead]
    python -m bot.server.handoff.accounts role LOGIN lead|counsellor
    python -m bot.server.handoff.accounts disable LOGIN
    python -m bot.server.handoff.accounts enable LOGIN

(`add` asks for the password, or reads it from standard input when it is not a terminal.)
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
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.server.database import create_tables, make_engine
from bot.server.handoff.models import Base, Counsellor, DeskSession
from bot.shared.settings import Settings

MIN_PASSWORD_CHARS = 12
# A lead also sees the service's insights and the review queue of unanswered messages.
COUNSELLOR, LEAD = "counsellor", "lead"
ROLES = (COUNSELLOR, LEAD)
ARGON2_PREFIX = "$argon2"
HASHER = PasswordHasher()  # argon2id; its defaults are the profile above


@dataclass(frozen=True)
class CounsellorInfo:
    id: int
    name: str
    role: str = COUNSELLOR

    @property
    def is_lead(self) -> bool:
        return self.role == LEAD

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "role": self.role}


def _role(stored: str | None) -> str:
    return stored if stored in ROLES else COUNSELLOR


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"the role is one of {', '.join(ROLES)}, not {role!r}")
    return role


def _verify_scrypt(password: str, stored: str) -> bool:
    """The hashes made before Argon2id: scrypt$N$r$p$salt$digest."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n),
                                r=int(r), p=int(p), dklen=32, maxmem=2**26)
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def verify_password(password: str, stored: str,
                    hasher: PasswordHasher = HASHER) -> tuple[bool, bool]:
    """Whether the password is right, and whether its hash should be made again (an older
    scheme, or Argon2 parameters other than the hasher's)."""
    if stored.startswith(ARGON2_PREFIX):
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False, False
        return True, hasher.check_needs_rehash(stored)
    return _verify_scrypt(password, stored), True


# A real hash to check against when the login does not exist, so that a wrong login
# takes as long as a wrong password and logins cannot be probed by timing.
_DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_key(token: str) -> str:
    """What the database keeps of a session token, and what names the session elsewhere."""
    return _token_hash(token)


class Accounts:
    def __init__(self, engine: Engine, session_minutes: int,
                 hasher: PasswordHasher = HASHER) -> None:
        self.engine = engine
        self.session_seconds = session_minutes * 60
        self.hasher = hasher
        create_tables(Base.metadata, engine)

    def add(self, login: str, display_name: str, password: str,
            role: str = COUNSELLOR) -> CounsellorInfo:
        check_role(role)
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
        with Session(self.engine) as db, db.begin():
            counsellor = Counsellor(
                login=login, display_name=display_name,
                password_hash=self.hasher.hash(password), created_at=time.time(), role=role,
            )
            db.add(counsellor)
            db.flush()
            return CounsellorInfo(counsellor.id, counsellor.display_name, role)

    def log_in(self, login: str, password: str) -> tuple[CounsellorInfo, str] | None:
        """The counsellor and a new session token, or None for a wrong login or password."""
        with Session(self.engine) as db, db.begin():
            counsellor = db.execute(
                sa.select(Counsellor).where(Counsellor.login == login)
            ).scalar_one_or_none()
            stored = counsellor.password_hash if counsellor else _DUMMY_HASH
            right, stale = verify_password(password, stored, self.hasher)
            if not right or counsellor is None or counsellor.disabled_at is not None:
                return None
            if stale:
                counsellor.password_hash = self.hasher.hash(password)
            token = secrets.token_urlsafe(32)
            db.add(DeskSession(token_hash=_token_hash(token), counsellor_id=counsellor.id,
                               expires_at=time.time() + self.session_seconds))
            return CounsellorInfo(counsellor.id, counsellor.display_name,
                                  _role(counsellor.role)), token

    def counsellor_for(self, token: str | None) -> CounsellorInfo | None:
        """Who holds this session token, if it is valid and has not expired."""
        if not token:
            return None
        with Session(self.engine) as db:
            row = db.execute(
                sa.select(Counsellor.id, Counsellor.display_name, Counsellor.role)
                .join(DeskSession, DeskSession.counsellor_id == Counsellor.id)
                .where(DeskSession.token_hash == _token_hash(token))
                .where(DeskSession.expires_at > time.time())
                .where(Counsellor.disabled_at.is_(None))
            ).first()
        return CounsellorInfo(row.id, row.display_name, _role(row.role)) if row else None

    def live_sessions(self, keys: set[str]) -> set[str]:
        """Which of these sessions (session_key) are still valid: one query for all the
        desk sockets of a server."""
        if not keys:
            return set()
        with Session(self.engine) as db:
            rows = db.execute(
                sa.select(DeskSession.token_hash)
                .join(Counsellor, DeskSession.counsellor_id == Counsellor.id)
                .where(DeskSession.token_hash.in_(keys))
                .where(DeskSession.expires_at > time.time())
                .where(Counsellor.disabled_at.is_(None))
            ).scalars().all()
        return set(rows)

    def log_out(self, token: str | None) -> str | None:
        """Ends the session; its key, so that its sockets can be closed too."""
        if not token:
            return None
        key = _token_hash(token)
        with Session(self.engine) as db, db.begin():
            db.execute(sa.delete(DeskSession).where(DeskSession.token_hash == key))
        return key

    def set_disabled(self, login: str, disabled: bool) -> bool:
        """Disable (and end every session of) or enable an account; False: no such login."""
        with Session(self.engine) as db, db.begin():
            counsellor = db.execute(
                sa.select(Counsellor).where(Counsellor.login == login)
            ).scalar_one_or_none()
            if counsellor is None:
                return False
            counsellor.disabled_at = time.time() if disabled else None
            if disabled:
                db.execute(sa.delete(DeskSession)
                           .where(DeskSession.counsellor_id == counsellor.id))
        return True

    def set_role(self, login: str, role: str) -> bool:
        """Make the account a lead or a counsellor; False: no such login. Takes effect at
        the account's next request: the role is read with the session every time."""
        check_role(role)
        with Session(self.engine) as db, db.begin():
            changed = db.execute(sa.update(Counsellor).where(Counsellor.login == login)
                                 .values(role=role)).rowcount
        return bool(changed)

    def expire_sessions_of(self, counsellor_id: int) -> None:
        with Session(self.engine) as db, db.begin():
            db.execute(sa.update(DeskSession).where(DeskSession.counsellor_id == counsellor_id)
                       .values(expires_at=0))

    def all(self) -> list[CounsellorInfo]:
        """The accounts that can work (not disabled)."""
        with Session(self.engine) as db:
            rows = db.execute(sa.select(Counsellor.id, Counsellor.display_name, Counsellor.role)
                              .where(Counsellor.disabled_at.is_(None))).all()
        return [CounsellorInfo(row.id, row.display_name, _role(row.role)) for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage counsellor accounts for the desk.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create a counsellor account")
    add.add_argument("login")
    add.add_argument("display_name", help="the name people in a conversation see")
    add.add_argument("--role", choices=ROLES, default=COUNSELLOR,
                     help="lead: also sees the insights and the review queue")
    role = commands.add_parser("role", help="make an account a lead or a counsellor")
    role.add_argument("login")
    role.add_argument("role", choices=ROLES)
    disable = commands.add_parser(
        "disable", help="stop an account: no login, and its open desks are logged out")
    disable.add_argument("login")
    enable = commands.add_parser("enable", help="let a disabled account log in again")
    enable.add_argument("login")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    accounts = Accounts(make_engine(settings.database_url), settings.desk_session_minutes)
    if args.command == "role":
        if not accounts.set_role(args.login, args.role):
            print(f"No counsellor has the login {args.login!r}.", file=sys.stderr)
            return 1
        print(f"The account {args.login!r} is now a {args.role}.")
        return 0
    if args.command in ("disable", "enable"):
        if not accounts.set_disabled(args.login, args.command == "disable"):
            print(f"No counsellor has the login {args.login!r}.", file=sys.stderr)
            return 1
        print(f"The account {args.login!r} is {args.command}d."
              + (" Its desks close within seconds." if args.command == "disable" else ""))
        return 0
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        counsellor = accounts.add(args.login, args.display_name, password, args.role)
    except ValueError as error:
        print(f"Not created: {error}.", file=sys.stderr)
        return 1
    except sa.exc.IntegrityError:
        print(f"Not created: the login {args.login!r} exists.", file=sys.stderr)
        return 1
    what = "Lead" if counsellor.is_lead else "Counsellor"
    print(f"{what} {counsellor.name!r} created (id {counsellor.id}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
