"""Counsellors and leads: a lead also sees the insights and the review queue."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.server.database import make_engine
from bot.server.handoff import accounts as accounts_module
from bot.server.handoff.accounts import COUNSELLOR, LEAD, Accounts

PASSWORD = "et-langt-testpassord"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)
    return url


def add_from_command_line(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return accounts_module.main(["add", *argv])


def role_at_login(url: str, login: str) -> str:
    accounts = Accounts(make_engine(url), 60)
    _, token = accounts.log_in(login, PASSWORD)
    return accounts.counsellor_for(token).role


def test_the_command_line_makes_a_lead_only_when_asked(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert add_from_command_line(monkeypatch, "leder", "Liv Leder", "--role", "lead") == 0
    assert "Lead 'Liv Leder' created" in capsys.readouterr().out
    assert add_from_command_line(monkeypatch, "kari", "Kari") == 0
    assert role_at_login(database, "leder") == LEAD
    assert role_at_login(database, "kari") == COUNSELLOR


def test_a_role_can_be_changed_and_counts_at_the_next_request(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_from_command_line(monkeypatch, "kari", "Kari")
    accounts = Accounts(make_engine(database), 60)
    _, token = accounts.log_in("kari", PASSWORD)
    assert not accounts.counsellor_for(token).is_lead
    assert accounts_module.main(["role", "kari", "lead"]) == 0
    assert accounts.counsellor_for(token).is_lead  # the same session, the new role
    assert accounts_module.main(["role", "nobody", "lead"]) == 1


def test_an_unknown_role_is_refused(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit):
        add_from_command_line(monkeypatch, "kari", "Kari", "--role", "admin")
    with pytest.raises(ValueError, match="role"):
        Accounts(make_engine(database), 60).add("kari", "Kari", PASSWORD, role="admin")


def test_an_account_from_before_roles_is_a_counsellor(database: str) -> None:
    engine = make_engine(database)
    accounts = Accounts(engine, 60)
    accounts.add("kari", "Kari", PASSWORD)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE desk_counsellors SET role = NULL"))
    assert role_at_login(database, "kari") == COUNSELLOR
    assert [c.role for c in accounts.all()] == [COUNSELLOR]
