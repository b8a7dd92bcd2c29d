"""Our changes to Rasa's code (bot/rasa_ext/): each does what Rasa did, or what we need,
and each fails here loudly when a Rasa upgrade moves what it relies on."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_ext
from bot.action_server import ACTION_TOKEN_HEADER
from bot.rasa_ext.action_endpoint import our_action_endpoint
from bot.rasa_ext.action_response import validate_action_result

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
    assert validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_both_checks(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        validate_action_result(None, result)


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

    restore_after(monkeypatch)
    rasa_ext.apply()
    path = tmp_path / "endpoints.yml"
    path.write_text("action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n")
    monkeypatch.setenv("VEIVALG_ACTION_PORT", "6124")
    monkeypatch.setenv("VEIVALG_ACTION_TOKEN", "en-hemmelighet-654321")
    monkeypatch.delenv("VEIVALG_ACTION_URL", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.action.url == "http://127.0.0.1:6124/webhook"
    assert endpoints.action.headers[ACTION_TOKEN_HEADER] == "en-hemmelighet-654321"


def restore_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa as it was, after the test: each patched attribute set back by monkeypatch."""
    from rasa.core.utils import AvailableEndpoints
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    monkeypatch.setattr(AvailableEndpoints, "read_endpoints", AvailableEndpoints.read_endpoints)
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    monkeypatch.setattr(SpacyNLP, "load_model", SpacyNLP.load_model)


# --- one spaCy pipeline per process -------------------------------------------------------

def test_the_spacy_pipeline_is_loaded_once_for_both_graph_nodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from bot.settings import PROJECT_DIR

    restore_after(monkeypatch)
    rasa_ext.apply()
    config = {**SpacyNLP.get_default_config(), "model": str(PROJECT_DIR / "build/spacy-nb")}
    provider = SpacyNLP.create(config, None, None, None)  # type: ignore[arg-type]
    runner = SpacyNLP.create(config, None, None, None)  # type: ignore[arg-type]
    assert provider.provide().model is runner.provide().model


# --- what the changes rely on in Rasa 3.6 -----------------------------------------------

def test_rasa_still_has_what_our_changes_replace() -> None:
    import inspect

    from rasa.core.utils import AvailableEndpoints
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    assert list(inspect.signature(RemoteAction._validate_action_result).parameters) == [
        "self", "result"]
    assert "jsonschema" in inspect.getsource(RemoteAction._validate_action_result)
    assert isinstance(inspect.getattr_static(AvailableEndpoints, "read_endpoints"),
                      classmethod)
    assert list(inspect.signature(AvailableEndpoints.read_endpoints).parameters) == [
        "endpoint_file"]
    assert isinstance(inspect.getattr_static(SpacyNLP, "load_model"), staticmethod)
    assert list(inspect.signature(SpacyNLP.load_model).parameters) == ["spacy_model_name"]
    # The graph loads the pipeline through load_model from create (one per graph node).
    assert "cls.load_model(" in inspect.getsource(SpacyNLP.create)
