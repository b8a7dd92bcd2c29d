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
- The action endpoint: ``endpoints.yml`` names Rasa's usual ``http://127.0.0.1:5055/webhook``
  with no secret, so that plain ``rasa shell``, ``rasa interactive`` and ``rasa test`` work
  in the repository beside ``rasa run actions``. Started through here, the Rasa server
  sends to ``VEIVALG_ACTION_URL`` (or the port ``VEIVALG_ACTION_PORT``) with the secret
  ``VEIVALG_ACTION_TOKEN`` that our action server demands (bot/action_server.py).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.utils import AvailableEndpoints
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import EndpointConfig

ACTION_TOKEN_HEADER = "X-Veivalg-Action-Token"


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


def our_action_endpoint(endpoint: EndpointConfig | None,
                        environ: Any = os.environ) -> EndpointConfig | None:
    """The action endpoint with the address and the secret of this deployment's action
    server, where the environment gives them; as read otherwise."""
    url = environ.get("VEIVALG_ACTION_URL") or (endpoint.url if endpoint else None)
    port = environ.get("VEIVALG_ACTION_PORT")
    if url and port and not environ.get("VEIVALG_ACTION_URL"):
        parts = urlsplit(url)
        url = urlunsplit(parts._replace(netloc=f"{parts.hostname}:{int(port)}"))
    if not url:
        return endpoint
    headers = dict(endpoint.headers or {}) if endpoint else {}
    token = environ.get("VEIVALG_ACTION_TOKEN")
    if token:
        headers[ACTION_TOKEN_HEADER] = token
    if endpoint is None:
        return EndpointConfig(url=url, headers=headers)
    return EndpointConfig(url=url, params=endpoint.params, headers=headers,
                          basic_auth=endpoint.basic_auth, token=endpoint.token,
                          token_name=endpoint.token_name, cafile=endpoint.cafile,
                          **endpoint.kwargs)


_read_endpoints = AvailableEndpoints.read_endpoints.__func__  # type: ignore[attr-defined]


def _read_endpoints_with_ours(cls: type[AvailableEndpoints], endpoint_file: str,
                              ) -> AvailableEndpoints:
    endpoints = _read_endpoints(cls, endpoint_file)
    endpoints.action = our_action_endpoint(endpoints.action)
    return endpoints


def limit_sizes() -> None:
    from bot.channels.limits import sanic_environment
    from bot.settings import Settings

    for name, value in sanic_environment(Settings.from_env()).items():
        os.environ.setdefault(name, value)


def apply_fixes() -> None:
    limit_sizes()
    patch_rasa()


def patch_rasa() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    AvailableEndpoints.read_endpoints = classmethod(_read_endpoints_with_ours)  # type: ignore[method-assign,assignment]


def main() -> None:
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
