"""While a server the bot depends on is down, nothing a person writes is lost and nobody
meets silence.

Redis holds the locks that keep two replicas from answering one conversation at once;
without it no message can be handled. The REST channel then answers 503 with the apology,
and with the help lines first when the message speaks of a crisis. Telegram's webhook
answers 503 so that Telegram delivers the update again, which is answered once Redis is
back; an update that keeps failing ends in the apology. (A PostgreSQL outage is another
story: Rasa's FailSafeTrackerStore answers from memory meanwhile.) The Redis and
PostgreSQL servers are this module's own, since Redis is stopped.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bench.fake_telegram import SECRET, TOKEN, FakeTelegram, text_update
from bot.commands.cluster import Cluster
from bot.commands.serve import Servers
from tests.facts import response
from tests.private_services import PrivatePostgres, PrivateRedis, running
from tests.servers import ALWAYS_OPEN, API_TOKEN, ONE_ADDRESS, Chat

pytestmark = pytest.mark.integration

APOLOGY_NB = "Beklager, noe gikk galt hos oss, så jeg fikk ikke svart. Prøv igjen om litt."
CRISIS = "jeg orker ikke mer, vil bare forsvinne for godt"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with running(PrivatePostgres()) as server:
        yield server


@pytest.fixture(scope="module")
def redis_server() -> Iterator[PrivateRedis]:
    with running(PrivateRedis()) as server:
        yield server


@pytest.fixture(scope="module")
def servers(postgres: PrivatePostgres, redis_server: PrivateRedis, telegram: FakeTelegram,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    one = Cluster(
        database_url=postgres.url("veivalg"), redis_url=redis_server.url(0),
        api_token=API_TOKEN, replicas=1, with_balancer=False,
        state_dir=tmp_path_factory.mktemp("outage"),
        env={**ALWAYS_OPEN, **ONE_ADDRESS, "VEIVALG_TELEGRAM_TOKEN": TOKEN,
             "VEIVALG_TELEGRAM_SECRET": SECRET, "VEIVALG_TELEGRAM_API_URL": telegram.url},
    )
    one.start()
    try:
        yield one.servers[0]
    finally:
        one.stop()


def deliver(servers: Servers, update: dict[str, Any]) -> tuple[int, str | None]:
    """Post an update as Telegram does; its status and Retry-After header."""
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/telegram/webhook", data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": SECRET})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Retry-After")


@pytest.fixture()
def redis_down(redis_server: PrivateRedis, servers: Servers) -> Iterator[None]:
    assert Chat(servers).send("before-the-outage", "hei")  # all is well first
    redis_server.stop()
    try:
        yield
    finally:
        redis_server.start()


def test_rest_apologises_with_503_and_the_help_lines_first(servers: Servers,
                                                           redis_down: None) -> None:
    chat = Chat(servers)
    status, replies = chat.post(json.dumps({"sender": "down-rest",
                                            "message": "når er fristen for samordna?"}).encode())
    assert (status, [r["text"] for r in replies]) == (503, [APOLOGY_NB])
    status, replies = chat.post(json.dumps({"sender": "down-rest", "message": CRISIS}).encode())
    assert status == 503
    assert [r["text"] for r in replies] == [response("utter_crisis_help", "nb"), APOLOGY_NB]


def test_telegram_gets_503_and_the_redelivered_update_is_answered(
    servers: Servers, telegram: FakeTelegram, redis_server: PrivateRedis
) -> None:
    update = text_update(4201, "når er fristen for samordna opptak?")
    redis_server.stop()
    try:
        assert deliver(servers, update) == (503, "5")
        assert telegram.texts(4201) == []  # nothing said: Telegram will deliver it again
    finally:
        redis_server.start()
    assert deliver(servers, update)[0] == 200  # Telegram's redelivery
    answers = telegram.texts(4201)
    assert len(answers) == 1 and "15. april" in answers[0]
    said = Chat(servers).tracker("telegram:4201")["events"]
    assert [e["text"] for e in said if e["event"] == "user"] == [update["message"]["text"]]


def test_an_update_that_keeps_failing_ends_in_the_help_lines_and_an_apology(
    servers: Servers, telegram: FakeTelegram, redis_down: None
) -> None:
    update = text_update(4202, CRISIS)
    assert [deliver(servers, update)[0] for _ in range(2)] == [503, 503]
    assert telegram.texts(4202) == []
    assert deliver(servers, update)[0] == 200  # the third failure: Telegram stops trying
    assert telegram.texts(4202) == [response("utter_crisis_help", "nb"), APOLOGY_NB]
