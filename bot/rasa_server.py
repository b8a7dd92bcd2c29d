"""Rasa's own command line, with Veivalg's fixes to Rasa 3.6 applied first.

`make run`, the tests and the benchmarks start the Rasa server through here
(``python -m bot.rasa_server run ...`` takes the same arguments as ``rasa run``).

Fixes applied:
- Sanic's size limits (a 100 MB request body by default) come from our settings
  (bot/channels/limits.py); Sanic reads them from the environment when Rasa makes its app.
- Rasa validates every action server response with ``jsonschema.validate``, which first
  re-validates the (large) response schema itself against its meta-schema. That took
  about two thirds of the Rasa process's time per reply here. We check the schema once
  and validate each response against it, with the same errors as before.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        f"from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def limit_sizes() -> None:
    from bot.channels.limits import sanic_environment
    from bot.settings import Settings

    for name, value in sanic_environment(Settings.from_env()).items():
        os.environ.setdefault(name, value)


def apply_fixes() -> None:
    limit_sizes()
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def main() -> None:
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
