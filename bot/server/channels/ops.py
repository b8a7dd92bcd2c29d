"""Health, readiness and metrics of a Rasa server process, for load balancers,
orchestrators and monitoring.

Mounted through Rasa's channel mechanism (the only way to add routes to its server):
``GET /ops/health`` answers while the process runs, touching nothing else, so it answers
while the database does not; ``GET /ops/ready`` answers 200 only when the model is loaded
and the database (and Redis, when configured) answer, else 503 with what failed and why;
``GET /ops/metrics`` gives Prometheus the process's counts and timings (bot/server/metrics.py),
to a scraper that shows ``Authorization: Bearer <VEIVALG_METRICS_TOKEN>``.

Process-wide settings with no better home are made here too: oversized request bodies
are answered in JSON (bot/server/channels/limits.py).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server import metrics
from bot.server.channels.limits import answer_oversized_requests_in_json
from bot.server.database import off_loop
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

CHECK_SECONDS = 3


def _database_answers(tracker_store: Any) -> bool:
    """Runs in a thread of its own, not among the database threads (bot/server/database.py):
    when the database hangs, those are the ones waiting for it."""
    store = getattr(tracker_store, "_tracker_store", tracker_store)  # Rasa's FailSafe wrapper
    engine = getattr(store, "engine", None)
    if engine is None:
        return True  # a store without a database
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    return True


async def _redis_answers(url: str) -> bool:
    import redis.asyncio as redis

    client = redis.from_url(url, socket_connect_timeout=CHECK_SECONDS)
    try:
        return bool(await client.ping())
    finally:
        await client.close()


class OpsInput(InputChannel):
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._probe_thread = ThreadPoolExecutor(1, thread_name_prefix="ready-probe")
        self._probes: dict[str, asyncio.Future] = {}

    @classmethod
    def name(cls) -> str:
        return "ops"

    def url_prefix(self) -> str:
        return "/ops"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> OpsInput:
        return cls()

    async def checks(self, app: Any) -> tuple[dict[str, bool], dict[str, str]]:
        """Each dependency's state, and for each one that failed, why (no details that
        would tell a stranger more than which dependency and how)."""
        agent = getattr(app.ctx, "agent", None)
        results = {"model": bool(agent and agent.is_ready())}
        problems = {} if results["model"] else {"model": "not loaded"}
        loop = asyncio.get_running_loop()
        store = agent.tracker_store if agent else None
        probes = {"database": lambda: loop.run_in_executor(
            self._probe_thread, _database_answers, store)}
        if self.settings.redis_url:
            probes["redis"] = lambda: _redis_answers(self.settings.redis_url)
        for name, probe in probes.items():
            # A probe still waiting from an earlier call is waited for again rather than
            # started anew: a hung database holds one thread, not one per call.
            running = self._probes.get(name)
            if running is None or running.done():
                running = self._probes[name] = asyncio.ensure_future(probe())
            try:
                results[name] = await asyncio.wait_for(asyncio.shield(running), CHECK_SECONDS)
            except asyncio.TimeoutError:
                results[name] = False
                problems[name] = f"no answer within {CHECK_SECONDS} s"
            except Exception as error:  # noqa: BLE001 - any failure means "not ready"
                results[name] = False
                problems[name] = f"unreachable ({type(error).__name__})"
        for name, problem in problems.items():
            logger.warning("not ready: %s %s", name, problem)
        return results, problems

    def may_read_metrics(self, request: Request) -> bool:
        token = self.settings.metrics_token or self.settings.api_token
        given = request.headers.get("authorization", "")
        return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())

    async def desk_gauges(self, app: Any) -> list[list[str]]:
        """The desk's state now: the queue, and the counsellors online."""
        desk = getattr(app.ctx, "desk", None)
        queue = online = None
        if desk is not None:
            try:
                queue = len(await off_loop(desk.cases.queue))
            except Exception:  # noqa: BLE001 - the database is away: leave the gauge out
                logger.warning("metrics: the queue could not be read")
            try:
                online = len(await desk.hub.online())
            except Exception:  # noqa: BLE001 - Redis is away: leave the gauge out
                logger.warning("metrics: the counsellors online could not be read")
        return [
            metrics.gauge_lines("veivalg_queue_length", "Cases waiting in the queue.", queue),
            metrics.gauge_lines("veivalg_counsellors_online",
                                "Counsellors with the desk open.", online),
        ]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = Blueprint("veivalg_ops", url_prefix=self.url_prefix())

        @ops.listener("before_server_start")
        async def process_settings(app: Any, _loop: Any) -> None:
            answer_oversized_requests_in_json(app, self.settings)

        @ops.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @ops.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            results, problems = await self.checks(request.app)
            ok = all(results.values())
            body: dict[str, Any] = {"ready": ok, "checks": results}
            if problems:
                body["problems"] = problems
            return response.json(body, status=200 if ok else 503)

        @ops.route("/metrics", methods=["GET"])
        async def metrics_page(request: Request) -> HTTPResponse:
            if not self.may_read_metrics(request):
                return response.json({"error": "not_authorized"}, status=401)
            return response.text(metrics.exposition(await self.desk_gauges(request.app)),
                                 content_type=metrics.CONTENT_TYPE,
                                 headers={"Cache-Control": "no-store"})

        return ops
