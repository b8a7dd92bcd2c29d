"""Checking the action server's answer without re-checking Rasa's schema every time.

Rasa validates every action server response with ``jsonschema.validate``, which first
re-validates the (large) response schema itself against its meta-schema. That took about
two thirds of the Rasa process's time per reply here. We check the schema once and
validate each response against it, with the same errors as before.
"""

from __future__ import annotations

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


def validate_action_result(self: RemoteAction | None, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        f"from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign,assignment]
