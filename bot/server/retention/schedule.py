"""The purge inside every Rasa server, on a schedule."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from bot.server.retention.erasure import forget_cached, tracker_store_of
from bot.server.retention.purge import PurgeReport, Retention, purge_once
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

# At most this long after a server starts before its first purge; replicas spread out.
FIRST_PURGE_SECONDS = 120.0


class RetentionSchedule(InputChannel):
    """The purge, every ``VEIVALG_PURGE_INTERVAL_MINUTES`` in every Rasa server process.

    Mounted through Rasa's channel mechanism (credentials.yml), the only way to run
    something inside its server; nobody writes to it, and it has no routes.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()

    @classmethod
    def name(cls) -> str:
        return "retention"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RetentionSchedule:
        return cls()

    async def purge_here(self, app: Any) -> PurgeReport | None:
        store = tracker_store_of(app.ctx.agent)
        report = await asyncio.to_thread(purge_once, store.engine,
                                         Retention.from_settings(self.settings),
                                         self.settings.redis_url)
        if report is None:
            logger.info("purge skipped: another server is purging")
            return None
        forget_cached(store, report.senders)
        desk = getattr(app.ctx, "desk", None)
        if desk is not None:
            for case_id in report.case_ids:
                await desk.hub.broadcast({"type": "conversation.erased", "case_id": case_id})
        logger.info("purge: %s", " ".join(report.lines()))
        return report

    async def keep_purging(self, app: Any) -> None:
        interval = self.settings.purge_interval_minutes * 60
        if interval <= 0:
            return
        await asyncio.sleep(min(interval, FIRST_PURGE_SECONDS) * random.uniform(0.5, 1.0))
        while True:
            try:
                await self.purge_here(app)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next round tries again
                logger.exception("the purge failed")
            await asyncio.sleep(interval)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("veivalg_retention", url_prefix="/retention")

        @bp.listener("after_server_start")
        async def start(app: Any, _loop: Any) -> None:
            app.ctx.retention_purge = asyncio.ensure_future(self.keep_purging(app))

        @bp.listener("before_server_stop")
        async def stop(app: Any, _loop: Any) -> None:
            task = getattr(app.ctx, "retention_purge", None)
            if task is not None:
                task.cancel()

        return bp
