"""Counsellor accounts on a real SQLite database: Argon2id, rehash on login, disabling,
and sessions: only a hash kept, expiry, logging out one desk of several."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from bot.server.database import make_engine
from bot.server.handoff import accounts as accounts_module
from bot.server.handoff.accounts import MIN_PASSWORD_CHARS, Accounts, session_key
from bot.server.handoff.models import Counsellor, DeskSession

PASSWORD = "et-langt-testpassord"
# Cheap parameters, standing in for the ones a past version used.
OLD_PARAMETERS = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture
def engine(tmp_path: Path) -> sa.engine.Engine:
    return make_engine(f"sqlite:///{tmp_path / 'desk.db'}")


def stored_hash(engine: sa.engine.Engine, login: str) -> str:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(Counsellor.password_hash).where(Counsellor.login == login)
        ).scalar_one()


def scrypt_hash(password: str) -> str:
    """How accounts.py hashed passwords before Argon2id (scrypt, N=2^14)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def test_new_passwords_are_hashed_with_argon2id(engine: sa.engine.Engine) -> None:
    Accounts(engine, 60).add("kari", "Kari", PASSWORD)
    stored = stored_hash(engine, "kari")
    assert stored.startswith("$argon2id$")
    # At least OWASP's floor for Argon2id: 19 MiB, 2 passes.
    parameters = dict(part.split("=") for part in stored.split("$")[3].split(","))
    assert int(parameters["m"]) >= 19 * 1024 and int(parameters["t"]) >= 2


def test_a_scrypt_hash_still_logs_in_and_is_replaced(engine: sa.engine.Engine) -> None:
    accounts = Accounts(engine, 60)
    accounts.add("kari", "Kari", "et-annet-passord-nå")
    with engine.begin() as connection:
        connection.execute(sa.update(Counsellor).where(Counsellor.login == "kari")
                           .values(password_hash=scrypt_hash(PASSWORD)))

    assert accounts.log_in("kari", "feil-passord-her") is None
    assert stored_hash(engine, "kari").startswith("scrypt$")  # a wrong password changes nothing
    assert accounts.log_in("kari", PASSWORD) is not None
    assert stored_hash(engine, "kari").startswith("$argon2id$")
    assert accounts.log_in("kari", PASSWORD) is not None  # and the new hash works


def test_a_hash_with_other_parameters_is_made_again_at_login(engine: sa.engine.Engine) -> None:
    Accounts(engine, 60, hasher=OLD_PARAMETERS).add("kari", "Kari", PASSWORD)
    old = stored_hash(engine, "kari")
    assert "m=8192,t=1,p=1" in old

    current = Accounts(engine, 60)
    assert current.log_in("kari", PASSWORD) is not None
    new = stored_hash(engine, "kari")
    assert new != old and not PasswordHasher().check_needs_rehash(new)


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(engine: sa.engine.Engine) -> None:
    accounts = Accounts(engine, 60)
    kari = accounts.add("kari", "Kari", PASSWORD)
    _, token = accounts.log_in("kari", PASSWORD)
    assert accounts.counsellor_for(token) == kari

    assert accounts.set_disabled("kari", True)
    assert accounts.counsellor_for(token) is None
    assert accounts.live_sessions({"anything"}) == set()
    assert accounts.log_in("kari", PASSWORD) is None
    assert kari not in accounts.all()  # nobody can transfer a case to her

    assert accounts.set_disabled("kari", False)
    _, token = accounts.log_in("kari", PASSWORD)
    assert accounts.counsellor_for(token) == kari
    assert not accounts.set_disabled("nobody", True)


@pytest.fixture
def accounts(engine: sa.engine.Engine) -> Accounts:
    """Accounts hashed with cheap parameters: these tests are about sessions."""
    made = Accounts(engine, 60, hasher=OLD_PARAMETERS)
    made.add("kari", "Kari", PASSWORD)
    return made


def session_rows(engine: sa.engine.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(DeskSession.token_hash)).scalars())


def test_a_session_is_a_token_of_which_the_database_keeps_only_a_hash(
    accounts: Accounts, engine: sa.engine.Engine
) -> None:
    kari, token = accounts.log_in("kari", PASSWORD)
    assert (kari.name, kari.role) == ("Kari", "counsellor")
    assert session_rows(engine) == [session_key(token)] and token not in session_rows(engine)
    assert accounts.counsellor_for(token) == kari


@pytest.mark.parametrize(("login", "password"), [("kari", "feil-passord-her"),
                                                 ("nobody", PASSWORD)])
def test_a_wrong_login_or_password_gets_no_session(
    accounts: Accounts, engine: sa.engine.Engine, login: str, password: str
) -> None:
    assert accounts.log_in(login, password) is None
    assert session_rows(engine) == []


@pytest.mark.parametrize("token", [None, "", "a-token-nobody-was-given"])
def test_no_counsellor_without_a_token_given_at_login(accounts: Accounts,
                                                      token: str | None) -> None:
    accounts.log_in("kari", PASSWORD)
    assert accounts.counsellor_for(token) is None


def test_a_session_ends_when_it_expires(engine: sa.engine.Engine) -> None:
    Accounts(engine, 60, hasher=OLD_PARAMETERS).add("kari", "Kari", PASSWORD)
    _, expired = Accounts(engine, 0, hasher=OLD_PARAMETERS).log_in("kari", PASSWORD)
    assert Accounts(engine, 60).counsellor_for(expired) is None

    accounts = Accounts(engine, 60, hasher=OLD_PARAMETERS)
    kari, token = accounts.log_in("kari", PASSWORD)
    assert accounts.live_sessions({session_key(token), session_key(expired)}) == {
        session_key(token)}
    accounts.expire_sessions_of(kari.id)
    assert accounts.counsellor_for(token) is None
    assert accounts.live_sessions({session_key(token)}) == set()


def test_logging_out_ends_that_session_and_no_other(accounts: Accounts) -> None:
    kari, at_work = accounts.log_in("kari", PASSWORD)
    _, at_home = accounts.log_in("kari", PASSWORD)
    assert accounts.log_out(at_work) == session_key(at_work)  # its desk sockets close by it
    assert accounts.counsellor_for(at_work) is None
    assert accounts.counsellor_for(at_home) == kari
    assert accounts.live_sessions({session_key(at_work), session_key(at_home), "other"}) == {
        session_key(at_home)}
    assert accounts.log_out(None) is None and accounts.log_out("") is None


def test_a_short_password_is_refused_and_nothing_is_made(engine: sa.engine.Engine) -> None:
    accounts = Accounts(engine, 60, hasher=OLD_PARAMETERS)
    with pytest.raises(ValueError, match="12 characters"):
        accounts.add("kari", "Kari", "x" * (MIN_PASSWORD_CHARS - 1))
    assert accounts.all() == []
    accounts.add("kari", "Kari", "x" * MIN_PASSWORD_CHARS)
    assert [c.name for c in accounts.all()] == ["Kari"]


def test_a_login_belongs_to_one_account(accounts: Accounts) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        accounts.add("kari", "Kari Andre", PASSWORD)
    assert [c.name for c in accounts.all()] == ["Kari"]


def test_the_command_line_disables_and_enables(
    engine: sa.engine.Engine, accounts: Accounts, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    monkeypatch.setenv("VEIVALG_DATABASE_URL", str(engine.url))
    _, token = accounts.log_in("kari", PASSWORD)
    assert accounts_module.main(["disable", "kari"]) == 0
    assert "disabled" in capsys.readouterr().out
    assert accounts.counsellor_for(token) is None and accounts.all() == []
    assert accounts_module.main(["enable", "kari"]) == 0
    assert [c.name for c in accounts.all()] == ["Kari"]
    assert accounts_module.main(["disable", "nobody"]) == 1
    assert "No counsellor has the login 'nobody'" in capsys.readouterr().err
