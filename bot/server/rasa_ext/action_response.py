"""Checking the action server's answer without re-checking Rasa's schema every time.

Rasa validates every action server response with ``jsonschema.validate``, which first
re-validates the (large) response schema itself against its meta-schema. That took about
two thirds of the Rasa process's time per reply here. We check the schema once and
validate each response against it, with the same errors as before.

Each event in a response must match exactly one of the schema's 23 event kinds
(``oneOf``), so a plain validator tries every kind for every event: still about 1.7 ms
a response, a millisecond or two of the event loop per message. The kinds are told
apart by the ``event`` name alone, so a response is first checked with each event
against its own kind only; the full check runs only when that finds a fault, and its
error is the one raised.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


class _Validators(NamedTuple):
    full: Any
    outline: Any  # the response with each event's own kind left out
    kinds: dict[str, Any]  # event name -> that kind's validator


def _kind_name(kind: dict[str, Any]) -> Any:
    return kind.get("properties", {}).get("event", {}).get("const")


@lru_cache(maxsize=1)
def _validators() -> _Validators:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    full = validator_class(schema)
    items = schema["properties"]["events"]["items"]
    kinds = items["oneOf"]
    names = [_kind_name(kind) for kind in kinds]
    if None in names or len(set(names)) != len(names):
        # Kinds no longer told apart by name alone: the full check every time.
        return _Validators(full, None, {})
    outline = {**schema, "properties": {
        **schema["properties"],
        "events": {**schema["properties"]["events"],
                   "items": {k: v for k, v in items.items() if k != "oneOf"}}}}
    by_name = {name: validator_class(kind) for name, kind in zip(names, kinds, strict=True)}
    return _Validators(full, validator_class(outline), by_name)


def _plainly_valid(result: Any, checks: _Validators) -> bool:
    if checks.outline is None or not checks.outline.is_valid(result):
        return False
    for event in result.get("events") or []:
        kind = checks.kinds.get(event["event"])
        if kind is None or not kind.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction | None, result: dict[str, Any]) -> bool:
    checks = _validators()
    if _plainly_valid(result, checks):
        return True
    error = exceptions.best_match(checks.full.iter_errors(result))
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
