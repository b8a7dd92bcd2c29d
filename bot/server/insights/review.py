"""The learning loop's review queue: messages the bot could not answer, grouped by
similarity, labelled by a lead, exported as Rasa NLU training data.

Similarity uses the NLU's own kind of features (config.yml): word 1-2-grams and character
2-5-grams within words, TF-IDF weighted, cosine. Groups are made by leaders (see `group`):
unlike single linkage, that never chains a whole period into one group, and it never
compares all pairs. bench/insights.py times it on 10,000 messages.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
import yaml
from scipy.sparse import hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sqlalchemy.engine import Engine

from bot.server.handoff.models import UnansweredMessage
from bot.server.privacy import redact_identity_numbers

DAY = 86_400.0
# Two messages this close (cosine of their features) are one question asked twice.
SIMILAR = 0.45
MAX_MESSAGES = 20_000  # the newest in the period; a week has far fewer
MAX_GROUPS = 200
SHOWN_TEXTS = 8  # per group, the distinct texts a lead reads
BATCH = 500  # texts compared at once with the leaders and with each other
INTENT, NEW_INTENT, OUT_OF_SCOPE = "intent", "new_intent", "out_of_scope"
LABELS = (INTENT, NEW_INTENT, OUT_OF_SCOPE)
INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,60}$")


class LabelError(ValueError):
    """A label the review queue does not take; the message says why."""


@dataclass(frozen=True)
class Message:
    id: int
    text: str
    guess: str | None
    label: str | None
    intent: str | None


def features(texts: Sequence[str]) -> Any:
    """One L2-normalised row per text: word and character n-grams, as the NLU's
    featurizers see text (config.yml)."""
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True,
                            sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True,
                            sublinear_tf=True)
    return normalize(hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr())


def group(texts: Sequence[str], similar: float = SIMILAR) -> list[list[int]]:
    """Indexes of ``texts`` in groups of similar ones, the largest group first.

    Leader grouping, never all pairs (10,000 messages would be 10^8 similarities): the same
    text asked again counts once; texts go most-asked first, in batches; a text joins the
    most similar leader if one is close enough, else the batch's own texts are grouped
    greedily (most close neighbours first) and its new leaders join the others.
    Cost: texts x (leaders + batch)."""
    if not texts:
        return []
    same: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        same.setdefault(" ".join(text.lower().split()), []).append(index)
    keys = sorted(same, key=lambda key: (-len(same[key]), same[key][0]))
    matrix = features(keys)
    leader_of = np.full(len(keys), -1)
    leaders: list[int] = []
    leader_rows: Any = None
    for start in range(0, len(keys), BATCH):
        batch = np.arange(start, min(start + BATCH, len(keys)))
        if leader_rows is not None:
            sims = (matrix[batch] @ leader_rows.T).toarray()
            best = sims.argmax(axis=1)
            close = sims[np.arange(len(batch)), best] >= similar
            leader_of[batch[close]] = np.asarray(leaders)[best[close]]
        rest = batch[leader_of[batch] < 0]
        if not len(rest):
            continue
        sims = (matrix[rest] @ matrix[rest].T).toarray()
        fresh = []
        # The text with the most close neighbours in the batch leads first.
        for i in np.argsort(-(sims >= similar).sum(axis=1), kind="stable"):
            key = rest[i]
            if leader_of[key] >= 0:
                continue
            fresh.append(key)
            joining = rest[(sims[i] >= similar) & (leader_of[rest] < 0)]
            leader_of[joining] = key
            leader_of[key] = key
        leaders.extend(int(key) for key in fresh)
        rows = matrix[fresh]
        leader_rows = rows if leader_rows is None else vstack([leader_rows, rows]).tocsr()
    members: dict[int, list[int]] = {}
    for key, leader in enumerate(leader_of):
        members.setdefault(int(leader), []).extend(same[keys[key]])
    groups = [sorted(indexes) for indexes in members.values()]
    groups.sort(key=lambda indexes: (-len(indexes), indexes[0]))
    return groups


def _messages(engine: Engine, since: float) -> list[Message]:
    u = UnansweredMessage.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(u.c.id, u.c.text, u.c.guess, u.c.label, u.c.intent)
            .where(u.c.created_at >= since).order_by(u.c.id.desc()).limit(MAX_MESSAGES)
        ).all()
    return [Message(*row) for row in rows]


def _common(values: list[str | None]) -> str | None:
    counted = Counter(value for value in values if value)
    return counted.most_common(1)[0][0] if counted else None


def review_queue(engine: Engine, days: int, intents: Sequence[str],
                 now: float | None = None) -> dict[str, Any]:
    """The period's unanswered messages in groups, for a lead (database work: call it off
    the event loop). Texts only: never who wrote them."""
    now = time.time() if now is None else now
    messages = _messages(engine, now - days * DAY)
    groups = []
    for members in group([m.text for m in messages])[:MAX_GROUPS]:
        chosen = [messages[i] for i in members]
        labels = {(m.label, m.intent) for m in chosen}
        label = next(iter(labels)) if len(labels) == 1 else None
        groups.append({
            "id": f"g{min(m.id for m in chosen)}",
            "size": len(chosen),
            "texts": list(dict.fromkeys(m.text for m in chosen))[:SHOWN_TEXTS],
            "ids": sorted(m.id for m in chosen),
            "guess": _common([m.guess for m in chosen]),
            "label": {"label": label[0], "intent": label[1]} if label and label[0] else None,
        })
    return {"days": days, "messages": len(messages), "groups": groups,
            "intents": sorted(intents)}


def check_label(label: Any, intent: Any, intents: Sequence[str]) -> str | None:
    """The intent the label names (None for out of scope); LabelError when it is wrong."""
    if label not in LABELS:
        raise LabelError(f"label: one of {', '.join(LABELS)}")
    if label == OUT_OF_SCOPE:
        return None
    if not isinstance(intent, str) or not INTENT_NAME.match(intent):
        raise LabelError("intent: lower-case letters, digits and _, starting with a letter")
    if label == INTENT and intent not in intents:
        raise LabelError(f"intent: {intent} is not an intent of the bot")
    if label == NEW_INTENT and intent in intents:
        raise LabelError(f"intent: {intent} exists; label the group with it instead")
    return intent


def label_messages(engine: Engine, ids: Any, label: str, intent: str | None) -> int:
    """Label these messages; how many were found (the rest had gone with the purge)."""
    if not isinstance(ids, list) or not ids or len(ids) > MAX_MESSAGES or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63 for i in ids):
        raise LabelError(f"ids: a list of 1-{MAX_MESSAGES} message ids")
    u = UnansweredMessage.__table__
    with engine.begin() as conn:
        return conn.execute(sa.update(u).where(u.c.id.in_(ids)).values(
            label=label, intent=intent, labelled_at=time.time())).rowcount


def export_yaml(engine: Engine) -> str:
    """Every message labelled with an intent, as Rasa NLU training data (``version: "3.1"``,
    ``nlu:``) to merge into data/nlu/. Out-of-scope labels go to ``out_of_scope``, the
    intent Veivalg keeps for what is outside career guidance."""
    u = UnansweredMessage.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(u.c.label, u.c.intent, u.c.text)
                            .where(u.c.label.is_not(None)).order_by(u.c.intent, u.c.id)).all()
    examples: dict[str, list[str]] = {}
    for label, intent, text in rows:
        name = "out_of_scope" if label == OUT_OF_SCOPE else intent
        clean = " ".join(redact_identity_numbers(text).split())
        if name and clean and clean not in examples.setdefault(name, []):
            examples[name].append(clean)
    nlu = [{"intent": name, "examples": "".join(f"- {text}\n" for text in texts)}
           for name, texts in sorted(examples.items())]
    return yaml.dump({"version": "3.1", "nlu": nlu}, Dumper=_LiteralDumper,
                     allow_unicode=True, sort_keys=False)


class _LiteralDumper(yaml.SafeDumper):
    """Examples as a literal block (`examples: |`), the way data/nlu/ writes them."""


def _literal(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)
