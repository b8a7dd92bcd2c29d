"""Handoff to a counsellor with the real servers: triggers, queue, desk, and back."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import websockets

from bench.clients import PASSWORD, Counsellor, add_counsellor
from bot.commands.serve import Servers
from bot.shared.settings import PROJECT_DIR
from tests.facts import answer_problems, filled, response
from tests.servers import Chat, conversation, resume, socket_url, start_servers
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

GRACE_SECONDS = 2
LONG_WAIT_SECONDS = 6


@pytest.fixture(scope="module")
def desk_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Servers of their own, so the queue holds only this module's cases."""
    state = tmp_path_factory.mktemp("handoff")
    servers = start_servers(state / "conversations.db", state / "servers.log",
                            env={"VEIVALG_DESK_RECONNECT_SECONDS": str(GRACE_SECONDS),
                                 "VEIVALG_LONG_WAIT_MINUTES": str(LONG_WAIT_SECONDS / 60)})
    add_counsellor(servers, "kari", "Kari")
    add_counsellor(servers, "ola", "Ola")
    yield servers
    servers.stop()


@pytest.fixture
def person(desk_servers: Servers) -> Chat:
    return Chat(desk_servers)


@pytest.fixture
def kari(desk_servers: Servers) -> Iterator[Counsellor]:
    """Kari, logged in with her desk open (online); her cases are closed afterwards."""
    counsellor = Counsellor(desk_servers)
    assert counsellor.log_in("kari")[0] == 200
    loop = asyncio.new_event_loop()
    socket = loop.run_until_complete(counsellor.socket())
    counsellor.events_until = (  # type: ignore[attr-defined]
        lambda done: events_until(loop, socket, done))
    yield counsellor
    # Close what is left, so the next test's queue holds only its own cases.
    for case in counsellor.cases():
        if case["status"] != "open":
            counsellor.take(case["id"])
        counsellor.close(case["id"])
    loop.run_until_complete(socket.close())
    loop.close()


def events_until(loop: asyncio.AbstractEventLoop, socket: Any,
                 done: Callable[[dict], bool], timeout: float = 30) -> list[dict]:
    """The desk events that arrive, up to and including the first one that is `done`."""
    events: list[dict] = []

    async def read() -> None:
        while not (events and done(events[-1])):
            events.append(json.loads(await socket.recv()))

    try:
        loop.run_until_complete(asyncio.wait_for(read(), timeout))
    except asyncio.TimeoutError:
        raise AssertionError(f"the awaited desk event did not come within {timeout:g} s; "
                             f"came: {[e['type'] for e in events]}") from None
    return events


def test_asking_for_a_human_opens_a_case_and_pauses_the_bot(person: Chat, kari: Counsellor) -> None:
    answer = person.texts("h-ask", "Når er fristen for samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []
    answer = person.texts("h-ask", "jeg vil snakke med et menneske")
    queued = filled(answer, "utter_handoff_queued", "nb")
    assert queued is not None and queued["position"] == "1", answer
    number, unit = queued["wait"].split()  # "1 minutt", "3 minutter" (issue 14)
    assert unit == ("minutt" if number == "1" else "minutter"), queued

    case = kari.case_of("h-ask")
    assert case["status"] == "pending" and case["priority"] == "medium"
    assert case["topic"] == "higher_education" and case["language"] == "nb"
    assert "Når er fristen for samordna opptak?" in case["summary"]
    assert case["summary"].startswith("Tema: Høyere utdanning."), case["summary"]  # issue 14
    # A note of hers is a marker: every event about the new case came before it.
    assert kari.call("POST", f"/desk/api/cases/{case['id']}/notes", {"text": "sett"})[0] == 201
    events = kari.events_until(lambda e: e["type"] == "note.created")
    created = [e for e in events if e["type"] == "conversation.created"]
    assert [e["case"]["id"] for e in created] == [case["id"]]  # announced, and only once

    # The bot is paused: the person's next message goes to the desk, unanswered by the bot.
    assert person.send("h-ask", "hallo? er det noen der?") == []
    kari.events_until(lambda e: e["type"] == "message.created"
                      and e["message"]["text"] == "hallo? er det noen der?")


def test_a_counsellor_takes_chats_and_closes_and_the_bot_resumes(
    person: Chat, kari: Counsellor
) -> None:
    person.texts("h-chat", "Kva er fristen for å søkje vidaregåande?")
    person.texts("h-chat", "eg vil snakke med ein rådgivar")
    case = kari.case_of("h-chat")
    assert kari.take(case["id"])[0] == 200
    status, sent = kari.say(case["id"], "Hei, eg heiter Kari. Korleis kan eg hjelpe?")
    assert status == 201 and sent["message"]["from"] == "counsellor"

    transcript = kari.call("GET", f"/desk/api/cases/{case['id']}")[1]["transcript"]
    counsellor_lines = [m for m in transcript if m["from"] == "counsellor"]
    assert counsellor_lines[0]["name"] == "Kari"  # the display name, never the login
    assert "kari" not in json.dumps(counsellor_lines)

    assert kari.close(case["id"])[0] == 200
    assert person.texts("h-chat", "takk").startswith("Berre hyggeleg")


def test_an_unsure_bot_asks_then_offers_a_counsellor(person: Chat, kari: Counsellor) -> None:
    [first] = person.send("h-unsure", "xqzj vvkw")  # mash: not understood, no guessed topics
    assert first["text"] == response("utter_default", "nb")
    payloads = [button["payload"] for button in first["buttons"]]
    assert payloads and all(payload.startswith("/ask_") for payload in payloads)
    [second] = person.send("h-unsure", "bfff qqq")  # then the offer of a counsellor
    assert second["text"] == response("utter_offer_handoff", "nb")
    assert [b["payload"] for b in second["buttons"]] == ["/affirm", "/deny"]
    queued = filled(person.texts("h-unsure", "/affirm"), "utter_handoff_queued", "nb")
    assert queued is not None
    assert kari.case_of("h-unsure")["status"] == "pending"


def test_the_offer_can_be_declined(person: Chat, kari: Counsellor) -> None:
    offer = person.texts("h-decline", "jeg vet ikke hva jeg vil bli")
    assert "rådgiver" in offer
    assert "Helt i orden" in person.texts("h-decline", "nei takk")
    assert not [c for c in kari.cases() if c["sender_id"] == "h-decline"]
    answer = person.texts("h-decline", "når er fristen for samordna opptak")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []


def test_crisis_gets_help_lines_first_and_an_urgent_case_first_in_line(
    person: Chat, kari: Counsellor
) -> None:
    person.texts("h-queue", "jeg vil snakke med en rådgiver")
    replies = person.send("h-crisis", "jeg orker ikke mer, vil ikke leve lenger")
    # The help lines, then "a counsellor takes you first": no number to count down.
    assert [reply["text"] for reply in replies] == [
        response("utter_crisis_help", "nb"), response("utter_crisis_queued", "nb"),
    ]
    crisis = kari.case_of("h-crisis")
    assert crisis["priority"] == "urgent" and crisis["position"] == 1
    assert kari.case_of("h-queue")["position"] == 2


def test_two_counsellors_race_for_one_case(person: Chat, kari: Counsellor,
                                            desk_servers: Servers) -> None:
    person.texts("h-race", "kan jeg få snakke med et menneske")
    case = kari.case_of("h-race")
    ola = Counsellor(desk_servers)
    assert ola.log_in("ola")[0] == 200
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda c: c.take(case["id"])[0], [kari, ola]))
    assert sorted(results) == [200, 409]


def test_transfer_to_a_colleague_and_back_to_the_queue(
    person: Chat, kari: Counsellor, desk_servers: Servers
) -> None:
    person.texts("h-transfer", "I want to talk to a real person")
    case = kari.case_of("h-transfer")
    kari.take(case["id"])
    colleagues = kari.call("GET", "/desk/api/counsellors")[1]["counsellors"]
    ola_id = next(c["id"] for c in colleagues if c["name"] == "Ola")

    # JSON true is no counsellor id (Python would take it for 1).
    assert kari.call("POST", f"/desk/api/cases/{case['id']}/transfer", {"to": True})[0] == 400
    status, moved = kari.call("POST", f"/desk/api/cases/{case['id']}/transfer", {"to": ola_id})
    assert status == 200 and moved["case"]["assignee"]["name"] == "Ola"
    assert kari.say(case["id"], "hei")[0] == 409  # no longer hers

    ola = Counsellor(desk_servers)
    ola.log_in("ola")
    status, queued = ola.call("POST", f"/desk/api/cases/{case['id']}/transfer", {"to": None})
    assert status == 200 and queued["case"]["status"] == "pending"
    assert queued["case"]["assignee"] is None


def test_a_counsellor_who_disconnects_does_not_strand_the_person(
    person: Chat, desk_servers: Servers, kari: Counsellor
) -> None:
    person.texts("h-gone", "jeg vil snakke med en rådgiver")
    ola = Counsellor(desk_servers)
    ola.log_in("ola")
    case = ola.case_of("h-gone")

    async def take_then_vanish() -> float:
        socket = await ola.socket()
        assert (await asyncio.to_thread(ola.take, case["id"]))[0] == 200
        vanished = time.monotonic()  # no later than the server can notice
        socket.transport.abort()
        return vanished

    vanished = asyncio.run(take_then_vanish())
    assert ola.case_of("h-gone")["status"] == "open"
    back = wait_until(lambda: ola.case_of("h-gone"), lambda case: case["status"] == "pending",
                      timeout=GRACE_SECONDS + 30, what="the case back in the queue")
    assert time.monotonic() - vanished >= GRACE_SECONDS  # not before her time to return
    assert back["assignee"] is None


def test_the_desk_refuses_without_a_valid_session(desk_servers: Servers) -> None:
    stranger = Counsellor(desk_servers)
    assert stranger.log_in("kari", "feil-passord-123")[1]["error"] == "invalid_login"
    assert stranger.log_in("ingen-slik", PASSWORD)[1]["error"] == "invalid_login"
    assert stranger.call("GET", "/desk/api/cases")[0] == 401
    assert stranger.call("POST", "/desk/api/cases/1/take", {})[0] == 401

    expired = Counsellor(desk_servers)
    expired.log_in("ola")
    from bot.server.database import make_engine
    from bot.server.handoff.accounts import Accounts

    accounts = Accounts(make_engine(desk_servers.database_url), 60)
    ola_id = next(c.id for c in accounts.all() if c.name == "Ola")
    accounts.expire_sessions_of(ola_id)
    assert expired.call("GET", "/desk/api/cases")[0] == 401

    async def socket_refused() -> int:
        socket = await expired.socket()
        await socket.wait_closed()
        return socket.close_code

    assert asyncio.run(socket_refused()) == 4401


def test_the_internal_api_needs_the_token(desk_servers: Servers) -> None:
    outsider = Counsellor(desk_servers)
    status, _ = outsider.call("POST", "/desk/internal/cases", {"sender_id": "x"})
    assert status == 401


def test_accounts_are_made_with_the_cli(desk_servers: Servers) -> None:
    def add(login: str, password: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.server.handoff.accounts", "add", login, "Per"],
            input=password + "\n", capture_output=True, text=True, cwd=PROJECT_DIR,
            env={"VEIVALG_DATABASE_URL": desk_servers.database_url, "PATH": "/usr/bin"},
            timeout=60,
        )

    assert add("per", "kort").returncode == 1
    made = add("per", "et-langt-passord-for-per")
    assert made.returncode == 0, made.stderr
    assert add("per", "et-langt-passord-for-per").returncode == 1  # the login exists
    per = Counsellor(desk_servers)
    assert per.log_in("per", "et-langt-passord-for-per")[0] == 200


@pytest.fixture(scope="module")
def closed_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("closed")
    servers = start_servers(
        state / "conversations.db", state / "servers.log",
        env={"VEIVALG_OPENING_HOURS": str(PROJECT_DIR / "tests/fixtures/always_closed.yml")},
    )
    add_counsellor(servers, "kari", "Kari")
    yield servers
    servers.stop()


def test_outside_opening_hours_a_question_can_be_left(closed_servers: Servers) -> None:
    person = Chat(closed_servers)
    replies = person.send("h-closed", "kan jeg snakke med en veileder?")
    assert "ikke på jobb" in replies[0]["text"] and "mandag" in replies[0]["text"]
    assert replies[0]["buttons"][0]["payload"] == "/leave_question"

    assert "Hva vil du spørre" in person.texts("h-closed", "/leave_question")
    assert "Hvordan kan rådgiveren nå deg" in person.texts(
        "h-closed", "Hvordan får jeg godkjent utdanning fra utlandet?"
    )
    assert "Prøv igjen" in person.texts("h-closed", "ring meg kanskje")
    assert "Prøv igjen" in person.texts("h-closed", "1234")
    # The form's own reply, and the notice that an identity number was not kept.
    assert "fjernet personnummeret" in person.texts("h-closed", "fnr 010199 12368")
    assert "Takk!" in person.texts("h-closed", "ola.testperson@eksempel.no")

    kari = Counsellor(closed_servers)
    kari.log_in("kari")
    case = kari.case_of("h-closed")
    assert case["status"] == "snoozed" and case["kind"] == "callback"
    assert case["question"] == "Hvordan får jeg godkjent utdanning fra utlandet?"
    assert "contact" not in case  # only in the detail view
    detail = kari.call("GET", f"/desk/api/cases/{case['id']}")[1]["case"]
    assert detail["contact"] == "ola.testperson@eksempel.no"

    tracker = Chat(closed_servers).tracker("h-closed")
    assert tracker["slots"]["callback_contact"] is None
    assert "ola.testperson" not in json.dumps(tracker)  # only the case has it
    assert "[lagret i saken]" in [e.get("text") for e in tracker["events"]]
    log = Path(closed_servers.log_path).read_text()
    assert "ola.testperson@eksempel.no" not in log


def test_a_question_at_the_contact_step_is_answered_and_avbryt_leaves(
        closed_servers: Servers) -> None:
    """Asked how a counsellor can reach them, a parent typed the next question and got
    "Det ser ikke ut som en e-postadresse" again and again (a probe, 2026-12-05)."""
    person = Chat(closed_servers)
    person.send("h-leave", "kan jeg snakke med en veileder?")
    person.send("h-leave", "/leave_question")
    assert "nå deg" in person.texts("h-leave", "Sønnen min vil bli elektriker. Hva må han velge?")
    said = person.texts("h-leave", "når er søknadsfristen for videregående?")
    assert "1. mars" in said and "ikke sendt ennå" in said and "nå deg" in said
    assert "sender jeg ikke spørsmålet" in person.texts("h-leave", "avbryt")
    tracker = person.tracker("h-leave")
    assert tracker["slots"]["callback_question"] is None
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    kari = Counsellor(closed_servers)
    kari.log_in("kari")
    # nothing was left with the desk
    assert all(case["sender_id"] != conversation("h-leave") for case in kari.cases())
    # and the bot answers as usual afterwards
    assert "vigo" in person.texts("h-leave", "hvordan søker man på videregående?")


def test_with_nobody_online_the_bot_says_so(desk_servers: Servers) -> None:
    # Nobody has a desk open in this test (the kari fixture is not used).
    answer = Chat(desk_servers).texts("h-nobody", "jeg vil snakke med en rådgiver")
    busy = filled(answer, "utter_handoff_nobody_online", "nb")
    assert busy is not None and busy["hours"].strip(), answer


def test_a_long_wait_is_told_and_a_question_can_be_left_instead(
    desk_servers: Servers, kari: Counsellor
) -> None:
    async def waiting_person() -> str:
        async with websockets.connect(socket_url(desk_servers)) as socket:
            person = await resume(socket)
            session, _ = await person.opening()
            await person.send(type="message", text="jeg vil snakke med en rådgiver")
            while "i køen" not in (await person.until("message")).get("text", ""):
                pass
            told = await person.receive(timeout=LONG_WAIT_SECONDS + 25)
            while told.get("type") != "message":
                told = await person.receive(timeout=LONG_WAIT_SECONDS + 25)
            assert "tar tid" in told["text"]
            [button] = told["buttons"]
            await person.send(type="message", text=button["payload"], title=button["title"])
            asked = await person.until("message")
            assert "Hva vil du spørre" in asked["text"]
            await person.send(type="message", text="Kan jeg ta fagbrev som voksen?")
            assert "nå deg" in (await person.until("message"))["text"]
            await person.send(type="message", text="412 34 567")
            assert "Takk!" in (await person.until("message"))["text"]
            return session["sender"]

    sender = asyncio.run(waiting_person())
    cases = [case for case in kari.cases() if case["sender_id"] == sender]
    assert [(case["kind"], case["status"]) for case in cases] == [("callback", "snoozed")]
    detail = kari.call("GET", f"/desk/api/cases/{cases[0]['id']}")[1]["case"]
    assert detail["contact"] == "41234567"


def test_a_message_in_sami_is_greeted_in_sami_and_queued_tagged_sami(
    person: Chat, kari: Counsellor
) -> None:
    replies = person.send("h-sami", "Bures! Mun háliidan oahppat eanet joatkkaskuvlla birra.")
    assert replies[0]["text"].startswith("Bures boahtin!")
    assert "i køen" in replies[-1]["text"]
    case = kari.case_of("h-sami")
    assert case["tags"] == ["sami"] and case["language"] == "se"


def test_guidance_in_sami_asked_in_norwegian_is_answered_in_norwegian_and_tagged_sami(
    person: Chat, kari: Counsellor
) -> None:
    # Not thanked for writing in Sami: the person wrote Bokmål.
    replies = person.send("h-sami-nb", "Vi snakker samisk hjemme. Kan jeg få veiledning på "
                                       "samisk hos dere?")
    assert replies[0]["text"].startswith("Jeg er en chatbot")
    assert "veiledning på samisk" in replies[0]["text"]
    assert "i køen" in replies[-1]["text"]
    case = kari.case_of("h-sami-nb")
    assert case["tags"] == ["sami"] and case["language"] == "nb"
