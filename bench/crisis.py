"""How well crisis language is recognised: the pattern safety net alone and the whole NLU.

    python -m bench.crisis [--model] [--show-misses] [--sets FILE ...]

Reads the labelled phrasings (tests/unit/crisis_phrasings.yml, tests/crisis/*.yml and the
held-out tests/crisis/heldout/*.yml:
``positives`` must be recognised, ``negatives`` must not; ``third_party``, messages
about someone else at risk, is reported but not required) and counts false alarms on
messages that are not about a crisis: every MASSIVE nb-NO utterance (train and dev,
/work/shared/data/massive-nb or VEIVALG_MASSIVE_DIR), the other intents' training
examples and the held-out test utterances. ``--model`` also runs every message through
the trained model (models/veivalg.tar.gz): "model" counts the messages it takes for a
crisis, "model or asked" also those it asks about first (``crisis_check``: the bot asks
how the person is, with the help lines).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.common import heading, machine_summary, progress, table
from bot.shared.crisis import CHECK_KEY, CRISIS_INTENT, mentions_crisis
from bot.shared.settings import PROJECT_DIR

# Sets the patterns were mended on: every positive must be recognised (tests/unit).
LABELLED = [PROJECT_DIR / "tests" / "unit" / "crisis_phrasings.yml",
            *sorted((PROJECT_DIR / "tests" / "crisis").glob("*.yml"))]
# Written by someone who had seen neither the patterns nor the other sets, measured once
# before anything was mended: what to expect of messages nobody has seen.
HELDOUT = sorted((PROJECT_DIR / "tests" / "crisis" / "heldout").glob("*.yml"))
MASSIVE_DIR = Path(os.environ.get("VEIVALG_MASSIVE_DIR") or "/work/shared/data/massive-nb")
NLU_DIR = PROJECT_DIR / "data" / "nlu"
HELDOUT_DIR = PROJECT_DIR / "tests" / "nlu"
SECTIONS = ("positives", "negatives", "third_party")
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")

Detector = Callable[[Sequence[str]], list[bool]]


def labelled(paths: Iterable[Path] = LABELLED) -> dict[tuple[str, str, str], list[str]]:
    """(file, section, language) -> messages."""
    sets: dict[tuple[str, str, str], list[str]] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section in SECTIONS:
            for language, texts in (data.get(section) or {}).items():
                sets[(path.stem, section, language)] = [str(text) for text in texts]
    return sets


def massive() -> list[str]:
    return massive_partition("train.jsonl") + massive_partition("dev.jsonl")


def examples(directory: Path, skip_intent: str = CRISIS_INTENT) -> list[str]:
    """Every example of every intent but ``skip_intent`` in Rasa NLU files."""
    texts = []
    for path in sorted(directory.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" not in item or item["intent"] == skip_intent:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ENTITY.sub(lambda m: m.group(1) or m.group(2), line[2:]))
    return texts


def patterns(texts: Sequence[str]) -> list[bool]:
    return [mentions_crisis(text) for text in texts]


def model_detectors() -> dict[str, Detector]:
    """The trained model: a crisis, and a crisis or a message the bot asks about first
    (``crisis_check``: how the person is, with the help lines). One parse per message."""
    from bench.nlu import prepare_environment

    prepare_environment()  # a quiet Rasa: its log would bury the figures
    from rasa.core.agent import Agent

    with contextlib.redirect_stdout(sys.stderr):
        agent = Agent.load(str(PROJECT_DIR / "models" / "veivalg.tar.gz"))
    parsed: dict[str, dict[str, Any]] = {}

    async def parse(texts: Sequence[str]) -> list[dict[str, Any]]:
        for text in dict.fromkeys(texts):
            if text not in parsed:
                parsed[text] = await agent.parse_message(text)
        return [parsed[text] for text in texts]

    def crisis(data: dict[str, Any]) -> bool:
        return (data.get("intent") or {}).get("name") == CRISIS_INTENT

    return {
        "model": lambda texts: [crisis(d) for d in asyncio.run(parse(texts))],
        "model or asked": lambda texts: [crisis(d) or bool(d.get(CHECK_KEY))
                                         for d in asyncio.run(parse(texts))],
    }


class EmbeddingCache:
    """Sentence embeddings kept between runs (var/cache): MASSIVE takes minutes to embed."""

    def __init__(self, path: Path = PROJECT_DIR / "var" / "cache" / "e5-query.pkl") -> None:
        self.path = path
        self.known: dict[str, Any] = {}
        if path.exists():
            with path.open("rb") as stored:
                self.known = pickle.load(stored)  # noqa: S301 - our own cache file

    def __call__(self, texts: Sequence[str]) -> Any:
        import numpy as np

        from bot.server.nlp.crisis_sense import embed

        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            for start in range(0, len(missing), 512):
                chunk = missing[start:start + 512]
                self.known.update(zip(chunk, embed(chunk), strict=True))
                progress(f"embedded {min(start + 512, len(missing))} of {len(missing)}")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("wb") as out:
                pickle.dump(self.known, out)
        return np.array([self.known[t] for t in texts])


def sense_thresholds(sets: dict[tuple[str, str, str], list[str]]) -> None:
    """Train the learned half as `rasa train` does and show what each threshold costs:
    chosen on MASSIVE train (no alarm there), checked on MASSIVE dev and the sets."""
    from bot.server.nlp.crisis_sense import CrisisSense, corpus
    from bot.shared.crisis import is_excused

    cache = EmbeddingCache()
    positives, negatives = corpus()
    positives += crisis_examples()
    negatives += examples(NLU_DIR)
    texts = [*positives, *negatives]
    sense = CrisisSense.train(positives, negatives, cache(texts))
    progress(f"trained on {len(positives)} positives and {len(negatives)} negatives")

    def detector(threshold: float) -> Detector:
        def detect(batch: Sequence[str]) -> list[bool]:
            scores = sense.scores(batch, cache(batch))
            return [mentions_crisis(t) or (s >= threshold and not is_excused(t))
                    for t, s in zip(batch, scores, strict=True)]
        return detect

    train, dev = massive_partition("train.jsonl"), massive_partition("dev.jsonl")
    rows = []
    for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99):
        detect = detector(threshold)
        row = [f"{threshold:.2f}", str(sum(detect(train))), str(sum(detect(dev)))]
        for section in ("positives", "negatives"):
            for name in sorted({n for n, s, _ in sets if s == section}):
                batch = [t for (n, s, _), ts in sets.items() if n == name and s == section
                         for t in ts]
                row.append(f"{sum(detect(batch)) / len(batch):.1%}")
        rows.append(row)
    names = sorted({n for n, _, _ in sets})
    print(table(["threshold", "MASSIVE train alarms", "MASSIVE dev alarms",
                 *(f"{n} positives" for n in names), *(f"{n} negatives" for n in names)],
                rows))


def crisis_examples() -> list[str]:
    texts = []
    data = yaml.safe_load((NLU_DIR / "crisis.yml").read_text(encoding="utf-8")) or {}
    for item in data.get("nlu") or []:
        if item.get("intent") == CRISIS_INTENT:
            texts += [line.strip()[2:] for line in str(item["examples"]).splitlines()
                      if line.strip().startswith("- ")]
    return texts


def massive_partition(name: str) -> list[str]:
    with (MASSIVE_DIR / name).open(encoding="utf-8") as lines:
        return [json.loads(line)["utt"] for line in lines if line.strip()]


def recall_rows(sets: dict[tuple[str, str, str], list[str]], detectors: dict[str, Detector],
                show: bool) -> list[list[str]]:
    rows = []
    for (name, section, language), texts in sets.items():
        row = [name, section, language, str(len(texts))]
        for label, detect in detectors.items():
            found = detect(texts)
            hits = sum(found)
            row.append(f"{hits} ({hits / len(texts):.1%})")
            wrong = [t for t, f in zip(texts, found, strict=True) if f != (section != "negatives")]
            if show and wrong and section != "third_party":
                print(f"  {label} {'missed' if section == 'positives' else 'false alarm'} "
                      f"[{name} {language}]:", *wrong, sep="\n    ", file=sys.stderr)
        rows.append(row)
    return rows


def false_alarm_rows(detectors: dict[str, Detector], show: bool) -> list[list[str]]:
    sources = {
        "MASSIVE nb-NO train + dev": massive(),
        "training examples of other intents": examples(NLU_DIR),
        "held-out test utterances (not crisis)": examples(HELDOUT_DIR),
    }
    rows = []
    for source, texts in sources.items():
        row = [source, str(len(texts))]
        for label, detect in detectors.items():
            alarms = [t for t, f in zip(texts, detect(texts), strict=True) if f]
            row.append(str(len(alarms)))
            if show and alarms:
                print(f"  {label} false alarm [{source}]:", *alarms, sep="\n    ",
                      file=sys.stderr)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="store_true", help="also run the trained model")
    parser.add_argument("--show-misses", action="store_true", help="list every miss")
    parser.add_argument("--sets", nargs="*", type=Path, help="labelled files to read")
    parser.add_argument("--thresholds", action="store_true",
                        help="train the learned half here and compare its thresholds")
    args = parser.parse_args(argv)
    if args.thresholds:
        heading("The learned half: what each threshold costs")
        print(machine_summary())
        sense_thresholds(labelled(args.sets or [*LABELLED, *HELDOUT]))
        return 0
    detectors: dict[str, Detector] = {"patterns": patterns}
    if args.model:
        detectors.update(model_detectors())
    started = time.monotonic()
    heading("Crisis recognition")
    print(machine_summary())
    sets = labelled(args.sets or [*LABELLED, *HELDOUT])
    print(table(["set", "section", "language", "messages",
                 *(f"{d}: crisis" for d in detectors)],
                recall_rows(sets, detectors, args.show_misses), left=(0, 1, 2)))
    heading("False alarms on messages that are not about a crisis")
    print(table(["source", "messages", *(f"{d}: alarms" for d in detectors)],
                false_alarm_rows(detectors, args.show_misses)))
    print(f"\n{time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
