"""Erasure on request: one conversation, everywhere, at once (docs/privacy.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.server.database import create_tables
from bot.server.retention.counts import add_counts, conversation_facts, counts_metadata, tally
from bot.server.retention.schema import (
    CASES,
    KEY,
    _table,
    delete_conversations,
    in_transaction,
    read_schema,
)

logger = logging.getLogger(__name__)


def tracker_store_of(agent_or_store: Any) -> Any:
    store = getattr(agent_or_store, "tracker_store", agent_or_store)
    return getattr(store, "_tracker_store", store)  # Rasa's FailSafeTrackerStore wraps ours


def forget_cached(store: Any, sender_ids: Sequence[str]) -> None:
    """Drop this process's cached windows (other processes notice the rows are gone)."""
    windows = getattr(store, "_windows", None)
    if windows is None:
        return
    # The store's database threads change the cache too (bot/server/storage.py).
    with getattr(store, "_cache_lock", None) or contextlib.nullcontext():
        for sender_id in sender_ids:
            windows.pop(sender_id, None)


def erase_now(engine: Engine, sender_id: str) -> dict[str, int]:
    """Every row of one conversation, in one transaction; the conversation is counted
    first. Rows deleted per table."""
    schema = read_schema(engine)
    create_tables(counts_metadata, engine)

    def erase(conn: Connection) -> Counter[str]:
        facts = conversation_facts(conn, schema, [sender_id])[sender_id]
        if facts.first is not None or facts.cases:
            add_counts(conn, *tally([facts]))
        return delete_conversations(conn, schema, [sender_id])

    deleted = in_transaction(engine, erase)
    return {table: n for table, n in deleted.items() if n}


async def erase_conversation(agent_or_store: Any, sender_id: str, *,
                             delivery: Any = None) -> dict[str, int]:
    """Erase one conversation everywhere at once: every row with its sender id in every
    table (and what points at them), this process's cached window, and, given the
    channel's delivery, the frames kept for the person's next connection.

    ``agent_or_store``: Rasa's agent (``app.ctx.agent``; its lock store keeps a reply from
    being half-written around the erasure, so do not call this while holding the
    conversation's lock) or the tracker store. Returns rows deleted per table. The
    database work runs in a thread, off the event loop.
    """
    store = tracker_store_of(agent_or_store)
    lock_store = getattr(agent_or_store, "lock_store", None)
    held = lock_store.lock(sender_id) if lock_store is not None else contextlib.nullcontext()
    async with held:
        deleted = await asyncio.to_thread(erase_now, store.engine, sender_id)
        forget_cached(store, [sender_id])
    forget = getattr(delivery, "forget", None)
    if forget is not None:
        await forget(sender_id)
    return deleted


def webchat_delivery(app: Any) -> Any:
    """The delivery of the server's chat channel (frames kept for a person), if any."""
    for channel in getattr(app.ctx, "input_channels", None) or []:
        delivery = getattr(channel, "delivery", None)
        if hasattr(delivery, "forget"):
            return delivery
    return None


async def erase_everywhere(app: Any, sender_id: str) -> dict[str, Any]:
    """What the server's erasure buttons call (the desk's, the web chat's): the
    conversation everywhere (:func:`erase_conversation`, with the chat's kept frames), and
    every desk drops its cases while the queue moves up."""
    store = tracker_store_of(app.ctx.agent)
    cases = _table(CASES, "id", KEY)
    case_ids = await asyncio.to_thread(_case_ids, store.engine, cases, sender_id)
    deleted = await erase_conversation(app.ctx.agent, sender_id, delivery=webchat_delivery(app))
    desk = getattr(app.ctx, "desk", None)
    if desk is not None:
        for erased in case_ids:
            await desk.hub.broadcast({"type": "conversation.erased", "case_id": erased})
        if case_ids:
            await desk.tell_queue()
    return {"erased": True, "case_ids": case_ids, "rows": deleted}


async def erase_case(app: Any, case_id: int, counsellor_id: int) -> dict[str, Any]:
    """The desk's "Slett samtalen": the case's whole conversation, on the person's request."""
    case = app.ctx.desk.cases.get(case_id)
    erased = await erase_everywhere(app, case.sender_id)
    # Who erased which case, never whose conversation it was.
    logger.info("counsellor %s erased the conversation of case %s", counsellor_id, case_id)
    return erased


def _case_ids(engine: Engine, cases: sa.sql.TableClause, sender_id: str) -> list[int]:
    if not sa.inspect(engine).has_table(CASES):
        return []
    with engine.connect() as conn:
        return list(conn.execute(sa.select(cases.c.id).where(cases.c.sender_id == sender_id)
                                 .order_by(cases.c.id)).scalars())
