"""Where conversations are kept: Rasa's SQL tracker store on a URL from the environment.

SQLite by default, so one machine needs nothing installed; PostgreSQL is a setting
(``VEIVALG_DATABASE_URL=postgresql://...``), not a code change.

A conversation with a counsellor can run to hundreds of messages, and stock Rasa's reply
time grows with it: every reply reloads the whole conversation, replays it, sends it to
the action server and lets every policy featurize all of it. This store hands Rasa a
*window* instead: the state at the start of the window (slot values, active form, pause)
as a few leading events, then the latest events. Policies look back a few turns only, so
answers do not change, and the cost of a reply stays flat. The database still holds
every event, and ``retrieve_full_tracker`` (the HTTP API's transcript) returns them all.

The window is cached per conversation in the process, and every retrieve reads only the
rows added since (by this or another server process), so several replicas stay correct.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.server.database import (
    conversation_engine_options,
    ensure_sqlite_directory,
    off_loop,
    tune_sqlite,
)
from bot.server.insights import summary as insights_summary
from bot.server.privacy import redact_value
from bot.shared.settings import Settings

# Events handed to Rasa per conversation: about ten turns, far more than the policies'
# max_history. The window slides by half of it at a time, always to the start of a turn.
WINDOW_EVENTS = 80
# Conversations whose window is kept in memory; older ones are rebuilt from the database.
CACHED_CONVERSATIONS = 5000

# Conversations whose windows threads may update at once: a window is changed under the
# lock of its stripe, so two reads of one conversation never add its rows twice.
LOCK_STRIPES = 64

# The attribute that tells `save` how many of a tracker's events are already stored.
_STORED_EVENTS = "_veivalg_stored_events"

# Slots whose values belong only in the desk's case (a person's contact details for a
# callback), and what the stored conversation shows instead of them.
SENSITIVE_SLOTS = frozenset({"callback_contact"})
KEPT_IN_CASE = "[lagret i saken]"


def _compact(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum() or char in "@+")


def without_sensitive_values(events: list[Event]) -> list[Event]:
    """The events as they may be stored: a sensitive slot's value, and the message that
    gave it, are replaced by a marker. The live turn still had them (the action server
    validated them and sent them to the desk); the database never does."""
    secrets = {
        _compact(str(event.value))
        for event in events
        if isinstance(event, SlotSet) and event.key in SENSITIVE_SLOTS and event.value
    }
    if not secrets:
        return events
    stored: list[Event] = []
    for event in events:
        if isinstance(event, SlotSet) and event.key in SENSITIVE_SLOTS and event.value:
            event = SlotSet(event.key, KEPT_IN_CASE, timestamp=event.timestamp)
        elif isinstance(event, UserUttered) and any(
            secret in _compact(event.text or "") for secret in secrets
        ):
            event = UserUttered(
                KEPT_IN_CASE, event.intent, [], None, event.timestamp,
                event.input_channel, event.message_id, event.metadata,
            )
        stored.append(event)
    return stored


def without_identity_numbers(events: list[Event]) -> list[Event]:
    """The events as they may be stored: no identity number in any text, metadata, slot
    or parse data, whichever channel or field it came through. Every stored event
    passes here (``ConversationStore``), so a new channel or field cannot skip it."""
    stored = []
    for event in events:
        as_dict = event.as_dict()
        redacted = redact_value(as_dict)
        stored.append(event if redacted == as_dict else Event.from_parameters(redacted))
    return stored


def _starts_turn(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME


@dataclass
class _Window:
    """The state at the start of the window, the events since, and the last row read."""

    base: DialogueStateTracker
    events: list[Event] = field(default_factory=list)
    last_row_id: int = 0

    def add(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            # A new session starts from scratch, like SQLTrackerStore.retrieve does.
            self.base = self.base.init_copy()
            self.events = []
        self.events.append(event)

    def slide(self, size: int) -> None:
        if len(self.events) <= size:
            return
        cut = len(self.events) - size // 2
        while cut < len(self.events) and not _starts_turn(self.events[cut]):
            cut += 1
        if cut >= len(self.events):
            return  # no turn starts in the newer half; keep everything until one does
        for event in self.events[:cut]:
            self.base.update(event)
        self.events = self.events[cut:]

    def state_events(self) -> list[Event]:
        """Events that recreate the state at the start of the window."""
        timestamp = self.events[0].timestamp if self.events else None
        restored: list[Event] = [
            SlotSet(name, slot.value, timestamp=timestamp)
            for name, slot in self.base.slots.items()
            if slot.value != slot.initial_value
        ]
        if self.base.active_loop_name:
            restored.append(ActiveLoop(self.base.active_loop_name, timestamp=timestamp))
        if self.base.is_paused():
            restored.append(ConversationPaused(timestamp=timestamp))
        return restored


class ConversationStore(SQLTrackerStore):
    """SQLTrackerStore on ``VEIVALG_DATABASE_URL`` that hands Rasa a bounded window."""

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        window_events: int = WINDOW_EVENTS,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url` as `host`; the environment wins over both.
        kwargs.pop("host", None)
        database_url = url or Settings.from_env().database_url
        ensure_sqlite_directory(database_url)
        self.window_events = window_events
        self._windows: OrderedDict[str, _Window] = OrderedDict()
        # SQLTrackerStore accepts a complete URL in `host` and uses it as it is.
        super().__init__(domain=domain, host=database_url, event_broker=event_broker, **kwargs)
        # Rasa's engine has no timeouts, tests no pooled connection before use (a database
        # server that restarted leaves dead ones) and puts SQL parameters (what people
        # wrote) in its errors: replace it (bot/server/database.py), keeping Rasa's own settings.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **conversation_engine_options(url))
        if self.engine.dialect.name == "sqlite":
            tune_sqlite(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        # The insights' summary is written with the events (PostgreSQL: deploy/migrations).
        insights_summary.ensure_tables(self.engine)
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]
        self._cache_lock = threading.Lock()
        # Saves under way, by conversation, and the task saving: a read waits for them
        # (see `_settled`).
        self._saving: dict[str, tuple[asyncio.Future, asyncio.Task | None]] = {}

    def _new_rows(self, sender_id: str, window: _Window | None) -> list[Any]:
        with self.session_scope() as session:
            if window is None:
                # First sight of this conversation in this process: its latest session.
                query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            else:
                # From the last row read on, so that a conversation erased or purged
                # since (by any process, bot/server/retention/) shows: that row is gone.
                query = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == sender_id)
                    .filter(self.SQLEvent.id >= window.last_row_id)
                    .order_by(self.SQLEvent.id)
                )
            return query.all()

    def _window(self, sender_id: str) -> list[Event] | None:
        """The events of the conversation's window (None: no conversation). Runs in a
        database thread (bot/server/database.py)."""
        with self._stripes[hash(sender_id) % LOCK_STRIPES]:
            with self._cache_lock:
                window = self._windows.get(sender_id)
            rows = self._new_rows(sender_id, window)
            if window is not None:
                if rows and rows[0].id == window.last_row_id:
                    rows = rows[1:]
                else:  # erased or purged: what this process remembers is gone too
                    with self._cache_lock:
                        self._windows.pop(sender_id, None)
                    window = None
                    rows = self._new_rows(sender_id, None)
            if window is None:
                if not rows:
                    return None
                window = _Window(base=self.init_tracker(sender_id))
            for row in rows:
                window.add(Event.from_parameters(json.loads(row.data)))
                window.last_row_id = row.id
            window.slide(self.window_events)
            with self._cache_lock:
                self._windows[sender_id] = window
                self._windows.move_to_end(sender_id)
                while len(self._windows) > CACHED_CONVERSATIONS:
                    self._windows.popitem(last=False)
            events = window.state_events() + window.events
        return events

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session as a window; see the module docstring."""
        await self._settled(sender_id)
        if self.domain is None:
            return await off_loop(_to_the_end, super().retrieve(sender_id))
        events = await off_loop(self._window, sender_id)
        if events is None:
            return None
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        setattr(tracker, _STORED_EVENTS, len(events))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        await self._settled(conversation_id)
        return await off_loop(_to_the_end, super().retrieve_full_tracker(conversation_id))

    async def keys(self) -> Any:
        return await off_loop(_to_the_end, super().keys())

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with the writing in a database thread."""
        sender_id = tracker.sender_id
        earlier = self._saving.get(sender_id)
        done = asyncio.get_running_loop().create_future()
        self._saving[sender_id] = (done, asyncio.current_task())
        try:
            if earlier is not None:
                await asyncio.shield(earlier[0])  # one conversation's saves in their order
            await self.stream_events(tracker)
            await off_loop(self._write, tracker)
        finally:
            done.set_result(None)
            if self._saving.get(sender_id, (None,))[0] is done:
                del self._saving[sender_id]

    async def _settled(self, sender_id: str) -> None:
        """Wait for the conversation's saves under way. Rasa sends a turn's answers before
        it saves the turn; with the writing in a thread, a reconnect's history (or a
        message after a turn run outside the conversation's lock, as the desk's
        `start_intent`), or the desk reading the message the event broker just relayed,
        could otherwise be read before the turn is stored. The save's own reads (Rasa's
        `stream_events`) do not wait."""
        saving = self._saving.get(sender_id)
        if saving is not None and saving[1] is not asyncio.current_task():
            await asyncio.shield(saving[0])

    def _write(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            for event in events:
                data = event.as_dict()
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            # The insights' summary of the conversation, in the same transaction.
            insights_summary.record(session, tracker.sender_id, events)
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        stored = getattr(tracker, _STORED_EVENTS, None)
        if stored is None:  # a tracker this store did not read: count what the database has
            new_events = list(super()._additional_events(session, tracker))
        else:
            new_events = list(tracker.events)[stored:]
        # The tracker may be saved again after more events; count these as stored.
        setattr(tracker, _STORED_EVENTS, len(tracker.events))
        return without_identity_numbers(without_sensitive_values(new_events))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's, without reading the conversation again to find what is new (Rasa reads
        it whole, then counts): the events after those the tracker was read or last saved
        with are the new ones, and a turn's saves read nothing."""
        stored = getattr(tracker, _STORED_EVENTS, None)
        if self.event_broker is None or stored is None:
            await super().stream_events(tracker)
            return
        await self._stream_new_events(
            self.event_broker, list(tracker.events)[stored:], tracker.sender_id)


def _to_the_end(coroutine: Any) -> Any:
    """The result of one of Rasa's SQL coroutines, which never wait for anything (their
    database calls are synchronous), run to its end in the calling thread."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("a tracker store coroutine waited for something")
