"""The desk against an attacker and on shared computers (#12, OWASP ASVS level 2), with
the real servers: password guessing, a TLS proxy in front, sessions that end, accounts
that are disabled, other sites' pages, security headers and the audit log.

The servers trust 127.0.0.2 as their proxy: requests from 127.0.0.1 are direct ones, so
one server shows both a trusted proxy and a client that only claims to be behind one.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import websockets

from bench.clients import PASSWORD, Counsellor, add_counsellor
from bot.commands.serve import Servers
from bot.server.database import make_engine
from bot.server.handoff.accounts import Accounts
from bot.shared.settings import PROJECT_DIR
from tests.servers import Chat, start_servers

pytestmark = pytest.mark.integration

PROXY = "127.0.0.2"
PAUSE_SECONDS = 2
PER_ADDRESS = 8
CHECK_SECONDS = 3  # longer than a logout may take: that one is at once


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("desk-security")
    running = start_servers(state / "conversations.db", state / "servers.log", env={
        "VEIVALG_TRUSTED_PROXIES": PROXY,
        "VEIVALG_DESK_LOGIN_PAUSE_SECONDS": str(PAUSE_SECONDS),
        "VEIVALG_DESK_LOGIN_ATTEMPTS_PER_IP": str(PER_ADDRESS),
        "VEIVALG_DESK_SESSION_CHECK_SECONDS": str(CHECK_SECONDS),
    })
    for login in ("kari", "ola", "per", "liv", "siv"):
        add_counsellor(running, login, login.capitalize())
    yield running
    running.stop()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: Any


def call(servers: Servers, method: str, path: str, body: Any = None, *,
         source: str = "127.0.0.1", headers: dict[str, str] | None = None) -> Answer:
    """One HTTP request from a chosen local address (127.0.0.2 is the trusted proxy)."""
    connection = http.client.HTTPConnection("127.0.0.1", servers.rasa_port, timeout=30,
                                            source_address=(source, 0))
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body),
                           headers={"Content-Type": "application/json", **(headers or {})})
        reply = connection.getresponse()
        raw = reply.read()
        is_json = reply.headers.get("Content-Type", "").startswith("application/json")
        return Answer(reply.status, reply.headers, json.loads(raw) if raw and is_json else raw)
    finally:
        connection.close()


def log_in(servers: Servers, login: str, password: str = PASSWORD, *,
           client: str = "", source: str = "127.0.0.1", **headers: str) -> Answer:
    if client:  # a person behind the proxy
        source, headers = PROXY, {**headers, "X-Forwarded-For": client}
    return call(servers, "POST", "/desk/api/login", {"login": login, "password": password},
                source=source, headers=headers)


def session_cookie(answer: Answer) -> str:
    return answer.headers["Set-Cookie"].split(";")[0]


async def closed_within(socket: Any, seconds: float) -> int | None:
    """The close code once the server closes the socket; None if it stays open."""

    async def until_closed() -> int:
        try:
            while True:
                await socket.recv()
        except websockets.ConnectionClosed:
            return socket.close_code

    try:
        return await asyncio.wait_for(until_closed(), seconds)
    except asyncio.TimeoutError:
        await socket.close()
        return None


async def open_desk(servers: Servers, cookie: str) -> Any:
    socket = await websockets.connect(f"ws://127.0.0.1:{servers.rasa_port}/desk/socket",
                                      extra_headers={"Cookie": cookie})
    assert json.loads(await socket.recv())["type"] == "hello"
    return socket


def test_thirty_wrong_passwords_pause_the_account_even_for_the_right_one(
    servers: Servers,
) -> None:
    client = "198.51.100.1"
    answers = [log_in(servers, "kari", f"feil-passord-{n:02}", client=client) for n in range(30)]
    statuses = [answer.status for answer in answers]
    assert statuses[:5] == [401] * 5, statuses  # VEIVALG_DESK_LOGIN_ATTEMPTS
    assert statuses[5:] == [429] * 25, statuses
    for answer in answers[5:]:
        assert 1 <= int(answer.headers["Retry-After"]) <= PAUSE_SECONDS
        assert answer.body["error"] == "too_many_attempts"

    paused = log_in(servers, "kari", client=client)  # the right password, while paused
    assert paused.status == 429
    # From anywhere else too: the account is what is paused.
    assert log_in(servers, "kari", client="198.51.100.2").status == 429

    time.sleep(int(paused.headers["Retry-After"]))
    assert log_in(servers, "kari", client=client).status == 200
    # The right password started the account afresh.
    assert log_in(servers, "kari", "feil-igjen-123", client=client).status == 401
    assert log_in(servers, "kari", client=client).status == 200


def test_guessing_over_many_accounts_pauses_the_address(servers: Servers) -> None:
    guesser = "198.51.100.3"
    for number in range(PER_ADDRESS):
        assert log_in(servers, f"finnes-ikke-{number}", "gjett-gjett-1", client=guesser).status \
            == 401
    assert log_in(servers, "ola", client=guesser).status == 429  # a real account, right password
    assert log_in(servers, "ola", client="198.51.100.4").status == 200  # another address

    # X-Forwarded-For counts from the trusted proxy only: a direct client that claims
    # to be the paused address is itself.
    claims = log_in(servers, "ola", **{"X-Forwarded-For": guesser})
    assert claims.status == 200


def test_the_cookie_is_secure_behind_a_trusted_tls_proxy_only(servers: Servers) -> None:
    behind_tls = log_in(servers, "per", source=PROXY, **{"X-Forwarded-Proto": "https"})
    assert behind_tls.status == 200
    cookie = behind_tls.headers["Set-Cookie"].lower()
    for attribute in ("secure", "httponly", "samesite=strict", "path=/desk"):
        assert attribute in cookie, cookie
    assert behind_tls.headers["Strict-Transport-Security"].startswith("max-age=")

    claims_tls = log_in(servers, "per", **{"X-Forwarded-Proto": "https"})  # not a proxy
    assert claims_tls.status == 200
    assert "secure" not in claims_tls.headers["Set-Cookie"].lower()
    assert "Strict-Transport-Security" not in claims_tls.headers


def test_logging_out_closes_the_open_desk(servers: Servers) -> None:
    cookie = session_cookie(log_in(servers, "liv"))

    async def log_out_with_desk_open() -> int | None:
        socket = await open_desk(servers, cookie)
        answer = await asyncio.to_thread(call, servers, "POST", "/desk/api/logout",
                                         headers={"Cookie": cookie})
        assert answer.status == 204
        return await closed_within(socket, 0.5)  # at once, not at the next check

    assert asyncio.run(log_out_with_desk_open()) == 4401
    assert call(servers, "GET", "/desk/api/me", headers={"Cookie": cookie}).status == 401


def test_an_expired_session_closes_the_open_desk(servers: Servers) -> None:
    cookie = session_cookie(log_in(servers, "siv"))

    async def expire_with_desk_open() -> int | None:
        socket = await open_desk(servers, cookie)
        accounts = Accounts(make_engine(servers.database_url), 60)
        siv = next(c.id for c in accounts.all() if c.name == "Siv")
        accounts.expire_sessions_of(siv)  # as time would
        return await closed_within(socket, CHECK_SECONDS + 5)

    assert asyncio.run(expire_with_desk_open()) == 4401


def accounts_cli(servers: Servers, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.server.handoff.accounts", *args],
        capture_output=True, text=True,
        cwd=PROJECT_DIR, env={"VEIVALG_DATABASE_URL": servers.database_url, "PATH": "/usr/bin"},
        timeout=60, stdin=subprocess.DEVNULL,
    )


def test_a_disabled_account_is_out_at_once_and_can_come_back(servers: Servers) -> None:
    add_counsellor(servers, "tone", "Tone")
    cookie = session_cookie(log_in(servers, "tone"))

    async def disable_with_desk_open() -> int | None:
        socket = await open_desk(servers, cookie)
        done = await asyncio.to_thread(accounts_cli, servers, "disable", "tone")
        assert done.returncode == 0, done.stderr
        return await closed_within(socket, CHECK_SECONDS + 5)

    assert asyncio.run(disable_with_desk_open()) == 4401
    assert call(servers, "GET", "/desk/api/me", headers={"Cookie": cookie}).status == 401
    assert log_in(servers, "tone", client="198.51.100.5").status == 401

    assert accounts_cli(servers, "enable", "tone").returncode == 0
    assert log_in(servers, "tone", client="198.51.100.5").status == 200
    assert accounts_cli(servers, "disable", "ingen-slik").returncode == 1


def test_other_sites_cannot_use_the_desk(servers: Servers) -> None:
    own = f"http://127.0.0.1:{servers.rasa_port}"
    evil = "https://evil.example"
    assert log_in(servers, "ola", Origin=evil).status == 403
    answer = log_in(servers, "ola", Origin=own)
    assert answer.status == 200
    cookie = session_cookie(answer)
    take = call(servers, "POST", "/desk/api/cases/1/take", {},
                headers={"Cookie": cookie, "Origin": evil})
    assert take.status == 403 and take.body["error"] == "origin_not_allowed"
    assert call(servers, "POST", "/desk/api/logout",
                headers={"Cookie": cookie, "Origin": evil}).status == 403
    assert call(servers, "GET", "/desk/api/me", headers={"Cookie": cookie}).status == 200

    async def socket_from(origin: str) -> int:
        try:
            socket = await websockets.connect(
                f"ws://127.0.0.1:{servers.rasa_port}/desk/socket",
                extra_headers={"Cookie": cookie}, origin=origin)
        except websockets.InvalidStatusCode as refused:
            return refused.status_code
        await socket.close()
        return 101

    assert asyncio.run(socket_from(evil)) == 403
    assert asyncio.run(socket_from(own)) == 101


def test_pages_and_api_carry_the_security_headers(servers: Servers) -> None:
    for path in ("/desk/", "/desk/api/me", "/chat/"):
        headers = call(servers, "GET", path).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "default-src 'none'" in policy, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert "Strict-Transport-Security" not in headers, path  # plain HTTP
    assert call(servers, "GET", "/desk/api/me").headers["Cache-Control"] == "no-store"
    over_tls = call(servers, "GET", "/desk/", source=PROXY,
                    headers={"X-Forwarded-Proto": "https"}).headers
    assert over_tls["Strict-Transport-Security"].startswith("max-age=")
    assert call(servers, "GET", "/chat/widget.js").headers["X-Content-Type-Options"] == "nosniff"


def test_who_opened_which_conversation_is_audited(servers: Servers) -> None:
    counsellor = Counsellor(servers)
    assert counsellor.log_in("per")[0] == 200

    async def hand_off_while_online() -> dict[str, Any]:
        socket = await counsellor.socket()  # online, so that a case can open
        try:
            person = Chat(servers)
            await asyncio.to_thread(person.texts, "a-audit", "jeg vil snakke med en rådgiver")
            return await asyncio.to_thread(counsellor.case_of, "a-audit")
        finally:
            await socket.close()

    case = asyncio.run(hand_off_while_online())
    assert counsellor.call("GET", f"/desk/api/cases/{case['id']}")[0] == 200
    assert counsellor.take(case["id"])[0] == 200

    shown = subprocess.run(
        [sys.executable, "-m", "bot.server.handoff.audit", "--case", str(case["id"])],
        capture_output=True, text=True, cwd=PROJECT_DIR, timeout=60,
        env={"VEIVALG_DATABASE_URL": servers.database_url, "PATH": "/usr/bin"},
    )
    assert shown.returncode == 0, shown.stderr
    lines = [line.split("\t") for line in shown.stdout.splitlines()]
    case_id, sender = str(case["id"]), case["sender_id"]
    assert [line[2:] for line in lines] == [["per", "take", case_id, sender],
                                           ["per", "view", case_id, sender]]
    assert "rådgiver" not in shown.stdout  # ids and times, never what was said
    counsellor.close(case["id"])
