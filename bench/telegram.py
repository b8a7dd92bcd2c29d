"""Telegram figures: webhook-to-sendMessage latency, and updates answered per second.

Both against the fake Bot API on loopback (bench/fake_telegram.py), through one server
process.

An update counts as answered when the webhook answered 200 and the fake Bot API received a
sendMessage to its chat; a 503 (Telegram then delivers the update again) or any other
status is not an answer, and the statuses other than 200 are counted.

    python -m bench.telegram [--updates 200] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field

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
from bench.fake_telegram import SECRET, TOKEN, FakeTelegram, text_update
from bench.load import bounded
from bot.commands.serve import Servers

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
ANSWER_TIMEOUT_SECONDS = 30  # for the webhook's response, then for the sendMessage
RUN_DEADLINE_SECONDS = 300  # each of the two series stops sending after this
MAX_UPDATES = 5000
MAX_CONCURRENCY = 500
POLL_SECONDS = 0.005  # between looks at the fake API's calls; the timing uses their stamps


@dataclass(frozen=True)
class Outcome:
    """What became of one update: the webhook's status (None: no response) and seconds
    from posting it to the fake API receiving its first sendMessage (None: never)."""

    status: int | None
    seconds: float | None

    @property
    def answered(self) -> bool:
        # A 503 asks Telegram to deliver the update again: it is not answered, even if
        # something was sent before the handling failed.
        return self.status == 200 and self.seconds is not None


async def post(session: aiohttp.ClientSession, url: str, chat_id: int, text: str) -> int | None:
    try:
        async with session.post(url, data=json.dumps(text_update(chat_id, text)),
                                headers=HEADERS,
                                timeout=aiohttp.ClientTimeout(total=ANSWER_TIMEOUT_SECONDS),
                                ) as answer:
            await answer.read()
            return answer.status
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return None


async def answer_one(session: aiohttp.ClientSession, url: str, fake: FakeTelegram,
                     chat_id: int, text: str, deadline: float) -> Outcome:
    """Post one update; wait, within the answer timeout and the deadline, for the fake
    API to receive a sendMessage to that chat that was not there before."""
    before = len(fake.sent(chat_id))
    started = time.monotonic()
    status = await post(session, url, chat_id, text)
    if status != 200:
        return Outcome(status, None)
    give_up = min(started + ANSWER_TIMEOUT_SECONDS, deadline)
    while True:
        sent = fake.sent(chat_id)
        if len(sent) > before:
            return Outcome(status, sent[before].at - started)
        if time.monotonic() >= give_up:
            return Outcome(status, None)
        await asyncio.sleep(POLL_SECONDS)


def webhook_url(servers: Servers) -> str:
    return f"{servers.rasa_url}/webhooks/telegram/webhook"


async def latency(servers: Servers, fake: FakeTelegram, updates: int) -> list[Outcome]:
    """One update at a time over 40 chats: what became of each."""
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    outcomes = []
    async with aiohttp.ClientSession() as session:
        for n in range(updates):
            if time.monotonic() > deadline:
                break
            outcomes.append(await answer_one(session, webhook_url(servers), fake, 5000 + n % 40,
                                             QUESTIONS[n % len(QUESTIONS)], deadline))
    return outcomes


@dataclass
class Throughput:
    updates: int  # to be posted
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def answered(self) -> list[float]:
        return [o.seconds for o in self.outcomes if o.answered and o.seconds is not None]

    @property
    def per_second(self) -> float:
        return len(self.answered) / self.seconds if self.seconds > 0 else 0.0


async def throughput(servers: Servers, fake: FakeTelegram, updates: int,
                     concurrency: int) -> Throughput:
    """Updates answered per second with `concurrency` people writing at once.

    Each person sends the next update once the last one is answered, as a person waits
    for the answer. A person whose update got no 200 or no answer stops: a late
    sendMessage to that chat would otherwise be taken for the answer to the next one.
    The others take the rest of the updates; what is left at the deadline is not posted.
    """
    url = webhook_url(servers)
    result = Throughput(updates)
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(updates):
        queue.put_nowait(n)

    async def person(session: aiohttp.ClientSession, chat_id: int) -> None:
        while not queue.empty() and time.monotonic() < deadline:
            n = queue.get_nowait()
            outcome = await answer_one(session, url, fake, chat_id,
                                       QUESTIONS[n % len(QUESTIONS)], deadline)
            result.outcomes.append(outcome)
            if not outcome.answered:
                return

    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        await asyncio.gather(*(person(session, 7000 + c) for c in range(concurrency)))
        result.seconds = time.monotonic() - started
    return result


def statuses(outcomes: list[Outcome]) -> str:
    """The webhook's answers other than 200, by status, e.g. '503: 2, no response: 1'."""
    counts = Counter("no response" if o.status is None else str(o.status)
                     for o in outcomes if o.status != 200)
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "none"


def report_latency(outcomes: list[Outcome], updates: int) -> None:
    timings = [o.seconds for o in outcomes if o.answered and o.seconds is not None]
    print(table(["updates", "answered", "p50 ms", "p95 ms", "max ms"], [
        [f"{len(outcomes)}/{updates}", len(timings), ms(percentile(timings, 50)),
         ms(percentile(timings, 95)), ms(max(timings, default=float("nan")))]]))
    print(f"webhook statuses other than 200: {statuses(outcomes)}")


def report_throughput(result: Throughput) -> None:
    answered = result.answered
    posted = len(result.outcomes)
    non_200 = sum(1 for o in result.outcomes if o.status != 200)
    print(table(["posted", "answered", "answered/s", "non-200", "p50 ms", "p95 ms", "seconds"], [
        [f"{posted}/{result.updates}", f"{len(answered)}/{posted}", f"{result.per_second:.1f}",
         non_200, ms(percentile(answered, 50)), ms(percentile(answered, 95)),
         f"{result.seconds:.1f}"]], left=()))
    print(f"webhook statuses other than 200: {statuses(result.outcomes)}")
    unanswered = sum(1 for o in result.outcomes if o.status == 200 and o.seconds is None)
    if unanswered:
        print(f"note: {unanswered} update(s) got 200 but no sendMessage within "
              f"{ANSWER_TIMEOUT_SECONDS} s")
    if posted < result.updates:
        print(f"note: {result.updates - posted} update(s) not posted: the "
              f"{RUN_DEADLINE_SECONDS} s deadline, or every person stopped")


def run(updates: int = 200, concurrency: int = 20) -> None:
    fake = FakeTelegram()
    fake.start()
    env = {"VEIVALG_TELEGRAM_TOKEN": TOKEN, "VEIVALG_TELEGRAM_SECRET": SECRET,
           "VEIVALG_TELEGRAM_API_URL": fake.url}
    try:
        with running_servers(env) as servers:
            heading(f"Telegram webhook to sendMessage, {updates} updates over 40 chats")
            progress("latency")
            report_latency(asyncio.run(latency(servers, fake, updates)), updates)
            heading(f"Updates answered per second, {concurrency} people writing at once")
            progress("throughput")
            report_throughput(asyncio.run(throughput(servers, fake, 2 * updates,
                                                     concurrency)))
    finally:
        fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=bounded(1, MAX_UPDATES), default=200,
                        help="updates for the latency; twice as many for the throughput")
    parser.add_argument("--concurrency", type=bounded(1, MAX_CONCURRENCY), default=20,
                        help="people writing at once in the throughput run")
    args = parser.parse_args()
    if model_missing():
        return 1
    print(machine_summary())
    run(args.updates, args.concurrency)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
