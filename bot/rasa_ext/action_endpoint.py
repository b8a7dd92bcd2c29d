"""Where the Rasa server finds the action server, and the secret it must show there.

``endpoints.yml`` names Rasa's usual ``http://127.0.0.1:5055/webhook`` with no secret, so
that plain ``rasa shell``, ``rasa interactive`` and ``rasa test`` work in the repository
beside ``rasa run actions``. Started through ``bot.rasa_server``, the Rasa server sends to
``VEIVALG_ACTION_URL`` (or the port ``VEIVALG_ACTION_PORT``) with the secret
``VEIVALG_ACTION_TOKEN`` that our action server demands (bot/action_server.py).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from bot.action_server import ACTION_TOKEN_HEADER


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


def read_endpoints_with_ours(cls: type[AvailableEndpoints], endpoint_file: str,
                             ) -> AvailableEndpoints:
    endpoints = _read_endpoints(cls, endpoint_file)
    endpoints.action = our_action_endpoint(endpoints.action)
    return endpoints


def apply() -> None:
    AvailableEndpoints.read_endpoints = classmethod(read_endpoints_with_ours)  # type: ignore[method-assign,assignment]
