"""Handoff figures: message relay latency between person and counsellor with 20 cases
active at once, and the time from a handoff request to the case showing in every desk.

    python -m bench.handoff [--cases 20] [--messages 10] [--desks 10]

Loopback only; every loop is bounded in count and time. The desk is open round the clock
for the run (tests/fixtures/always_open.yml) and the rate limit is raised.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import websockets

from bench.clients import Counsellor, add_counsellor
from bench.common import (
    heading,
    machine_summary,
    model_missing,
    ms,
    percentile,
    progress,
    running_servers,
    table,
)
from bot.commands.serve import Servers
from bot.shared.settings import PROJECT_DIR

ENV = {
    "VEIVALG_OPENING_HOURS": str(PROJECT_DIR / "tests" / "fixtures" / "always_open.yml"),
    "VEIVALG_MESSAGES_PER_MINUTE": "100000",
}
ASK_FOR_HUMAN = "jeg vil snakke med en rådgiver"
WAIT_SECONDS = 30


async def next_frame(socket: Any, wanted: Any) -> dict[str, Any]:
    """The next frame for which wanted(frame) is true."""
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))
        if wanted(frame):
            return frame


async def person_socket(servers: Servers, sender: str) -> Any:
    socket = await websockets.connect(
        f"ws://127.0.0.1:{servers.rasa_port}/chat/socket?sender={sender}", max_queue=None
    )
    for _ in range(2):  # session, history
        await socket.recv()
    return socket


async def ask_for_counsellor(person: Any) -> None:
    await person.send(json.dumps({"type": "message", "text": ASK_FOR_HUMAN}))
    await next_frame(person, lambda f: f["type"] == "message" and "køen" in f.get("text", ""))


async def relay(servers: Servers, cases: int, messages: int) -> tuple[list[float], list[float]]:
    """Seconds person -> desk and desk -> person, over `cases` open cases at once."""
    desk = Counsellor(servers)
    desk.log_in("bench-1")
    desk_socket = await desk.socket()
    await desk_socket.recv()  # hello
    people = {f"bench-relay-{n}": await person_socket(servers, f"bench-relay-{n}")
              for n in range(cases)}
    for person in people.values():
        await ask_for_counsellor(person)
    case_ids = {}
    for sender in people:
        case = await asyncio.to_thread(desk.case_of, sender)
        await asyncio.to_thread(desk.take, case["id"])
        case_ids[sender] = case["id"]
    for person in people.values():  # "joined" notices
        await next_frame(person, lambda f: f["type"] == "handoff")

    to_desk, to_person = [], []
    for round_ in range(messages):
        for sender, person in people.items():
            text = f"melding {round_} fra {sender}"
            started = time.perf_counter()
            await person.send(json.dumps({"type": "message", "text": text}))
            await next_frame(desk_socket, lambda f, t=text: f["type"] == "message.created"
                             and f["message"]["text"] == t)
            to_desk.append(time.perf_counter() - started)

            reply = f"svar {round_} til {sender}"
            started = time.perf_counter()
            await asyncio.to_thread(desk.say, case_ids[sender], reply)
            await next_frame(person, lambda f, r=reply: f["type"] == "message"
                             and f.get("text") == r)
            to_person.append(time.perf_counter() - started)
    for case_id in case_ids.values():
        await asyncio.to_thread(desk.close, case_id)
    for socket in [desk_socket, *people.values()]:
        await socket.close()
    return to_desk, to_person


async def case_to_every_desk(servers: Servers, desks: int, requests: int) -> list[float]:
    """Seconds from a person asking for a human to the case showing in the last desk."""
    counsellors = [Counsellor(servers) for _ in range(desks)]
    sockets = []
    for n, counsellor in enumerate(counsellors):
        counsellor.log_in(f"bench-{n + 1}")
        socket = await counsellor.socket()
        await socket.recv()  # hello
        sockets.append(socket)
    timings = []
    for n in range(requests):
        person = await person_socket(servers, f"bench-appear-{n}")
        started = time.perf_counter()
        await person.send(json.dumps({"type": "message", "text": ASK_FOR_HUMAN}))
        await asyncio.gather(*(
            next_frame(socket, lambda f: f["type"] == "conversation.created") for socket in sockets
        ))
        timings.append(time.perf_counter() - started)
        await person.close()
    for socket in sockets:
        await socket.close()
    return timings


def close_everything(servers: Servers) -> None:
    desk = Counsellor(servers)
    desk.log_in("bench-1")
    for case in desk.cases():
        if case["status"] != "open":
            desk.take(case["id"])
        desk.close(case["id"])


def run(cases: int = 20, messages: int = 10, desks: int = 10) -> None:
    with running_servers(ENV) as servers:
        for n in range(max(desks, 1)):
            add_counsellor(servers, f"bench-{n + 1}", f"Rådgiver {n + 1}")
        heading(f"Message relay with {cases} cases active at once, {messages} each way per case")
        progress("relaying")
        to_desk, to_person = asyncio.run(relay(servers, cases, messages))
        print(table(["direction", "messages", "p50 ms", "p95 ms", "max ms"], [
            ["person -> counsellor", len(to_desk), ms(percentile(to_desk, 50)),
             ms(percentile(to_desk, 95)), ms(max(to_desk))],
            ["counsellor -> person", len(to_person), ms(percentile(to_person, 50)),
             ms(percentile(to_person, 95)), ms(max(to_person))],
        ]))
        heading(f"Handoff request to the case in every one of {desks} open desks")
        progress("asking for counsellors")
        appear = asyncio.run(case_to_every_desk(servers, desks, requests=20))
        print(table(["requests", "p50 ms", "p95 ms", "max ms"], [
            [len(appear), ms(percentile(appear, 50)), ms(percentile(appear, 95)),
             ms(max(appear))],
        ]))
        close_everything(servers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--desks", type=int, default=10)
    args = parser.parse_args()
    if model_missing():
        return 1
    print(machine_summary())
    run(args.cases, args.messages, args.desks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
