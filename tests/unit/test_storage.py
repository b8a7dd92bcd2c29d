"""The conversation store: full history in the database, a bounded window for Rasa."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.storage import ConversationStore
from bot.shared.settings import PROJECT_DIR

DOMAIN = Domain.load(PROJECT_DIR / "domain.yml")
WINDOW = 12


def store(database: Path) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, url=f"sqlite:///{database}", window_events=WINDOW)


def turn(tracker: DialogueStateTracker, n: int) -> None:
    tracker.update(UserUttered(f"melding {n}", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered(f"svar {n}"))
    tracker.update(ActionExecuted("action_listen"))


async def conversation(conversations: ConversationStore, sender: str, turns: int) -> None:
    tracker = await conversations.get_or_create_tracker(sender)
    tracker.update(SlotSet("language", "nn"))  # set early: must survive the window
    for n in range(turns):
        turn(tracker, n)
        await conversations.save(tracker)
        tracker = await conversations.retrieve(sender)


async def test_rasa_gets_a_bounded_window_with_the_full_state(tmp_path: Path) -> None:
    conversations = store(tmp_path / "c.db")
    await conversation(conversations, "p1", turns=30)

    window = await conversations.retrieve("p1")
    assert len(window.events) <= WINDOW + 1  # plus the restored slot
    assert window.get_slot("language") == "nn"
    assert window.events[-2].text == "svar 29"

    full = await conversations.retrieve_full_tracker("p1")
    said = [event.text for event in full.events if isinstance(event, UserUttered)]
    assert said == [f"melding {n}" for n in range(30)]  # each stored once, in order


async def test_the_windows_history_starts_from_the_restored_state(tmp_path: Path) -> None:
    conversations = store(tmp_path / "c.db")
    await conversation(conversations, "p2", turns=20)
    window = await conversations.retrieve("p2")
    priors = [prior for prior, _ in window.generate_all_prior_trackers()][1:]
    assert len(priors) >= 3  # the window holds the last turns, not nothing
    # Every state the policies see carries the slot set before the window began.
    assert [prior.get_slot("language") for prior in priors] == ["nn"] * len(priors)


async def test_another_process_sees_what_one_process_wrote(tmp_path: Path) -> None:
    replica_a, replica_b = store(tmp_path / "c.db"), store(tmp_path / "c.db")
    await conversation(replica_a, "p3", turns=5)
    tracker = await replica_b.retrieve("p3")
    assert tracker.get_slot("language") == "nn"
    turn(tracker, 99)
    await replica_b.save(tracker)

    seen_by_a = await replica_a.retrieve("p3")
    assert [e.text for e in seen_by_a.events if isinstance(e, UserUttered)][-1] == "melding 99"
    full = await replica_a.retrieve_full_tracker("p3")
    assert sum(isinstance(e, UserUttered) for e in full.events) == 6


async def test_a_new_session_starts_a_new_window(tmp_path: Path) -> None:
    conversations = store(tmp_path / "c.db")
    await conversation(conversations, "p4", turns=3)
    tracker = await conversations.retrieve("p4")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await conversations.save(tracker)
    after = await conversations.retrieve("p4")
    assert not [e for e in after.events if isinstance(e, UserUttered)]


class Recorder(EventBroker):
    """An event broker that keeps what it is given (the desk relay's place)."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []

    def publish(self, event: dict) -> None:
        self.bodies.append(event)


async def test_each_new_event_reaches_the_event_broker_once_without_a_second_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broker = Recorder()
    conversations = ConversationStore(domain=DOMAIN, url=f"sqlite:///{tmp_path / 'c.db'}",
                                      window_events=WINDOW, event_broker=broker)
    reads = []
    window = conversations._window
    monkeypatch.setattr(conversations, "_window", lambda sender: reads.append(sender)
                        or window(sender))
    tracker = await conversations.get_or_create_tracker("p9")
    for n in range(30):
        # Saved twice in one turn, as Rasa does when it stores the message first; long
        # past the window, so a re-read would hold fewer events than were saved.
        tracker.update(UserUttered(f"melding {n}", {"name": "greet", "confidence": 1.0}))
        await conversations.save(tracker)
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered(f"svar {n}"))
        tracker.update(ActionExecuted("action_listen"))
        await conversations.save(tracker)
        tracker = await conversations.retrieve("p9")
    said = [body["text"] for body in broker.bodies if body["event"] in ("user", "bot")]
    assert said == [text for n in range(30) for text in (f"melding {n}", f"svar {n}")]
    # Reading the conversation: once per turn; the saves read nothing (a new
    # conversation's first save aside).
    assert len(reads) <= 30 + 3, len(reads)


async def test_an_unknown_conversation_is_none(tmp_path: Path) -> None:
    assert await store(tmp_path / "c.db").retrieve("nobody") is None


@pytest.mark.parametrize("url_env", ["", "sqlite:///{dir}/from-env.db"])
def test_the_database_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url_env: str
) -> None:
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url_env.format(dir=tmp_path))
    conversations = ConversationStore(domain=DOMAIN)
    expected = "from-env.db" if url_env else "veivalg.db"
    assert conversations.engine.url.database.endswith(expected)


async def test_contact_details_are_stored_only_as_a_marker(tmp_path: Path) -> None:
    conversations = store(tmp_path / "c.db")
    tracker = await conversations.get_or_create_tracker("p5")
    tracker.update(UserUttered("Hvordan får jeg godkjent utdanningen min?"))
    tracker.update(UserUttered("mobilen min er 412 34 567"))
    tracker.update(SlotSet("callback_contact", "41234567"))
    tracker.update(SlotSet("callback_contact", None))
    await conversations.save(tracker)

    stored = await conversations.retrieve_full_tracker("p5")
    said = [e.text for e in stored.events if isinstance(e, UserUttered)]
    assert said == ["Hvordan får jeg godkjent utdanningen min?", "[lagret i saken]"]
    values = [e.value for e in stored.events if isinstance(e, SlotSet)]
    assert "41234567" not in values and "[lagret i saken]" in values
