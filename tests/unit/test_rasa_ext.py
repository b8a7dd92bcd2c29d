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


# --- the action endpoint: plain Rasa in the repository, our secret when we start it ------

def test_plain_rasa_reads_a_usable_action_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import AvailableEndpoints

    from bot.settings import PROJECT_DIR

    for name in ("VEIVALG_ACTION_URL", "VEIVALG_ACTION_PORT", "VEIVALG_ACTION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # Rasa's own reader, as `rasa shell` uses it: no variable left unexpanded.
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_DIR / "endpoints.yml"))
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"


def test_started_through_us_the_server_sends_our_port_and_secret() -> None:
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_server import ACTION_TOKEN_HEADER, our_action_endpoint

    read = EndpointConfig(url="http://127.0.0.1:5055/webhook")
    ours = our_action_endpoint(read, {"VEIVALG_ACTION_PORT": "6123",
                                      "VEIVALG_ACTION_TOKEN": "en-hemmelighet-123456"})
    assert ours.url == "http://127.0.0.1:6123/webhook"
    assert ours.headers == {ACTION_TOKEN_HEADER: "en-hemmelighet-123456"}
    elsewhere = our_action_endpoint(read, {"VEIVALG_ACTION_URL": "http://actions:80/webhook",
                                           "VEIVALG_ACTION_PORT": "6123"})
    assert elsewhere.url == "http://actions:80/webhook"
    assert our_action_endpoint(read, {}).url == read.url


def test_the_fix_is_applied_to_rasas_reader(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import AvailableEndpoints

    from bot import rasa_server

    monkeypatch.setattr(AvailableEndpoints, "read_endpoints", AvailableEndpoints.read_endpoints)
    rasa_server.patch_rasa()
    path = tmp_path / "endpoints.yml"
    path.write_text("action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n")
    monkeypatch.setenv("VEIVALG_ACTION_PORT", "6124")
    monkeypatch.setenv("VEIVALG_ACTION_TOKEN", "en-hemmelighet-654321")
    monkeypatch.delenv("VEIVALG_ACTION_URL", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.action.url == "http://127.0.0.1:6124/webhook"
    assert endpoints.action.headers[rasa_server.ACTION_TOKEN_HEADER] == "en-hemmelighet-654321"
