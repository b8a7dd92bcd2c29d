"""`rasa data validate --fail-on-warnings`, knowing which responses code sends.

Rasa's validator warns that a response is "not used in any story or rule" when only a
custom action sends it (``dispatcher.utter_message(response="utter_...")``), the desk
sends it, or a form asks for a slot with it (``utter_ask_<slot>``): it cannot see those.
This runs the real validator and accepts exactly those warnings, for responses that
really are sent that way; any other warning fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.shared.settings import PROJECT_DIR

UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")
SENT_BY_ACTIONS = re.compile(r"""["'](utter_\w+)["']""")


def responses_sent_by_code() -> set[str]:
    sources = [*(PROJECT_DIR / "actions").glob("*.py"), *(PROJECT_DIR / "bot").rglob("*.py")]
    sent = {name for path in sources for name in SENT_BY_ACTIONS.findall(path.read_text())}
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    asked_by_forms = {
        f"utter_ask_{slot}"
        for form in (domain.get("forms") or {}).values()
        for slot in form.get("required_slots") or []
    }
    return sent | asked_by_forms


def main() -> int:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "data", "validate", "--fail-on-warnings"],
        cwd=PROJECT_DIR, capture_output=True, text=True,
    )
    output = result.stdout + result.stderr
    sent = responses_sent_by_code()
    problems = []
    for line in output.splitlines():
        warning = WARNING.search(line)
        if warning is None or "rasa" not in line:
            continue
        unused = UNUSED.search(line)
        if unused and unused.group(1) in sent:
            continue
        problems.append(warning.group(1))
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if result.returncode != 0:
        print(output[-3000:], file=sys.stderr)
    ok = result.returncode == 0 and not problems
    print("Training data and domain are valid." if ok else "Validation failed.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
