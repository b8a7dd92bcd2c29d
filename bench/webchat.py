"""Web chat figures: widget size, page load to widget ready, socket round trip, and how
many open sockets one server process holds (with memory per socket).

    python -m bench.webchat            # all figures
    python -m bench.webchat --sockets 500 --active 50

Loopback only; every loop is bounded in count and time. The rate limit is raised for
the run (VEIVALG_MESSAGES_PER_MINUTE) because it would otherwise be what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import time
from typing import Any

import websockets

from bench.common import (
    QUESTIONS,
    heading,
    machine_summary,
    model_missing,
    ms,
    percentile,
    progress,
    read_memory,
    running_servers,
    table,
)
from bot.commands.serve import Servers
from bot.server.channels.webchat import STATIC_DIR

ROUND_TRIPS = 200
CONVERSATIONS = 20
DEADLINE_SECONDS = 300
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def widget_size() -> None:
    heading("Widget size")
    rows = []
    total_raw = total_gz = 0
    for name in ("widget.js", "widget.css"):
        data = (STATIC_DIR / name).read_bytes()
        packed = len(gzip.compress(data, compresslevel=9))
        total_raw, total_gz = total_raw + len(data), total_gz + packed
        rows.append([name, len(data), packed])
    rows.append(["total", total_raw, total_gz])
    print(table(["file", "bytes", "gzipped bytes"], rows))


def socket_url(servers: Servers, sender: str) -> str:
    return f"ws://127.0.0.1:{servers.rasa_port}/chat/socket?sender={sender}"


async def open_chat(servers: Servers, sender: str) -> Any:
    socket = await websockets.connect(socket_url(servers, sender), max_queue=None)
    await socket.send(json.dumps({"type": "resume"}))  # a new conversation, as the widget
    for _ in range(2):  # session, history
        await socket.recv()
    return socket


async def ask(socket: Any, text: str) -> float:
    """Seconds from sending a message to the bot's (first) answer on the socket."""
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "message", "text": text}))
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), 30))
        if frame["type"] == "message" and frame["from"] == "bot":
            return time.perf_counter() - started


async def round_trips(servers: Servers, count: int, conversations: int) -> list[float]:
    sockets = [await open_chat(servers, f"bench-rt-{n}") for n in range(conversations)]
    for socket in sockets[:3]:  # warm up
        await ask(socket, "hei")
    timings = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    for n in range(count):
        if time.monotonic() > deadline:
            break
        timings.append(await ask(sockets[n % conversations], QUESTIONS[n % len(QUESTIONS)]))
    for socket in sockets:
        await socket.close()
    return timings


async def many_sockets(servers: Servers, idle: int, active: int) -> dict[str, Any]:
    rasa_pid = servers.processes["rasa"].pid
    before = read_memory(rasa_pid).rss_kib or 0
    opened: list[Any] = []
    started = time.perf_counter()
    for start in range(0, idle + active, 50):  # open in batches, as people arrive
        batch = range(start, min(start + 50, idle + active))
        opened += await asyncio.gather(*(open_chat(servers, f"bench-many-{n}") for n in batch))
    open_seconds = time.perf_counter() - started
    await asyncio.sleep(1)
    held = read_memory(rasa_pid).rss_kib or 0

    async def converse(socket: Any, n: int) -> list[float]:
        return [await ask(socket, QUESTIONS[(n + k) % len(QUESTIONS)]) for k in range(4)]

    started = time.perf_counter()
    results = await asyncio.gather(*(converse(s, n) for n, s in enumerate(opened[idle:])))
    active_seconds = time.perf_counter() - started
    timings = [t for result in results for t in result]
    still_open = sum(1 for socket in opened if socket.open)
    for socket in opened:
        await socket.close()
    return {
        "sockets": idle + active,
        "open_seconds": open_seconds,
        "kib_per_socket": (held - before) / (idle + active),
        "rss_before_kib": before,
        "rss_held_kib": held,
        "active_timings": timings,
        "active_seconds": active_seconds,
        "still_open": still_open,
    }


def page_ready(servers: Servers, repeats: int = 5) -> list[float]:
    """Milliseconds from navigation start until the widget is on the page and usable."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeats):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{servers.rasa_url}/chat/")
                page.wait_for_function("document.documentElement.dataset.veivalgReady === 'true'",
                                       timeout=30_000)
                timings.append(page.evaluate("performance.now()"))
                context.close()
        finally:
            browser.close()
    return timings


def report(servers: Servers, idle: int, active: int) -> None:
    heading("Page load to widget ready (launcher on the page and usable), 5 loads")
    ready = page_ready(servers)
    print(table(["figure", "ms"], [["p50", f"{percentile(ready, 50):.0f}"],
                                   ["max", f"{max(ready):.0f}"]]))

    heading(f"Socket round trip, {ROUND_TRIPS} messages over {CONVERSATIONS} conversations")
    progress("round trips")
    timings = asyncio.run(round_trips(servers, ROUND_TRIPS, CONVERSATIONS))
    print(table(["messages", "p50 ms", "p95 ms", "max ms"],
                [[len(timings), ms(percentile(timings, 50)), ms(percentile(timings, 95)),
                  ms(max(timings))]]))

    heading(f"Open sockets held by one Rasa process: {idle} idle + {active} active")
    progress("opening sockets")
    held = asyncio.run(many_sockets(servers, idle, active))
    timings = held["active_timings"]
    print(table(["figure", "value"], [
        ["sockets opened", held["sockets"]],
        ["still open after the run", held["still_open"]],
        ["seconds to open them all", f"{held['open_seconds']:.1f}"],
        ["Rasa RSS before, MiB", f"{held['rss_before_kib'] / 1024:.0f}"],
        ["Rasa RSS holding them, MiB", f"{held['rss_held_kib'] / 1024:.0f}"],
        ["memory per socket, KiB", f"{held['kib_per_socket']:.1f}"],
        [f"active: {len(timings)} answers, p50 ms", ms(percentile(timings, 50))],
        ["active: p95 ms", ms(percentile(timings, 95))],
        ["active: messages per second", f"{len(timings) / held['active_seconds']:.1f}"],
    ]))


def run(idle: int = 500, active: int = 50) -> None:
    """Every web chat figure, on servers of its own."""
    widget_size()
    os.environ["VEIVALG_MESSAGES_PER_MINUTE"] = "100000"
    with running_servers() as servers:
        report(servers, idle, active)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=500, help="idle sockets")
    parser.add_argument("--active", type=int, default=50, help="sockets that talk")
    args = parser.parse_args()
    if model_missing():
        return 1
    print(machine_summary())
    run(args.sockets, args.active)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
