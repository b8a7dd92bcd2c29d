"""Where the Rasa server finds the action server, the secret it must show there, and one
kept-alive connection pool to it.

``endpoints.yml`` names Rasa's usual ``http://127.0.0.1:5055/webhook`` with no secret, so
that plain ``rasa shell``, ``rasa interactive`` and ``rasa test`` work in the repository
beside ``rasa run actions``. Started through ``bot.server.rasa_server``, the Rasa server sends to
``VEIVALG_ACTION_URL`` (or the port ``VEIVALG_ACTION_PORT``) with the secret
``VEIVALG_ACTION_TOKEN`` that our action server demands (bot/action_server.py).

Rasa opens a new HTTP session, and so a new connection, for every action it runs. The
endpoint here keeps one session per event loop and reuses its connections; an idle one is
closed after ``KEEPALIVE_SECONDS``, before the action server's Sanic closes it (after 5 s),
so a request never goes out on a connection the server is closing.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot.action_server import ACTION_TOKEN_HEADER

KEEPALIVE_SECONDS = 2.0


class _Borrowed:
    """``async with`` a session that outlives the block (Rasa closes the one it gets)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


class KeptAliveEndpoint(EndpointConfig):
    """An endpoint whose requests share one session (and its connections) per loop."""

    def session(self) -> Any:  # Rasa's callers only use it with ``async with``
        loop = asyncio.get_running_loop()
        sessions: dict[Any, aiohttp.ClientSession] = self.__dict__.setdefault("_sessions", {})
        session = sessions.get(loop)
        if session is None or session.closed:
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            sessions[loop] = session
        return _Borrowed(session)

    async def close(self) -> None:
        """Close this loop's session (the server's lasts as long as the process)."""
        session = self.__dict__.get("_sessions", {}).pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.close()


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
        return KeptAliveEndpoint(url=url, headers=headers)
    return KeptAliveEndpoint(url=url, params=endpoint.params, headers=headers,
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
