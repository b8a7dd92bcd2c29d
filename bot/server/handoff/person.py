"""Reaching the person in a handed-over conversation, through their own channel.

A counsellor's message becomes a tracker event (so the transcript is whole), marked as
from a counsellor with their display name, and goes out through the channel the person
last wrote from: its output channel, which for the web chat is the delivery interface.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.channels.delivery_report import (
    FAILED,
    NO_CHANNEL,
    NotDelivered,
    ReportsDelivery,
)
from bot.server.channels.frames import FROM_KEY, NAME_KEY
from bot.server.channels.notices import says_something
from bot.server.channels.ownership import MESSENGER, TELEGRAM, WEB, channel_of

# Conversation-id namespaces (bot/server/channels/ownership.py) and their input channels' names.
CHANNEL_OF_NAMESPACE = {WEB: "webchat", TELEGRAM: "telegram", MESSENGER: "facebook"}

logger = logging.getLogger(__name__)

class PersonLink:
    """Talks to people in handed-over conversations; one per server process."""

    def __init__(self, app: Any) -> None:
        self.app = app

    @property
    def agent(self) -> Any:
        return self.app.ctx.agent

    def output_for(self, tracker: DialogueStateTracker | None,
                   sender_id: str | None = None) -> OutputChannel | None:
        channel_name = tracker.get_latest_input_channel() if tracker else None
        sender_id = tracker.sender_id if tracker is not None else sender_id
        if channel_name is None and sender_id:
            # A turn still running on another replica has not stored its message yet (a
            # counsellor can take the case that fast): the id's namespace names the channel.
            channel_name = CHANNEL_OF_NAMESPACE.get(channel_of(sender_id))
        for channel in getattr(self.app.ctx, "input_channels", None) or []:
            if channel.name() == channel_name:
                return channel.get_output_channel()
        return None  # e.g. REST: nothing can be pushed; the transcript still has it

    async def _append(self, sender_id: str, *events: Event) -> DialogueStateTracker:
        async with self.agent.lock_store.lock(sender_id):
            tracker = await self.agent.tracker_store.get_or_create_tracker(sender_id)
            for event in events:
                tracker.update(event)
            await self.agent.tracker_store.save(tracker)
        return tracker

    async def say(self, sender_id: str, text: str,
                  counsellor_name: str) -> tuple[dict[str, Any], NotDelivered | None]:
        """A counsellor's message: into the transcript, then out to the person; with why
        it did not reach them, if it did not (it stays in the transcript either way)."""
        event = BotUttered(text, {}, {FROM_KEY: "counsellor", NAME_KEY: counsellor_name})
        tracker = await self._append(sender_id, event)
        return event.message(), await self._send(tracker, event)

    async def bot_says(self, sender_id: str, response: str,
                       resume: bool = False) -> NotDelivered | None:
        """One of the bot's responses, in the person's language, outside a turn of theirs;
        with ``resume``, the conversation goes back to the bot first. Why it did not reach
        the person, if it did not (it stays in the transcript either way)."""
        async with self.agent.lock_store.lock(sender_id):
            tracker = await self.agent.tracker_store.get_or_create_tracker(sender_id)
            if resume:
                tracker.update(ConversationResumed())
            output = self.output_for(tracker)
            channel = output.name() if output else "collector"
            rendered = await self.agent.nlg.generate(response, tracker, channel)
            event = BotUttered(
                rendered.get("text"), {"buttons": rendered.get("buttons") or []}, {}
            ) if rendered else None
            if event is not None:
                tracker.update(event)
            if resume:
                # The bot was paused mid-turn (after action_handoff); listening again
                # starts a clean turn, so the next message is understood like any other.
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.agent.tracker_store.save(tracker)
        return await self._send(tracker, event) if event is not None else None

    async def resume_bot(self, sender_id: str) -> None:
        """Give the conversation back to the bot, which says so in the person's language."""
        await self.bot_says(sender_id, "utter_handoff_closed", resume=True)

    async def start_intent(self, sender_id: str, intent: str) -> None:
        """Let the bot take the conversation back and act as if the person asked `intent`."""
        async with self.agent.lock_store.lock(sender_id):
            tracker = await self.agent.tracker_store.get_or_create_tracker(sender_id)
            tracker.update(ConversationResumed())
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.agent.tracker_store.save(tracker)
        tracker = await self.agent.tracker_store.retrieve(sender_id)
        output = self.output_for(tracker) or CollectingOutputChannel()
        await self.agent.trigger_intent(intent, [], output, tracker)

    async def was_paused_at(self, sender_id: str, timestamp: float | None) -> bool:
        """Whether the bot was paused when the person sent the message at ``timestamp``
        (then no bot turn answered it)."""
        tracker = await self.agent.tracker_store.retrieve(sender_id)
        paused = False
        for event in tracker.events if tracker else []:
            if isinstance(event, ConversationPaused):
                paused = True
            elif isinstance(event, ConversationResumed):
                paused = False
            elif isinstance(event, UserUttered) and event.timestamp == timestamp:
                return paused
        return False

    async def notify(self, sender_id: str, frame: dict[str, Any]) -> NotDelivered | None:
        """A queue, handoff, rating or typing notice, as the person's channel can show it;
        why it did not reach them, if their channel can tell (the web chat keeps frames
        until the person is back, so it reports nothing)."""
        tracker = await self.agent.tracker_store.retrieve(sender_id)
        output = self.output_for(tracker, sender_id)
        if output is None:
            return self._no_channel(sender_id) if says_something(frame) else None
        if not hasattr(output, "send_frame"):
            return None
        language = tracker.get_slot("language") if tracker is not None else None
        try:
            failure = await output.send_frame(sender_id, frame, language)
        except Exception as error:  # noqa: BLE001 - a notice must not undo the desk's action
            logger.exception("could not send a notice to the person's channel")
            return NotDelivered(FAILED, type(error).__name__, output.name())
        return replace(failure, channel=output.name()) if failure else None

    @staticmethod
    def _no_channel(sender_id: str) -> NotDelivered | None:
        """A channel we should reach (not REST) that is not set up here, or None."""
        channel = CHANNEL_OF_NAMESPACE.get(channel_of(sender_id))
        return NotDelivered(NO_CHANNEL, channel=channel) if channel is not None else None

    async def _send(self, tracker: DialogueStateTracker,
                    event: BotUttered) -> NotDelivered | None:
        """Out through the person's channel; why it did not arrive, or None."""
        output = self.output_for(tracker)
        if output is None:
            # REST: nothing can be pushed; the transcript has it, as documented.
            return self._no_channel(tracker.sender_id)
        message = {**event.message(), "language": tracker.get_slot("language")}
        try:
            if isinstance(output, ReportsDelivery):
                failure = await output.deliver(tracker.sender_id, message)
                return replace(failure, channel=output.name()) if failure else None
            await output.send_response(tracker.sender_id, message)
        except Exception as error:  # noqa: BLE001 - the message is in the transcript either way
            logger.exception("could not deliver a message to the person's channel")
            return NotDelivered(FAILED, type(error).__name__, output.name())
        return None
