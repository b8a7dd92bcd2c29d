"""Every rule in data/rules/ is exercised by a test story in tests/stories/.

`rasa test` checks only the steps a test story walks through, so a rule no story reaches
can break without a red light. A rule counts as tested when its intents and actions occur
in some test story in the same order with nothing between them. Conditions, slot_was_set
and active_loop steps are left out: they record what actions did, not what was chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.shared.settings import PROJECT_DIR

RULES_DIR = PROJECT_DIR / "data" / "rules"
STORIES_DIR = PROJECT_DIR / "tests" / "stories"
# `rasa test --e2e` reads only test-story files, named test_*.yml; it skips others silently.
STORY_FILES = "test_*.yml"

Step = tuple[str, str]  # ("intent", name) or ("action", name)


def choices(steps: list[dict[str, Any]]) -> list[Step]:
    """The intents and actions of a rule or story, in order."""
    chosen: list[Step] = []
    for step in steps:
        if "or" in step or "checkpoint" in step:
            raise AssertionError(f"this test does not know how to follow {step}")
        if "intent" in step:
            chosen.append(("intent", step["intent"]))
        if "action" in step:
            chosen.append(("action", step["action"]))
    return chosen


def load(paths: list[Path], key: str) -> dict[str, list[Step]]:
    """Each rule's or story's steps, by "file: name"."""
    found = {}
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get(key) or []:
            name = item.get("rule") or item.get("story")
            found[f"{path.name}: {name}"] = choices(item.get("steps") or [])
    return found


def occurs_in(part: list[Step], whole: list[Step]) -> bool:
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def untested(rules: dict[str, list[Step]], stories: list[list[Step]]) -> list[str]:
    return [name for name, steps in rules.items() if not any(occurs_in(steps, s) for s in stories)]


def test_every_rule_occurs_in_a_test_story() -> None:
    rules = load(sorted(RULES_DIR.glob("*.yml")), "rules")
    stories = list(load(sorted(STORIES_DIR.glob(STORY_FILES)), "stories").values())
    assert rules and stories
    missing = untested(rules, stories)
    assert not missing, "no test story exercises these rules:\n  " + "\n  ".join(missing)


def test_every_story_file_is_read_by_rasa_test() -> None:
    skipped = set(STORIES_DIR.glob("*.y*ml")) - set(STORIES_DIR.glob(STORY_FILES))
    assert not skipped, f"rasa test --e2e would skip {sorted(p.name for p in skipped)}"


def test_every_user_step_has_text_and_intent() -> None:
    # --e2e sends the text through NLU; a step with an intent only would test nothing.
    for path in sorted(STORIES_DIR.glob(STORY_FILES)):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["steps"]:
                if "user" in step or "intent" in step:
                    assert step.get("user", "").strip() and step.get("intent"), (
                        f"{path.name}: {story['story']}: {step}"
                    )


def test_a_rule_counts_only_when_its_steps_are_contiguous() -> None:
    rule = [("intent", "affirm"), ("action", "action_handoff")]
    assert untested({"r": rule}, [[("intent", "greet"), ("action", "utter_greet"), *rule]]) == []
    apart = [("intent", "affirm"), ("action", "utter_greet"), ("action", "action_handoff")]
    assert untested({"r": rule}, [apart]) == ["r"]
