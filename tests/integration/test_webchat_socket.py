"""The web chat socket against the real servers, spoken to as the widget does."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets

from bot.commands.serve import Servers
from bot.server.channels.webchat import STATIC_DIR
from tests.facts import answer_problems, response
from tests.servers import Chat, Person, push, resume, socket_url
from tests.waiting import wait_until

pytestmark = pytest.mark.integration


async def test_a_new_person_gets_an_id_and_a_conversation(servers: Servers) -> None:
    async with websockets.connect(socket_url(servers)) as socket:
        person = Person(socket)  # says nothing first: a new conversation all the same
        session, history = await person.opening()
        assert not session["resumed"] and session["sender"].startswith("web:")
        assert len(session["secret"]) >= 43  # 256 bits
        assert session["limits"]["max_chars"] == 2000
        assert history["messages"] == []

        await person.send(type="message", text="Når er fristen for å søke på samordna?", id="c1")
        assert (await person.until("ack"))["id"] == "c1"
        assert (await person.until("typing"))["on"] is True
        answer = await person.until("message")
        assert answer["from"] == "bot"
        assert answer_problems(answer["text"], "ask_higher_education_deadline", "nb") == []
        assert (await person.until("typing"))["on"] is False


async def test_a_removed_identity_number_is_told_after_the_answer(servers: Servers) -> None:
    async with websockets.connect(socket_url(servers)) as socket:
        person = Person(socket)
        await person.opening()
        await person.send(type="message", text="fnr 01019912368. når er fristen for samordna?")
        answer = await person.until("message", **{"from": "bot"})
        assert answer_problems(answer["text"], "ask_higher_education_deadline", "nb") == []
        notice = await person.until("message", **{"from": "bot"})
        assert notice["text"].startswith("Jeg har fjernet personnummeret"), notice


async def test_a_reconnect_resumes_with_the_history(servers: Servers) -> None:
    url = socket_url(servers)
    async with websockets.connect(url) as socket:
        person = await resume(socket)
        first, _ = await person.opening()
        await person.send(type="message", text="hva blir været i morgen?")
        offer = await person.until("message", **{"from": "bot"})
        assert "/ask_student_finance_deadline" in [b["payload"] for b in offer["buttons"]]
        await person.send(  # the offered button pressed: its payload, shown as its title
            type="message", text="/ask_student_finance_deadline", title="Lån og stipend"
        )
        await person.until("message", **{"from": "bot"})
        await person.until("typing", on=False)  # the turn is over: the conversation is stored
    async with websockets.connect(url) as socket:
        session, history = await (await resume(socket, first)).opening()
        assert session["resumed"] and session["sender"] == first["sender"]
        assert "secret" not in session  # the secret is shown once, when it is made
        said = [(m["from"], m["text"][:14]) for m in history["messages"]]
        assert said == [("user", "hva blir været"), ("bot", offer["text"][:14]),
                        ("user", "Lån og stipend"), ("bot", "Du kan søke om")]


async def test_a_push_reaches_an_open_socket_and_waits_for_a_closed_one(
    servers: Servers,
) -> None:
    url = socket_url(servers)
    async with websockets.connect(url) as socket:
        person = await resume(socket)
        session, _ = await person.opening()
        # Rasa pushes to the channel the conversation last used: start it here.
        await person.send(type="message", text="takk")
        await person.until("message")
        await asyncio.to_thread(push, servers, session["sender"], "greet")
        pushed = await person.until("message")
        assert pushed["text"] == response("utter_greet", "nb")

    await asyncio.to_thread(push, servers, session["sender"], "goodbye")
    async with websockets.connect(url) as socket:
        person = await resume(socket, session)
        _, history = await person.opening()
        kept = await person.until("message")
        assert kept["text"] == response("utter_goodbye", "nb")
        # The kept push is also in the history, under the same id: the widget shows it once.
        assert kept["id"] in {m["id"] for m in history["messages"]}


async def test_bad_frames_get_errors_and_the_socket_stays_open(servers: Servers) -> None:
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket)
        await person.opening()
        for raw, code in [
            ("not json", "invalid_frame"),
            ('{"type": "shutdown"}', "invalid_frame"),
            ('{"text": "no type"}', "invalid_frame"),
            ('{"type": "language", "language": "de"}', "invalid_language"),
            # Over the longest message, under the largest frame (which closes the socket).
            (json.dumps({"type": "message", "text": "x" * 10_000}), "message_too_long"),
            (json.dumps({"type": "message", "text": "   "}), "empty_message"),
        ]:
            await socket.send(raw)
            assert (await person.until("error"))["code"] == code
        await person.send(type="message", text="<script>alert(1)</script> hei")
        reply = await person.until("message")
        assert "<script" not in reply["text"]
        await person.send(type="ping")
        await person.until("pong")


async def test_a_flood_is_rate_limited(servers: Servers) -> None:
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket)
        await person.opening()
        for n in range(20):  # a burst of 10 is allowed, then 30 a minute
            await person.send(type="message", text=f"hei {n}")
        error = await person.until("error")
        assert error["code"] == "rate_limited"


async def test_a_foreign_page_may_not_connect(servers: Servers) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        async with websockets.connect(
            socket_url(servers), extra_headers={"Origin": "https://evil.example"}
        ):
            pass
    assert refused.value.status_code == 403
    own = f"http://127.0.0.1:{servers.rasa_port}"
    async with websockets.connect(socket_url(servers), extra_headers={"Origin": own}) as socket:
        await Person(socket).opening()


async def test_a_dropped_socket_loses_nothing(servers: Servers, chat: Chat) -> None:
    url = socket_url(servers)
    socket = await websockets.connect(url)
    person = await resume(socket)
    session, _ = await person.opening()
    await person.send(type="message", text="kva er fristen for vidaregåande", id="q")
    await person.until("ack", id="q")  # the server has the question...
    socket.transport.abort()  # ...and the network goes while it answers
    assert await asyncio.to_thread(servers.rasa_ready)
    # The answer is stored when its turn ends, whenever that is: wait for it to be there.
    await asyncio.to_thread(
        wait_until, lambda: chat.tracker(session["sender"])["events"],
        lambda events: any(e["event"] == "bot" for e in events),
        timeout=60, what="the answer stored in the conversation")
    async with websockets.connect(url) as again:
        _, history = await (await resume(again, session)).opening()
    texts = [m["text"] for m in history["messages"]]
    assert texts[0] == "kva er fristen for vidaregåande"
    assert answer_problems(texts[1], "ask_upper_secondary_deadline", "nn") == []


async def test_the_widget_and_demo_page_are_served(chat: Chat) -> None:
    for path, name, kind in [("/chat/", "index.html", "text/html"),
                             ("/chat", "index.html", "text/html"),
                             ("/chat/widget.js", "widget.js", "javascript"),
                             ("/chat/widget.css", "widget.css", "text/css")]:
        with urllib.request.urlopen(chat.servers.rasa_url + path, timeout=10) as response:
            assert response.status == 200 and kind in response.headers["Content-Type"]
            assert response.read() == (STATIC_DIR / name).read_bytes(), path


def test_rasas_socketio_channel_is_off(chat: Chat) -> None:
    # Its client chooses its own session id, so it could read anyone's conversation.
    url = chat.servers.rasa_url + "/socket.io/?EIO=4&transport=polling"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 404
    refused.value.close()
