"""Our faster check of action server responses accepts and refuses exactly as Rasa's."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import _validate_action_result

SCHEMA = RemoteAction.action_response_format_spec()

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "nn"}], "responses": []},
    {"events": [], "responses": [{"text": "Hei", "buttons": []}]},
    {},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "name": 5}]},
    {"responses": "x"},
]


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_both_checks(result: dict) -> None:
    jsonschema.validate(result, SCHEMA)
    assert _validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_both_checks(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        _validate_action_result(None, result)
