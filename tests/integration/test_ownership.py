"""A conversation belongs to the person who started it (issue #12): a stranger who knows
its id, a Telegram chat id or a REST sender learns nothing and cannot step in."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from bot.commands.serve import Servers
from bot.server.channels.ownership import rest_conversation
from tests.servers import Chat, Person, push, resume, socket_url

pytestmark = pytest.mark.integration


async def started(servers: Servers, text: str) -> dict[str, Any]:
    """A person's web chat conversation with one question in it: its session frame."""
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket)
        session, _ = await person.opening()
        await person.send(type="message", text=text)
        await person.until("message", **{"from": "bot"})
        await person.until("typing", on=False)  # the turn is over: the conversation is stored
    return session


def user_texts(chat: Chat, conversation: str) -> list[str]:
    return [e["text"] for e in chat.tracker(conversation)["events"] if e["event"] == "user"]


async def test_an_id_without_its_secret_opens_a_new_conversation(servers: Servers) -> None:
    victim = await started(servers, "jeg lurer på lånekassen")
    forged = [
        {"sender": victim["sender"]},  # the id alone
        {"sender": victim["sender"], "secret": "A" * 43},  # a guessed secret
        {"sender": victim["sender"], "secret": victim["secret"][:-1] + "x"},
    ]
    for keys in forged:
        async with websockets.connect(socket_url(servers)) as socket:
            stranger = Person(socket)
            await stranger.send(type="resume", **keys)
            session, history = await stranger.opening()
            assert not session["resumed"] and session["sender"] != victim["sender"]
            assert history["messages"] == []
    # The old way in, ?sender= on the URL, names nothing either.
    url = f"{socket_url(servers)}?sender={victim['sender']}"
    async with websockets.connect(url) as socket:
        session, history = await (await resume(socket)).opening()
        assert session["sender"] != victim["sender"] and history["messages"] == []
    # The person still has the conversation.
    async with websockets.connect(socket_url(servers)) as socket:
        session, history = await (await resume(socket, victim)).opening()
        assert session["resumed"] and history["messages"][0]["text"] == "jeg lurer på lånekassen"


async def test_a_stranger_cannot_take_a_counsellors_replies(servers: Servers) -> None:
    victim = await started(servers, "takk")
    async with websockets.connect(socket_url(servers)) as theirs, \
            websockets.connect(socket_url(servers)) as mine:
        person = await resume(mine, victim)
        await person.opening()
        stranger = Person(theirs)
        await stranger.send(type="resume", sender=victim["sender"])
        await stranger.opening()
        await stranger.send(type="message", text="hei")  # once, this took the replies
        await stranger.until("message", **{"from": "bot"})
        await asyncio.to_thread(push, servers, victim["sender"], "greet")
        pushed = await person.until("message")
        seen = {frame.get("id") for frame in await frames_for(stranger, seconds=2)}
        assert pushed["id"] not in seen


async def frames_for(person: Person, seconds: float) -> list[dict[str, Any]]:
    """Every frame that arrives within ``seconds`` of quiet."""
    frames = []
    try:
        while True:
            frames.append(await person.receive(timeout=seconds))
    except asyncio.TimeoutError:
        return frames


async def test_other_channels_ids_name_nothing_in_the_web_chat(
    servers: Servers, chat: Chat
) -> None:
    # Once, REST as "telegram-123456789" wrote into that Telegram conversation, and the
    # web chat replayed it to anyone who asked for it.
    for sender in ("telegram-123456789", "telegram:123456789"):
        chat.send(sender, "jeg heter Kari Nordmann")
        assert user_texts(chat, "telegram:123456789") == []
        assert user_texts(chat, rest_conversation(sender)) == ["jeg heter Kari Nordmann"]
        async with websockets.connect(socket_url(servers)) as socket:
            stranger = Person(socket)
            await stranger.send(type="resume", sender=sender, secret="A" * 43)
            session, history = await stranger.opening()
            assert session["sender"].startswith("web:") and history["messages"] == []


async def test_a_rest_id_seen_in_the_desk_does_not_open_the_conversation(chat: Chat) -> None:
    chat.send("rest-owner-5f1c", "jeg heter Ola og bor i Tromsø")
    stored = rest_conversation("rest-owner-5f1c")
    replies = chat.send(stored, "hva sa jeg i stad?")  # the id as the desk shows it
    assert replies and "Tromsø" not in json.dumps(replies, ensure_ascii=False)
    assert user_texts(chat, stored) == ["jeg heter Ola og bor i Tromsø"]


async def test_new_conversation_ends_access_at_once(servers: Servers) -> None:
    earlier = await started(servers, "hei")
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket, earlier)
        await person.opening()
        await person.send(type="end")
        assert (await person.until("ended"))["erased"] is False
    # A copy of the secret left on a shared computer opens nothing now.
    async with websockets.connect(socket_url(servers)) as socket:
        session, history = await (await resume(socket, earlier)).opening()
        assert not session["resumed"] and history["messages"] == []


async def test_delete_conversation_deletes_it(servers: Servers, chat: Chat) -> None:
    earlier = await started(servers, "jeg vil bli sykepleier")
    assert user_texts(chat, earlier["sender"]) == ["jeg vil bli sykepleier"]
    async with websockets.connect(socket_url(servers)) as socket:
        person = await resume(socket, earlier)
        await person.opening()
        await person.send(type="erase")
        assert (await person.until("ended"))["erased"] is True
    assert user_texts(chat, earlier["sender"]) == []
    async with websockets.connect(socket_url(servers)) as socket:
        session, _ = await (await resume(socket, earlier)).opening()
        assert not session["resumed"]
