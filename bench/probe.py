"""Held-out conversations, played turn by turn against the real servers and scored.

A probe is a JSON file of conversations written by someone who saw neither ``data/nlu``
nor ``tests/nlu`` (it stays out of the repository, so it is never trained on):

    {"conversations": [{"id": "p9-01", "lang": "nb", "turns": [
        {"text": "når er fristen for vgs", "expect": ["ask_upper_secondary_deadline"],
         "fragments": ["1. mars"]}]}]}

A turn is right when what the bot answered it as (``actions.in_context.answered_as``: the
knowledge answer it sent, a follow-up it read, else the intent on record), or any
knowledge answer it sent (two questions, two answers), is one of ``expect``; its reply
is complete when it holds every fragment. A crisis turn counts only when the reply
carries the help lines; an out-of-scope turn counts when the bot asked back instead
(the fallback), as no career answer was given; a yes counts when it took the offer of a
counsellor or of leaving a question. Prints the figures per language and every miss.

    PYTHONPATH=. .venv/bin/python -m bench.probe --conversations /path/to/probe.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.answers import KNOWLEDGE
from actions.in_context import answered_as
from actions.offers import EXTERNAL_MESSAGE_PREFIX, OFFERABLE
from bench.common import (
    API_TOKEN,
    UNLIMITED,
    RestClient,
    heading,
    machine_summary,
    model_missing,
    progress,
    running_servers,
    table,
)
from bot.server.channels.ownership import rest_conversation
from bot.shared.crisis import REPLAYED_KEY
from bot.shared.settings import PROJECT_DIR

# Every crisis answer, and the question how the person is, names Mental Helse's help line
# (domain.yml).
HELP_LINE = "116 123"
FALLBACK = "nlu_fallback"
NO_CAREER_ANSWER = frozenset({FALLBACK, "out_of_scope"})


# The occupation answers are templates in domain.yml, not knowledge entries: "Slik blir du
# {name}: {path}" answers the path to an occupation, "{name}: {description} … STYRK-08"
# what the work is, "Lønn og jobbmuligheter som {name} …" its pay and prospects.
# "Dette står i svaret over: «…»" answers from an answer before: the tracker says which
# (actions.in_context.answered_as reads the quoted sentences).
OCCUPATION_RESPONSES = {"ask_occupation_path": "utter_occupation_path",
                        "ask_occupation_description": "utter_occupation_description",
                        "ask_job_prospects": "utter_occupation_prospects"}


@lru_cache(maxsize=1)
def _occupation_templates() -> list[tuple[re.Pattern[str], str]]:
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    templates = []
    for intent, response in OCCUPATION_RESPONSES.items():
        for variation in domain["responses"][response]:
            pattern = re.sub(r"\\\{\w+\\\}", ".+?", re.escape(variation["text"]))
            templates.append((re.compile(pattern, re.DOTALL), intent))
    return templates


# A line of one's situation ("kom til norge i fjor") is thanked for and the question asked
# for (actions/situation_told.py): what a turn expecting a bare detail, ``inform``, wants.
SITUATION_THANKED = "utter_tell_me_more"
INFORM = "inform"


@lru_cache(maxsize=1)
def _situation_thanks() -> frozenset[str]:
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    return frozenset(variation["text"] for variation in domain["responses"][SITUATION_THANKED])


def occupation_answered(reply: str) -> str | None:
    """The occupation question ``reply`` answers, if it is one of those templates."""
    return next((intent for pattern, intent in _occupation_templates()
                 if pattern.fullmatch(reply.strip())), None)


@dataclass
class Turn:
    conversation: str
    language: str
    text: str
    expect: list[str]
    fragments: list[str]
    replies: list[str]
    answered: str | None = None
    sent: set[str] = field(default_factory=set)

    @property
    def answers(self) -> set[str]:
        """What the turn was answered as, and every knowledge answer sent to it: a message
        with two questions gets two answers."""
        sent = {KNOWLEDGE.intent_answered(reply) or occupation_answered(reply)
                or (INFORM if reply.strip() in _situation_thanks() else None)
                for reply in self.replies}
        return ({self.answered} | sent | self.sent) - {None}  # type: ignore[return-value]

    @property
    def right(self) -> bool:
        if self.expect == ["crisis"]:
            return HELP_LINE in " ".join(self.replies)
        expected = set(self.expect)
        if expected & NO_CAREER_ANSWER:
            # Garbage and unrelated requests get the out-of-scope reply or the fallback's
            # question back: either way no career answer (issue 13), whichever the
            # probe's writer expected.
            expected |= NO_CAREER_ANSWER
        if "affirm" in expected:
            # A yes takes what was offered (actions/offers.py): it is answered as that.
            expected |= OFFERABLE
        return bool(self.answers & expected)

    @property
    def complete(self) -> bool:
        said = " ".join(self.replies).casefold()
        return all(fragment.casefold() in said for fragment in self.fragments)


def load_probe(path: Path) -> list[dict[str, Any]]:
    conversations = json.loads(path.read_text(encoding="utf-8"))["conversations"]
    for conversation in conversations:
        for turn in conversation["turns"]:
            if not turn.get("text") or not turn.get("expect"):
                raise ValueError(f"{conversation['id']}: every turn needs text and expect")
    return conversations


def without_replays(answered: list[tuple[dict[str, Any], str]]
                    ) -> list[tuple[dict[str, Any], str]]:
    """One entry per message sent: a message the bot put back after the person answered
    its question how they are (``actions/crisis.py``) answers that answer's turn."""
    kept: list[tuple[dict[str, Any], str]] = []
    for event, intent in answered:
        if (event.get("metadata") or {}).get(REPLAYED_KEY) and kept:
            kept[-1] = (kept[-1][0], intent)
        else:
            kept.append((event, intent))
    return kept


def answers_sent(events: list[dict[str, Any]]) -> list[set[str]]:
    """For each message the person sent, the knowledge answers the bot sent after it, as
    the tracker holds them: an answer of several entries reaches a REST client as several
    messages, which no one of them names."""
    sent: list[set[str]] = []
    for event in events:
        if event.get("event") == "user":
            text = event.get("text") or ""
            replayed = (event.get("metadata") or {}).get(REPLAYED_KEY)
            if not (text.startswith(EXTERNAL_MESSAGE_PREFIX) or replayed) or not sent:
                sent.append(set())
        elif event.get("event") == "bot" and sent:
            text = event.get("text") or ""
            intent = KNOWLEDGE.intent_answered(text) or occupation_answered(text)
            if intent is not None:
                sent[-1].add(intent)
    return sent


def play(client: RestClient, conversation: dict[str, Any]) -> list[Turn]:
    """Send the conversation's turns in order; each turn gets the replies to it."""
    sender = f"probe-{conversation['id']}-{uuid.uuid4().hex[:8]}"
    turns = []
    for raw in conversation["turns"]:
        reply = client.send(sender, raw["text"])
        if reply.status != 200:
            raise RuntimeError(f"{conversation['id']}: HTTP {reply.status} for {raw['text']!r}")
        turns.append(Turn(conversation["id"], conversation["lang"], raw["text"],
                          list(raw["expect"]), list(raw.get("fragments") or []), reply.texts))
    status, tracker, _ = client.request(
        "GET", f"/conversations/{rest_conversation(sender)}/tracker?token={API_TOKEN}")
    if status != 200 or not isinstance(tracker, dict):
        raise RuntimeError(f"{conversation['id']}: no tracker (HTTP {status})")
    answered = without_replays(answered_as(tracker.get("events") or [], KNOWLEDGE))
    if len(answered) != len(turns):
        raise RuntimeError(f"{conversation['id']}: {len(answered)} messages on record, "
                           f"{len(turns)} sent")
    sent = answers_sent(tracker.get("events") or [])
    for turn, (_, intent), answers in zip(turns, answered, sent, strict=True):
        turn.answered = intent
        turn.sent = answers
    return turns


def report(turns: list[Turn]) -> None:
    by_language: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        by_language[turn.language].append(turn)
    rows = []
    for language, group in sorted(by_language.items()) + [("all", turns)]:
        right = sum(turn.right for turn in group)
        complete = sum(turn.complete for turn in group)
        rows.append([language, str(len(group)), f"{right} ({100 * right / len(group):.1f} %)",
                     f"{complete} ({100 * complete / len(group):.1f} %)"])
    print(table(["language", "turns", "right", "reply holds the facts"], rows))
    conversations: dict[str, bool] = defaultdict(lambda: True)
    for turn in turns:
        conversations[turn.conversation] &= turn.right
    print(f"\nConversations right throughout: {sum(conversations.values())} "
          f"of {len(conversations)}")
    heading("Misses")
    for turn in turns:
        if turn.right and turn.complete:
            continue
        mark = "answer" if not turn.right else "facts"
        print(f"[{turn.conversation} {mark}] {turn.text!r}\n    expected {turn.expect} "
              f"{turn.fragments}, answered as {' + '.join(sorted(turn.answers))}\n    "
              f"reply: {' | '.join(turn.replies)[:300]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=Path, required=True,
                        help="a probe JSON file kept outside the repository")
    args = parser.parse_args(argv)
    if model_missing():
        print("No trained model: run `make model` first.", file=sys.stderr)
        return 1
    conversations = load_probe(args.conversations)
    heading("Held-out conversations")
    print(machine_summary())
    turns: list[Turn] = []
    with running_servers(UNLIMITED) as servers:
        client = RestClient("127.0.0.1", servers.rasa_port)
        for conversation in conversations:
            progress(f"{conversation['id']} ({len(conversation['turns'])} turns)")
            turns.extend(play(client, conversation))
        client.close()
    report(turns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
