"""Telegram figures: webhook-to-sendMessage latency, and updates per second one server
process sustains, against the fake Bot API on loopback (tests/fake_telegram.py).

    python -m bench.telegram [--updates 200] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import aiohttp

from bench.common import (
    QUESTIONS,
    heading,
    machine_summary,
    model_missing,
    ms,
    percentile,
    progress,
    running_servers,
    table,
)
from bot.serve import Servers
from tests.fake_telegram import SECRET, TOKEN, FakeTelegram, text_update

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


async def post(session: aiohttp.ClientSession, url: str, chat_id: int, text: str) -> None:
    async with session.post(url, data=json.dumps(text_update(chat_id, text)),
                            headers=HEADERS) as answer:
        await answer.read()


async def latency(servers: Servers, fake: FakeTelegram, updates: int) -> list[float]:
    """Seconds from posting an update to the fake API receiving the sendMessage."""
    url = f"{servers.rasa_url}/webhooks/telegram/webhook"
    timings = []
    async with aiohttp.ClientSession() as session:
        for n in range(updates):
            chat_id = 5000 + n % 40
            before = len(fake.sent(chat_id))
            started = time.monotonic()
            await post(session, url, chat_id, QUESTIONS[n % len(QUESTIONS)])
            deadline = started + 30
            while len(fake.sent(chat_id)) == before and time.monotonic() < deadline:
                await asyncio.sleep(0.001)
            timings.append(fake.sent(chat_id)[before].at - started)
    return timings


async def throughput(servers: Servers, updates: int, concurrency: int) -> float:
    """Updates per second with `concurrency` people writing at once."""
    url = f"{servers.rasa_url}/webhooks/telegram/webhook"
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(updates):
        queue.put_nowait(n)

    async def person(session: aiohttp.ClientSession, chat_id: int) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            await post(session, url, chat_id, QUESTIONS[n % len(QUESTIONS)])

    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        await asyncio.gather(*(person(session, 7000 + c) for c in range(concurrency)))
        return updates / (time.monotonic() - started)


def run(updates: int = 200, concurrency: int = 20) -> None:
    fake = FakeTelegram()
    fake.start()
    env = {"VEIVALG_TELEGRAM_TOKEN": TOKEN, "VEIVALG_TELEGRAM_SECRET": SECRET,
           "VEIVALG_TELEGRAM_API_URL": fake.url}
    try:
        with running_servers(env) as servers:
            heading(f"Telegram webhook to sendMessage, {updates} updates over 40 chats")
            progress("latency")
            timings = asyncio.run(latency(servers, fake, updates))
            print(table(["updates", "p50 ms", "p95 ms", "max ms"], [
                [len(timings), ms(percentile(timings, 50)), ms(percentile(timings, 95)),
                 ms(max(timings))]]))
            heading(f"Updates per second, {concurrency} people writing at once")
            progress("throughput")
            rate = asyncio.run(throughput(servers, 2 * updates, concurrency))
            print(table(["updates", "per second"], [[2 * updates, f"{rate:.1f}"]]))
    finally:
        fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    if model_missing():
        return 1
    print(machine_summary())
    run(args.updates, args.concurrency)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
