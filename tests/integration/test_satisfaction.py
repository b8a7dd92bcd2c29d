"""Satisfaction on the real servers: "Var dette nyttig?" after an answer, a rating after a
counsellor conversation; stored with no conversation id, taken once each."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
import websockets

from bench.clients import Counsellor, add_counsellor
from bot.commands.serve import Servers
from bot.server.database import make_engine
from bot.server.handoff.models import Satisfaction
from tests.servers import Person, resume, socket_url

pytestmark = pytest.mark.integration
IDENTITY_NUMBER = "01019912368"  # invented, with valid check digits


def kept(servers: Servers) -> list[dict]:
    with make_engine(servers.database_url).connect() as connection:
        return [dict(row) for row in connection.execute(
            sa.select(Satisfaction.__table__).order_by(Satisfaction.id)).mappings()]


async def next_frame_after_turn(person: Person) -> dict:
    """The frame after the turn's end: a `feedback` question, or the `pong` of a ping
    sent after the turn (nothing asked)."""
    await person.until("typing", on=False)
    await person.send(type="ping")
    while True:
        frame = await person.receive()
        if frame["type"] in ("feedback", "pong"):
            return frame


async def test_an_answer_is_asked_about_once_and_a_greeting_is_not(servers: Servers) -> None:
    before = len(kept(servers))
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket)
        await person.opening()
        await person.send(type="message", text="hei")
        assert (await next_frame_after_turn(person))["type"] == "pong"

        await person.send(type="message", text="Når er fristen for å søke høyere utdanning?")
        asked = await next_frame_after_turn(person)
        assert asked["type"] == "feedback"
        await person.send(type="feedback", id="f-made-up", helpful=True)
        assert (await person.until("error"))["code"] == "not_asked"
        await person.send(type="feedback", id=asked["id"], helpful=False)
        assert (await person.until("thanks"))["for"] == "feedback"
        await person.send(type="feedback", id=asked["id"], helpful=True)  # once only
        assert (await person.until("error"))["code"] == "not_asked"
        await person.send(type="feedback", id=asked["id"], helpful="ja")
        assert (await person.until("error"))["code"] == "invalid_frame"

    rows = kept(servers)[before:]
    assert [(r["kind"], r["score"], r["channel"], r["language"]) for r in rows] == [
        ("answer", 0, "webchat", "nb")]
    assert rows[0]["created_at"] % 3600 == 0  # the hour only
    assert "sender_id" not in rows[0]


async def test_a_counsellor_conversation_can_be_rated_once(servers: Servers) -> None:
    add_counsellor(servers, "rita", "Rita")
    counsellor = Counsellor(servers)
    assert counsellor.log_in("rita")[0] == 200
    desk = await counsellor.socket()
    try:
        async with websockets.connect(socket_url(servers)) as socket:
            person = await resume(socket)
            session, _ = await person.opening()
            await person.send(type="rate", score=5)
            assert (await person.until("error"))["code"] == "not_asked"  # no conversation yet

            await person.send(type="message", text="jeg vil snakke med en rådgiver")
            await person.until("typing", on=False)  # queued: the turn is stored
            case = next(c for c in counsellor.cases() if c["sender_id"] == session["sender"])
            assert (await asyncio.to_thread(counsellor.take, case["id"]))[0] == 200
            assert (await asyncio.to_thread(counsellor.say, case["id"], "Hei, jeg er Rita."))[0] \
                == 201
            assert (await asyncio.to_thread(counsellor.close, case["id"]))[0] == 200
            await person.until("rate")

            before = len(kept(servers))
            await person.send(type="rate", score=6)
            assert (await person.until("error"))["code"] == "invalid_frame"
            await person.send(type="rate", score=4,
                              comment=f"Rita var flink. Mitt nummer er {IDENTITY_NUMBER}")
            assert (await person.until("thanks"))["for"] == "rate"
            await person.send(type="rate", score=1)
            assert (await person.until("error"))["code"] == "not_asked"  # once per case
    finally:
        await desk.close()
    rows = kept(servers)[before:]
    assert [(r["kind"], r["score"]) for r in rows] == [("counsellor", 4)]
    assert IDENTITY_NUMBER not in rows[0]["comment"] and "Rita var flink" in rows[0]["comment"]
