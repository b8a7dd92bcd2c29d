"""Health and readiness of a Rasa server process, for load balancers and orchestrators.

Mounted through Rasa's channel mechanism (the only way to add routes to its server):
``GET /ops/health`` answers while the process runs; ``GET /ops/ready`` answers 200 only
when the model is loaded and the database (and Redis, when configured) answer, else 503.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import Settings

CHECK_SECONDS = 3


def _database_answers(tracker_store: Any) -> bool:
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

    @classmethod
    def name(cls) -> str:
        return "ops"

    def url_prefix(self) -> str:
        return "/ops"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> OpsInput:
        return cls()

    async def checks(self, app: Any) -> dict[str, bool]:
        agent = getattr(app.ctx, "agent", None)
        results = {"model": bool(agent and agent.is_ready())}
        try:
            results["database"] = await asyncio.wait_for(
                asyncio.to_thread(_database_answers, agent.tracker_store), CHECK_SECONDS)
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            results["database"] = False
        if self.settings.redis_url:
            try:
                results["redis"] = await asyncio.wait_for(
                    _redis_answers(self.settings.redis_url), CHECK_SECONDS)
            except Exception:  # noqa: BLE001 - any failure means "not ready"
                results["redis"] = False
        return results

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = Blueprint("veivalg_ops", url_prefix=self.url_prefix())

        @ops.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @ops.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            results = await self.checks(request.app)
            ok = all(results.values())
            return response.json({"ready": ok, "checks": results}, status=200 if ok else 503)

        return ops
